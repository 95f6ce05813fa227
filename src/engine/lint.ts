import { stat } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE_NAME, ConfigError, defaultConfig, loadConfigFile, loadRootConfig, resolveConfigText } from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Finding, Level, RuleLevel, RunError, RunNote } from '../model/finding.js';
import type { Report, Rule, RuleContext } from '../model/rule.js';
import type { LintResult } from '../model/result.js';
import type { Resource, Root, SourceFile } from '../model/workspace.js';
import type { Model } from '../model/model.js';
import { applyBaseline, readBaseline } from '../suppress/baseline.js';
import { applyDirectives, parseDirectives } from '../suppress/comments.js';
import { isInside } from '../workspace/discover.js';
import { loadDiskRoot, loadMemoryRoot, rootParseCache, type LoadHooks, type MemoryRoot, type RootInput } from '../workspace/load.js';
import { gitFilesReader, gitRefusal, gitTopLevel } from '../workspace/git.js';
import { compareRuleIds } from './collections.js';
import { loadStagedRoot, readBlobs, readStagedIndex, type StagedIndex } from '../workspace/staged.js';
import { buildModel } from '../model/build.js';
import { hclFactsOfFile, hclNeedsTreeSitter, hclParserLoadError, loadHclParser, parseHclThrough } from '../terraform/hcl.js';
import { isHclFile } from '../terraform/modules.js';
import { maskedOffset, maskFinding, messageMasks, redact, type MessageMasks, type Redaction } from './redact.js';
import type { IncrementalLint } from './incremental.js';
import type { ParseCache } from '../workspace/parse-cache.js';
import { compareFindings, reportTarget, toFinding } from './report.js';
import { isPolicyRuleId } from '../policies/rules.js';

type AnyRule = Rule<string, never>;

export interface LintOptions {
  /** Repository roots (directories, or files inside a root) or in-memory roots. */
  roots: RootInput[];
  /** Base for relative paths. Defaults to `process.cwd()`. */
  cwd?: string;
  /** A config file that applies to every root instead of each root's `.gitops-lint.yaml`. */
  configFile?: string;
  /** A resolved config for every root (library users and tests); wins over `configFile`. */
  config?: ResolvedConfig;
  /** The rules to run; defaults to the built-in registry. */
  rules: ReadonlyArray<AnyRule>;
  /** Report only on these files (absolute or cwd-relative); the rest of the roots is still read. */
  reportOnly?: string[];
  /** Absolute path → text replacing the file on disk (unsaved editor buffers). */
  overrides?: ReadonlyMap<string, string>;
  /**
   * Read the git index instead of the working tree (pre-commit): staged blobs for every
   * tracked file, the index as the tracked set.
   */
  staged?: boolean;
  /** Replacements for reading disk roots (the language server caches discovery and parses). */
  load?: LoadHooks;
  /** Called with each disk root's files once they are listed, before any is read (the bin tunes V8 by the run's size). */
  onFilesListed?: (paths: readonly string[]) => void;
  /** Read and keep parsed values in each git root's parse cache (`.git/gitops-lint/`; the CLI's default). */
  parseCache?: boolean;
  /**
   * A baseline file (cwd-relative) whose findings are hidden in every root, instead of each
   * root config's `baseline:`; `false` applies none (to write a new one).
   */
  baseline?: string | false;
  /** Applied over every root's config (the CLI's `--rule` and `--ignore-pattern`). */
  configOverrides?: ConfigOverrides;
  /** Abandon the run (it rejects with the signal's reason) between reading and each rule: an editor's newer edit made it stale. */
  signal?: AbortSignal;
  /**
   * Kept between runs of a long-running caller (the language server): rules with
   * `dependsOn: 'file'` re-check only the files whose content changed since the last run.
   */
  incremental?: IncrementalLint;
  /**
   * Whether the caller prints code frames (`sourceLines`, `frameRegion`); default true. Without
   * them the report works out only what finding messages must not quote (`messageMasks`), and
   * a frame asked for anyway is redacted then.
   */
  frames?: boolean;
}

/** Settings that win over every root's config. */
export interface ConfigOverrides {
  /** Rule id → level. */
  rules?: Record<string, RuleLevel>;
  /** More `ignore` globs, relative to each root. */
  ignore?: string[];
}

/** A root's config with the overrides applied (a copy; the original is left as loaded). */
export function withOverrides(config: ResolvedConfig, overrides: ConfigOverrides | undefined): ResolvedConfig {
  if (!overrides) return config;
  const rules = { ...config.rules };
  for (const [id, level] of Object.entries(overrides.rules ?? {})) {
    const current = rules[id];
    if (current) rules[id] = { ...current, level };
  }
  return { ...config, rules, ignore: [...config.ignore, ...(overrides.ignore ?? [])] };
}

/**
 * The config `lint` uses for the root of `target` (a directory, or a file inside a root; the
 * file need not exist): `--print-config` and `gitops-lint rules` show it.
 */
export async function configForPath(target: string, options: Pick<LintOptions, 'cwd' | 'configFile' | 'config' | 'rules' | 'configOverrides'>): Promise<{ root: string; config: ResolvedConfig }> {
  const cwd = options.cwd ?? process.cwd();
  const { dir } = await resolveRootPath(path.resolve(cwd, target), true);
  const explicit = options.config ?? (options.configFile ? await loadConfigFile(path.resolve(cwd, options.configFile), options.rules) : undefined);
  return { root: dir, config: withOverrides(explicit ?? (await loadRootConfig(dir, options.rules)), options.configOverrides) };
}

/** The roots read and parsed, and the model built from them. */
export interface LoadedWorkspace {
  roots: Root[];
  files: SourceFile[];
  model: Model;
  notes: RunNote[];
  /** Milliseconds spent reading and parsing (`load`) and building the model (`model`). */
  phases: { load: number; model: number };
  /** Files whose values the parse cache gave back (`hits`) or that were parsed (`misses`), when it was used. */
  parseCache?: { hits: number; misses: number };
}

/**
 * Milliseconds, for the per-rule timings. Not `performance.now()`: Node 20 loads perf_hooks on
 * the first use of the `performance` global, 1-5 ms of every run.
 */
const clock = (): number => Number(process.hrtime.bigint()) / 1e6;

/**
 * Read and parse the roots and build the model (what `lint` checks and `gitops-lint build`
 * prints). Throws `ConfigError` for a bad config; never for bad input files.
 */
export async function loadWorkspace(options: LintOptions): Promise<LoadedWorkspace> {
  const started = clock();
  const cwd = options.cwd ?? process.cwd();
  const notes: RunNote[] = [];
  const rules = options.rules;
  const explicitLoaded = options.config ?? (options.configFile ? await loadConfigFile(path.resolve(cwd, options.configFile), rules) : undefined);
  const explicitConfig = explicitLoaded && withOverrides(explicitLoaded, options.configOverrides);
  const own = (config: ResolvedConfig) => withOverrides(config, options.configOverrides);

  const reportOnly = new Set<string>();
  const staged = options.staged ? await openStagedRepo(options.roots, cwd) : undefined;
  const forCommit = new Set<string>();
  // Roots in one work tree are listed by one pair of git commands, started now.
  const readGit = options.load?.readGit ?? (staged ? undefined : gitFilesReader(options.roots.filter((input): input is string => typeof input === 'string').map((input) => path.resolve(cwd, input))));
  const loaded = await Promise.all(
    options.roots.map(async (input, position): Promise<{ root: Root; files: SourceFile[]; parseCache?: ParseCache['stats'] }> => {
      if (typeof input !== 'string') {
        const config = input.config ?? explicitConfig ?? own(await memoryConfig(input, rules));
        return loadMemoryRoot(input, config, notes);
      }
      if (staged) {
        // The repository being committed is read from its index; other repositories from their work trees.
        const dir = position === staged.position ? staged.index.repo : path.resolve(cwd, input);
        if (dir === staged.index.repo || (await gitTopLevel(dir)) === staged.index.repo) {
          const config = explicitConfig ?? own(await stagedConfig(dir, staged.index, rules));
          const loadedRoot = await loadStagedRoot(dir, staged.index, config, notes, options.parseCache ? rootParseCache(dir) : undefined, options.onFilesListed);
          for (const file of loadedRoot.forCommit) forCommit.add(file);
          return loadedRoot;
        }
      }
      const { dir, file } = await resolveRootPath(path.resolve(cwd, input));
      if (file) reportOnly.add(file);
      const config = explicitConfig ?? own(await (options.load?.config ?? loadRootConfig)(dir, rules));
      return loadDiskRoot(dir, config, notes, {
        ...options.load,
        ...(readGit ? { readGit } : {}),
        ...(options.overrides ? { overrides: options.overrides } : {}),
        ...(options.parseCache ? { parseCache: true } : {}),
        ...(options.onFilesListed ? { onListed: options.onFilesListed } : {}),
      });
    }),
  );
  for (const file of options.reportOnly ?? []) reportOnly.add(path.resolve(cwd, file));

  const roots = loaded.map((entry) => entry.root);
  const files = loaded.flatMap((entry) => entry.files);
  if (reportOnly.size > 0) for (const file of files) file.reported = reportOnly.has(file.absPath);
  else if (staged) for (const file of files) file.reported = forCommit.has(file.absPath);
  // Terraform configuration is parsed by the JS parser here (through the root's parse cache,
  // where the root has one); tree-sitter (Wasm) loads only when some file needs it (a syntax
  // error, whose finding and position tree-sitter gives).
  const hclFiles = files.filter((file) => file.text !== undefined && isHclFile(file.path));
  const parseCache = readThroughCaches(loaded, hclFiles);
  if (hclFiles.length > 0 && hclNeedsTreeSitter(hclFiles)) {
    await loadHclParser();
    const failed = hclParserLoadError();
    if (failed !== undefined) {
      const unread = hclFiles.filter((file) => hclFactsOfFile(file) === undefined).map((file) => `${file.root.name}/${file.path}`);
      notes.push({
        message: `Terraform files were not checked: ${unread.join(', ')} (the JavaScript parser does not accept them, usually for a syntax error, and tree-sitter, which reads them and places their syntax errors, could not be loaded: ${failed.split('\n')[0]}).`,
      });
    }
  }
  const modelStarted = clock();
  // Fields, not spreads: one shape of this object whichever tier of V8 runs this (see buildApplied).
  const model = buildModel(roots, files, notes, { buildMemo: options.load?.buildMemo, modelMemo: options.load?.modelMemo });

  return { roots, files, model, notes, phases: { load: modelStarted - started, model: clock() - modelStarted }, ...(parseCache ? { parseCache } : {}) };
}

/**
 * Parse the Terraform files of each root that has a parse cache through that root's HCL cache;
 * the counts of every cache the run used (YAML and HCL), or `undefined` when it used none.
 */
function readThroughCaches(loaded: ReadonlyArray<{ root: Root; parseCache?: ParseCache['stats'] }>, hclFiles: readonly SourceFile[]): ParseCache['stats'] | undefined {
  let total: ParseCache['stats'] | undefined;
  for (const entry of loaded) {
    if (!entry.parseCache) continue;
    total ??= { hits: 0, misses: 0 };
    const rootHclFiles = hclFiles.filter((file) => file.root === entry.root);
    const hclCache = rootHclFiles.length > 0 ? rootParseCache(entry.root.dir, 'hcl') : undefined;
    if (hclCache) {
      // Looked up by path first (the text still decides): no text hashed.
      parseHclThrough(hclCache, rootHclFiles);
      hclCache.save();
    }
    for (const stats of hclCache ? [entry.parseCache, hclCache.stats] : [entry.parseCache]) {
      total.hits += stats.hits;
      total.misses += stats.misses;
    }
  }
  return total;
}

/** Lint one or more roots together. Throws `ConfigError` for a bad config; never for bad input files. */
export async function lint(options: LintOptions): Promise<LintResult> {
  const errors: RunError[] = [];
  const rules = options.rules;
  const { roots, files, model, notes, phases, parseCache } = await loadWorkspace(options);
  const rulesStarted = clock();
  options.signal?.throwIfAborted();
  const findings: Finding[] = [];
  // Includes lazily built model views (containers, Flux graph) in the first rule that asks.
  const timings: Record<string, number> = {};
  const ran: AnyRule[] = [];
  const policiesStarted = clock();
  const policies = await policyRules(model);
  // Evaluation of every policy, once (their rules' own timings only hand the results over).
  if (policies.length > 0 || model.roots.some((root) => (root.config.policies ?? []).length > 0)) timings.policies = clock() - policiesStarted;
  for (const rule of [...rules, ...policies]) {
    // A policy rule runs at its default level unless the config sets one.
    options.signal?.throwIfAborted();
    const levelFor = (root: Root) => root.config.rules[rule.meta.id]?.level ?? (isPolicyRuleId(rule.meta.id) ? rule.meta.defaultLevel : 'off');
    if (!roots.some((root) => levelFor(root) !== 'off')) continue;
    ran.push(rule);
    // One finding per place and message; the builds that apply copies of a shared file are named.
    const seen = new Map<string, { finding: Finding; builds: Set<string> }>();
    const ctx: RuleContext<string, never> = {
      options: ruleOptions(rule, roots) as never,
      model,
      report(report: Report<string>) {
        const target = reportTarget(report);
        const file = target.file;
        const configured = levelFor(file.root);
        if (configured === 'off' || !file.reported) return;
        const finding = toFinding(rule, report, capLevel(configured, rule.meta.messageLevels?.[report.messageId]), roots, target);
        const key = `${finding.location.root}\0${finding.location.file}\0${finding.location.startLine}:${finding.location.startColumn}\0${finding.message}`;
        const build = 'resource' in report ? buildName(report.resource) : undefined;
        const earlier = seen.get(key);
        if (earlier) {
          if (build !== undefined) earlier.builds.add(build);
          return;
        }
        seen.set(key, { finding, builds: new Set(build === undefined ? [] : [build]) });
        findings.push(finding);
      },
    };
    const started = clock();
    try {
      if (options.incremental && rule.meta.dependsOn === 'file') options.incremental.check(rule, ctx, files, roots);
      else rule.check(ctx);
    } catch (error) {
      errors.push({ message: `Rule ${rule.meta.id} failed: ${error instanceof Error ? error.message : String(error)}. Please report this.` });
    }
    timings[rule.meta.id] = clock() - started;
    for (const { finding, builds } of seen.values()) {
      if (builds.size > 1) finding.message = `${finding.message} (Applied by ${[...builds].sort().join(', ')}.)`;
    }
  }

  const reportStarted = clock();
  const views = sourceViews(files, model);
  const frames = options.frames !== false;
  for (const finding of findings) {
    const { root, file } = finding.location;
    maskFinding(finding, frames ? views.redaction(root, file) : views.messageMasks(root, file));
  }
  applySuppressions(findings, files);
  await applyBaselines(findings, roots, options);
  findings.sort(compareFindings);
  const { sourceLines, frameRegion } = views;
  return {
    findings,
    rules: ran.map((rule) => rule.meta).sort((a, b) => compareRuleIds(a.id, b.id)),
    roots: roots.map(({ dir, name, git, repo }) => ({ dir, name, git, ...(repo === undefined ? {} : { repo }) })),
    fileCount: files.length,
    resourceCount: model.written.length,
    notes,
    errors,
    timings,
    phases: { ...phases, rules: reportStarted - rulesStarted, report: clock() - reportStarted },
    ...(parseCache ? { parseCache } : {}),
    sourceLines,
    frameRegion,
  };
}

/** The rules of the configured Rego policies, with their results (none without `policies:`). */
async function policyRules(model: Model): Promise<AnyRule[]> {
  if (!model.roots.some((root) => (root.config.policies ?? []).length > 0)) return [];
  const { runPolicies } = await import('../policies/evaluate.js');
  const { policyRule } = await import('../policies/rules.js');
  const results = runPolicies(model, Date.now() * 1e6);
  return [...results.values()].sort((a, b) => a.ruleId.localeCompare(b.ruleId)).map((result) => policyRule(result) as AnyRule);
}

/** The Flux Kustomization whose build applies this copy, as messages name it. */
function buildName(resource: Resource): string | undefined {
  const build = resource.applied?.build;
  if (!build) return undefined;
  return `Kustomization ${build.appliedNamespace === undefined ? build.name : `${build.appliedNamespace}/${build.name}`}`;
}

/** Options come from the first root whose config file sets them (a shared `--config` sets them for all). */
function ruleOptions(rule: AnyRule, roots: readonly Root[]): Record<string, unknown> {
  const configured = roots.find((root) => root.config.file !== undefined) ?? roots[0];
  return configured?.config.rules[rule.meta.id]?.options ?? { ...(rule.meta.defaultOptions ?? {}) };
}

async function memoryConfig(input: MemoryRoot, rules: ReadonlyArray<AnyRule>): Promise<ResolvedConfig> {
  const text = input.files['.gitops-lint.yaml'];
  if (text === undefined) return defaultConfig(rules);
  return resolveConfigText(text, path.join(input.dir, '.gitops-lint.yaml'), rules);
}

/** `--staged`: the first path root names the repository whose index is read (its top level is the root). */
async function openStagedRepo(roots: readonly RootInput[], cwd: string): Promise<{ position: number; index: StagedIndex }> {
  const position = roots.findIndex((input) => typeof input === 'string');
  const start = path.resolve(cwd, (roots[position] as string | undefined) ?? '.');
  const repo = await gitTopLevel(start);
  if (repo === undefined) {
    const refusal = await gitRefusal(start);
    if (refusal !== undefined) throw new ConfigError(`--staged reads the git index, but git refuses this repository as unsafe: ${refusal}`, start);
    throw new ConfigError('--staged reads the git index, but this is not inside a git work tree.', start);
  }
  return { position, index: await readStagedIndex(repo) };
}

/** The staged `.gitops-lint.yaml` when the config file is tracked, else the one in the work tree. */
async function stagedConfig(dir: string, index: StagedIndex, rules: ReadonlyArray<AnyRule>): Promise<ResolvedConfig> {
  const file = path.join(dir, CONFIG_FILE_NAME);
  const entry = index.entries.get(path.relative(index.repo, file).split(path.sep).join('/'));
  const blob = entry ? (await readBlobs(index.repo, [entry.object])).get(entry.object) : undefined;
  if (!Buffer.isBuffer(blob)) return loadRootConfig(dir, rules);
  return resolveConfigText(blob.toString('utf8'), file, rules);
}

/**
 * A path given on the command line may be a file inside a root: lint its root, report on it.
 * With `mayBeMissing` (stdin's file name, --print-config), a path that does not exist is a
 * file in the nearest existing folder.
 */
export async function resolveRootPath(target: string, mayBeMissing = false): Promise<{ dir: string; file?: string }> {
  const info = await stat(target).catch(() => undefined);
  if (!info && mayBeMissing) {
    let dir = path.dirname(target);
    while (!(await stat(dir).then((found) => found.isDirectory(), () => false)) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    const top = await gitTopLevel(dir);
    return { dir: top && isInside(top, target) ? top : dir, file: target };
  }
  if (!info) throw new ConfigError('No such file or directory.', target);
  if (info.isDirectory()) return { dir: target };
  const top = await gitTopLevel(path.dirname(target));
  const dir = top && isInside(top, target) ? top : path.dirname(target);
  return { dir, file: target };
}

/** Hide what the baseline (`--baseline`, else each root config's `baseline:`) accepts. */
async function applyBaselines(findings: Finding[], roots: readonly Root[], options: LintOptions): Promise<void> {
  if (options.baseline === false) return;
  const byFile = new Map<string, Finding[]>();
  const add = (file: string, list: Finding[]) => byFile.set(file, [...(byFile.get(file) ?? []), ...list]);
  if (options.baseline !== undefined) add(path.resolve(options.cwd ?? process.cwd(), options.baseline), findings);
  else {
    for (const root of roots) {
      if (root.config.baseline !== undefined) add(root.config.baseline, findings.filter((finding) => finding.location.root === root.dir));
    }
  }
  for (const [file, list] of byFile) applyBaseline(list, await readBaseline(file), file);
}

function applySuppressions(findings: Finding[], files: readonly SourceFile[]): void {
  if (findings.length === 0) return;
  // Grouped by root folder and root-relative path first: path.join (a normalisation) once per
  // file with findings, not once per finding. The lists are then keyed by the joined path as
  // before (two names of one file share a list; the order inside one does not matter, each
  // finding is matched on its own).
  const byRoot = new Map<string, Map<string, Finding[]>>();
  for (let index = 0; index < findings.length; index++) {
    const finding = findings[index]!;
    const { root, file } = finding.location;
    let inRoot = byRoot.get(root);
    if (inRoot === undefined) byRoot.set(root, (inRoot = new Map()));
    const list = inRoot.get(file);
    if (list === undefined) inRoot.set(file, [finding]);
    else list.push(finding);
  }
  const byFile = new Map<string, Finding[]>();
  byRoot.forEach((inRoot, root) => {
    inRoot.forEach((list, file) => {
      const key = path.join(root, file);
      const known = byFile.get(key);
      if (known === undefined) byFile.set(key, list);
      else for (let index = 0; index < list.length; index++) known.push(list[index]!);
    });
  });
  for (let index = 0; index < files.length; index++) {
    const file = files[index]!;
    const found = byFile.get(file.absPath);
    if (found && file.text !== undefined) applyDirectives(found, parseDirectives(file.text));
  }
}

/** Redacted source lines for code frames, and regions mapped onto them (cut and mapped once per file). */
function sourceViews(
  files: readonly SourceFile[],
  model: Model,
): Pick<LintResult, 'sourceLines' | 'frameRegion'> & { redaction(root: string, file: string): Redaction | undefined; messageMasks(root: string, file: string): MessageMasks | undefined } {
  // Findings name a file by its root's folder and its root-relative path, as the files do: no path.join per file.
  // The index is made from the ninth file with findings on: a run with findings in a few files
  // (an editor's run) looks those up in the list instead (as the index would: the last match).
  let byPath: Map<string, SourceFile> | undefined;
  let lookups = 0;
  const sourceAt = (root: string, relative: string, key: string): SourceFile | undefined => {
    if (byPath === undefined && ++lookups <= 8) {
      for (let at = files.length - 1; at >= 0; at--) {
        const candidate = files[at]!;
        if (candidate.path === relative && candidate.root.dir === root) return candidate;
      }
      return undefined;
    }
    byPath ??= new Map(files.map((candidate) => [`${candidate.root.dir}\0${candidate.path}`, candidate]));
    return byPath.get(key);
  };
  // The lines and line starts of a redacted text are cut on first use: only code frames need
  // them, and a run printing JSON or SARIF redacts every file with findings for the messages alone.
  const cache = new Map<string, { file: SourceFile; redaction: Redaction; lines?: string[]; lineStarts?: number[] } | undefined>();
  const view = (root: string, file: string) => {
    const key = `${root}\0${file}`;
    if (!cache.has(key)) {
      const source = sourceAt(root, file, key);
      const redaction = source ? redact(source, model) : undefined;
      cache.set(key, source && redaction ? { file: source, redaction } : undefined);
    }
    return cache.get(key);
  };
  // Without code frames: what messages must not quote, per file (`messageMasks`).
  const messages = new Map<string, MessageMasks | undefined>();
  const lineStartsOf = (text: string): number[] => {
    const lineStarts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    return lineStarts;
  };
  return {
    redaction(root, file) {
      return view(root, file)?.redaction;
    },
    messageMasks(root, file) {
      const key = `${root}\0${file}`;
      const found = cache.get(key);
      if (found) return found.redaction;
      if (!messages.has(key)) {
        const source = sourceAt(root, file, key);
        messages.set(key, source ? messageMasks(source, model) : undefined);
      }
      return messages.get(key);
    },
    sourceLines(root, file, startLine, endLine) {
      const found = view(root, file);
      if (!found) return undefined;
      found.lines ??= found.redaction.text.split(/\r?\n/);
      return found.lines.slice(Math.max(0, startLine - 1), Math.max(0, endLine));
    },
    frameRegion(root, file, region) {
      const found = view(root, file);
      if (!found || found.redaction.spans.length === 0) return region;
      const originalStarts = found.file.lineCounter.lineStarts;
      const lineStarts = (found.lineStarts ??= lineStartsOf(found.redaction.text));
      const at = (line: number, column: number, side: 'start' | 'end'): { line: number; column: number } => {
        const lineStart = originalStarts[line - 1];
        if (lineStart === undefined) return { line, column };
        const masked = maskedOffset(found.redaction, lineStart + column - 1, side);
        let maskedLine = Math.min(line - 1, lineStarts.length - 1);
        while (maskedLine > 0 && (lineStarts[maskedLine] ?? 0) > masked) maskedLine--;
        while (maskedLine + 1 < lineStarts.length && (lineStarts[maskedLine + 1] ?? Infinity) <= masked) maskedLine++;
        return { line: maskedLine + 1, column: masked - (lineStarts[maskedLine] ?? 0) + 1 };
      };
      const start = at(region.startLine, region.startColumn, 'start');
      const end = at(region.endLine, region.endColumn, 'end');
      return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
    },
  };
}

export type { Model };

const SEVERITY: Record<Level, number> = { note: 0, warning: 1, error: 2 };

/** The configured level, lowered to a message's cap when it has one. */
function capLevel(level: Level, cap: Level | undefined): Level {
  return cap !== undefined && SEVERITY[cap] < SEVERITY[level] ? cap : level;
}
