import type { ImageOverride, ImageRef } from '../model/workspace.js';
import { compileGoRegexp, type GoRegexp } from './safe-regex.js';

/**
 * Split an image reference into name, tag and digest (distribution/reference grammar: the
 * tag is after the last `:` that follows the last `/`, so registry ports are kept).
 */
export function parseImageRef(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const ref: ImageRef = { name: rest };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

export function formatImageRef(ref: ImageRef): string {
  return `${ref.name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** Kustomize matches `name` as an anchored Go regex against the image as written; a name it cannot compile matches nothing. */
function matcher(name: string): GoRegexp | null {
  const compiled = compileGoRegexp(`^${name}(:[^@]*)?(@.*)?$`);
  return compiled.ok ? compiled.regexp : null;
}

/**
 * Apply kustomize `images:` entries, innermost kustomization first, as kustomize does.
 * Returns the resulting reference and the entries that changed it.
 */
export function applyImageOverrides(image: string, overrides: readonly ImageOverride[]): { ref: ImageRef; applied: ImageOverride[] } {
  let ref = parseImageRef(image);
  const applied: ImageOverride[] = [];
  for (const override of overrides) {
    if (!matcher(override.name)?.test(formatImageRef(ref))) continue;
    const next: ImageRef = { name: override.newName ?? ref.name };
    if (override.newTag !== undefined && override.digest !== undefined) {
      next.tag = override.newTag;
      next.digest = override.digest;
    } else if (override.newTag !== undefined) {
      next.tag = override.newTag;
    } else if (override.digest !== undefined) {
      next.digest = override.digest;
    } else {
      if (ref.tag !== undefined) next.tag = ref.tag;
      if (ref.digest !== undefined) next.digest = ref.digest;
    }
    if (override.tagSuffix !== undefined && next.tag !== undefined) next.tag += override.tagSuffix;
    ref = next;
    applied.push(override);
  }
  return { ref, applied };
}

/** Kubernetes' default `imagePullPolicy` for an image (reference §7.1). */
export function defaultPullPolicy(ref: ImageRef): 'Always' | 'IfNotPresent' {
  if (ref.tag === 'latest') return 'Always';
  if (ref.tag === undefined && ref.digest === undefined) return 'Always';
  return 'IfNotPresent';
}
