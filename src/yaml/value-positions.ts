/**
 * Positions of a file's nodes from js-yaml, without the `yaml` AST.
 *
 * A finding needs the offsets of one path. Building the `yaml` AST of a file for that costs
 * more than parsing the whole repository with js-yaml: that package's code is cold when the
 * first findings come (it parses only files with findings), about 1 ms a small file. js-yaml is
 * warm, and its `listener` reports where each node opens and closes; a second js-yaml pass over
 * the file gives the node tree with offsets at a small fraction of that.
 *
 * The answers must be exactly what `offsetsOfPath` gives on the `yaml` AST (the position tests
 * judge both). So this answers only where both trees agree by construction: block and flow
 * collections, plain and quoted scalars, keys that are plain scalars. Anything else (block
 * scalars, tags, empty values, a comment before a collection, the document's own root, a tree
 * that does not line up with the values) answers `undefined`, and the caller asks the AST.
 */
import jsYaml from 'js-yaml';
import type { YamlPath } from '../model/finding.js';
import { firstLineOf, type Offsets } from './position.js';

/** A node of a position tree: js-yaml's listener events, or the lines read by `block-positions.ts`. */
export interface Frame {
  /** Where the node opens: its first character, or (js-yaml) before the separation space that precedes it. */
  open: number;
  /** Just past the node (js-yaml: trailing spaces of a plain scalar included). */
  close: number;
  kind: string | null;
  result: unknown;
  children: Frame[];
}

/** One document's node tree, or undefined when it does not line up with the document's value. */
export type DocumentPositions = Frame | undefined;

/** The node trees of a text's documents, one per value js-yaml gave, or undefined. */
export function documentPositions(text: string, schema: jsYaml.Schema, count: number): DocumentPositions[] | undefined {
  const top: Frame[] = [];
  const stack: Frame[] = [];
  try {
    jsYaml.loadAll(text, undefined, {
      schema,
      listener(event, state) {
        if (event === 'open') {
          stack.push({ open: state.position, close: state.position, kind: null, result: undefined, children: [] });
          return;
        }
        const frame = stack.pop();
        if (!frame) return;
        frame.close = state.position;
        frame.kind = state.kind;
        frame.result = state.result;
        (stack[stack.length - 1]?.children ?? top).push(frame);
      },
    });
  } catch {
    return undefined;
  }
  if (top.length !== count) return undefined;
  return top;
}

/** A frame that only wraps the same node once more (js-yaml tries a block item as a mapping key first). */
export function unwrap(frame: Frame): Frame {
  let current = frame;
  while (current.children.length === 1 && current.children[0]!.result === current.result) current = current.children[0]!;
  return current;
}

/**
 * A mapping's frames as key, value, key, value…; undefined when they do not pair up. Before a
 * `---`, js-yaml tries one more key at the end of a block mapping and finds nothing: an empty
 * frame, left out.
 */
export function pairFrames(frame: Frame): Frame[] | undefined {
  const children = frame.children;
  if (children.length % 2 === 0) return children;
  const last = children[children.length - 1]!;
  return last.kind === null && last.open === last.close && last.children.length === 0 ? children.slice(0, -1) : undefined;
}

const SPACE = /[ \t\r\n]/;

/** Where the node's own text starts: after the separation space, or undefined when a comment, tag or anchor comes first. */
export function startOf(text: string, frame: Frame): number | undefined {
  let at = frame.open;
  while (at < text.length && SPACE.test(text[at]!)) at++;
  const first = text[at];
  if (first === undefined || first === '#' || first === '!' || first === '&' || first === '*' || first === '|' || first === '>') return undefined;
  return at;
}

export function isScalar(frame: Frame): boolean {
  return frame.kind === 'scalar' && frame.children.length === 0 && frame.result !== null && typeof frame.result !== 'object';
}

/** `[start, end)` of a scalar, trailing spaces left out, as the `yaml` AST's `range` trimmed. */
function scalarRange(text: string, frame: Frame): Offsets | undefined {
  const start = startOf(text, frame);
  if (start === undefined) return undefined;
  let end = Math.min(frame.close, text.length);
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  return end > start ? [start, end] : undefined;
}

/**
 * What `offsetsOfPath(doc, text, path, key)` answers for the same document, or undefined when
 * the answer is not certain here.
 */
export function offsetsOfValuePath(root: DocumentPositions, text: string, path: YamlPath, key = false): Offsets | undefined {
  if (!root) return undefined;
  let node = unwrap(root);
  // The values of this pass: a mapping's value and the frame of that key's value must be one node.
  let current = node.result;
  let pairKey: Frame | undefined;
  let exact = true;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    if (node.kind === 'mapping' && current !== null && typeof current === 'object' && !Array.isArray(current)) {
      const children = pairFrames(node);
      if (!children) return undefined;
      let found = -1;
      for (let k = 0; k < children.length; k += 2) {
        const keyFrame = unwrap(children[k]!);
        if (!isScalar(keyFrame)) return undefined;
        if (String(keyFrame.result) === String(segment)) {
          found = k;
          break;
        }
      }
      if (found === -1) {
        exact = false;
        break;
      }
      pairKey = unwrap(children[found]!);
      const child = unwrap(children[found + 1]!);
      const next = (current as Record<string, unknown>)[String(segment)];
      if (child.result !== next) return undefined;
      node = child;
      current = next;
    } else if (node.kind === 'sequence' && Array.isArray(current) && typeof segment === 'number') {
      if (node.children.length !== current.length) return undefined;
      if (segment >= current.length || segment < 0 || !Number.isInteger(segment)) {
        exact = false;
        break;
      }
      const child = unwrap(node.children[segment]!);
      if (child.result !== current[segment]) return undefined;
      node = child;
      current = current[segment];
      pairKey = undefined;
    } else if (isScalar(node) || node.kind === 'mapping' || node.kind === 'sequence') {
      exact = false;
      break;
    } else {
      return undefined;
    }
  }
  const keyRange = pairKey ? scalarRange(text, pairKey) : undefined;
  if (pairKey && keyRange === undefined) return undefined;
  if (exact && key && keyRange) return keyRange;
  if (isScalar(node)) return scalarRange(text, node);
  if (node.kind !== 'mapping' && node.kind !== 'sequence') return undefined;
  if (keyRange) return keyRange;
  // The document's root (no pair above it) starts where the AST says, comments and markers aside: ask it.
  if (node === unwrap(root)) return undefined;
  const start = startOf(text, node);
  if (start === undefined) return undefined;
  return firstLineOf(text, start, node.close);
}
