import type { LintResult } from '../model/result.js';

/** Findings that count: not suppressed. */
function active(result: LintResult) {
  return result.findings.filter((finding) => !finding.suppressions?.length);
}

/**
 * Exit code: 2 when the run itself failed, 1 for unsuppressed errors or more warnings than
 * allowed, else 0. Notes never fail a run.
 */
export function exitCodeOf(result: LintResult, maxWarnings?: number): number {
  if (result.errors.length > 0) return 2;
  const findings = active(result);
  if (findings.some((finding) => finding.level === 'error')) return 1;
  if (maxWarnings !== undefined && warningCount(result) > maxWarnings) return 1;
  return 0;
}

/** Unsuppressed warnings: what `--max-warnings` counts. */
export function warningCount(result: LintResult): number {
  return active(result).filter((finding) => finding.level === 'warning').length;
}

/** `--quiet`: the same result with warnings and notes left out. */
export function onlyErrors(result: LintResult): LintResult {
  return { ...result, findings: result.findings.filter((finding) => finding.level === 'error') };
}
