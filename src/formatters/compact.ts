import type { Finding, RunError } from '../model/finding.js';
import type { Formatter } from '../model/result.js';
import { displayFile, displayPath } from './paths.js';
import { isSuppressed, oneLine, quoteFileName, sanitize } from './text.js';

/**
 * `path:line:col: level: message [rule-id]`, the shape of GCC diagnostics, so that vim's
 * `errorformat=%f:%l:%c: %t%*[^:]: %m` and VS Code problem matchers read it unchanged. Line
 * breaks in messages are folded into spaces because both consumers split on newlines.
 */
export function compactLine(finding: Finding, cwd: string): string {
  const { startLine, startColumn } = finding.location;
  const file = quoteFileName(displayPath(finding.location, cwd));
  return sanitize(`${file}:${startLine}:${startColumn}: ${finding.level}: ${oneLine(finding.message)} [${finding.ruleId}]`);
}

/** A run error in the same shape, so a bad config line lands in the quickfix list too. */
export function compactErrorLine(error: RunError, cwd: string): string {
  const where = error.file === undefined ? 'gitops-lint' : `${quoteFileName(displayFile(error.file, cwd))}:${error.line ?? 1}:${error.column ?? 1}`;
  return sanitize(`${where}: error: ${oneLine(error.message)}`);
}

/**
 * Compact formatter. Suppressed findings and run notes are omitted: the format feeds editors'
 * problem lists, where neither is actionable. Run errors are listed after the findings.
 */
export const compact: Formatter = (result, { cwd }) => {
  const lines = [
    ...result.findings.filter((f) => !isSuppressed(f)).map((f) => compactLine(f, cwd)),
    ...result.errors.map((e) => compactErrorLine(e, cwd)),
  ];
  return lines.map((line) => `${line}\n`).join('');
};
