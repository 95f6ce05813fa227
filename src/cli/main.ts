import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { builtinRules } from '../../rules/index.js';
import { ConfigError } from '../config/load.js';
import { lint } from '../index.js';
import { palette } from '../formatters/ansi.js';
import { formatterNames, getFormatter } from '../formatters/index.js';
import { summaryLine } from '../formatters/stylish.js';
import { plural } from '../formatters/text.js';
import type { LintResult } from '../model/result.js';
import { HELP, parseCliArgs, UsageError, type CliOptions, type FormatTarget } from './args.js';
import { exitCodeOf, onlyErrors, warningCount } from './outcome.js';
import { formatRuleList } from './rules-list.js';
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
      io.stdout(formatRuleList(builtinRules, options.color ?? useColor(io)));
      return 0;
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
      return runLint(options, io);
  }
}

function useColor(io: CliIo): boolean {
  return io.isTTY && !io.env.NO_COLOR;
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
  let result: LintResult;
  try {
    result = await lint({
      roots: options.staged ? ['.', ...options.roots] : options.paths.length > 0 ? options.paths : ['.'],
      cwd: io.cwd,
      ...(options.staged ? { staged: true, reportOnly: options.paths } : {}),
      ...(options.config !== undefined ? { configFile: options.config } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`gitops-lint: ${error.describe(io.cwd)}\n`);
      return 2;
    }
    io.stderr(`gitops-lint: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  }
  const shown = options.quiet ? onlyErrors(result) : result;
  const version = await toolVersion();
  let toStdout = false;
  for (const format of formats) {
    const formatter = getFormatter(format.name);
    if (!formatter) continue;
    const color = format.file === undefined && (options.color ?? useColor(io));
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
  if (!toStdout) io.stdout(`${summaryLine(shown, palette(options.color ?? useColor(io)))}\n`);
  for (const error of result.errors) io.stderr(`gitops-lint: ${error.message}\n`);
  // As ESLint does; --quiet hides the warnings, never the reason the run failed.
  const warnings = warningCount(result);
  if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
    io.stderr(`gitops-lint found too many warnings (maximum: ${options.maxWarnings}).\n`);
    if (options.quiet) io.stderr(`${plural(warnings, 'warning')} not shown because of --quiet.\n`);
  }
  if (io.env.TIMING) io.stderr(formatTimings(result.timings ?? {}));
  return exitCodeOf(result, options.maxWarnings);
}

/** The slowest rules first, for TIMING=1. */
export function formatTimings(timings: Record<string, number>): string {
  const rows = Object.entries(timings).sort((a, b) => b[1] - a[1]);
  const width = Math.max(4, ...rows.map(([id]) => id.length));
  return `${'Rule'.padEnd(width)}  Time (ms)\n${rows.map(([id, ms]) => `${id.padEnd(width)}  ${ms.toFixed(1).padStart(9)}`).join('\n')}\n`;
}

