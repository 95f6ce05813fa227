import type { Finding, Level, RunError } from '../model/finding.js';
import type { Formatter } from '../model/result.js';
import { lastLine } from './code-frame.js';
import { compactLine } from './compact.js';
import { displayFile, displayPath } from './paths.js';
import { LEVELS, isSuppressed, oneLine, plural, sanitize, suppressedCounts } from './text.js';

/**
 * The runner attaches at most this many annotations of each type per step and only logs the
 * rest (actions/runner `ExecutionContext._maxCountPerIssueType`).
 */
export const ANNOTATIONS_PER_TYPE = 10;

type Command = 'error' | 'warning' | 'notice';

const COMMAND: Record<Level, Command> = { error: 'error', warning: 'warning', note: 'notice' };

/** Escapes workflow-command data (the message): `%` first, then CR and LF, like @actions/core. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow-command property value: data escaping plus `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::command key=value,…::message`, properties in the given order, undefined ones left out. */
export function workflowCommand(command: Command, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${command}${props === '' ? '' : ` ${props}`}::${escapeData(message)}`;
}

/**
 * Annotation position. The runner drops columns unless the range is on one line, so a
 * multi-line range gets `line`/`endLine` only. `endColumn` is inclusive for annotations
 * (the last highlighted character), while our regions end exclusively.
 */
function position(finding: Finding): Record<string, number | undefined> {
  const loc = finding.location;
  const endLine = lastLine(loc);
  if (endLine !== loc.startLine) return { line: loc.startLine, endLine };
  const endColumn = loc.endLine === loc.startLine ? Math.max(loc.startColumn, loc.endColumn - 1) : undefined;
  return { line: loc.startLine, col: loc.startColumn, endLine, endColumn };
}

function annotation(finding: Finding, cwd: string): string {
  return workflowCommand(
    COMMAND[finding.level],
    { file: displayPath(finding.location, cwd), ...position(finding), title: finding.ruleId },
    sanitize(finding.message),
  );
}

function errorAnnotation(error: RunError, cwd: string): string {
  const file = error.file === undefined ? undefined : displayFile(error.file, cwd);
  const line = file === undefined ? undefined : error.line;
  const col = line === undefined ? undefined : error.column;
  return workflowCommand('error', { file, line, col, title: 'gitops-lint' }, sanitize(error.message));
}

/**
 * GitHub Actions workflow commands. Findings are annotated most severe first, in result order
 * within a level; run errors come before finding errors and count against the same limit.
 * Beyond {@link ANNOTATIONS_PER_TYPE} per type, findings are printed as plain compact log lines
 * and a final notice says how many there are (one notice slot is kept free for it). Suppressed
 * findings are not annotated; run notes are plain log lines so they do not use notice slots.
 * Control characters in messages (other than line breaks, which are escaped) are shown as
 * `\xNN`, as in the terminal formats.
 *
 * @see https://docs.github.com/actions/reference/workflows-and-actions/workflow-commands
 */
export const github: Formatter = (result, { cwd }) => {
  const active = result.findings.filter((f) => !isSuppressed(f));
  const byLevel = LEVELS.map((level) => active.filter((f) => f.level === level));
  const overflowing = byLevel.some((group, i) => group.length + (i === 0 ? result.errors.length : 0) > ANNOTATIONS_PER_TYPE);
  const annotated: string[] = result.errors.slice(0, ANNOTATIONS_PER_TYPE).map((e) => errorAnnotation(e, cwd));
  const overflow: string[] = result.errors.slice(ANNOTATIONS_PER_TYPE).map((e) => sanitize(`gitops-lint: error: ${oneLine(e.message)}`));
  LEVELS.forEach((level, i) => {
    const group = byLevel[i] ?? [];
    const reserved = (level === 'error' ? Math.min(result.errors.length, ANNOTATIONS_PER_TYPE) : 0) + (level === 'note' && overflowing ? 1 : 0);
    const room = ANNOTATIONS_PER_TYPE - reserved;
    annotated.push(...group.slice(0, room).map((f) => annotation(f, cwd)));
    overflow.push(...group.slice(room).map((f) => compactLine(f, cwd)));
  });
  const { inSource: suppressed, baseline } = suppressedCounts(result.findings);
  const lines = [
    ...annotated,
    ...overflow,
    ...result.notes.map((n) => sanitize(`gitops-lint: note: ${n.file === undefined ? '' : `${displayFile(n.file, cwd)}: `}${oneLine(n.message)}`)),
    ...(suppressed > 0 ? [`gitops-lint: ${plural(suppressed, 'suppressed finding')} not shown.`] : []),
    ...(baseline > 0 ? [`gitops-lint: ${plural(baseline, 'finding')} hidden by the baseline.`] : []),
  ];
  if (overflow.length > 0) {
    lines.push(
      workflowCommand(
        'notice',
        { title: 'gitops-lint' },
        `${plural(overflow.length, 'more finding')} not annotated: GitHub attaches at most ${ANNOTATIONS_PER_TYPE} annotations of each type per step. They are listed in this step's log, and in code scanning when the SARIF report is uploaded.`,
      ),
    );
  }
  return lines.map((line) => `${line}\n`).join('');
};
