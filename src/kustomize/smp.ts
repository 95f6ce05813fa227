/**
 * Strategic merge patch of one object, as kustomize applies it (kyaml merge2 with the
 * Kubernetes schema; reference FLUX-LAYOUTS §7):
 * - maps merge key by key; a `null` value deletes the key;
 * - lists with a merge key (built-in kinds, merge-keys.ts) merge item by item; the result
 *   lists the patch's items in patch order (merged or new), then the other items in their
 *   order (checked against `kubectl kustomize`); every other list is replaced;
 * - `$patch: delete` removes a map or a keyed list item (at the top: the whole object),
 *   `$patch: replace` replaces a map or (as a list item) the whole list, `$patch: merge` is
 *   the default; other `$` directives are dropped;
 * - `apiVersion`, `kind`, `metadata.name` and `metadata.namespace` of the object stay.
 *
 * Values taken from the patch are marked with where the patch wrote them.
 */
import { locate, locationOf, markKey, markNode, type Location } from './origin.js';
import { mergeKeyOf, PRIMITIVE_SET } from './merge-keys.js';
import { cloneNode, currentId, isMap, isObject, own as ownNode, type KResource, type Value } from './resource.js';

const DELETE = Symbol('delete');

interface Merge {
  res: KResource;
  group: string;
  kind: string;
}

/** A copy of a patch value without directives and null map values, marked where written. */
function fromPatch(merge: Merge, src: unknown, srcAt: Location): unknown {
  if (!isObject(src)) return src;
  const at = locationOf(src) ?? srcAt;
  if (Array.isArray(src)) {
    const out: unknown[] = [];
    markNode(out, at);
    src.forEach((item, index) => {
      if (isMap(item) && (item.$patch === 'delete' || item.$patch === 'replace') && Object.keys(item).length === 1) return;
      const itemAt = locate(src, at, [index]);
      const copy = fromPatch(merge, item, itemAt);
      if (copy === DELETE) return;
      if (!isObject(copy) && out.length !== index) markKey(out, out.length, itemAt);
      out.push(copy);
    });
    ownNode(merge.res, out);
    return out;
  }
  if (src.$patch === 'delete') return DELETE;
  const out: Value = {};
  markNode(out, at);
  for (const [key, value] of Object.entries(src)) {
    if (key.startsWith('$') || value === null) continue;
    const copy = fromPatch(merge, value, locate(src, at, [key]));
    if (copy !== DELETE) out[key] = copy;
  }
  ownNode(merge.res, out);
  return out;
}

function mergeValue(merge: Merge, dst: unknown, dstAt: Location, src: unknown, srcAt: Location, typePath: string[]): unknown {
  if (isMap(src)) {
    if (src.$patch === 'delete') return DELETE;
    if (src.$patch === 'replace' || !isMap(dst)) return fromPatch(merge, src, srcAt);
    const out = cloneNode(dst, dstAt);
    ownNode(merge.res, out);
    const outAt = locationOf(out) ?? dstAt;
    for (const [key, value] of Object.entries(src)) {
      if (key.startsWith('$')) continue;
      if (value === null) {
        delete out[key];
        continue;
      }
      const valueAt = locate(src, srcAt, [key]);
      const merged = key in out ? mergeValue(merge, out[key], locate(out, outAt, [key]), value, valueAt, [...typePath, key]) : fromPatch(merge, value, valueAt);
      if (merged === DELETE) delete out[key];
      else {
        out[key] = merged;
        if (!isObject(merged)) markKey(out, key, valueAt);
      }
    }
    return out;
  }
  if (Array.isArray(src) && Array.isArray(dst)) return mergeList(merge, dst, dstAt, src, srcAt, typePath);
  return isObject(src) ? fromPatch(merge, src, srcAt) : src;
}

function mergeList(merge: Merge, dst: unknown[], dstAt: Location, src: unknown[], srcAt: Location, typePath: string[]): unknown {
  if (src.some((item) => isMap(item) && item.$patch === 'replace')) return fromPatch(merge, src, srcAt);
  const key = mergeKeyOf(merge.group, merge.kind, typePath);
  const own = locationOf(dst) ?? dstAt;
  const out: unknown[] = [];
  const push = (value: unknown, at: Location): void => {
    if (isObject(value)) {
      if (!locationOf(value)) markNode(value, at);
    } else markKey(out, out.length, at);
    out.push(value);
  };
  if (key === PRIMITIVE_SET && !src.some(isObject) && !dst.some(isObject)) {
    // The patch's items first, then the others (checked with `kubectl kustomize` on finalizers).
    markNode(out, own);
    ownNode(merge.res, out);
    src.forEach((item, index) => !out.includes(item) && push(item, locate(src, srcAt, [index])));
    dst.forEach((item, index) => !out.includes(item) && push(item, locate(dst, own, [index])));
    return out;
  }
  if (key === undefined || key === PRIMITIVE_SET || !src.every(isMap)) return fromPatch(merge, src, srcAt);
  markNode(out, own);
  ownNode(merge.res, out);
  const used = new Set<number>();
  src.forEach((item, index) => {
    const itemAt = locate(src, srcAt, [index]);
    const match = dst.findIndex((candidate, at) => !used.has(at) && isMap(candidate) && candidate[key] === (item as Value)[key]);
    if (match >= 0) used.add(match);
    if ((item as Value).$patch === 'delete') return;
    if (match >= 0) {
      const merged = mergeValue(merge, dst[match], locate(dst, own, [match]), item, itemAt, typePath);
      if (merged !== DELETE) push(merged, itemAt);
    } else {
      const copy = fromPatch(merge, item, itemAt);
      if (copy !== DELETE) push(copy, itemAt);
    }
  });
  dst.forEach((item, index) => {
    if (!used.has(index)) push(item, locate(dst, own, [index]));
  });
  return out;
}

/**
 * Apply a strategic merge patch (`patchAt`: where its root was written) to `res`. Returns
 * false when the patch deletes the object.
 */
export function applyStrategicMerge(res: KResource, patch: Value, patchAt: Location, allow: { nameChange?: boolean; kindChange?: boolean } = {}): boolean {
  if (patch.$patch === 'delete') return false;
  const id = currentId(res);
  const merge: Merge = { res, group: id.group, kind: id.kind };
  // The object's identity stays (kustomize Resource.ApplySmPatch restores name, namespace and,
  // unless the patch entry allows changing them, kind and name; the GVK is copied to the patch).
  const src: Value = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'apiVersion' || (key === 'kind' && !allow.kindChange)) continue;
    if (key === 'metadata' && isMap(value)) {
      const metadata: Value = {};
      markNode(metadata, locate(patch, patchAt, ['metadata']));
      for (const [field, fieldValue] of Object.entries(value)) if ((field !== 'name' || allow.nameChange) && field !== 'namespace') metadata[field] = fieldValue;
      src.metadata = metadata;
    } else src[key] = value;
  }
  if (allow.nameChange && isMap(src.metadata) && typeof src.metadata.name === 'string' && src.metadata.name !== id.name) res.previousNames = res.previousNames.concat(id.name);
  const merged = mergeValue(merge, res.value, res.at, src, locationOf(patch) ?? patchAt, []);
  if (merged === DELETE) return false;
  res.value = merged as Value;
  return true;
}

