import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArtifactLocation, Log, Notification, ReportingDescriptor, Result, Run } from 'sarif';
import type { Finding, RootInfo, RunError, RunNote } from '../model/finding.js';
import type { Formatter, LintResult } from '../model/result.js';
import { ruleDescriptor, unknownRuleDescriptor } from './sarif-rules.js';

/** The schema URI GitHub's documentation and the SARIF multitool accept. */
const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/gitops-lint/gitops-lint';

/** A root's `uriBaseId` and the directory it stands for: the root's repository top level. */
interface Base {
  id: string;
  dir: string;
}

/** Root directory → its base. */
type BaseIds = Map<string, Base>;

/**
 * Every URI is relative to the top level of the root's git repository (code scanning reads
 * paths relative to the repository, also when a folder below its top is linted), or to the
 * root itself outside git. One root is `%SRCROOT%`, the id GitHub's documentation uses.
 * Several roots get an id each from their name (`lotus-lake` → `LOTUS_LAKE`), unique and
 * stable for the same roots.
 */
function baseIds(roots: readonly RootInfo[]): BaseIds {
  const ids: BaseIds = new Map();
  if (roots.length === 1 && roots[0] !== undefined) return ids.set(roots[0].dir, { id: '%SRCROOT%', dir: roots[0].repo ?? roots[0].dir });
  const used = new Set<string>();
  for (const root of roots) {
    let base = root.name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
    if (!/^[A-Z]/.test(base)) base = `ROOT_${base}`.replace(/_$/, '');
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    ids.set(root.dir, { id, dir: root.repo ?? root.dir });
  }
  return ids;
}

/** Roots of the result, plus any a finding names that the result does not list. */
function allRoots(result: LintResult): RootInfo[] {
  const roots = [...result.roots];
  for (const { location } of result.findings) {
    if (!roots.some((r) => r.dir === location.root)) roots.push({ dir: location.root, name: path.basename(location.root), git: false });
  }
  return roots;
}

/**
 * A relative URI reference for a root-relative path. Every segment is percent-encoded, so a
 * `:` in the first segment cannot be read as a URI scheme and `%`, `#`, `?` keep their meaning.
 */
export function relativeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function isBelow(dir: string, absFile: string): boolean {
  const rel = path.relative(dir, absFile);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The location of a file of `root` (absolute path) relative to the root's base. */
function located(absFile: string, base: Base): ArtifactLocation {
  return { uri: relativeUri(path.relative(base.dir, absFile).split(path.sep).join('/')), uriBaseId: base.id };
}

function artifactFor(absFile: string, ids: BaseIds): ArtifactLocation {
  for (const [dir, base] of ids) {
    if (isBelow(dir, absFile)) return located(absFile, base);
  }
  return { uri: pathToFileURL(absFile).href };
}

function notification(entry: RunNote | RunError, level: 'note' | 'error', ids: BaseIds, cwd: string): Notification {
  const out: Notification = { level, message: { text: entry.message } };
  if (entry.file === undefined) return out;
  const line = 'line' in entry ? entry.line : undefined;
  const column = 'column' in entry ? entry.column : undefined;
  const region = line === undefined ? undefined : column === undefined ? { startLine: line } : { startLine: line, startColumn: column };
  out.locations = [{ physicalLocation: { artifactLocation: artifactFor(path.resolve(cwd, entry.file), ids), ...(region && { region }) } }];
  return out;
}

function findingArtifact(root: string, file: string, ids: BaseIds): ArtifactLocation {
  const base = ids.get(root);
  if (base === undefined || base.dir === root) return { uri: relativeUri(file), uriBaseId: base?.id ?? '%SRCROOT%' };
  return located(path.join(root, ...file.split('/')), base);
}

function sarifResult(finding: Finding, ruleIndex: number, ids: BaseIds): Result {
  const loc = finding.location;
  const out: Result = {
    ruleId: finding.ruleId,
    ruleIndex,
    level: finding.level,
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: findingArtifact(loc.root, loc.file, ids),
          region: { startLine: loc.startLine, startColumn: loc.startColumn, endLine: loc.endLine, endColumn: loc.endColumn },
        },
      },
    ],
    // GitHub's primaryLocationLineHash is left to upload-sarif, which computes it from the file.
    partialFingerprints: { 'gitopsLint/v1': finding.fingerprint },
  };
  if (finding.suppressions !== undefined) {
    out.suppressions = finding.suppressions.map((s) => ({
      kind: s.kind,
      ...(s.justification !== undefined && s.justification !== '' && { justification: s.justification }),
    }));
  }
  return out;
}

/**
 * SARIF 2.1.0 for GitHub code scanning: one run with every rule that ran, results located
 * relative to their root's repository (the git top level) through `uriBaseId`s declared in
 * `originalUriBaseIds` — code scanning and `upload-sarif` read a relative URI as a path in the
 * repository and ignore the base —, fingerprints,
 * and suppressions for suppressed findings. Run notes and errors become tool execution
 * notifications. No timestamps or other run-dependent data, so the output is deterministic.
 *
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 * @see https://docs.github.com/code-security/reference/code-scanning/sarif-files/sarif-support-for-code-scanning
 */
export const sarif: Formatter = (result, { cwd, toolVersion }) => {
  const rules: ReportingDescriptor[] = result.rules.map(ruleDescriptor);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const indexOf = (id: string): number => {
    const known = ruleIndex.get(id);
    if (known !== undefined) return known;
    ruleIndex.set(id, rules.push(unknownRuleDescriptor(id)) - 1);
    return rules.length - 1;
  };
  const ids = baseIds(allRoots(result));
  const results = result.findings.map((f) => sarifResult(f, indexOf(f.ruleId), ids));
  const notifications = [
    ...result.errors.map((e) => notification(e, 'error', ids, cwd)),
    ...result.notes.map((n) => notification(n, 'note', ids, cwd)),
  ];
  const run: Run = {
    tool: {
      driver: { name: 'gitops-lint', semanticVersion: toolVersion, version: toolVersion, informationUri: INFORMATION_URI, rules },
    },
    automationDetails: { id: 'gitops-lint/' },
    originalUriBaseIds: Object.fromEntries([...ids.values()].map(({ id, dir }) => [id, { uri: directoryUri(dir) }])),
    invocations: [
      { executionSuccessful: result.errors.length === 0, ...(notifications.length > 0 && { toolExecutionNotifications: notifications }) },
    ],
    columnKind: 'utf16CodeUnits',
    results,
  };
  const log: Log = { $schema: SCHEMA, version: '2.1.0', runs: [run] };
  return `${JSON.stringify(log, null, 2)}\n`;
};
