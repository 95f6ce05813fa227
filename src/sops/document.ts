/**
 * One pass over a document's AST that yields what the SOPS rules need: every scalar value with
 * its key path and encryption state, duplicate mapping keys, and (on demand) every comment with
 * the key path SOPS judges it by.
 */
import { isAlias, isMap, isScalar, isSeq, type Document } from 'yaml';
import type { YamlPath } from '../model/finding.js';
import { keyText } from './ast.js';
import { lineIndent, lineStartOf, rawComments, type RawComment } from './comments.js';
import { looksEncrypted, parseEncryptedValue, type EncryptedValueProblem } from './encrypted-value.js';

/** `empty`: `""` or `null`, which SOPS leaves as they are. */
export type ValueState = 'empty' | 'encrypted' | 'malformed' | 'plain';

/** A mapping key or list item: where comments attach. */
export interface Anchor {
  offset: number;
  /** Key path of the branch the key or item is in. */
  keys: readonly string[];
  parent: Anchor | undefined;
  /** Inside the top-level `sops` block (the `sops` key itself is not). */
  inSops: boolean;
}

export interface ValueInfo {
  /** Document path, list indexes included. */
  path: YamlPath;
  /** Mapping keys from the root, as SOPS matches them (no list indexes). */
  keys: readonly string[];
  state: ValueState;
  /** Why an `ENC[` value is malformed. */
  problem?: EncryptedValueProblem;
  /** Offsets of the value node. */
  range: readonly [number, number];
  anchor: Anchor;
}

export interface DuplicateKey {
  key: string;
  /** Path of the mapping holding the repeated key. */
  mapPath: YamlPath;
  /** Offsets of the repeated (second or later) key. */
  range: readonly [number, number];
}

export interface CommentInfo {
  /** Offsets of the comment, `#` included. */
  range: readonly [number, number];
  /** Key path of the branch SOPS files the comment under. */
  keys: readonly string[];
  state: ValueState;
  problem?: EncryptedValueProblem;
  /** A `gitops-lint-…` directive, which must stay plaintext to work. */
  directive: boolean;
}

export interface DocumentAnalysis {
  /** Scalar and alias values outside the `sops` block. */
  values: ValueInfo[];
  /** Repeated keys anywhere in the document, `sops` block included. */
  duplicates: DuplicateKey[];
  /** Anchors in document order, for comment placement. */
  anchors: Anchor[];
}

/** Deeper nesting is not walked; SOPS files are shallow and this bounds hostile input. */
const MAX_DEPTH = 200;
const analyses = new WeakMap<Document.Parsed, DocumentAnalysis>();

/** Walks a document once; cached per document. Never throws. */
export function analyzeDocument(doc: Document.Parsed): DocumentAnalysis {
  let analysis = analyses.get(doc);
  if (!analysis) {
    analysis = { values: [], duplicates: [], anchors: [] };
    walk(doc.contents, [], [], undefined, false, 0, analysis);
    analyses.set(doc, analysis);
  }
  return analysis;
}

function walk(
  node: unknown,
  path: YamlPath,
  keys: readonly string[],
  anchor: Anchor | undefined,
  inSops: boolean,
  depth: number,
  out: DocumentAnalysis,
): void {
  if (depth > MAX_DEPTH || node == null) return;
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = keyText(pair);
      const keyRange = isScalar(pair.key) ? pair.key.range : undefined;
      if (key === undefined || !keyRange) continue;
      if (seen.has(key)) out.duplicates.push({ key, mapPath: path, range: [keyRange[0], keyRange[1]] });
      seen.add(key);
      const child = addAnchor(out, keyRange[0], keys, anchor, inSops);
      const childInSops = inSops || (depth === 0 && key === 'sops');
      walk(pair.value, [...path, key], [...keys, key], child, childInSops, depth + 1, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const range = isScalar(item) || isMap(item) || isSeq(item) || isAlias(item) ? item.range : undefined;
      if (!range) return;
      const child = addAnchor(out, range[0], keys, anchor, inSops);
      walk(item, [...path, i], keys, child, inSops, depth + 1, out);
    });
  } else if ((isScalar(node) || isAlias(node)) && node.range && anchor && !inSops) {
    out.values.push({ path, keys, anchor, range: [node.range[0], node.range[1]], ...valueState(node) });
  }
}

/** What the rules need of a value when its offsets and comments are not needed. */
export type ValueFact = Pick<ValueInfo, 'path' | 'keys' | 'state' | 'problem'>;

/**
 * Mapping keys that js-yaml (which stringifies keys) and the `yaml` AST (see {@link keyText})
 * may spell differently: `~` is "null" to one and "" to the other, `1_0` is "10" or "1_0",
 * and `1` and `"1"` are one key or two. JS objects also put integer-like keys first.
 */
const AMBIGUOUS_KEY = /^(?:|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?\.?[0-9].*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const valueAnalyses = new WeakMap<object, ValueFact[] | null>();
/** The path {@link walkValue} pushes and pops: one array for every walk (a walk never starts another). */
const walkPath: Array<string | number> = [];

/**
 * {@link analyzeDocument} over a document's plain JS value instead of its AST: the same values
 * (path, keys, state, problem) in the same order, without offsets, and no duplicate keys.
 * `undefined` when that cannot be vouched for (an ambiguous key anywhere, `sops` block
 * included, or nesting deeper than the AST walk goes): the caller then walks the AST.
 *
 * Only meaningful for a value that mirrors its AST (no aliases, merge keys or complex keys;
 * see `valuesMirrorAst`). Cached per value.
 */
export function analyzeValue(value: unknown): readonly ValueFact[] | undefined {
  if (value === null || typeof value !== 'object') return [];
  let facts = valueAnalyses.get(value);
  if (facts === undefined) {
    const out: ValueFact[] = [];
    walkPath.length = 0;
    facts = walkValue(value, walkPath, [], 0, out) ? out : null;
    valueAnalyses.set(value, facts);
  }
  return facts ?? undefined;
}

/**
 * Whether {@link analyzeValue} gives facts for the value (not `undefined`), without listing them:
 * its walk fails exactly where this one does (a key that is not plainly a string, a mapping that
 * is not a plain object, nesting too deep), as the `sops` block's check does for every node.
 */
export function valueAnalyzable(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  const facts = valueAnalyses.get(value);
  return facts === undefined ? keysClear(value, 0) : facts !== null;
}

/**
 * Mirrors {@link walk}; false when the result might differ from it. `path` is one array,
 * pushed and popped along the walk and copied (at its exact length) for each value listed;
 * `keys` is shared by the values of one branch.
 */
function walkValue(node: unknown, path: Array<string | number>, keys: readonly string[], depth: number, out: ValueFact[]): boolean {
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      path.push(i);
      const clear = walkValue(node[i], path, keys, depth + 1, out);
      path.pop();
      if (!clear) return false;
    }
  } else if (node !== null && typeof node === 'object') {
    if (!isPlainObject(node)) return false;
    const names = Object.keys(node);
    for (let index = 0; index < names.length; index++) {
      const key = names[index]!;
      if (ambiguousKey(key)) return false;
      const child = node[key];
      // The `sops` block has no values to list, but repeated keys count there too.
      let clear: boolean;
      if (depth === 0 && key === 'sops') {
        clear = keysClear(child, depth + 1);
      } else {
        path.push(key);
        clear = walkValue(child, path, keys.concat(key), depth + 1, out);
        path.pop();
      }
      if (!clear) return false;
    }
  } else if (depth > 0) {
    const { state, problem } = textState(node, 'value');
    const at = path.slice();
    out.push(problem === undefined ? { path: at, keys, state } : { path: at, keys, state, problem });
  }
  return true;
}

/** True when every mapping key below a node is unambiguous (see {@link walkValue}). */
function keysClear(node: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  // Indexed loops: no callback or iterator result per node.
  if (Array.isArray(node)) {
    for (let index = 0; index < node.length; index++) if (!keysClear(node[index], depth + 1)) return false;
    return true;
  }
  if (node === null || typeof node !== 'object') return true;
  if (!isPlainObject(node)) return false;
  const keys = Object.keys(node);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    if (ambiguousKey(key) || !keysClear(node[key], depth + 1)) return false;
  }
  return true;
}

/** A mapping as js-yaml builds it; a Date or Map would be a scalar or non-string keys in the AST. */
function isPlainObject(node: object): node is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(node);
  return proto === Object.prototype || proto === null;
}

function ambiguousKey(key: string): boolean {
  // Most keys start with a letter that no null, boolean or number starts with: skip the regex.
  const c = key.charCodeAt(0) | 0x20;
  if (c >= 0x61 && c <= 0x7a && c !== 0x66 && c !== 0x6e && c !== 0x74) return false;
  return AMBIGUOUS_KEY.test(key);
}

function addAnchor(
  out: DocumentAnalysis,
  offset: number,
  keys: readonly string[],
  parent: Anchor | undefined,
  inSops: boolean,
): Anchor {
  const anchor = { offset, keys, parent, inSops };
  out.anchors.push(anchor);
  return anchor;
}

function valueState(node: unknown): Pick<ValueInfo, 'state' | 'problem'> {
  if (!isScalar(node)) return PLAIN;
  return textState(node.value, 'value');
}

/** The states without a problem, shared: every caller copies or destructures them. */
const EMPTY: Pick<ValueInfo, 'state'> = Object.freeze({ state: 'empty' });
const PLAIN: Pick<ValueInfo, 'state'> = Object.freeze({ state: 'plain' });
const ENCRYPTED: Pick<ValueInfo, 'state'> = Object.freeze({ state: 'encrypted' });

function textState(value: unknown, role: 'value' | 'comment'): Pick<ValueInfo, 'state' | 'problem'> {
  if (value == null || value === '') return EMPTY;
  if (typeof value !== 'string' || !looksEncrypted(value)) return PLAIN;
  const parsed = parseEncryptedValue(value, role);
  return parsed.ok ? ENCRYPTED : { state: 'malformed', problem: parsed.problem };
}

const commentCache = new WeakMap<Document.Parsed, { comments: CommentInfo[]; groups: Map<Anchor, string[]> }>();

/**
 * Comments of document `index` of a file (outside its `sops` block), with the key path SOPS
 * judges each by. Comments between documents go to the next document. Cached per document.
 */
export function documentComments(text: string, docs: readonly Document.Parsed[], index: number): CommentInfo[] {
  return placeComments(text, docs, index).comments;
}

/** A block mapping key at column 0 written plain, such as `apiVersion:`. */
const TOP_LEVEL_PLAIN_KEY = /^[A-Za-z_][\w./-]*:(?:[ \t\r]|$)/;

/**
 * True when every comment of a file is a whole-line comment at column 0 before its first
 * document's first key (the usual header of a Secret). SOPS files such head comments at the top
 * level (keys `[]`, see `place`), so whether any must be encrypted is known from the selection
 * alone, without building the AST. False whenever the text leaves any doubt.
 */
export function onlyTopLevelHeadComments(text: string): boolean {
  let offset = 0;
  while (offset < text.length) {
    const newline = text.indexOf('\n', offset);
    const end = newline === -1 ? text.length : newline;
    if (text.startsWith('#', offset) || text.slice(offset, end).trim() === '') {
      offset = end + 1;
      continue;
    }
    return TOP_LEVEL_PLAIN_KEY.test(text.slice(offset, end)) && !text.includes('#', offset);
  }
  return false;
}

/**
 * For the comment selection modes: per level of a value's key path, the comments SOPS sees
 * just before that key (head comments and the trailing comment on its line).
 */
export function precedingComments(
  text: string,
  docs: readonly Document.Parsed[],
  index: number,
  value: ValueInfo,
): string[][] {
  const { groups } = placeComments(text, docs, index);
  const result: string[][] = [];
  for (let a: Anchor | undefined = value.anchor; a; a = a.parent) result.unshift(groups.get(a) ?? []);
  return result;
}

function placeComments(
  text: string,
  docs: readonly Document.Parsed[],
  index: number,
): { comments: CommentInfo[]; groups: Map<Anchor, string[]> } {
  const doc = docs[index];
  if (!doc) return { comments: [], groups: new Map() };
  const cached = commentCache.get(doc);
  if (cached) return cached;
  const start = index === 0 ? 0 : (docs[index - 1]?.range[2] ?? 0);
  const end = index === docs.length - 1 ? Infinity : doc.range[2];
  const { anchors } = analyzeDocument(doc);
  const result = { comments: [] as CommentInfo[], groups: new Map<Anchor, string[]>() };
  for (const raw of rawComments(text)) {
    if (raw.offset < start || raw.offset >= end) continue;
    const placed = place(raw, anchors, text);
    if (placed.inSops) continue;
    if (placed.owner) {
      const group = result.groups.get(placed.owner) ?? [];
      group.push(raw.text);
      result.groups.set(placed.owner, group);
    }
    result.comments.push({
      range: [raw.offset, raw.end],
      keys: placed.keys,
      directive: raw.text.trim().startsWith('gitops-lint-'),
      ...textState(raw.text, 'comment'),
    });
  }
  commentCache.set(doc, result);
  return result;
}

/**
 * Mirrors how the YAML store files comments: a head comment belongs to the branch of the key or
 * item after it, a trailing comment to the branch of the key on its line, and a comment
 * indented deeper than the next key (a foot comment) to the enclosing block it is indented in.
 */
function place(
  raw: RawComment,
  anchors: readonly Anchor[],
  text: string,
): { keys: readonly string[]; owner: Anchor | undefined; inSops: boolean } {
  const next = firstAfter(anchors, raw.offset);
  const previous = anchors[next - 1];
  if (raw.trailing) {
    if (previous && previous.offset >= lineStartOf(text, raw.offset)) return placed(previous, previous);
  } else {
    const following = anchors[next];
    if (following && lineIndent(text, following.offset) >= raw.indent) return placed(following, following);
  }
  for (let a = previous; a; a = a.parent) {
    if (lineIndent(text, a.offset) <= raw.indent) return placed(a, undefined);
  }
  return { keys: [], owner: undefined, inSops: false };
}

function placed(anchor: Anchor, owner: Anchor | undefined): { keys: readonly string[]; owner: Anchor | undefined; inSops: boolean } {
  return { keys: anchor.keys, owner, inSops: anchor.inSops };
}

/** Index of the first anchor starting after an offset (anchors are in document order). */
function firstAfter(anchors: readonly Anchor[], offset: number): number {
  let lo = 0;
  let hi = anchors.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((anchors[mid] as Anchor).offset > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
