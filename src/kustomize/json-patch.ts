/**
 * JSON 6902 patches on one object (RFC 6902 operations, RFC 6901 pointers with `~0`/`~1`
 * and `-` for the end of a list), as kustomize applies them through evanphx/json-patch v4:
 * `remove`, `replace`, `move`, `copy` and `test` fail on a missing path, `add` on a missing
 * parent; `metadata.annotations` exists during a kustomize build (withAnnotations). A value set by an operation is marked with where the operation wrote it;
 * moved and copied values keep their place.
 */
import type { YamlPath } from '../model/finding.js';
import { locate, locationOf, markKey, markNode, type Location } from './origin.js';
import { getPath, isMap, isObject, locateIn, setIn, spliceList, writable, type KResource } from './resource.js';

export class JsonPatchError extends Error {}

export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
  hasValue: boolean;
  /** Where the operation was written. */
  at: Location;
}

/** Read a list of operations (a parsed YAML/JSON list), `at` being where the list was written. */
export function parseOperations(raw: unknown, at: Location): JsonPatchOperation[] {
  if (!Array.isArray(raw)) throw new JsonPatchError('a JSON 6902 patch must be a list of operations');
  const listAt = locationOf(raw) ?? at;
  return raw.map((entry, index) => {
    const entryAt = locate(raw, listAt, [index]);
    if (!isMap(entry) || typeof entry.op !== 'string') throw new JsonPatchError(`operation ${index} has no "op"`);
    if (typeof entry.path !== 'string') throw new JsonPatchError(`operation ${index} (${entry.op}) has no "path"`);
    return {
      op: entry.op,
      path: entry.path,
      from: typeof entry.from === 'string' ? entry.from : undefined,
      value: entry.value,
      hasValue: 'value' in entry,
      at: entryAt,
    };
  });
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The pointer's segments as a path into the current value (list indices as numbers). */
function resolve(value: unknown, segments: readonly string[], forAdd: boolean, pointer: string): YamlPath {
  const path: Array<string | number> = [];
  let node = value;
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (Array.isArray(node)) {
      if (segment === '-' && last && forAdd) {
        path.push(node.length);
        node = undefined;
        return;
      }
      if (!/^(0|[1-9][0-9]*)$/.test(segment)) throw new JsonPatchError(`invalid list index "${segment}" in "${pointer}"`);
      const position = Number(segment);
      if (position > node.length || (position === node.length && !(last && forAdd))) throw new JsonPatchError(`index ${position} out of range in "${pointer}"`);
      path.push(position);
      node = node[position];
    } else if (isMap(node)) {
      if (!(segment in node) && !(last && forAdd)) throw new JsonPatchError(`doc is missing path: "${pointer}"`);
      path.push(segment);
      node = node[segment];
    } else {
      throw new JsonPatchError(`doc is missing path: "${pointer}"`);
    }
  });
  return path;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!isObject(a) || !isObject(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return keysA.length === keysB.length && keysA.every((key) => key in b && deepEqual(a[key], b[key]));
}

function insert(res: KResource, path: YamlPath, value: unknown, at: Location): void {
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1]!;
  if (Array.isArray(getPath(res.value, parentPath)) && typeof key === 'number') {
    spliceList(res, parentPath, key, 0, [{ value, at }]);
  } else {
    setIn(res, path, value, at);
  }
}

function removeAt(res: KResource, path: YamlPath): void {
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1]!;
  if (Array.isArray(getPath(res.value, parentPath)) && typeof key === 'number') spliceList(res, parentPath, key, 1, []);
  else delete writable(res, parentPath)[key];
}

/**
 * During a build kustomize keeps internal annotations on every object, so `metadata.annotations`
 * exists for the operations (checked with `kubectl kustomize`): give the object an empty one
 * while patching, dropped again when it stays empty.
 */
function withAnnotations(res: KResource, operations: readonly JsonPatchOperation[], apply: () => void): void {
  const touches = operations.some((operation) => [operation.path, operation.from].some((pointer) => pointer !== undefined && (pointer === '/metadata/annotations' || pointer.startsWith('/metadata/annotations/'))));
  const metadata = getPath(res.value, ['metadata']);
  if (!touches || !isMap(metadata) || metadata.annotations !== undefined) {
    apply();
    return;
  }
  setIn(res, ['metadata', 'annotations'], {}, undefined);
  apply();
  const after = getPath(res.value, ['metadata', 'annotations']);
  if (isMap(after) && Object.keys(after).length === 0) delete writable(res, ['metadata'])['annotations'];
}

/** Apply the operations in order; throws JsonPatchError on the first that fails. */
export function applyJsonPatch(res: KResource, operations: readonly JsonPatchOperation[]): void {
  withAnnotations(res, operations, () => applyOperations(res, operations));
}

function applyOperations(res: KResource, operations: readonly JsonPatchOperation[]): void {
  for (const operation of operations) {
    const valueAt = { ...operation.at, path: [...operation.at.path, 'value'] };
    const segments = parsePointer(operation.path);
    switch (operation.op) {
      case 'add':
      case 'replace': {
        if (!operation.hasValue) throw new JsonPatchError(`${operation.op} operation on "${operation.path}" has no value`);
        const value = operation.value;
        if (isObject(value) && !locationOf(value)) markNode(value, valueAt);
        if (segments.length === 0) {
          if (!isMap(value)) throw new JsonPatchError('the patched document must stay an object');
          res.value = value;
          res.at = valueAt;
          break;
        }
        const path = resolve(res.value, segments, operation.op === 'add', operation.path);
        if (operation.op === 'replace') setIn(res, path, value, valueAt);
        else insert(res, path, value, valueAt);
        break;
      }
      case 'remove': {
        if (segments.length === 0) throw new JsonPatchError('cannot remove the whole document');
        removeAt(res, resolve(res.value, segments, false, operation.path));
        break;
      }
      case 'move':
      case 'copy': {
        if (operation.from === undefined) throw new JsonPatchError(`${operation.op} operation on "${operation.path}" has no "from"`);
        const fromPath = resolve(res.value, parsePointer(operation.from), false, operation.from);
        const value = getPath(res.value, fromPath);
        const fromAt = locateIn(res, fromPath);
        if (isObject(value) && !locationOf(value)) markNode(value, fromAt);
        if (operation.op === 'move') removeAt(res, fromPath);
        const path = resolve(res.value, segments, true, operation.path);
        insert(res, path, value, fromAt);
        if (!isObject(value)) {
          const parent = getPath(res.value, path.slice(0, -1));
          if (isObject(parent)) markKey(parent, path[path.length - 1]!, fromAt);
        }
        break;
      }
      case 'test': {
        const path = resolve(res.value, segments, false, operation.path);
        if (!deepEqual(getPath(res.value, path), operation.value)) throw new JsonPatchError(`testing value ${operation.path} failed`);
        break;
      }
      default:
        throw new JsonPatchError(`unexpected operation "${operation.op}"`);
    }
  }
}
