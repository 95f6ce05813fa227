import type { Finding, RunError, RunNote } from '../model/finding.js';
import type { Formatter } from '../model/result.js';
import { ruleDocsUrl } from '../model/rule.js';
import { displayFile, displayPath } from './paths.js';

/**
 * Keys are written in a fixed order (not spread from the input) so that the output stays
 * byte-identical when the model objects gain fields or are built in a different order.
 */
function findingJson(finding: Finding, cwd: string): Record<string, unknown> {
  const { location: loc } = finding;
  return {
    ruleId: finding.ruleId,
    level: finding.level,
    message: finding.message,
    messageId: finding.messageId,
    location: {
      root: loc.root,
      file: loc.file,
      startLine: loc.startLine,
      startColumn: loc.startColumn,
      endLine: loc.endLine,
      endColumn: loc.endColumn,
    },
    displayPath: displayPath(loc, cwd),
    resource: finding.resource && {
      apiVersion: finding.resource.apiVersion,
      kind: finding.resource.kind,
      name: finding.resource.name,
      namespace: finding.resource.namespace,
      docIndex: finding.resource.docIndex,
    },
    path: finding.path,
    fingerprint: finding.fingerprint,
    suppressions: finding.suppressions?.map((s) => ({ kind: s.kind, justification: s.justification })),
    metadata: finding.metadata,
  };
}

function runMessageJson(entry: RunNote | RunError, cwd: string): Record<string, unknown> {
  return {
    message: entry.message,
    file: entry.file,
    displayPath: entry.file === undefined ? undefined : displayFile(entry.file, cwd),
    line: 'line' in entry ? entry.line : undefined,
    column: 'column' in entry ? entry.column : undefined,
  };
}

/**
 * Machine-readable output: `{version, roots, fileCount, resourceCount, findings, rules, notes,
 * errors}`, pretty-printed. `version` is the tool version. Finding locations stay relative to
 * their root (as in the model) and each finding adds `displayPath`, relative to the working
 * directory. Suppressed findings are included with their `suppressions`. Absent optional
 * fields are omitted, never `null`.
 */
export const json: Formatter = (result, { cwd, toolVersion }) =>
  `${JSON.stringify(
    {
      version: toolVersion,
      roots: result.roots.map((r) => ({ name: r.name, dir: r.dir, displayPath: displayFile(r.dir, cwd) || '.', git: r.git })),
      fileCount: result.fileCount,
      resourceCount: result.resourceCount,
      findings: result.findings.map((f) => findingJson(f, cwd)),
      rules: result.rules.map((r) => ({
        id: r.id,
        description: r.description,
        defaultLevel: r.defaultLevel,
        category: r.category,
        docsUrl: ruleDocsUrl(r.id),
      })),
      notes: result.notes.map((n) => runMessageJson(n, cwd)),
      errors: result.errors.map((e) => runMessageJson(e, cwd)),
    },
    null,
    2,
  )}\n`;
