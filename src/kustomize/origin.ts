/**
 * Where each value of an applied object was written. Kustomize and Flux transforms build new
 * values (never mutating parsed documents, which other builds and repository rules share);
 * the nodes they take from a file or a patch are marked with that place, so a finding on a
 * patched value lands on the patch's line.
 *
 * Nodes of parsed documents need no mark: an unmarked node sits where its parent's place plus
 * its key says. A node's mark never changes (it is where the node was written), so one
 * parsed node may be shared by several applied objects safely.
 */
import type { YamlPath } from '../model/finding.js';
import type { Location, SourceFile } from '../model/workspace.js';

export type { Location };

/**
 * Children of a node written somewhere else than the node's place plus their key (scalars set
 * by a patch, moved list items), as key/place pairs: a node has few, and a short array costs
 * far less to make and to collect than a Map per node.
 */
export type KeyMarks = Array<string | number | Location>;

interface Mark {
  /** Where the node itself was written (absent for a node built by a transform). */
  at: Location | undefined;
  /** Key, place, key, place… (see KeyMarks); keys compare with `===`. */
  keys: KeyMarks | undefined;
}

/** The one table of marks, shared by every build (a node's mark never changes). */
const marks = new WeakMap<object, Mark>();

/** Record where a mapping or sequence was written. */
export function markNode(node: object, at: Location): void {
  const mark = marks.get(node);
  if (mark) mark.at = at;
  else marks.set(node, { at, keys: undefined });
}

/** Record where the child `key` of `node` was written (a scalar has no identity of its own). */
export function markKey(node: object, key: string | number, at: Location): void {
  let mark = marks.get(node);
  if (!mark) marks.set(node, (mark = { at: undefined, keys: undefined }));
  const keys = mark.keys;
  if (!keys) {
    mark.keys = [key, at];
    return;
  }
  for (let index = 0; index < keys.length; index += 2) {
    if (keys[index] === key) {
      keys[index + 1] = at;
      return;
    }
  }
  // concat: a list of its length (a push makes room for 17 more).
  mark.keys = keys.concat(key, at);
}

/** Mark a node made just now (never marked before) with its place and its children's key marks. */
export function markCopy(node: object, at: Location, keys: Readonly<KeyMarks> | undefined): void {
  marks.set(node, { at, keys: keys ? keys.slice() : undefined });
}

/** The children of `node` written somewhere else than its place plus their key, as key/place pairs. */
export function keyMarksOf(node: object): Readonly<KeyMarks> | undefined {
  return marks.get(node)?.keys;
}

function keyMark(mark: Mark | undefined, key: string | number): Location | undefined {
  const keys = mark?.keys;
  if (!keys) return undefined;
  for (let index = 0; index < keys.length; index += 2) if (keys[index] === key) return keys[index + 1] as Location;
  return undefined;
}

/** Where the child `key` of `node` was written when a key mark says so. */
export function keyMarkOf(node: object, key: string | number): Location | undefined {
  return keyMark(marks.get(node), key);
}

/** Where `node` was written, when it was marked. */
export function locationOf(node: object): Location | undefined {
  return marks.get(node)?.at;
}

export function childLocation(at: Location, key: string | number): Location {
  // concat makes a list of exactly its length; a spread into a literal leaves room to grow.
  return { file: at.file, docIndex: at.docIndex, path: at.path.concat(key) };
}

/**
 * Where the value at `path` inside `root` was written. `rootAt` is the root's place when it
 * is unmarked. Past the last existing node the remaining segments are appended, so the
 * position lookup falls back to the closest existing parent as it does for written files.
 */
export function locate(root: unknown, rootAt: Location, path: YamlPath): Location {
  // The last marked place on the way, and from which segment on the path continues below it
  // unmarked: the place is made once, at the end, not once per segment.
  let base = (typeof root === 'object' && root !== null ? locationOf(root) : undefined) ?? rootAt;
  let from = 0;
  let node: unknown = root;
  for (let index = 0; index < path.length; index++) {
    const segment = path[index]!;
    if (typeof node !== 'object' || node === null) {
      const at = below(base, path, from, index);
      return { ...at, path: at.path.concat(path.slice(index)) };
    }
    const child: unknown = (node as Record<string | number, unknown>)[segment];
    const own = typeof child === 'object' && child !== null ? marks.get(child)?.at : undefined;
    const marked = own ?? keyMark(marks.get(node), segment);
    if (marked) {
      base = marked;
      from = index + 1;
    }
    node = child;
  }
  return below(base, path, from, path.length);
}

/** `base` itself, or the place `path[from..to)` below it (as childLocation makes it, one segment at a time). */
function below(base: Location, path: YamlPath, from: number, to: number): Location {
  if (from === to) return base;
  // Made at its final length (a list grown by push keeps room for 17 segments).
  const length = base.path.length;
  const joined = new Array<string | number>(length + to - from);
  for (let index = 0; index < length; index++) joined[index] = base.path[index]!;
  for (let index = from; index < to; index++) joined[length + index - from] = path[index]!;
  return { file: base.file, docIndex: base.docIndex, path: joined };
}

/**
 * Values that hold a whole file's text (a generator's `files` input), by the place their key
 * was written: the file, or `undefined` when the build could not read it (the value is then
 * not its content). Keyed by the Location object, which clones of the holding node keep.
 */
const fileTexts = new WeakMap<Location, { file: SourceFile | undefined }>();

export function markFileText(at: Location, file: SourceFile | undefined): void {
  fileTexts.set(at, { file });
}

/** The file whose text a value located at `at` holds, when a generator put it there. */
export function fileTextAt(at: Location): { file: SourceFile | undefined } | undefined {
  return fileTexts.get(at);
}
