/**
 * One object inside a kustomize build, and copy-on-write editing that keeps origins.
 *
 * A build starts from parsed values that other builds and repository rules share, so nothing
 * here mutates a node it did not create: `writable` clones the nodes along a path the first
 * time an object changes them (each clone marked with where its original was written, see
 * origin.ts), and later edits of the same object change its own clones in place.
 */
import type { YamlPath } from '../model/finding.js';
import type { SourceFile } from '../model/workspace.js';
import { childLocation, keyMarkOf, keyMarksOf, locate, locationOf, markCopy, markKey, markNode, type Location } from './origin.js';

export type Value = Record<string, unknown>;

/** Group/version/kind/name/namespace of an object, as kustomize's `ResId`. */
export interface ResId {
  group: string;
  version: string;
  kind: string;
  name: string;
  /** `undefined` when the object has none. */
  namespace: string | undefined;
}

export interface KResource {
  value: Value;
  /** Where the root of `value` was written (a document, or an item of a `*List`). */
  at: Location;
  written: { file: SourceFile; docIndex: number };
  /** The id when the object entered the build (kustomize's `OrgId`). */
  orgId: ResId;
  /** Earlier names (before prefix/suffix), oldest first, for name-reference fix-ups. */
  previousNames: string[];
  /** Namespace before each `namespace:` transform, oldest first. */
  previousNamespaces: Array<string | undefined>;
  patchedBy: Location[];
  via: SourceFile[];
  /** True when the final name cannot be known (a generator input that could not be read). */
  nameUnknown: boolean;
  /**
   * Nodes this object owns (clones it made); only those are edited in place. Made on the first
   * edit; a list (an object owns a few nodes: its root and `metadata` when a build only moves it),
   * a Set once it owns many.
   */
  owned: object[] | Set<object> | undefined;
  /** Generated ConfigMap/Secret: hash suffix pending (added after the kustomization's transforms). */
  generated?: { hash: boolean; behavior: string };
}

export function isObject(value: unknown): value is Record<string | number, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isMap(value: unknown): value is Value {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function idOf(value: Value): ResId {
  const metadata = isMap(value.metadata) ? value.metadata : undefined;
  // As splitApiVersion, without its object.
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
  const slash = apiVersion.indexOf('/');
  return {
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
    kind: typeof value.kind === 'string' ? value.kind : '',
    name: metadata !== undefined && typeof metadata.name === 'string' ? metadata.name : '',
    namespace: metadata !== undefined && typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined,
  };
}

export function describeId(id: ResId): string {
  const gvk = [id.group, id.version, id.kind].filter((part) => part !== '').join('_');
  return `${gvk}|${id.namespace ?? '~X'}|${id.name}`;
}

/**
 * The one empty list every new object starts its `previousNames`, `previousNamespaces`,
 * `patchedBy` and `via` with: they grow by `concat` (a new list of its length), never in place,
 * and most objects keep them empty. Frozen, so an edit in place fails loudly.
 */
const NONE: readonly never[] = Object.freeze([]);

/** The shared empty list, typed as the list it starts (see NONE). */
export function noneYet<T>(): T[] {
  return NONE as unknown as T[];
}

export function newResource(value: Value, at: Location, via: SourceFile[] = noneYet()): KResource {
  const orgId = idOf(value);
  return {
    value,
    at,
    written: { file: at.file, docIndex: at.docIndex },
    orgId,
    previousNames: noneYet(),
    previousNamespaces: noneYet(),
    patchedBy: noneYet(),
    via,
    nameUnknown: false,
    owned: undefined,
  };
}

function samePlace(a: Location, b: Location): boolean {
  return a.file === b.file && a.docIndex === b.docIndex && a.path.length === b.path.length && a.path.every((segment, index) => segment === b.path[index]);
}

/**
 * A shallow copy of `node` (written at `at` unless marked) that remembers where it and its
 * children were written. The children stay shared; object children get their place marked
 * (their own place, which never changes), scalar children a key mark when it differs.
 */
export function cloneNode<T extends object>(node: T, at: Location, inPlace = false): T {
  const marked = locationOf(node);
  const own = marked ?? at;
  const copy = (Array.isArray(node) ? [...node] : { ...node }) as T;
  // A mapping's children stay where the copy's place plus their key says; only places that
  // differ are carried over. A list's object items are pinned, since patches may move them.
  // A copy `inPlace` of an unmarked node takes the node's place, where `at` (its parent's
  // place plus its key, as `locate` finds it) already says it is: it needs no mark until it
  // moves, and whatever moves a node marks it first when it has none.
  const keyed = keyMarksOf(node);
  if (!inPlace || marked !== undefined || keyed !== undefined) markCopy(copy, own, keyed);
  if (Array.isArray(node)) {
    for (let index = 0; index < node.length; index++) {
      const child: unknown = node[index];
      if (isObject(child) && !locationOf(child)) markNode(child, (keyed && keyMarkOf(node, index)) ?? childLocation(own, index));
    }
  }
  return copy;
}

/** Owned nodes kept in a list up to this many; a Set beyond. */
const OWNED_LIST = 8;

/** Make `node` one the object owns (edited in place from now on). */
export function own(res: KResource, node: object): void {
  const owned = res.owned;
  if (owned === undefined) res.owned = [node];
  else if (!Array.isArray(owned)) owned.add(node);
  else if (owned.length < OWNED_LIST) {
    // A list of its length (a push makes room for 17 more; concat would spread a list node).
    const longer = new Array<object>(owned.length + 1);
    for (let index = 0; index < owned.length; index++) longer[index] = owned[index]!;
    longer[owned.length] = node;
    res.owned = longer;
  }
  else res.owned = new Set(owned).add(node);
}

function owns(res: KResource, node: object): boolean {
  const owned = res.owned;
  if (owned === undefined) return false;
  if (!Array.isArray(owned)) return owned.has(node);
  for (let index = 0; index < owned.length; index++) if (owned[index] === node) return true;
  return false;
}

/** Where the node at `path` of the object was written. */
export function locateIn(res: KResource, path: YamlPath): Location {
  return locate(res.value, res.at, path);
}

/**
 * The container at `path`, made the object's own (cloned along the way when shared);
 * missing or non-container steps become empty mappings. Returns the container.
 */
export function writable(res: KResource, path: YamlPath, length = path.length): Record<string | number, unknown> {
  if (!owns(res, res.value)) {
    res.value = cloneNode(res.value, res.at, true);
    own(res, res.value);
  }
  let node: Record<string | number, unknown> = res.value;
  // Every owned node is a marked clone; an unowned one is located only when it is cloned or made.
  let at = locationOf(node) ?? res.at;
  for (let index = 0; index < length; index++) {
    const segment = path[index]!;
    const existing = node[segment];
    if (isObject(existing) && owns(res, existing)) {
      at = locationOf(existing) ?? keyMarkOf(node, segment) ?? childLocation(at, segment);
      node = existing;
      continue;
    }
    const known = (isObject(existing) ? locationOf(existing) : undefined) ?? keyMarkOf(node, segment);
    const more = index + 1 < length;
    // The place below `at` is made only where something reads it: a later step, or a clone that
    // marks itself or its items. An unmarked mapping without key marks copied in place needs
    // none (cloneNode would not mark it): the common `metadata` of a `namespace:` move.
    const placed = known !== undefined || more || (isObject(existing) && (Array.isArray(existing) || keyMarksOf(existing) !== undefined));
    const childAt = placed ? (known ?? childLocation(at, segment)) : undefined;
    const child: Record<string | number, unknown> = !isObject(existing) ? {} : childAt === undefined ? { ...existing } : cloneNode(existing, childAt, true);
    node[segment] = child;
    own(res, child);
    node = child;
    if (more) at = locationOf(child) ?? childAt!;
  }
  return node;
}

/** Set `path` to `value`, recording `at` as where the value was written. */
export function setIn(res: KResource, path: YamlPath, value: unknown, at: Location | undefined): void {
  // The parent's path without a copy of it.
  const parent = writable(res, path, path.length - 1);
  const key = path[path.length - 1]!;
  parent[key] = value;
  if (at) {
    if (isObject(value) && !locationOf(value)) markNode(value, at);
    markKey(parent, key, at);
  }
}

/** Remove the key at `path` when present. */
export function deleteIn(res: KResource, path: YamlPath): void {
  if (getPath(res.value, path.slice(0, -1)) === undefined) return;
  const parent = writable(res, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
  else delete parent[key];
}

export function getPath(value: unknown, path: YamlPath): unknown {
  let node = value;
  for (const segment of path) {
    if (!isObject(node)) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** Record that `at` changed the object (once). */
export function notePatched(res: KResource, at: Location): void {
  const seen = res.patchedBy;
  for (let index = 0; index < seen.length; index++) if (samePlace(seen[index]!, at)) return;
  // concat: a list of its length (a push onto an empty list makes room for 17 places).
  res.patchedBy = seen.concat(at);
}

export function currentId(res: KResource): ResId {
  return idOf(res.value);
}

/**
 * Change the list at `listPath` like `Array.prototype.splice`, keeping where each remaining
 * item was written (items that shift get their place marked). Inserted items come with theirs.
 */
export function spliceList(res: KResource, listPath: YamlPath, start: number, deleteCount: number, inserted: ReadonlyArray<{ value: unknown; at: Location }>): unknown[] {
  const list = writable(res, listPath) as unknown as unknown[];
  const listAt = locateIn(res, listPath);
  const places = list.map((_, index) => locate(list, listAt, [index]));
  const removed = list.splice(start, deleteCount, ...inserted.map((item) => item.value));
  places.splice(start, deleteCount, ...inserted.map((item) => item.at));
  list.forEach((item, index) => {
    const place = places[index]!;
    if (isObject(item)) {
      if (!locationOf(item)) markNode(item, place);
    } else markKey(list, index, place);
  });
  return removed;
}
