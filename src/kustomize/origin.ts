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

interface Mark {
  /** Where the node itself was written (absent for a node built by a transform). */
  at?: Location;
  /** Children written somewhere else than `at` + key (scalars set by a patch, moved list items). */
  keys?: Map<string | number, Location>;
}

const marks = new WeakMap<object, Mark>();

function markOf(node: object): Mark {
  let mark = marks.get(node);
  if (!mark) marks.set(node, (mark = {}));
  return mark;
}

/** Record where a mapping or sequence was written. */
export function markNode(node: object, at: Location): void {
  markOf(node).at = at;
}

/** Record where the child `key` of `node` was written (a scalar has no identity of its own). */
export function markKey(node: object, key: string | number, at: Location): void {
  const mark = markOf(node);
  (mark.keys ??= new Map()).set(key, at);
}

/** The children of `node` written somewhere else than its place plus their key, if any. */
export function keyMarksOf(node: object): ReadonlyMap<string | number, Location> | undefined {
  return marks.get(node)?.keys;
}

/** Where `node` was written, when it was marked. */
export function locationOf(node: object): Location | undefined {
  return marks.get(node)?.at;
}

export function childLocation(at: Location, key: string | number): Location {
  return { file: at.file, docIndex: at.docIndex, path: [...at.path, key] };
}

/**
 * Where the value at `path` inside `root` was written. `rootAt` is the root's place when it
 * is unmarked. Past the last existing node the remaining segments are appended, so the
 * position lookup falls back to the closest existing parent as it does for written files.
 */
export function locate(root: unknown, rootAt: Location, path: YamlPath): Location {
  let at = (typeof root === 'object' && root !== null ? locationOf(root) : undefined) ?? rootAt;
  let node: unknown = root;
  for (let index = 0; index < path.length; index++) {
    const segment = path[index]!;
    if (typeof node !== 'object' || node === null) {
      return { ...at, path: [...at.path, ...path.slice(index)] };
    }
    const child: unknown = (node as Record<string | number, unknown>)[segment];
    const keyed = marks.get(node)?.keys?.get(segment);
    const own = typeof child === 'object' && child !== null ? locationOf(child) : undefined;
    at = own ?? keyed ?? childLocation(at, segment);
    node = child;
  }
  return at;
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
