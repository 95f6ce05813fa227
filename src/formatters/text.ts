import type { Finding, Level } from '../model/finding.js';

/** Most severe first; used wherever output is ordered or counted by level. */
export const LEVELS: readonly Level[] = ['error', 'warning', 'note'];

export function isSuppressed(finding: Finding): boolean {
  return finding.suppressions !== undefined;
}

/** Suppressed findings: by a comment in the file (`inSource`), or by the baseline (`external`). */
export function suppressedCounts(findings: readonly Finding[]): { inSource: number; baseline: number } {
  let inSource = 0;
  let baseline = 0;
  for (const finding of findings) {
    if (finding.suppressions?.some((s) => s.kind === 'inSource')) inSource++;
    else if (finding.suppressions?.some((s) => s.kind === 'external')) baseline++;
  }
  return { inSource, baseline };
}

/** `1 error`, `2 errors`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * Replaces terminal control characters (ESC, BEL, …) with visible `\xNN` escapes. Messages and
 * source lines come from the linted repository, and a crafted file must not be able to drive
 * the user's terminal. Tabs and line breaks are kept.
 */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, (c) =>
    `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '"': '\\"', '\\': '\\\\' };

/**
 * A file name as line-oriented output shows it: unchanged, unless it holds a control character
 * (a newline, a tab, ESC…), which would split the line or drive the terminal; then quoted and
 * escaped the way git shows such names (`"bad\nname.yaml"`).
 */
export function quoteFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\u0000-\u001f\u007f-\u009f]/.test(name)) return name;
  // eslint-disable-next-line no-control-regex
  const body = name.replace(/[\u0000-\u001f\u007f-\u009f"\\]/g, (c) => ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `"${body}"`;
}

/** One-line form of a message, for line-oriented formats whose consumers split on newlines. */
export function oneLine(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join(' ');
}

/**
 * Neutralises a line that the GitHub Actions runner would read as a workflow command (it trims
 * leading whitespace, then looks for `::`), for output printed in CI logs. Messages carry names
 * from the linted repository, which may contain line breaks.
 */
export function defuseCommand(line: string): string {
  return line.replace(/^(\s*)::/, '$1\\::');
}
