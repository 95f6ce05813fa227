import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import { parseDocument } from 'yaml';
import type { RuleLevel } from '../model/finding.js';
import type { Rule } from '../model/rule.js';
import { lineCounterOf, parseYamlText } from '../yaml/parse.js';
import { offsetsOfPath, regionOf } from '../yaml/position.js';
import { resolveInside } from '../workspace/confine.js';
import { builtinRules } from '../../rules/index.js';
import { validate as compiledValidate } from './config-validator.generated.js';
import { buildConfigSchema, CONFIG_AJV_OPTIONS } from './schema.js';
import type { ConfigFile, ExternalSecret, ResolvedConfig, RuleSetting } from './types.js';

export const CONFIG_FILE_NAME = '.gitops-lint.yaml';

/** A config problem: exit code 2, with the file and line. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'ConfigError';
  }

  /** `file:line:col: message`, the shape editors and terminals link. */
  describe(cwd: string): string {
    const where = [path.relative(cwd, this.file) || this.file, this.line, this.column].filter((part) => part !== undefined).join(':');
    return `${where}: ${this.message}`;
  }
}

type AnyRule = Rule<string, never>;

type Validate = ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };

const validators = new WeakMap<ReadonlyArray<AnyRule>, Validate>();

/**
 * The built-in rules' config schema is compiled ahead (npm run generate:schema), so a run
 * never loads ajv for its config; other rule sets (tests, plugins) compile it here.
 */
async function validatorFor(rules: ReadonlyArray<AnyRule>): Promise<Validate> {
  if (rules === builtinRules) return compiledValidate as Validate;
  let validate = validators.get(rules);
  if (!validate) {
    const { Ajv } = await import('ajv');
    validate = new Ajv(CONFIG_AJV_OPTIONS).compile(buildConfigSchema(rules)) as Validate;
    validators.set(rules, validate);
  }
  return validate;
}

/** The configuration used when a root has no config file. */
export function defaultConfig(rules: ReadonlyArray<AnyRule>): ResolvedConfig {
  const resolved: ResolvedConfig = { rules: {}, ignore: [], repos: {}, externalSecrets: [], externalSources: [] };
  applyPreset(resolved, rules, 'recommended');
  return resolved;
}

function applyPreset(config: ResolvedConfig, rules: ReadonlyArray<AnyRule>, preset: 'recommended' | 'all'): void {
  for (const rule of rules) {
    const enabled = preset === 'all' || rule.meta.recommended;
    config.rules[rule.meta.id] = {
      level: enabled ? rule.meta.defaultLevel : 'off',
      options: { ...(rule.meta.defaultOptions ?? {}) },
    };
  }
}

/**
 * Find and load `.gitops-lint.yaml` in `rootDir`; defaults when there is none. The file and
 * everything it `extends` must be inside the root: a repository's config cannot make the
 * linter read a file of the machine it runs on.
 */
export async function loadRootConfig(rootDir: string, rules: ReadonlyArray<AnyRule>): Promise<ResolvedConfig> {
  const file = path.join(rootDir, CONFIG_FILE_NAME);
  const confined = resolveInside(rootDir, file);
  if ('escapes' in confined) throw new ConfigError(`${CONFIG_FILE_NAME} is a symlink that points outside the root; it is not read.`, file);
  const text = await readFile(confined.path, 'utf8').catch(() => undefined);
  if (text === undefined) return defaultConfig(rules);
  return resolveConfigText(text, file, rules, rootDir);
}

/**
 * Load a config file given on the command line: the user chose it, so it may be anywhere. What
 * it `extends` must be inside the folder that holds it (the file may itself come from a cloned
 * repository).
 */
export async function loadConfigFile(file: string, rules: ReadonlyArray<AnyRule>): Promise<ResolvedConfig> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`Cannot read the config file (${error.code ?? error.message}).`, file);
  });
  return resolveConfigText(text, file, rules);
}

/**
 * Parse, validate and resolve a config text (`extends` included). `boundary` is the folder
 * `extends` paths must stay in (the root holding the config; by default the config's folder):
 * a path outside it, directly or through a symlink, is a config error and is never opened.
 */
export async function resolveConfigText(text: string, file: string, rules: ReadonlyArray<AnyRule>, boundary: string = path.dirname(file), seen: string[] = []): Promise<ResolvedConfig> {
  const raw = await parseConfig(text, file, rules);
  const resolved = defaultConfig(rules);
  resolved.file = file;
  const extendsList = raw.extends === undefined ? [] : Array.isArray(raw.extends) ? raw.extends : [raw.extends];
  for (const [index, entry] of extendsList.entries()) {
    if (entry === 'recommended' || entry === 'all') {
      applyPreset(resolved, rules, entry);
      continue;
    }
    const where = (): { line?: number; column?: number } => entryPosition(text, Array.isArray(raw.extends) ? ['extends', index] : ['extends']);
    const target = path.resolve(path.dirname(file), entry);
    const confined = resolveInside(boundary, target);
    if ('escapes' in confined) {
      const { line, column } = where();
      throw new ConfigError(`"extends" names "${entry}", which is outside ${path.basename(boundary) || boundary}, the folder of the config; it is not read.`, file, line, column);
    }
    if (seen.includes(confined.path) || confined.path === file) throw new ConfigError(`"extends" forms a cycle through ${entry}.`, file, where().line, where().column);
    const extendedText = await readFile(confined.path, 'utf8').catch(() => undefined);
    if (extendedText === undefined) throw new ConfigError(`Cannot read the extended config "${entry}".`, file, where().line, where().column);
    mergeInto(resolved, await resolveConfigText(extendedText, confined.path, rules, boundary, [...seen, file]));
  }
  const rootDir = path.dirname(file);
  mergeInto(resolved, {
    rules: resolveRules(raw.rules ?? {}, resolved),
    ignore: raw.ignore ?? [],
    repos: Object.fromEntries(Object.entries(raw.repos ?? {}).map(([name, dir]) => [name, path.resolve(rootDir, dir)])),
    externalSecrets: (raw.externalSecrets ?? []).map(toExternalSecret),
    externalSources: (raw.externalSources ?? []).map((entry, index) => ({ ...entry, declaredIn: { file, index } })),
  });
  return resolved;
}

function resolveRules(settings: Record<string, RuleSetting>, base: ResolvedConfig): ResolvedConfig['rules'] {
  const out: ResolvedConfig['rules'] = {};
  for (const [id, setting] of Object.entries(settings)) {
    const [level, options] = Array.isArray(setting) ? setting : [setting, undefined];
    out[id] = { level: level as RuleLevel, options: { ...(base.rules[id]?.options ?? {}), ...(options ?? {}) } };
  }
  return out;
}

function mergeInto(target: ResolvedConfig, source: Omit<ResolvedConfig, 'file'>): void {
  Object.assign(target.rules, source.rules);
  target.ignore.push(...source.ignore);
  Object.assign(target.repos, source.repos);
  target.externalSecrets.push(...source.externalSecrets);
  target.externalSources.push(...source.externalSources);
}

function toExternalSecret(entry: string | ExternalSecret): ExternalSecret {
  return typeof entry === 'string' ? { name: entry } : entry;
}

/** Parsed like any linted file: plain values first, the AST only to place an error. */
async function parseConfig(text: string, file: string, rules: ReadonlyArray<AnyRule>): Promise<ConfigFile> {
  const parsed = parseYamlText(text);
  const lineCounter = lineCounterOf(text);
  const syntax = parsed.problems[0];
  if (syntax) {
    const { line, col } = lineCounter.linePos(syntax.offsets[0]);
    throw new ConfigError(`Invalid YAML: ${syntax.message}`, file, line, col);
  }
  const first = parsed.documents[0];
  const value: unknown = first?.value ?? {};
  const validate = await validatorFor(rules);
  if (!validate(value)) {
    const doc = first?.doc ?? parseDocument(text);
    const error = mostUsefulError(validate.errors ?? []);
    const pathSegments = pointerToPath(error.instancePath);
    const unknownKey = error.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : undefined;
    const target = unknownKey === undefined ? pathSegments : [...pathSegments, unknownKey];
    const region = regionOf(lineCounter, offsetsOfPath(doc, text, target, unknownKey !== undefined));
    throw new ConfigError(describeError(error, target), file, region.startLine, region.startColumn);
  }
  return value as ConfigFile;
}

/** Line and column of a value in a config text (the text parsed without errors). */
function entryPosition(text: string, target: Array<string | number>): { line: number; column: number } {
  const region = regionOf(lineCounterOf(text), offsetsOfPath(parseDocument(text), text, target, false));
  return { line: region.startLine, column: region.startColumn };
}

/** Among anyOf branches ajv reports every failure; the deepest one is what the user got wrong. */
function mostUsefulError(errors: ErrorObject[]): ErrorObject {
  const ranked = errors.filter((error) => error.keyword !== 'anyOf');
  const pool = ranked.length > 0 ? ranked : errors;
  return pool.reduce((best, error) => (error.instancePath.length > best.instancePath.length ? error : best), pool[0] as ErrorObject);
}

function describeError(error: ErrorObject, target: Array<string | number>): string {
  const where = target.length > 0 ? target.join('.') : 'the config';
  if (error.keyword === 'additionalProperties') {
    const key = String(error.params.additionalProperty);
    return target[0] === 'rules' && target.length === 2 ? `Unknown rule "${key}".` : `Unknown key "${key}" in ${target.slice(0, -1).join('.') || 'the config'}.`;
  }
  if (error.keyword === 'enum') return `Invalid value at ${where}: expected one of ${(error.params.allowedValues as unknown[]).join(', ')}.`;
  if (error.keyword === 'type') return `Invalid value at ${where}: expected ${String(error.params.type)}.`;
  if (error.keyword === 'required') return `Missing "${String(error.params.missingProperty)}" in ${where}.`;
  return `Invalid value at ${where}: ${error.message ?? 'does not match the schema'}.`;
}

function pointerToPath(pointer: string): Array<string | number> {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
