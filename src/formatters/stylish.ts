import type { Finding, Level } from '../model/finding.js';
import type { Formatter, FormatterContext, LintResult } from '../model/result.js';
import { palette, type Palette, type Style } from './ansi.js';
import { codeFrame, frameLines } from './code-frame.js';
import { displayFile, displayPath } from './paths.js';
import { defuseCommand, isSuppressed, plural, quoteFileName, sanitize, suppressedCounts } from './text.js';

function levelStyle(level: Level, colors: Palette): Style {
  return level === 'error' ? colors.red : level === 'warning' ? colors.yellow : colors.blue;
}

/** Consecutive findings of the same file; the result is already sorted by root and file. */
function groupByFile(findings: readonly Finding[], cwd: string): Array<[string, Finding[]]> {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = displayPath(finding.location, cwd);
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  return [...groups];
}

function renderFinding(finding: Finding, widths: { pos: number; level: number }, result: LintResult, colors: Palette): string[] {
  const { location: loc } = finding;
  const style = levelStyle(finding.level, colors);
  const pos = `${loc.startLine}:${loc.startColumn}`.padEnd(widths.pos);
  const indent = ' '.repeat(2 + widths.pos + 2 + widths.level + 2);
  const message = sanitize(finding.message).split(/\r\n|\r|\n/);
  const last = message.length - 1;
  const head = message.map((text, i) => {
    const lead = i === 0 ? `  ${colors.dim(pos)}  ${style(finding.level)}${' '.repeat(widths.level - finding.level.length)}  ` : indent;
    return `${lead}${i === 0 ? text : defuseCommand(text)}${i === last ? `  ${colors.dim(finding.ruleId)}` : ''}`;
  });
  const { from, to } = frameLines(loc);
  const lines = result.sourceLines(loc.root, loc.file, from, to);
  if (lines === undefined || lines.length === 0) return head;
  const region = result.frameRegion?.(loc.root, loc.file, loc) ?? loc;
  const frame = codeFrame({ region, lines, firstLine: from, mark: style, colors });
  return [...head, ...frame.map((line) => `    ${line}`)];
}

/**
 * The closing line of a run, in ESLint's shape: `✖ 3 problems (1 error, 2 warnings)` (notes
 * added when there are some), or `✔ 0 problems (12 files)` for a clean run. Run errors (exit
 * code 2) are counted too, so the line never looks clean when the run failed.
 */
export function summaryLine(result: LintResult, colors: Palette): string {
  const active = result.findings.filter((f) => !isSuppressed(f));
  const runErrors = result.errors.length > 0 ? `, ${plural(result.errors.length, 'run error')}` : '';
  const baselined = suppressedCounts(result.findings).baseline;
  const hidden = baselined > 0 ? colors.dim(`; ${baselined} hidden by the baseline`) : '';
  if (active.length === 0) {
    const line = `0 problems${runErrors} (${plural(result.fileCount, 'file')})`;
    return `${runErrors === '' ? colors.green(`✔ ${line}`) : colors.bold(colors.red(`✖ ${line}`))}${hidden}`;
  }
  const count = (level: Level): number => active.filter((f) => f.level === level).length;
  const [errors, warnings, notes] = [count('error'), count('warning'), count('note')];
  const style = errors > 0 || runErrors !== '' ? colors.red : warnings > 0 ? colors.yellow : colors.blue;
  const counts = [plural(errors, 'error'), plural(warnings, 'warning'), ...(notes > 0 ? [plural(notes, 'note')] : [])].join(', ');
  return `${colors.bold(style(`✖ ${plural(active.length, 'problem')} (${counts})${runErrors}`))}${hidden}`;
}

/** The summary line, then how many findings comments suppressed (the baseline's are on the line). */
function summary(result: LintResult, colors: Palette): string[] {
  const suppressed = suppressedCounts(result.findings).inSource;
  const hidden = suppressed > 0 ? [colors.dim(`${plural(suppressed, 'suppressed finding')} not shown.`)] : [];
  return [summaryLine(result, colors), ...hidden];
}

function runMessages(result: LintResult, { cwd }: FormatterContext, colors: Palette): string[] {
  const out: string[] = [];
  if (result.notes.length > 0) {
    out.push('', colors.bold('Run notes:'));
    for (const note of result.notes) {
      const where = note.file === undefined ? '' : `${colors.underline(quoteFileName(displayFile(note.file, cwd)))}: `;
      out.push(`  ${colors.blue('ℹ')} ${where}${sanitize(note.message)}`);
    }
  }
  if (result.errors.length > 0) {
    out.push('', colors.bold(colors.red('Run errors:')));
    for (const error of result.errors) {
      const pos = error.line === undefined ? '' : `:${error.line}${error.column === undefined ? '' : `:${error.column}`}`;
      const where = error.file === undefined ? '' : `${colors.underline(`${quoteFileName(displayFile(error.file, cwd))}${pos}`)}: `;
      out.push(`  ${colors.red('✖')} ${where}${sanitize(error.message)}`);
    }
  }
  return out;
}

/**
 * The default terminal format: findings grouped by file (paths relative to the working
 * directory) with a code frame each, a summary line (also for a clean run), then run notes and run errors under their
 * own headings. Suppressed findings are not listed, only counted under the summary: the point of
 * suppressing is to stop seeing them here, and the json and sarif formats keep them in full.
 */
export const stylish: Formatter = (result, ctx) => {
  const colors = palette(ctx.color);
  const active = result.findings.filter((f) => !isSuppressed(f));
  const out: string[] = [];
  for (const [file, findings] of groupByFile(active, ctx.cwd)) {
    const widths = {
      pos: Math.max(...findings.map((f) => `${f.location.startLine}:${f.location.startColumn}`.length)),
      level: Math.max(...findings.map((f) => f.level.length)),
    };
    out.push(colors.underline(quoteFileName(file)));
    findings.forEach((finding, i) => {
      if (i > 0) out.push('');
      out.push(...renderFinding(finding, widths, result, colors));
    });
    out.push('');
  }
  out.push(...summary(result, colors));
  out.push(...runMessages(result, ctx, colors));
  while (out[0] === '') out.shift();
  return `${out.join('\n')}\n`;
};
