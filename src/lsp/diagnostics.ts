/**
 * Findings → LSP diagnostics. The one place positions change convention: findings are 1-based
 * with an exclusive end column (SARIF); LSP ranges are 0-based with an exclusive end
 * character. Both count UTF-16 code units, the LSP default position encoding.
 */
import path from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Finding, Level, Region } from '../model/finding.js';
import { ruleDocsUrl } from '../model/rule.js';
import type { LintResult } from '../model/result.js';

/** `source` of every diagnostic, shown by editors next to the message. */
export const DIAGNOSTIC_SOURCE = 'gitops-lint';

const SEVERITY: Record<Level, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  note: DiagnosticSeverity.Information,
};

export function toSeverity(level: Level): DiagnosticSeverity {
  return SEVERITY[level];
}

/** A 1-based region as a 0-based LSP range; never negative. */
export function toRange(region: Region): Diagnostic['range'] {
  return {
    start: { line: Math.max(0, region.startLine - 1), character: Math.max(0, region.startColumn - 1) },
    end: { line: Math.max(0, region.endLine - 1), character: Math.max(0, region.endColumn - 1) },
  };
}

export function toDiagnostic(finding: Finding): Diagnostic {
  return {
    range: toRange(finding.location),
    severity: toSeverity(finding.level),
    code: finding.ruleId,
    codeDescription: { href: ruleDocsUrl(finding.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
}

/**
 * Diagnostics by absolute file path, in the result's order. Suppressed findings are left out:
 * a suppression comment is the user saying "I know".
 */
export function diagnosticsByFile(result: Pick<LintResult, 'findings'>): Map<string, Diagnostic[]> {
  const byFile = new Map<string, Diagnostic[]>();
  for (const finding of result.findings) {
    if (finding.suppressions?.length) continue;
    const file = path.join(finding.location.root, ...finding.location.file.split('/'));
    const list = byFile.get(file);
    if (list) list.push(toDiagnostic(finding));
    else byFile.set(file, [toDiagnostic(finding)]);
  }
  return byFile;
}

/** A diagnostic for a configuration error: from `line`/`column` (1-based) to the end of that line. */
export function configErrorDiagnostic(message: string, line = 1, column = 1): Diagnostic {
  return {
    range: { start: { line: Math.max(0, line - 1), character: Math.max(0, column - 1) }, end: { line: Math.max(1, line), character: 0 } },
    severity: DiagnosticSeverity.Error,
    code: 'config',
    source: DIAGNOSTIC_SOURCE,
    message,
  };
}
