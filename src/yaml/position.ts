import { isCollection, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';
import type { Region, YamlPath } from '../model/finding.js';

/** Offsets `[start, end)` in the file text. */
export type Offsets = readonly [number, number];

interface Located {
  node: Node | null;
  /** The pair holding `node` as its value, when there is one. */
  pair: Pair | undefined;
  /** True when the whole path was found. */
  exact: boolean;
}

/** Walk `path` through the AST, stopping at the closest existing parent. */
function locate(doc: Document.Parsed, path: YamlPath): Located {
  let node: Node | null = doc.contents;
  let pair: Pair | undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isMap(node)) {
      const found = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment)) as Pair | undefined;
      if (!found) return { node, pair, exact: false };
      pair = found;
      node = (found.value as Node | null) ?? null;
      if (node === null) return { node: null, pair, exact: i === path.length - 1 };
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (item === undefined) return { node, pair, exact: false };
      node = item;
      pair = undefined;
    } else {
      return { node, pair, exact: false };
    }
  }
  return { node, pair, exact: true };
}

/**
 * Offsets of the node at `path`, or of its closest existing parent.
 * Collections are shown by their key (or, for list items, their first line) so a finding
 * never highlights a whole block. With `key`, the mapping key of the last segment is used.
 */
export function offsetsOfPath(doc: Document.Parsed, text: string, path: YamlPath, key = false): Offsets {
  const { node, pair, exact } = locate(doc, path);
  if (exact && key && pair && isScalar(pair.key) && pair.key.range) {
    return [pair.key.range[0], pair.key.range[1]];
  }
  if (node === null) {
    if (pair && isScalar(pair.key) && pair.key.range) return [pair.key.range[0], pair.key.range[1]];
    return firstLineOf(text, 0);
  }
  if (!isCollection(node)) {
    const range = node.range;
    if (range) return trimEnd(text, range[0], range[1]);
  }
  if (pair && isScalar(pair.key) && pair.key.range) return [pair.key.range[0], pair.key.range[1]];
  const start = node.range?.[0] ?? 0;
  return firstLineOf(text, start, node.range?.[1]);
}

/** From `start` to the end of its line (or `limit`), without trailing spaces. */
export function firstLineOf(text: string, start: number, limit = text.length): Offsets {
  let end = text.indexOf('\n', start);
  if (end === -1 || end > limit) end = limit;
  return trimEnd(text, start, end);
}

function trimEnd(text: string, start: number, end: number): Offsets {
  let stop = Math.min(end, text.length);
  while (stop > start && /\s/.test(text[stop - 1] ?? '')) stop--;
  return [start, stop];
}

/** 1-based, end-exclusive region of offsets. */
export function regionOf(lineCounter: LineCounter, offsets: Offsets): Region {
  const start = lineCounter.linePos(offsets[0]);
  const end = lineCounter.linePos(Math.max(offsets[0], offsets[1]));
  return { startLine: start.line, startColumn: start.col, endLine: end.line, endColumn: end.col };
}

/** True when `path` exists in the document (used to tell exact hits from fallbacks). */
export function hasPath(doc: Document.Parsed, path: YamlPath): boolean {
  return locate(doc, path).exact;
}

