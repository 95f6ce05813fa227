/**
 * kustomize `images:` (api/filters/imagetag, legacy field specs): every `image` string of a
 * mapping in a list under a `containers` or `initContainers` key, at any depth, of any kind
 * but CustomResourceDefinition. An entry matches an image whose name (without tag or digest)
 * is the entry's `name`; `newName` replaces the name; `newTag` or `digest` replace both the
 * tag and the digest (both when both are given), as kustomize `imageTagUpdater`.
 * The new value locates to the `images` entry.
 */
import type { Location } from './origin.js';
import { currentId, isMap, notePatched, setIn, type KResource, type Value } from './resource.js';

export interface ImageEntry {
  entry: Value;
  at: Location;
}

/** Split an image reference into name, tag and digest (kustomize `image.Split`). */
export function splitImage(image: string): { name: string; tag: string; digest: string } {
  const slash = image.indexOf('/');
  const offset = slash > 0 ? slash : 0;
  const search = image.slice(offset);
  let at = search.indexOf('@');
  let colon = search.indexOf(':');
  if (colon < 0 && at < 0) return { name: image, tag: '', digest: '' };
  if (at >= 0 && (at < colon || colon < 0)) {
    at += offset;
    return { name: image.slice(0, at), tag: '', digest: image.slice(at + 1) };
  }
  if (at >= 0 && colon >= 0) {
    at += offset;
    colon += offset;
    return { name: image.slice(0, colon), tag: image.slice(colon + 1, at), digest: image.slice(at + 1) };
  }
  colon += offset;
  return { name: image.slice(0, colon), tag: image.slice(colon + 1), digest: '' };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const matchers = new Map<string, RegExp>();

/** kustomize `image.IsImageMatched` (the entry name is used literally here, not as a pattern). */
export function imageMatches(image: string, name: string): boolean {
  let matcher = matchers.get(name);
  if (!matcher) {
    matcher = new RegExp(`^${escapeRegExp(name)}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`);
    if (matchers.size > 10_000) matchers.clear();
    matchers.set(name, matcher);
  }
  return matcher.test(image);
}

function scalar(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

export function updatedImage(image: string, entry: Value): string {
  let { name, tag, digest } = splitImage(image);
  const newName = scalar(entry.newName);
  const newTag = scalar(entry.newTag);
  const newDigest = scalar(entry.digest);
  if (newName) name = newName;
  if (newTag && newDigest) {
    tag = newTag;
    digest = newDigest;
  } else if (newTag) {
    tag = newTag;
    digest = '';
  } else if (newDigest) {
    digest = newDigest;
    tag = '';
  }
  return `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}

/** Paths of every container `image` string in a value. */
function imagePaths(value: unknown, path: Array<string | number>, out: Array<{ path: Array<string | number>; image: string }>): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => imagePaths(item, [...path, index], out));
    return;
  }
  if (!isMap(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(child)) {
      child.forEach((container, index) => {
        if (isMap(container) && typeof container.image === 'string') out.push({ path: [...path, key, index, 'image'], image: container.image });
      });
    }
    imagePaths(child, [...path, key], out);
  }
}

export function applyImages(resources: readonly KResource[], { entry, at }: ImageEntry): void {
  if (typeof entry.name !== 'string' || entry.name === '') return;
  const name = entry.name;
  for (const res of resources) {
    if (currentId(res).kind === 'CustomResourceDefinition') continue;
    const found: Array<{ path: Array<string | number>; image: string }> = [];
    imagePaths(res.value, [], found);
    let changed = false;
    for (const { path, image } of found) {
      if (!imageMatches(image, name)) continue;
      const next = updatedImage(image, entry);
      if (next === image) continue;
      setIn(res, path, next, at);
      changed = true;
    }
    if (changed) notePatched(res, at);
  }
}
