import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import { parseDocument } from 'yaml';
import type { RuleLevel } from '../model/finding.js';
import type { Rule } from '../model/rule.js';
import { lineCounterOf, parseYamlText } from '../yaml/parse.js';
import { offsetsOfPath, regionOf } from '../yaml/position.js';
import { outsideConfigFolder, resolveInside } from '../workspace/confine.js';
import { builtinRules } from '../../rules/index.js';
import { validate as compiledValidate } from './config-validator.generated.js';
import { buildConfigSchema, CONFIG_AJV_OPTIONS } from './schema.js';
import type { ConfigFile, ExternalSecret, ResolvedConfig, RuleSetting, RuleSettingLevel } from './types.js';
import type { PolicyConfig } from '../policies/config.js';

export const CONFIG_FILE_NAME = '.gitops-lint.yaml';

/** One more problem in the same config file (a config error lists them all). */
export interface ConfigProblem {
  message: string;
  line?: number;
  column?: number;
}

/** A config problem: exit code 2, with the file and line. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: number,
    /** Further problems found in the same file, after this one. */
    readonly more: readonly ConfigProblem[] = [],
  ) {
    super(message);
    this.name = 'ConfigError';
  }

  /** `file:line:col: message`, the shape editors and terminals link; one line per problem. */
  describe(cwd: string): string {
    const file = path.relative(cwd, this.file) || this.file;
    return [{ message: this.message, line: this.line, column: this.column }, ...this.more]
      .map(({ message, line, column }) => `${[file, line, column].filter((part) => part !== undefined).join(':')}: ${message}`)
      .join('\n');
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
  const { value: raw, place } = await parseConfig(text, file, rules);
  const resolved = defaultConfig(rules);
  resolved.file = file;
  const extendsList = raw.extends === undefined ? [] : Array.isArray(raw.extends) ? raw.extends : [raw.extends];
  for (const [index, entry] of extendsList.entries()) {
    if (entry === 'recommended' || entry === 'all') {
      applyPreset(resolved, rules, entry);
      continue;
    }
    const where = (): { line?: number; column?: number } => place(Array.isArray(raw.extends) ? ['extends', index] : ['extends']);
    const target = path.resolve(path.dirname(file), entry);
    const confined = resolveInside(boundary, target);
    if ('escapes' in confined) {
      const { line, column } = where();
      throw new ConfigError(`"extends" names "${entry}", which is ${outsideConfigFolder(boundary)}.`, file, line, column);
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
    policies: await loadPolicies(raw, file, place, boundary),
  });
  if (raw.baseline !== undefined) {
    // The baseline is read (and written) where the config says, but only inside its root.
    const confined = resolveInside(boundary, path.resolve(rootDir, raw.baseline));
    if ('escapes' in confined) {
      const { line, column } = place(['baseline']);
      throw new ConfigError(`"baseline" names "${raw.baseline}", which is ${outsideConfigFolder(boundary)}.`, file, line, column);
    }
    resolved.baseline = confined.path;
  }
  return resolved;
}

function resolveRules(settings: Record<string, RuleSetting>, base: ResolvedConfig): ResolvedConfig['rules'] {
  const out: ResolvedConfig['rules'] = {};
  for (const [id, setting] of Object.entries(settings)) {
    const [level, options] = Array.isArray(setting) ? setting : [setting, undefined];
    out[id] = { level: normalizeLevel(level), options: { ...(base.rules[id]?.options ?? {}), ...(options ?? {}) } };
  }
  return out;
}

/** `warn` is accepted for `warning`, as ESLint users write it. */
export function normalizeLevel(level: RuleSettingLevel): RuleLevel {
  return level === 'warn' ? 'warning' : level;
}

/** Load every `policies:` entry; an unreadable or unusable one is a config error at its line. */
async function loadPolicies(raw: ConfigFile, file: string, place: Place, boundary: string): Promise<PolicyConfig[]> {
  const entries = raw.policies ?? [];
  if (entries.length === 0) return [];
  const { loadPolicyEntry, PolicyConfigError } = await import('../policies/config.js');
  const loaded: PolicyConfig[] = [];
  for (const [index, entry] of entries.entries()) {
    try {
      loaded.push(await loadPolicyEntry(entry, file, index, boundary));
    } catch (error) {
      if (!(error instanceof PolicyConfigError)) throw error;
      const at = place(typeof entry === 'string' ? ['policies', index] : ['policies', index, error.key]);
      throw new ConfigError(error.message, file, at.line, at.column);
    }
  }
  return loaded;
}

function mergeInto(target: ResolvedConfig, source: Omit<ResolvedConfig, 'file'>): void {
  if (source.baseline !== undefined) target.baseline = source.baseline;
  if (source.policies && source.policies.length > 0) target.policies = [...(target.policies ?? []), ...source.policies];
  Object.assign(target.rules, source.rules);
  target.ignore.push(...source.ignore);
  Object.assign(target.repos, source.repos);
  target.externalSecrets.push(...source.externalSecrets);
  target.externalSources.push(...source.externalSources);
}

function toExternalSecret(entry: string | ExternalSecret): ExternalSecret {
  return typeof entry === 'string' ? { name: entry } : entry;
}

/** Line and column of a path in the config file. */
type Place = (target: Array<string | number>) => { line: number; column: number };

/** Parsed like any linted file: plain values first, the AST only to place an error. */
async function parseConfig(text: string, file: string, rules: ReadonlyArray<AnyRule>): Promise<{ value: ConfigFile; place: Place }> {
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
    const doc = first?.doc ?? parseDocument(text, { logLevel: 'error' });
    const problems = usefulErrors(validate.errors ?? []).map((error): ConfigProblem => {
      const pathSegments = pointerToPath(error.instancePath);
      const unknownKey = error.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : undefined;
      const target = unknownKey === undefined ? pathSegments : [...pathSegments, unknownKey];
      const region = regionOf(lineCounter, offsetsOfPath(doc, text, target, unknownKey !== undefined));
      return { message: describeError(error, target), line: region.startLine, column: region.startColumn };
    });
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    const [firstProblem, ...more] = problems as [ConfigProblem, ...ConfigProblem[]];
    throw new ConfigError(firstProblem.message, file, firstProblem.line, firstProblem.column, more);
  }
  const place: Place = (target) => {
    const region = regionOf(lineCounter, offsetsOfPath(first?.doc ?? parseDocument(text, { logLevel: 'error' }), text, target));
    return { line: region.startLine, column: region.startColumn };
  };
  return { value: value as ConfigFile, place };
}

/**
 * Every problem, once. ajv (allErrors) reports each failing anyOf branch; errors are grouped
 * by the entry they are in (`rules.<id>`, `ignore.3`, a top-level key), and in each group the
 * unknown keys are all reported, else the deepest error, which is what the user got wrong.
 */
function usefulErrors(errors: ErrorObject[]): ErrorObject[] {
  const groups = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    if (error.keyword === 'anyOf') continue;
    const entry = error.instancePath.split('/').slice(0, 3).join('/');
    const group = groups.get(entry);
    if (group) group.push(error);
    else groups.set(entry, [error]);
  }
  if (groups.size === 0 && errors[0]) return [errors[0]];
  const useful: ErrorObject[] = [];
  for (const group of groups.values()) {
    const unknownKeys = group.filter((error) => error.keyword === 'additionalProperties');
    if (unknownKeys.length > 0) {
      const seen = new Set<string>();
      for (const error of unknownKeys) {
        const id = `${error.instancePath}/${String(error.params.additionalProperty)}`;
        if (!seen.has(id)) useful.push(error);
        seen.add(id);
      }
    } else {
      useful.push(group.reduce((best, error) => (error.instancePath.length > best.instancePath.length ? error : best)));
    }
  }
  return useful;
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
