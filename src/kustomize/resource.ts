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
  /** Nodes this object owns (clones it made); only those are edited in place. Made on the first edit. */
  owned: Set<object> | undefined;
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
  const metadata = isMap(value.metadata) ? value.metadata : {};
  const { group, version } = splitApiVersion(typeof value.apiVersion === 'string' ? value.apiVersion : '');
  return {
    group,
    version,
    kind: typeof value.kind === 'string' ? value.kind : '',
    name: typeof metadata.name === 'string' ? metadata.name : '',
    namespace: typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined,
  };
}

export function describeId(id: ResId): string {
  const gvk = [id.group, id.version, id.kind].filter((part) => part !== '').join('_');
  return `${gvk}|${id.namespace ?? '~X'}|${id.name}`;
}

export function newResource(value: Value, at: Location, via: SourceFile[]): KResource {
  const orgId = idOf(value);
  return {
    value,
    at,
    written: { file: at.file, docIndex: at.docIndex },
    orgId,
    previousNames: [],
    previousNamespaces: [],
    patchedBy: [],
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

/** Make `node` one the object owns (edited in place from now on). */
export function own(res: KResource, node: object): void {
  (res.owned ??= new Set()).add(node);
}

function owns(res: KResource, node: object): boolean {
  return res.owned !== undefined && res.owned.has(node);
}

/** Where the node at `path` of the object was written. */
export function locateIn(res: KResource, path: YamlPath): Location {
  return locate(res.value, res.at, path);
}

/**
 * The container at `path`, made the object's own (cloned along the way when shared);
 * missing or non-container steps become empty mappings. Returns the container.
 */
export function writable(res: KResource, path: YamlPath): Record<string | number, unknown> {
  if (!owns(res, res.value)) {
    res.value = cloneNode(res.value, res.at, true);
    own(res, res.value);
  }
  let node: Record<string | number, unknown> = res.value;
  // Every owned node is a marked clone; an unowned one is located only when it is cloned or made.
  let at = locationOf(node) ?? res.at;
  for (let index = 0; index < path.length; index++) {
    const segment = path[index]!;
    const existing = node[segment];
    if (isObject(existing) && owns(res, existing)) {
      at = locationOf(existing) ?? keyMarkOf(node, segment) ?? childLocation(at, segment);
      node = existing;
      continue;
    }
    const childAt = (isObject(existing) ? locationOf(existing) : undefined) ?? keyMarkOf(node, segment) ?? childLocation(at, segment);
    const child: Record<string | number, unknown> = isObject(existing) ? cloneNode(existing, childAt, true) : {};
    node[segment] = child;
    own(res, child);
    node = child;
    at = locationOf(child) ?? childAt;
  }
  return node;
}

/** Set `path` to `value`, recording `at` as where the value was written. */
export function setIn(res: KResource, path: YamlPath, value: unknown, at: Location | undefined): void {
  const parent = writable(res, path.slice(0, -1));
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
  // concat: a list of its length (a push onto an empty list makes room for 17 places).
  if (!res.patchedBy.some((seen) => samePlace(seen, at))) res.patchedBy = res.patchedBy.concat(at);
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
