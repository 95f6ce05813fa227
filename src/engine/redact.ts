import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar, type Document, type Node } from 'yaml';
import type { SourceFile } from '../model/workspace.js';
import type { Model } from '../model/model.js';
import { rawComments } from '../sops/comments.js';
import { sopsSecretRanges } from '../sops/redact.js';
import type { Finding, YamlPath } from '../model/finding.js';
import { isReference } from './credential.js';
import { applySpans, certainNothing, lineSpans, MASK, masksNothing, mentionsSecret, stringSpans, walkMasks, type MaskTree, type Span } from './mask.js';
import { coveringCreationRule } from '../sops/config-lookup.js';
import { valueAnalyzable } from '../sops/document.js';
import { hasSopsKeyAt, valuesMirrorAst } from '../sops/facts.js';
import { isCommentSelection, keyMatches, mustEncrypt, type Selection } from '../sops/selection.js';
import { hclSecretRanges } from '../terraform/redact.js';
import { positionTreesOf, treesReadFromLines } from '../yaml/parse.js';
import type { DocumentPositions } from '../yaml/value-positions.js';
import { frameMasks } from './redact-frames.js';

/** Terraform/OpenTofu files, wherever they are (also under `.terraform/`): credential-like attribute values are masked (src/terraform/redact.ts). */
const TERRAFORM_FILE = /\.(tf|tofu)$/;

/** A masked part of a file: `[start, end)` of the original text became `[maskedStart, maskedEnd)`. */
export interface MaskedSpan {
  start: number;
  end: number;
  maskedStart: number;
  maskedEnd: number;
}

export interface Redaction {
  /** The text with every secret value masked; line breaks are kept, so line numbers hold. */
  text: string;
  /** The masked parts, in order. */
  spans: MaskedSpan[];
  /**
   * Masked values that are certainly secret (a Secret's data, sensitive assignments and URL
   * passwords, every value of a broken document), which messages must not quote either; a
   * value masked for its key's name alone (`secretName: db`) is not among them.
   */
  certain: string[];
}

/**
 * The file's text with every value that may be a secret masked: all values under a
 * Secret's `data`/`stringData`, any scalar whose key (or env entry name) looks sensitive or
 * that `isMaskedValue` judges a credential, and
 * whatever sops encrypts (or a `.sops.yaml` rule says it would) in SOPS files, comments
 * included. Code frames and snippets are cut from this text only.
 */
export function redactedText(file: SourceFile, model?: Pick<Model, 'fileAt'>): string | undefined {
  return redact(file, model)?.text;
}

/**
 * Where an offset of the original text lands in the redacted one. An offset inside a masked
 * part lands at the mask's start (`start`) or end (`end`), so a range over a secret value
 * covers exactly its mask.
 */
export function maskedOffset(redaction: Redaction, offset: number, side: 'start' | 'end'): number {
  let shift = 0;
  for (const span of redaction.spans) {
    if (offset <= span.start) break;
    if (offset < span.end) return side === 'start' ? span.maskedStart : firstLineEnd(redaction.text, span);
    shift = span.maskedEnd - span.end;
  }
  return offset + shift;
}

/** The end of a mask's first line (a masked multi-line value keeps its line breaks after the mask). */
function firstLineEnd(text: string, span: MaskedSpan): number {
  const newline = text.indexOf('\n', span.maskedStart);
  return newline === -1 || newline > span.maskedEnd ? span.maskedEnd : newline;
}

/** Masked values shorter than this are not searched for in messages (`kind: ***` masks `Secret`). */
const MIN_MESSAGE_SECRET = 6;

/**
 * A finding's message and path without the values its file's frames certainly mask, and with
 * sensitive assignments and URL passwords masked: rules quote keys and values, and in a
 * document that does not parse a "key" may be a whole line of a Secret.
 */
export function maskFinding(finding: Finding, redaction: MessageMasks | undefined): void {
  const known = redaction ? certainValues(redaction) : NO_VALUES;
  const mask = (text: string): string => {
    // The pattern (one per file, built on first use) replaces only where a value occurs: text
    // without any (most messages) is left as it is without building or running it.
    const inner = known.some((value) => text.includes(value)) ? text.replace(certainPattern(redaction!, known)!, MASK) : text;
    return applySpans(inner, stringSpans(inner));
  };
  finding.message = mask(finding.message);
  if (finding.path) finding.path = finding.path.map((segment) => (typeof segment === 'string' ? mask(segment) : segment));
}

const NO_VALUES: readonly string[] = [];

/** The values `maskFinding` masks in messages, longest first: one list per file, made on first use. */
const certainLists = new WeakMap<MessageMasks, readonly string[]>();

function certainValues(redaction: MessageMasks): readonly string[] {
  let list = certainLists.get(redaction);
  if (list === undefined) {
    const known = new Set<string>();
    for (const certain of redaction.certain) {
      const value = certain.trim();
      for (const part of [value, value.replace(/^(["'])(.*)\1$/, '$2')]) {
        // sops-encrypted values and other references are not secrets (and messages quote them).
        if (part.length >= MIN_MESSAGE_SECRET && !isReference(part)) known.add(part);
      }
    }
    list = [...known].sort((a, b) => b.length - a.length);
    certainLists.set(redaction, list);
  }
  return list;
}

/** One pattern per file for `maskFinding`, built on first use: the values of `certainValues`. */
const certainPatterns = new WeakMap<MessageMasks, RegExp | undefined>();

function certainPattern(redaction: MessageMasks, known: readonly string[]): RegExp | undefined {
  if (certainPatterns.has(redaction)) return certainPatterns.get(redaction);
  const pattern = known.length > 0 ? new RegExp(known.map(escapeRegExp).join('|'), 'g') : undefined;
  certainPatterns.set(redaction, pattern);
  return pattern;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What `maskFinding` reads of a redaction: the values messages must not quote. */
export type MessageMasks = Pick<Redaction, 'certain'>;

const NOTHING_CERTAIN: MessageMasks = Object.freeze({ certain: Object.freeze([]) as unknown as string[] });

/**
 * What `maskFinding` needs of a file's redaction, for a run that prints no code frame (JSON,
 * SARIF, the GitHub and compact formats): the same certain values as `redact(file, model)`,
 * without the masked text and spans where the file certainly has none.
 *
 * A certain value comes only from a Secret's `data`/`stringData` (or another value of a mapping
 * of kind `Secret`), from the sensitive parts of a string (`stringSpans`: assignments and URL
 * passwords, in keys and values), from `secretGenerator` literals, and from comments; a value
 * masked for its key's name alone, a value a `.sops.yaml` rule selects and a copy of a masked
 * value are not certain (`Redaction.certain`). So where the plain values decide the redaction
 * (`plainTrees`: the same guards as `plainRedaction`) and none of those occurs
 * (`certainNothing`, src/engine/mask.ts), there is none; where some does, the mask walk over the
 * position tree (`frameMasks`, as `plainRedaction` runs it) gives them without the selection,
 * the masked text and the search for copies. Any other file takes the full redaction.
 */
export function messageMasks(file: SourceFile, model?: Pick<Model, 'fileAt'>): MessageMasks | undefined {
  const text = file.text;
  if (text === undefined) return undefined;
  const trees = plainTrees(file, text);
  if (trees) {
    const comments = commentSpans(text);
    if (comments.length === 0 && file.documents.every((parsed) => certainNothing(parsed.value))) return NOTHING_CERTAIN;
    // The mask walk over the position tree without the `.sops.yaml` selection: what a rule
    // selects is masked before the walk and never certain, so the certain values are the same.
    const masks = frameMasks(text, trees, collectBlockLines);
    if (masks) return { certain: [...masks.certain, ...comments].map(([start, end]) => text.slice(start, end)) };
  }
  return redact(file, model);
}

/** The file's text with secret values masked, and where the masks are. */
export function redact(file: SourceFile, model?: Pick<Model, 'fileAt'>): Redaction | undefined {
  const text = file.text;
  if (text === undefined) return undefined;
  return plainRedaction(file, text, model) ?? astRedaction(file, text, model);
}

/** `redact` over the files' `yaml` ASTs, whatever the file: what decides when its plain values cannot. */
export function astRedaction(file: SourceFile, text: string, model?: Pick<Model, 'fileAt'>): Redaction {
  const docs = file.documents.map((parsed) => parsed.doc);
  const ranges = [...sopsSecretRanges(file, model)];
  // Terraform files: sensitive attribute values and heredocs (the YAML walk finds nothing there).
  if (TERRAFORM_FILE.test(file.path)) ranges.push(...hclSecretRanges(text));
  return redactYaml(text, docs, isBroken(file), ranges);
}

/**
 * What `redact` gives for a file, decided without its `yaml` AST (building it costs about 1 ms
 * a small file, most of what a run with findings adds to a clean one), or undefined when the
 * AST must decide. That needs: the file's plain values mirror its ASTs (`valuesMirrorAst`: no
 * problem, alias, merge key, explicit key or directive; `analyzeValue`: no ambiguous key), no
 * document has a `sops` key (so `sopsSecretRanges` masks only what a `.sops.yaml` rule covering
 * the file selects, found by the values' paths). Then the file is left as it is when no such
 * rule selects a value, no comment holds a sensitive assignment or URL password and the mask
 * walk over the plain values masks nothing; otherwise the mask walk runs over the file's
 * position tree (the one the findings' positions came from) where that tree is certain to mask
 * what the AST walk would (`redact-frames.ts`).
 */
/**
 * Text where js-yaml's values may not be what the `yaml` package reads: numbers js-yaml takes and
 * the YAML 1.2 core schema reads as strings (`0b1011`, `+0x1F`, `-0o17`, `1_000`), a line of 1,024
 * characters before any `:` (a key too long for the `yaml` package), and Unicode spaces, which
 * js-yaml and the AST trim differently at the end of a scalar.
 */
const VALUES_MAY_DIFFER = /(?:^|[\s[{,:])(?:[-+]?0[bB]|[-+]0[xXoO]|[-+]?\.?[0-9][0-9.]*_)|^[^\n:]{1024}|[\v\f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/m;
/**
 * What every match of {@link VALUES_MAY_DIFFER} contains: `0b`/`0x`/`0o` (either case), a digit
 * or dot before `_`, or one of its spaces; or, for the long line, 1,024 characters of text. These
 * are one character class or a two-character sequence, scanned far faster than the pattern,
 * which tries its alternatives at every offset: most files contain none and skip it.
 */
const MAY_DIFFER_HINT = /0[bBxXoO]|[0-9.]_|[\v\f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

function valuesMayDiffer(text: string): boolean {
  return (text.length >= 1024 || MAY_DIFFER_HINT.test(text)) && VALUES_MAY_DIFFER.test(text);
}

/**
 * The file's position trees when its plain values decide its redaction as its `yaml` ASTs would
 * (see `plainRedaction`), else undefined.
 */
function plainTrees(file: SourceFile, text: string): readonly DocumentPositions[] | undefined {
  if (file.documents.length === 0 || TERRAFORM_FILE.test(file.path) || !valuesMirrorAst(file)) return undefined;
  // js-yaml accepts text the `yaml` package rejects (a quoted scalar or flow collection continued
  // on a line indented too little, a key over 1024 characters), which the AST path then masks
  // line by line, and types some scalars differently. Only text read line by line (one-line
  // scalars and flow collections, plain keys) without those forms is left to the values.
  const trees = positionTreesOf(file.documents[0]!);
  if (!trees || !treesReadFromLines(trees) || valuesMayDiffer(text)) return undefined;
  if (file.documents.some((parsed, index) => !valueAnalyzable(parsed.value) || hasSopsKeyAt(file, index))) return undefined;
  return trees;
}

function plainRedaction(file: SourceFile, text: string, model: Pick<Model, 'fileAt'> | undefined): Redaction | undefined {
  const trees = plainTrees(file, text);
  if (!trees) return undefined;
  // What `sopsSecretRanges` masks in a plaintext file that a creation rule covers: these values' scalars.
  const selection = model ? coveringCreationRule(model, file)?.rule.selection : undefined;
  const selected = file.documents.map((parsed) => (selection ? selectedPaths(parsed.value, selection) : []));
  const comments = commentSpans(text);
  if (comments.length === 0 && selected.every((paths) => paths.length === 0) && file.documents.every((parsed) => masksNothing(parsed.value))) return { text, spans: [], certain: [] };
  const masks = frameMasks(text, trees, collectBlockLines, selected);
  if (!masks) return undefined;
  const { ranges, certain } = masks;
  ranges.push(...comments);
  certain.push(...comments);
  return { ...applyRanges(text, ranges), certain: certain.map(([start, end]) => text.slice(start, end)) };
}

/**
 * The paths of the values of a document that `selection` makes sops encrypt: those of
 * `analyzeValue`'s facts that are not empty and that `mustEncrypt` selects by their keys, in its
 * order, for a value it analyzes (`valueAnalyzable`), found without listing every fact (the walk
 * keeps one path, copied for a selected value only). The key modes decide by whether any key on
 * the path matches (`keyMatches`): each key is tested once where the walk enters it, and the walk
 * counts the matching keys above it, instead of testing every key of the path again at each value.
 */
export function selectedPaths(value: unknown, selection: Selection): YamlPath[] {
  const out: YamlPath[] = [];
  const path: Array<string | number> = [];
  const byKeys = !isCommentSelection(selection);
  // The comment modes, whose preceding comments are none here, select all values or none.
  const byComments = byKeys ? false : mustEncrypt(selection, []);
  const encryptMatching = selection.key === 'encrypted_regex' || selection.key === 'encrypted_suffix';
  const walk = (node: unknown, depth: number, matching: number): void => {
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) {
        path.push(index);
        walk(node[index], depth + 1, matching);
        path.pop();
      }
    } else if (node !== null && typeof node === 'object') {
      for (const key of Object.keys(node)) {
        // The `sops` block has no values to list.
        if (depth === 0 && key === 'sops') continue;
        path.push(key);
        walk((node as Record<string, unknown>)[key], depth + 1, byKeys && keyMatches(selection, key) ? matching + 1 : matching);
        path.pop();
      }
    } else if (depth > 0 && node != null && node !== '' && (byKeys ? (matching > 0) === encryptMatching : byComments)) {
      out.push([...path]);
    }
  };
  walk(value, 0, 0);
  return out;
}

/** A file with a document that does not parse or compose. */
function isBroken(file: SourceFile): boolean {
  return file.problems.some((problem) => !COMPOSED.has(problem.code)) || file.documents.some((parsed) => failed(parsed.doc));
}

/**
 * Whether a file's values are all masked, line by line: it does not parse or compose and
 * mentions a Secret or a sensitive key. What the parser made of it is then no guide either to
 * what is secret in it: `gitops-lint build` prints its masked text instead.
 */
export function masksEveryValue(file: SourceFile): boolean {
  return file.text !== undefined && isBroken(file) && mentionsSecret(file.text);
}

/**
 * YAML text with secret values masked. Text that does not parse or compose (`broken`) and
 * mentions a Secret or a sensitive key anywhere has every value masked, line by line: what the
 * parser made of it is no guide to what it holds.
 */
function redactYaml(text: string, docs: readonly Document.Parsed[], broken: boolean, ranges: Span[] = [], embedding = 0): Redaction {
  const certain: Span[] = [];
  const words: string[] = [];
  if (broken && mentionsSecret(text)) {
    const lines = lineSpans(text);
    ranges.push(...lines);
    // A message may quote any word of a broken line (the parser's idea of a key).
    for (const [start, end] of lines) words.push(text.slice(start, end), ...text.slice(start, end).split(/[\s"',{}[\]:=@/]+/));
  } else {
    for (const doc of docs) walkMasks(doc.contents as Node | null, astTree(text, doc, ranges, certain), embedding);
    const comments = commentSpans(text);
    ranges.push(...comments);
    certain.push(...comments);
  }
  return { ...applyRanges(text, ranges), certain: [...certain.map(([start, end]) => text.slice(start, end)), ...words] };
}

/** Sensitive assignments and URL passwords in comments (`# old: postgres://app:…@db/app`). */
function commentSpans(text: string): Span[] {
  if (!text.includes('#')) return [];
  const spans: Span[] = [];
  for (const comment of rawComments(text)) {
    for (const [start, end] of stringSpans(text.slice(comment.offset, comment.end))) spans.push([comment.offset + start, comment.offset + end]);
  }
  return spans;
}

/** Problems of documents that still compose: duplicate keys (the last wins), collection keys. */
const COMPOSED = new Set(['DUPLICATE_KEY', 'COMPLEX_KEY']);

/** A document the parser could not read or compose. */
function failed(doc: Document.Parsed): boolean {
  return doc.errors.some((error) => !COMPOSED.has(error.code));
}

/** YAML text inside a string (an embedded manifest), masked the way files are. */
export function maskYamlText(text: string, embedding: number): string {
  const parsed = parseAllDocuments(text, { logLevel: 'error', merge: true, uniqueKeys: false });
  const docs = Array.isArray(parsed) ? parsed : [parsed];
  return redactYaml(text, docs, docs.some(failed), [], embedding).text;
}

/** The walk of `mask.ts` over a `yaml` AST: what it masks becomes offset ranges of `text`. */
function astTree(text: string, doc: Document.Parsed, ranges: Span[], certain: Span[]): MaskTree<Node | null, void> {
  const masked = new Set<Node>();
  const whole = (node: Node | null): void => {
    if (node?.range && node.range[1] > node.range[0]) ranges.push([node.range[0], node.range[1]]);
  };
  // Parts of a scalar map onto the text when it is written as it reads (plain, or quoted
  // without escapes on one line); otherwise the whole scalar is masked.
  const maskSpans = (node: Node | null, value: string, spans: Span[]): void => {
    if (!isScalar(node) || !node.range) return;
    const source = text.slice(node.range[0], node.range[1]);
    const quote = node.type === Scalar.QUOTE_SINGLE || node.type === Scalar.QUOTE_DOUBLE ? 1 : 0;
    const asWritten = (node.type === Scalar.PLAIN || quote === 1) && !value.includes('\n') && source.slice(quote, source.length - quote) === value;
    const before = ranges.length;
    if (asWritten) for (const [start, end] of spans) ranges.push([node.range[0] + quote + start, node.range[0] + quote + end]);
    else whole(node);
    certain.push(...ranges.slice(before));
  };
  const all = (node: Node | null): void => {
    if (node === null || masked.has(node)) return;
    masked.add(node);
    if (isAlias(node)) all((node.resolve(doc) as Node | undefined) ?? null);
    else if (isScalar(node)) whole(node);
    else if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        if (isPair(item)) {
          // A complex key (`? {token: …}`) is part of the value; a scalar key is a name, with
          // its sensitive parts masked as anywhere else (a registry URL with a password).
          if (isCollection(item.key)) all(item.key as Node);
          else if (isScalar(item.key) && typeof item.key.value === 'string') {
            const keySpans = stringSpans(item.key.value);
            if (keySpans.length > 0) maskSpans(item.key, item.key.value, keySpans);
          }
          all(item.value as Node | null);
        } else all(item as Node);
      }
    }
  };
  return {
    shape(node) {
      if (isMap(node)) {
        return {
          type: 'map',
          pairs: node.items.map((pair) => {
            const key = pair.key as Node | null;
            // A merge key (`<<` with `merge: true`) holds a symbol: the walk knows it by its text.
            return { key: isScalar(key) ? (typeof key.value === 'symbol' ? '<<' : String(key.value)) : undefined, keyNode: key ?? undefined, value: pair.value as Node | null };
          }),
        };
      }
      if (isSeq(node)) return { type: 'seq', items: node.items as Array<Node | null> };
      return { type: 'scalar', value: isScalar(node) ? node.value : null };
    },
    target(node) {
      return isAlias(node) ? ((node.resolve(doc) as Node | undefined) ?? null) : undefined;
    },
    map() {},
    seq() {},
    keep() {},
    all(node, secretData) {
      const before = ranges.length;
      all(node);
      if (secretData) certain.push(...ranges.slice(before));
      // Comments and leftovers between block lines; a flow collection's scalars are all there is.
      if (secretData && !(isCollection(node) && node.flow) && node?.range) collectBlockLines(text, [node.range[0], node.range[2]], ranges);
    },
    spans: maskSpans,
    embedded(node) {
      whole(node);
    },
  };
}

/**
 * Shorter masked values are not searched for elsewhere in the file (`admin`, `true`).
 */
const MIN_KNOWN_SECRET = 8;
const MAX_KNOWN_SECRETS = 64;

/** `text` with `ranges` masked, each mask keeping the line breaks it covers. */
function applyRanges(text: string, ranges: Span[]): Omit<Redaction, 'certain'> {
  if (ranges.length === 0) return { text, spans: [] };
  ranges.push(...elsewhere(text, ranges));
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let cursor = 0;
  const spans: MaskedSpan[] = [];
  for (const [start, end] of ranges) {
    if (end <= cursor) continue;
    const from = Math.max(start, cursor);
    out += text.slice(cursor, from);
    const maskedStart = out.length;
    out += maskKeepingLines(text.slice(from, end));
    spans.push({ start: from, end, maskedStart, maskedEnd: out.length });
    cursor = end;
  }
  return { text: out + text.slice(cursor), spans };
}

/**
 * Everything after the key on each line of a Secret's data block (`[start, end)` of its node,
 * trailing comments included), and comments there: old values often survive as comments
 * (`# was: ...`) or trail a value.
 */
function collectBlockLines(text: string, [start, end]: Span, ranges: Span[]): void {
  let lineStart = text.lastIndexOf('\n', start - 1) + 1;
  while (lineStart < end) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > end) lineEnd = end;
    const line = text.slice(lineStart, lineEnd);
    // The mask starts where the value (or the comment's text) does, so `key: ***` keeps its shape.
    const comment = /^\s*#\s*/.exec(line);
    const separator = /:(?:\s+|$)/.exec(line);
    const from = comment ? comment[0].length : separator ? separator.index + separator[0].length : -1;
    if (from !== -1 && lineStart + from < lineEnd) ranges.push([lineStart + from, lineEnd]);
    lineStart = lineEnd + 1;
  }
}

/** Other places in the text of a masked value (one line, unquoted): copies, by hand or by YAML merge. */
function elsewhere(text: string, ranges: readonly Span[]): Span[] {
  const known = new Set<string>();
  for (const [start, end] of ranges) {
    const value = text.slice(start, end).replace(/^(["'])(.*)\1$/, '$2').trim();
    if (value.length >= MIN_KNOWN_SECRET && !value.includes('\n') && !isReference(value)) known.add(value);
    // One pass of a bounded alternation over the text: a file of thousands of values keeps its cost.
    if (known.size >= MAX_KNOWN_SECRETS) break;
  }
  if (known.size === 0) return [];
  // A value found once is found only where it was masked (it is part of its range), and such a
  // match masks nothing more: when every value occurs once, the pattern is not built or run.
  let copies = false;
  for (const value of known) {
    if (text.indexOf(value) !== text.lastIndexOf(value)) {
      copies = true;
      break;
    }
  }
  if (!copies) return [];
  const pattern = new RegExp([...known].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
  return [...text.matchAll(pattern)].map((match): Span => [match.index, match.index + match[0].length]);
}

/** Line structure is kept so line numbers in frames stay right. */
function maskKeepingLines(value: string): string {
  const lines = value.split('\n');
  return [MASK, ...lines.slice(1).map(() => '')].join('\n');
}
