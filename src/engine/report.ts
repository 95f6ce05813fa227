import { createHash } from 'node:crypto';
import type { Finding, FindingResource, Level, Region, YamlPath } from '../model/finding.js';
import type { Report, Rule } from '../model/rule.js';
import type { Root, SourceFile } from '../model/workspace.js';
import { compareStrings } from './collections.js';
import { firstLineOf, offsetsOfPath, regionOf, type Offsets } from '../yaml/position.js';

const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

/**
 * A message template cut at its placeholders: literal text at even indexes, and at odd ones the
 * placeholder's key followed by the placeholder as written (`[text, key, whole, text, …]`),
 * cut by the same pattern `replace` used, once per template (there are a few hundred).
 */
const templateParts = new Map<string, readonly string[]>();
const MAX_TEMPLATES = 4096;

function partsOf(template: string): readonly string[] {
  let parts = templateParts.get(template);
  if (parts === undefined) {
    const cut: string[] = [];
    let at = 0;
    for (const match of template.matchAll(PLACEHOLDER)) {
      cut.push(template.slice(at, match.index), match[1]!, match[0]);
      at = match.index + match[0].length;
    }
    cut.push(template.slice(at));
    parts = cut;
    if (templateParts.size >= MAX_TEMPLATES) templateParts.clear();
    templateParts.set(template, parts);
  }
  return parts;
}

/**
 * Replace `{{name}}` placeholders; unknown placeholders are left visible so tests catch them.
 * Joins the template's parts (`partsOf`) rather than calling `replace` with a function, which
 * calls back into JavaScript per placeholder (a few microseconds per finding in a cold run).
 */
export function interpolate(template: string, data: Record<string, string | number> = {}): string {
  const parts = partsOf(template);
  let out = parts[0]!;
  for (let index = 1; index < parts.length; index += 3) {
    const key = parts[index]!;
    out += (key in data ? String(data[key]) : parts[index + 1]!) + parts[index + 2]!;
  }
  return out;
}

/**
 * The file, document and path a report points at. An applied object's value may have been
 * written elsewhere than its document (a patch, a kustomization's `images:`): follow it there.
 */
export function reportTarget(report: Report<string>): { file: SourceFile; docIndex: number | undefined; path: YamlPath } {
  if ('resource' in report) {
    const path = report.path ?? [];
    const at = report.resource.applied?.locate(path);
    if (at) return { file: at.file, docIndex: at.docIndex, path: at.path };
    return { file: report.resource.file, docIndex: report.resource.docIndex, path };
  }
  return { file: report.file, docIndex: report.docIndex, path: report.path ?? [] };
}

function offsetsOf(report: Report<string>, target: ReturnType<typeof reportTarget>): Offsets | undefined {
  const file = target.file;
  const text = file.text;
  if (text === undefined) return undefined;
  if ('resource' in report) {
    const parsed = target.docIndex === undefined ? undefined : target.file.documents[target.docIndex];
    const fast = parsed?.offsets?.(target.path, report.key ?? false);
    if (fast) return fast;
    const doc = parsed?.doc;
    return doc ? offsetsOfPath(doc, text, target.path, report.key ?? false) : firstLineOf(text, 0);
  }
  if (report.offsets) return report.offsets;
  if (report.docIndex !== undefined) {
    const parsed = file.documents[report.docIndex];
    const fast = parsed?.offsets?.(report.path ?? [], report.key ?? false);
    if (fast) return fast;
    const doc = parsed?.doc;
    if (doc) return offsetsOfPath(doc, text, report.path ?? [], report.key ?? false);
  }
  return fileLevelOffsets(text);
}

/**
 * Where a finding about a whole file points: its first line, or the first token of it when
 * that line is a comment (a comment is not the problem, so underlining all of it misleads).
 */
function fileLevelOffsets(text: string): Offsets {
  const [start, end] = firstLineOf(text, 0);
  const line = text.slice(start, end);
  const comment = /^(\s*)#\S*/.exec(line);
  if (!comment) return [start, end];
  const indent = comment[1]?.length ?? 0;
  return [start + indent, start + comment[0].length];
}

const EMPTY_REGION: Region = { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };

/**
 * Turn a rule's report into a finding: position, message and fingerprint are decided here.
 * `target` is `reportTarget(report)`, when the caller has it already.
 */
export function toFinding(rule: Rule<string, never>, report: Report<string>, level: Level, roots: readonly Root[] = [], target = reportTarget(report)): Finding {
  const file = target.file;
  const offsets = offsetsOf(report, target);
  const region = offsets ? regionOf(file.lineCounter, offsets) : EMPTY_REGION;
  const template = rule.meta.messages[report.messageId] ?? report.messageId;
  const message = interpolate(template, report.data);
  let resource: FindingResource | undefined;
  if ('resource' in report) {
    const { apiVersion, kind, name, appliedNamespace, docIndex } = report.resource;
    resource = { apiVersion, kind, name, docIndex };
    if (appliedNamespace !== undefined) resource.namespace = appliedNamespace;
  }
  const path: YamlPath | undefined = report.path ?? ('docIndex' in report && report.docIndex !== undefined ? [] : undefined);
  // The fingerprint is worked out on first read, from the finding as reported here (before the
  // engine masks or extends its message): most runs print no fingerprint (the default stylish
  // output, the editor) and read no baseline, and hashing loads node:crypto (~10 ms) and costs
  // a hash per finding. An enumerable accessor, so spreads, JSON and deep equality see a string.
  const ruleId = rule.meta.id;
  const messageId = report.messageId;
  const pathKey = (path ?? []).join('\u0001');
  let hashed: string | undefined;
  const finding: Finding = {
    ruleId,
    level,
    message,
    messageId,
    location: { root: file.root.dir, file: file.path, ...region },
    get fingerprint(): string {
      return (hashed ??= fingerprint(ruleId, file, resource, pathKey, messageId, rootNeutral(message, roots.includes(file.root) ? roots : [file.root, ...roots])));
    },
    set fingerprint(value: string) {
      hashed = value;
    },
  };
  if (resource) finding.resource = resource;
  if (path) finding.path = path;
  if (report.metadata) finding.metadata = report.metadata;
  return finding;
}

/**
 * Line-independent identity of a finding: moving it within the file keeps the fingerprint;
 * changing what it is about changes it. Made of the root-relative path and content only: the
 * same repository checked out under another folder name (a fork, a CI workspace) keeps every
 * fingerprint, so the message enters with root folders and names replaced (`rootNeutral`).
 */
function fingerprint(ruleId: string, file: SourceFile, resource: FindingResource | undefined, pathKey: string, messageId: string, message: string): string {
  const identity = resource ? `${resource.kind}/${resource.namespace ?? ''}/${resource.name}` : '';
  const hash = createHash('sha256');
  hash.update([ruleId, file.path, identity, pathKey, messageId, message].join('\u0000'));
  return hash.digest('hex').slice(0, 32);
}

const neutralizers = new WeakMap<readonly Root[], (message: string) => string>();

/**
 * A message with every root's folder (absolute) and name (as a word of its own, such as
 * "the root of lotus-lake" or "lotus-lake/deploy/x.yaml", not inside "./lotus-lake/x") replaced
 * by `<root>`.
 */
function rootNeutral(message: string, roots: readonly Root[]): string {
  let neutral = neutralizers.get(roots);
  if (!neutral) {
    const dirs = [...new Set(roots.map((root) => root.dir))].sort((a, b) => b.length - a.length);
    const names = [...new Set(roots.map((root) => root.name))].filter((name) => name !== '').sort((a, b) => b.length - a.length);
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const dirPattern = dirs.length === 0 ? undefined : new RegExp(dirs.map(escape).join('|'), 'g');
    const namePattern = names.length === 0 ? undefined : new RegExp(`(?<![\\w./-])(?:${names.map(escape).join('|')})(?![\\w-])`, 'g');
    neutral = (text) => {
      let out = dirPattern ? text.replace(dirPattern, '<root>') : text;
      if (namePattern) out = out.replace(namePattern, '<root>');
      return out;
    };
    neutralizers.set(roots, neutral);
  }
  return neutral(message);
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.location.root, b.location.root) ||
    compareStrings(a.location.file, b.location.file) ||
    a.location.startLine - b.location.startLine ||
    a.location.startColumn - b.location.startColumn ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.message, b.message)
  );
}
