import path from 'node:path';
import type { Finding, Level, RootInfo, RunError } from '../model/finding.js';
import type { Formatter, FormatterContext } from '../model/result.js';
import { lastLine } from './code-frame.js';
import { displayFile, displayPath, toSlashes } from './paths.js';
import { LEVELS, isSuppressed, oneLine, plural, sanitize } from './text.js';

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

/**
 * Where a file is, for annotations. On a runner (`workspace` set) a file in the workspace is
 * named relative to it, which is what the pull request's diff shows, whatever the step's
 * working directory; a file outside it (another repository cloned to `$RUNNER_TEMP`) cannot
 * be annotated on the diff, so it is named in the message as its root's name and path
 * (`h-kube/apps/x.yaml`), never as `../_temp/…`. Elsewhere paths are relative to `cwd`.
 */
type Place = { file: string } | { label: string };

function place(absFile: string, rootDir: string | undefined, { cwd, workspace }: FormatterContext): Place {
  if (workspace === undefined) return { file: displayFile(absFile, cwd) };
  const inWorkspace = path.relative(workspace, absFile);
  if (inWorkspace !== '' && !inWorkspace.startsWith('..') && !path.isAbsolute(inWorkspace)) return { file: displayFile(absFile, workspace) };
  const from = path.dirname(rootDir ?? absFile);
  return { label: toSlashes(path.relative(from, absFile)) };
}

function findingPlace(finding: Finding, context: FormatterContext): Place {
  const loc = finding.location;
  if (context.workspace === undefined) return { file: displayPath(loc, context.cwd) };
  return place(path.join(loc.root, ...loc.file.split('/')), loc.root, context);
}

function annotation(finding: Finding, context: FormatterContext): string {
  const at = findingPlace(finding, context);
  const loc = finding.location;
  if ('label' in at) {
    return workflowCommand(COMMAND[finding.level], { title: finding.ruleId }, sanitize(`${at.label}:${loc.startLine}:${loc.startColumn}: ${finding.message}`));
  }
  return workflowCommand(COMMAND[finding.level], { file: at.file, ...position(finding), title: finding.ruleId }, sanitize(finding.message));
}

/** A finding as a plain log line (beyond the annotation limit): `path:line:col: level: message [rule]`. */
function logLine(finding: Finding, context: FormatterContext): string {
  const at = findingPlace(finding, context);
  const { startLine, startColumn } = finding.location;
  return sanitize(`${'label' in at ? at.label : at.file}:${startLine}:${startColumn}: ${finding.level}: ${oneLine(finding.message)} [${finding.ruleId}]`);
}

/** A run note's or error's file, named like a finding's (relative to its root's parent outside the workspace). */
function fileOf(file: string, roots: readonly RootInfo[], context: FormatterContext): Place {
  const absFile = path.resolve(context.cwd, file);
  const root = roots.find((r) => !path.relative(r.dir, absFile).startsWith('..'));
  return place(absFile, root?.dir, context);
}

function errorAnnotation(error: RunError, roots: readonly RootInfo[], context: FormatterContext): string {
  const at = error.file === undefined ? undefined : fileOf(error.file, roots, context);
  if (at !== undefined && 'label' in at) {
    const where = [at.label, error.line, error.line === undefined ? undefined : error.column].filter((part) => part !== undefined).join(':');
    return workflowCommand('error', { title: 'gitops-lint' }, sanitize(`${where}: ${error.message}`));
  }
  const file = at?.file;
  const line = file === undefined ? undefined : error.line;
  const col = line === undefined ? undefined : error.column;
  return workflowCommand('error', { file, line, col, title: 'gitops-lint' }, sanitize(error.message));
}

function noteFile(file: string, roots: readonly RootInfo[], context: FormatterContext): string {
  const at = fileOf(file, roots, context);
  return 'label' in at ? at.label : at.file;
}

/**
 * GitHub Actions workflow commands. Findings are annotated most severe first, in result order
 * within a level (files of the workspace before files outside it, which the diff cannot show); run errors come before finding errors and count against the same limit.
 * Beyond {@link ANNOTATIONS_PER_TYPE} per type, findings are printed as plain compact log lines
 * and a final notice says how many there are (one notice slot is kept free for it). Suppressed
 * findings are not annotated; run notes are plain log lines so they do not use notice slots.
 * Control characters in messages (other than line breaks, which are escaped) are shown as
 * `\xNN`, as in the terminal formats.
 *
 * @see https://docs.github.com/actions/reference/workflows-and-actions/workflow-commands
 */
export const github: Formatter = (result, context) => {
  const active = result.findings.filter((f) => !isSuppressed(f));
  // Within a level, files of the workspace first: only their annotations reach the diff.
  const onDiff = (f: Finding) => !('label' in findingPlace(f, context));
  const byLevel = LEVELS.map((level) => {
    const group = active.filter((f) => f.level === level);
    return [...group.filter(onDiff), ...group.filter((f) => !onDiff(f))];
  });
  const overflowing = byLevel.some((group, i) => group.length + (i === 0 ? result.errors.length : 0) > ANNOTATIONS_PER_TYPE);
  const annotated: string[] = result.errors.slice(0, ANNOTATIONS_PER_TYPE).map((e) => errorAnnotation(e, result.roots, context));
  const overflow: string[] = result.errors.slice(ANNOTATIONS_PER_TYPE).map((e) => sanitize(`gitops-lint: error: ${oneLine(e.message)}`));
  LEVELS.forEach((level, i) => {
    const group = byLevel[i] ?? [];
    const reserved = (level === 'error' ? Math.min(result.errors.length, ANNOTATIONS_PER_TYPE) : 0) + (level === 'note' && overflowing ? 1 : 0);
    const room = ANNOTATIONS_PER_TYPE - reserved;
    annotated.push(...group.slice(0, room).map((f) => annotation(f, context)));
    overflow.push(...group.slice(room).map((f) => logLine(f, context)));
  });
  const suppressed = result.findings.length - active.length;
  const lines = [
    ...annotated,
    ...overflow,
    ...result.notes.map((n) => sanitize(`gitops-lint: note: ${n.file === undefined ? '' : `${noteFile(n.file, result.roots, context)}: `}${oneLine(n.message)}`)),
    ...(suppressed > 0 ? [`gitops-lint: ${plural(suppressed, 'suppressed finding')} not shown.`] : []),
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
