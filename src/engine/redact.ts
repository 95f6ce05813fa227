import { isMap, isPair, isScalar, isSeq, visit, type Node } from 'yaml';
import type { SourceFile } from '../model/workspace.js';
import type { Model } from '../model/model.js';
import { sopsSecretRanges } from '../sops/redact.js';
import { hclSecretRanges } from '../terraform/redact.js';
import { isMaskedValue } from './credential.js';
import { asRecord, asString } from './values.js';

const MASK = '***';

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

/** The file's text with secret values masked, and where the masks are. */
export function redact(file: SourceFile, model?: Pick<Model, 'fileAt'>): Redaction | undefined {
  const text = file.text;
  if (text === undefined) return undefined;
  const ranges: Array<[number, number]> = sopsSecretRanges(file, model);
  if (/\.(tf|tofu)$/.test(file.path)) ranges.push(...hclSecretRanges(text));
  for (const { doc, value } of file.documents) {
    const isSecret = asString(asRecord(value)?.kind) === 'Secret';
    visit(doc, {
      Pair(_key, pair, path) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        // `path` holds the ancestors: the document, then the map this pair belongs to.
        const topLevel = path[path.length - 1] === doc.contents;
        if (isSecret && topLevel && (key === 'data' || key === 'stringData')) {
          collectScalars(pair.value as Node | null, ranges);
          collectBlockLines(text, pair.value as Node | null, ranges);
          return visit.SKIP;
        }
        if (isMaskedValue(key, isScalar(pair.value) ? pair.value.value : undefined)) collectScalars(pair.value as Node | null, ranges);
        return undefined;
      },
      Scalar(_key, scalar) {
        // `NAME=value` strings (Dagster's envVars, container args): the part after `=`.
        if (typeof scalar.value !== 'string' || !scalar.range) return;
        const assignment = /^([A-Za-z_][A-Za-z0-9_.-]*)=/.exec(scalar.value);
        if (!assignment?.[1] || !isMaskedValue(assignment[1], scalar.value.slice(assignment[0].length))) return;
        const equals = text.indexOf('=', scalar.range[0]);
        if (equals !== -1 && equals < scalar.range[1]) ranges.push([equals + 1, scalar.range[1]]);
      },
      Map(_key, map) {
        // Kubernetes env entries: `- name: DB_PASSWORD` / `value: ...`.
        const name = map.items.find((item) => isScalar(item.key) && item.key.value === 'name');
        const literal = map.items.find((item) => isScalar(item.key) && item.key.value === 'value');
        if (name && literal && isScalar(name.value) && isMaskedValue(String(name.value.value), isScalar(literal.value) ? literal.value.value : undefined)) {
          collectScalars(literal.value as Node | null, ranges);
        }
      },
    });
  }
  if (ranges.length === 0) return { text, spans: [] };
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

function collectScalars(node: Node | null, ranges: Array<[number, number]>): void {
  if (node === null) return;
  if (isScalar(node)) {
    if (node.range && node.range[1] > node.range[0]) ranges.push([node.range[0], node.range[1]]);
    return;
  }
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items) {
      if (isPair(item)) collectScalars(item.value as Node | null, ranges);
      else collectScalars(item as Node, ranges);
    }
  }
}

/**
 * Everything after the key on each line of a Secret's data block, and comments there: old
 * values often survive as comments (`# was: ...`) or trail a value.
 */
function collectBlockLines(text: string, node: Node | null, ranges: Array<[number, number]>): void {
  if (!node?.range) return;
  const [start, end] = [node.range[0], node.range[2]];
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

/** Line structure is kept so line numbers in frames stay right. */
function maskKeepingLines(value: string): string {
  const lines = value.split('\n');
  return [MASK, ...lines.slice(1).map(() => '')].join('\n');
}
