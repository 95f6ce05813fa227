/**
 * The mask walk of `redact.ts` over a file's position tree (src/yaml/value-positions.ts, read
 * from its lines or from js-yaml) instead of the `yaml` AST, for files that hold something to mask (a plaintext Secret, a
 * sensitive env value). A file with findings already has that tree (its findings' positions
 * came from it); building the AST for the masks cost about as much as the rest of the report.
 *
 * The masks must be exactly the AST walk's (the same ranges, in the same order). So this answers
 * only for text where both trees agree by construction, and returns `undefined` otherwise
 * (the caller then walks the AST):
 * - the text has no comment, tab, carriage return, byte order mark, block scalar, tag, anchor,
 *   alias, directive, explicit key or escape, no `...`, no content after `---` on its line, and
 *   no line ends in a space: the AST's range of a scalar is then its written text, and the lines
 *   of a block collection end where its last value does (`collectBlockLines` sees the same lines);
 * - every node the walk reaches lines up with the document's value (mapping keys are plain
 *   scalars, as many pairs as the value has keys, each child the value under its key);
 * - every scalar the walk masks is written on one line and is not empty or null;
 * - a Secret's `data`/`stringData` is a block or flow collection.
 *
 * The caller checks the rest first (`redact.ts`, `plainRedaction`): no problem, alias, merge
 * key or directive in the file, no `sops` key; the values a `.sops.yaml` rule selects are
 * given by their paths (`selected`), and their scalars are masked first.
 */
import type { YamlPath } from '../model/finding.js';
import { stringSpans, walkMasks, type MaskTree, type Span } from './mask.js';
import { isScalar, pairFrames, startOf, unwrap, type DocumentPositions, type Frame } from '../yaml/value-positions.js';

/** Thrown inside the walk when a node is not certain here; the walk is then left to the AST. */
const UNSURE = Symbol('unsure');

/**
 * Text the position tree masks exactly as the AST does (see the module comment): a superset of
 * what may differ is matched; a false match only costs the AST.
 */
const NOT_PLAIN = /[\t\r#|>!&*%?\\\uFEFF]| $|^\.\.\.|^---[ ]*\S/m;

/** Masked ranges and the certain ones, as `redact.ts`'s AST walk records them. */
export interface FrameMasks {
  ranges: Span[];
  certain: Span[];
}

/**
 * The masks of every document of `text`, walked over their position trees, or undefined when
 * the AST must decide.
 */
export function frameMasks(
  text: string,
  roots: readonly DocumentPositions[] | undefined,
  collectBlockLines: (text: string, range: Span, ranges: Span[]) => void,
  selected: ReadonlyArray<readonly YamlPath[]> = [],
): FrameMasks | undefined {
  if (roots === undefined || NOT_PLAIN.test(text) || roots.some((root) => root === undefined)) return undefined;
  const ranges: Span[] = [];
  const certain: Span[] = [];
  try {
    // First what a `.sops.yaml` rule selects, in order of offsets, as `sopsSecretRanges` gives them.
    roots.forEach((root, index) => {
      for (const path of selected[index] ?? []) ranges.push(scalarSource(text, frameAt(unwrap(root!), path)));
    });
    ranges.sort((a, b) => a[0] - b[0]);
    for (const root of roots) walkMasks<Frame, void>(unwrap(root!), frameTree(text, ranges, certain, collectBlockLines));
  } catch (error) {
    if (error === UNSURE) return undefined;
    throw error;
  }
  return { ranges, certain };
}

type Shape = { type: 'map'; pairs: Array<{ key: string; keyNode: Frame; value: Frame }> } | { type: 'seq'; items: Frame[] } | { type: 'scalar'; value: unknown };

/** The node's shape, checked against its value (see the module comment); throws `UNSURE` when they differ. */
function shapeOf(frame: Frame): Shape {
  const value = frame.result;
  if (frame.kind === 'mapping' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const children = pairFrames(frame);
    const record = value as Record<string, unknown>;
    if (!children || children.length / 2 !== Object.keys(record).length) throw UNSURE;
    const pairs: Array<{ key: string; keyNode: Frame; value: Frame }> = [];
    for (let k = 0; k < children.length; k += 2) {
      const keyNode = unwrap(children[k]!);
      if (!isScalar(keyNode)) throw UNSURE;
      const key = String(keyNode.result);
      const child = unwrap(children[k + 1]!);
      if (!Object.hasOwn(record, key) || child.result !== record[key]) throw UNSURE;
      pairs.push({ key, keyNode, value: child });
    }
    return { type: 'map', pairs };
  }
  if (frame.kind === 'sequence' && Array.isArray(value)) {
    if (frame.children.length !== value.length) throw UNSURE;
    const items = frame.children.map((child, index) => {
      const item = unwrap(child);
      if (item.result !== value[index]) throw UNSURE;
      return item;
    });
    return { type: 'seq', items };
  }
  if (value === null || typeof value !== 'object') {
    if (frame.children.length > 0 || (frame.kind !== 'scalar' && value !== null)) throw UNSURE;
    return { type: 'scalar', value };
  }
  throw UNSURE;
}

/** The node at `path` (mapping keys and list indexes); throws `UNSURE` when it is not there. */
function frameAt(root: Frame, path: YamlPath): Frame {
  let node = root;
  for (const segment of path) {
    const shape = shapeOf(node);
    const next =
      shape.type === 'map' ? shape.pairs.find((pair) => pair.key === String(segment))?.value : shape.type === 'seq' && typeof segment === 'number' ? shape.items[segment] : undefined;
    if (next === undefined) throw UNSURE;
    node = next;
  }
  return node;
}

/** `[start, end)` of a scalar as written, one line, not empty: the AST's `range[0..1]`. */
function scalarSource(text: string, frame: Frame): Span {
  if (!isScalar(frame)) throw UNSURE;
  const start = startOf(text, frame);
  if (start === undefined) throw UNSURE;
  let end = Math.min(frame.close, text.length);
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  if (end <= start || text.slice(start, end).includes('\n')) throw UNSURE;
  return [start, end];
}

/** The walk of `mask.ts` over the position tree: what it masks becomes offset ranges of `text`. */
function frameTree(text: string, ranges: Span[], certain: Span[], collectBlockLines: (text: string, range: Span, ranges: Span[]) => void): MaskTree<Frame, void> {
  const all = (frame: Frame): void => {
    const shape = shapeOf(frame);
    if (shape.type === 'scalar') ranges.push(scalarSource(text, frame));
    else if (shape.type === 'map') {
      for (const pair of shape.pairs) {
        // A key is a name, with its sensitive parts masked as anywhere else (a registry URL with a password).
        const keySpans = stringSpans(pair.key);
        if (keySpans.length > 0) maskSpans(pair.keyNode, pair.key, keySpans);
        all(pair.value);
      }
    } else for (const item of shape.items) all(item);
  };
  const maskSpans = (frame: Frame, value: string, spans: Span[]): void => {
    const [start, end] = scalarSource(text, frame);
    const source = text.slice(start, end);
    const quote = source[0] === '"' || source[0] === "'" ? 1 : 0;
    const asWritten = !value.includes('\n') && source.slice(quote, source.length - quote) === value;
    const before = ranges.length;
    if (asWritten) for (const [from, to] of spans) ranges.push([start + quote + from, start + quote + to]);
    else ranges.push([start, end]);
    certain.push(...ranges.slice(before));
  };
  return {
    shape: shapeOf,
    scalar(frame) {
      if (frame.kind === 'mapping' || frame.kind === 'sequence') return undefined;
      const shape = shapeOf(frame);
      return shape.type === 'scalar' ? shape.value : undefined;
    },
    map() {},
    seq() {},
    keep() {},
    all(frame, secretData) {
      const before = ranges.length;
      all(frame);
      if (!secretData) return;
      certain.push(...ranges.slice(before));
      if (frame.kind !== 'mapping' && frame.kind !== 'sequence') throw UNSURE;
      const start = startOf(text, frame);
      if (start === undefined) throw UNSURE;
      // A flow collection's scalars are all there is; a block one's lines end with its last value.
      if (text[start] === '{' || text[start] === '[') return;
      let end = Math.min(frame.close, text.length);
      while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
      collectBlockLines(text, [start, end], ranges);
    },
    spans: maskSpans,
    embedded(frame) {
      ranges.push(scalarSource(text, frame));
    },
  };
}
