import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { builtinRules } from '../../rules/index.js';
import { ConfigError } from '../config/load.js';
import { lint } from '../index.js';
import { palette } from '../formatters/ansi.js';
import { FRAMELESS_FORMATS, formatterNames, getFormatter } from '../formatters/index.js';
import { summaryLine } from '../formatters/stylish.js';
import { plural } from '../formatters/text.js';
import type { LintResult } from '../model/result.js';
import { HELP, parseCliArgs, UsageError, type CliOptions, type FormatTarget } from './args.js';
import { exitCodeOf, onlyErrors, warningCount } from './outcome.js';
import { formatRuleList, ruleListEntries } from './rules-list.js';
import { configForPath, resolveRootPath, type ConfigOverrides } from '../engine/lint.js';
import { applyBaseline, createBaseline, writeBaseline } from '../suppress/baseline.js';
import type { CliIo } from './io.js';
import { toolVersion } from '../version.js';

export type { CliIo };


/** Run the CLI; returns the exit code (0 clean, 1 findings, 2 usage/config/internal error). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`gitops-lint: ${error.message}\nRun gitops-lint --help for usage.\n`);
      return 2;
    }
    throw error;
  }
  switch (options.command) {
    case 'help':
      io.stdout(HELP);
      return 0;
    case 'version':
      io.stdout(`${await toolVersion()}\n`);
      return 0;
    case 'rules':
      return withConfigErrors(io, () => runRules(options, io));
    case 'lsp': {
      const { startLanguageServer } = await import('../lsp/server.js');
      startLanguageServer();
      return new Promise<number>(() => undefined);
    }
    case 'build': {
      const { runBuild } = await import('./build.js');
      return runBuild(options, io);
    }
    default:
      if (options.printConfig !== undefined) {
        const target = options.printConfig;
        return withConfigErrors(io, () => runPrintConfig(target, options, io));
      }
      return runLint(options, io);
  }
}

/** `--color`/`--no-color`, else FORCE_COLOR (`0` or `false` turns colours off), else NO_COLOR, else a terminal. */
export function useColor(io: CliIo, options?: Pick<CliOptions, 'color'>): boolean {
  if (options?.color !== undefined) return options.color;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return io.isTTY && !io.env.NO_COLOR;
}

/** A usage problem found after parsing (an unknown rule in --rule): exit 2 with a hint. */
function usageError(io: CliIo, message: string): number {
  io.stderr(`gitops-lint: ${message}\nRun gitops-lint --help for usage.\n`);
  return 2;
}

async function withConfigErrors(io: CliIo, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`gitops-lint: ${error.describe(io.cwd)}\n`);
      return 2;
    }
    throw error;
  }
}

function unknownRule(options: CliOptions): string | undefined {
  const known = new Set(builtinRules.map((rule) => rule.meta.id));
  const unknown = options.ruleLevels.find(({ id }) => !known.has(id));
  return unknown && `Unknown rule "${unknown.id}" in --rule (gitops-lint rules lists them).`;
}

function configOverrides(options: CliOptions): ConfigOverrides | undefined {
  if (options.ruleLevels.length === 0 && options.ignorePatterns.length === 0) return undefined;
  return { rules: Object.fromEntries(options.ruleLevels.map(({ id, level }) => [id, level])), ignore: options.ignorePatterns };
}

function configLookup(options: CliOptions, io: CliIo) {
  const overrides = configOverrides(options);
  return {
    cwd: io.cwd,
    rules: builtinRules,
    ...(options.config !== undefined ? { configFile: options.config } : {}),
    ...(overrides ? { configOverrides: overrides } : {}),
  };
}

/** `gitops-lint rules [PATH]`: the rules under the config of PATH's root (default: .). */
async function runRules(options: CliOptions, io: CliIo): Promise<number> {
  const problem = unknownRule(options);
  if (problem) return usageError(io, problem);
  const format = options.formats[0]?.name ?? 'text';
  if (!['text', 'json', 'stylish'].includes(format) || options.formats.length > 1 || options.formats[0]?.file !== undefined) {
    return usageError(io, 'rules prints text (the default) or --format json to stdout.');
  }
  const { config } = await configForPath(options.paths[0] ?? '.', configLookup(options, io));
  const entries = ruleListEntries(builtinRules, config);
  const configFile = config.file === undefined ? undefined : path.relative(io.cwd, config.file) || config.file;
  if (format === 'json') io.stdout(`${JSON.stringify({ config: configFile ?? null, rules: entries }, null, 2)}\n`);
  else io.stdout(formatRuleList(entries, configFile, useColor(io, options)));
  return 0;
}

/** `--print-config FILE`: the resolved config of FILE's root, as JSON, paths relative to the working directory. */
async function runPrintConfig(target: string, options: CliOptions, io: CliIo): Promise<number> {
  const problem = unknownRule(options);
  if (problem) return usageError(io, problem);
  const { root, config } = await configForPath(target, configLookup(options, io));
  const relative = (file: string) => path.relative(io.cwd, file).split(path.sep).join('/') || '.';
  const printed = {
    root: relative(root),
    config: config.file === undefined ? null : relative(config.file),
    baseline: config.baseline === undefined ? null : relative(config.baseline),
    rules: config.rules,
    ignore: config.ignore,
    repos: Object.fromEntries(Object.entries(config.repos).map(([name, dir]) => [name, relative(dir)])),
    externalSecrets: config.externalSecrets,
    externalSources: config.externalSources.map(({ declaredIn: _declaredIn, ...source }) => source),
  };
  io.stdout(`${JSON.stringify(printed, null, 2)}\n`);
  return 0;
}

function chooseFormats(options: CliOptions, io: CliIo): FormatTarget[] {
  const fallback = io.env.GITHUB_ACTIONS === 'true' ? 'github' : 'stylish';
  const formats = options.formats.length > 0 ? options.formats : [{ name: fallback }];
  return formats.map((format) => (format.name === '' ? { ...format, name: fallback } : format));
}

async function runLint(options: CliOptions, io: CliIo): Promise<number> {
  const formats = chooseFormats(options, io);
  const unknown = formats.find((format) => getFormatter(format.name) === undefined);
  if (unknown) {
    io.stderr(`gitops-lint: unknown format "${unknown.name}" (known: ${formatterNames.join(', ')}).\n`);
    return 2;
  }
  const problem = unknownRule(options);
  if (problem) return usageError(io, problem);
  let result: LintResult;
  try {
    const overrides = configOverrides(options);
    const stdin = options.stdinFilename === undefined ? undefined : await readStdin(options.stdinFilename, io);
    if (stdin === null) return usageError(io, '--stdin-filename reads stdin, which this process does not have.');
    if (options.writeBaseline !== undefined) {
      for (const entry of options.paths) {
        if ((await stat(path.resolve(io.cwd, entry)).catch(() => undefined))?.isFile()) return usageError(io, `--write-baseline lints whole roots; ${entry} is a file.`);
      }
    }
    const paths = options.paths.length > 0 ? options.paths : ['.'];
    result = await lint({
      roots: options.staged ? ['.', ...options.roots] : stdin ? [stdin.root, ...options.paths] : paths,
      cwd: io.cwd,
      parseCache: !options.noCache && !io.env.GITOPS_LINT_NO_CACHE,
      frames: !formats.every((format) => FRAMELESS_FORMATS.has(format.name)),
      ...(io.onFilesListed ? { onFilesListed: io.onFilesListed } : {}),
      ...(options.staged ? { staged: true, reportOnly: options.paths } : {}),
      ...(stdin ? { overrides: new Map([[stdin.file, stdin.text]]), reportOnly: [stdin.file] } : {}),
      ...(options.config !== undefined ? { configFile: options.config } : {}),
      ...(overrides ? { configOverrides: overrides } : {}),
      ...(options.writeBaseline !== undefined ? { baseline: false as const } : options.baseline !== undefined ? { baseline: options.baseline } : {}),
    });
    if (options.writeBaseline !== undefined) {
      const file = path.resolve(io.cwd, options.writeBaseline);
      const baseline = createBaseline(result.findings, file);
      await writeBaseline(file, baseline);
      const hidden = applyBaseline(result.findings, baseline, file);
      io.stderr(`gitops-lint: wrote ${plural(hidden, 'finding')} to ${path.relative(io.cwd, file) || file}.\n`);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`gitops-lint: ${error.describe(io.cwd)}\n`);
      return 2;
    }
    io.stderr(`gitops-lint: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  }
  const shown = options.quiet ? onlyErrors(result) : result;
  io.onLinted?.(shown.findings.length);
  const version = await toolVersion();
  let toStdout = false;
  for (const format of formats) {
    const formatter = getFormatter(format.name);
    if (!formatter) continue;
    const color = format.file === undefined && useColor(io, options);
    const output = formatter(shown, { cwd: io.cwd, toolVersion: version, color, ...(io.env.GITHUB_WORKSPACE ? { workspace: io.env.GITHUB_WORKSPACE } : {}) });
    if (format.file === undefined) {
      toStdout = true;
      io.stdout(output);
    } else {
      const target = path.resolve(io.cwd, format.file);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, output);
    }
  }
  // Every run ends with a summary: when all outputs went to files, it goes to stdout alone.
  if (!toStdout) io.stdout(`${summaryLine(shown, palette(useColor(io, options)))}\n`);
  for (const error of result.errors) io.stderr(`gitops-lint: ${error.message}\n`);
  // As ESLint does; --quiet hides the warnings, never the reason the run failed.
  const warnings = warningCount(result);
  if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
    io.stderr(`gitops-lint found too many warnings (maximum: ${options.maxWarnings}).\n`);
    if (options.quiet) io.stderr(`${plural(warnings, 'warning')} not shown because of --quiet.\n`);
  }
  if (io.env.TIMING) io.stderr(`${result.phases ? formatPhases(result.phases, result.parseCache) : ''}${formatTimings(result.timings ?? {})}`);
  return exitCodeOf(result, options.maxWarnings);
}

/** The text of `--stdin-filename FILE` and the root it belongs to; `null` when there is no stdin. */
async function readStdin(name: string, io: CliIo): Promise<{ file: string; root: string; text: string } | null> {
  if (!io.stdin) return null;
  const file = path.resolve(io.cwd, name);
  const { dir } = await resolveRootPath(file, true);
  return { file, root: dir, text: await io.stdin() };
}

/** The run's phases in order, for TIMING=1 (the rules' row is the sum of the table below it). */
export function formatPhases(phases: Record<string, number>, cache?: { hits: number; misses: number }): string {
  const rows = Object.entries(phases);
  const cached = cache ? `Parse cache: ${cache.hits} of ${cache.hits + cache.misses} files' values read back\n` : '';
  return `${'Phase'.padEnd(9)}  Time (ms)\n${rows.map(([phase, ms]) => `${phase.padEnd(9)}  ${ms.toFixed(1).padStart(9)}`).join('\n')}\n${cached}\n`;
}

/** The slowest rules first, for TIMING=1. */
export function formatTimings(timings: Record<string, number>): string {
  const rows = Object.entries(timings).sort((a, b) => b[1] - a[1]);
  const width = Math.max(4, ...rows.map(([id]) => id.length));
  return `${'Rule'.padEnd(width)}  Time (ms)\n${rows.map(([id, ms]) => `${id.padEnd(width)}  ${ms.toFixed(1).padStart(9)}`).join('\n')}\n`;
}

