import type { Container, ImageOverride } from '../model/workspace.js';
import { formatImageRef } from './images.js';

/** Shared by the two image rules (`image-tag-mutable`, `image-pull-policy-mutable-tag`). */
export interface MutableTagOptions {
  mutableTags: string[];
}

/** The `mutableTags` option, shared with `image-pull-policy-mutable-tag`. */
export const MUTABLE_TAGS_OPTIONS = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mutableTags: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
      description: 'Tags that are moved to new images, such as `latest`, `main` or `dev`. An image without a tag always counts as mutable; an image pinned by digest never does.',
    },
  },
} as const;

export interface MutableImage {
  /** The effective image, after kustomize `images:` overrides. */
  image: string;
  /** The tag, or `undefined` when the image has none. */
  tag: string | undefined;
  /** The kustomize `images:` entry that produced the image, when one did. */
  override: ImageOverride | undefined;
}

/**
 * The container's effective image when its tag is mutable. A digest pins the image whatever
 * the tag. A Helm values `image` mapping without a tag (or an `image` string with an empty
 * sibling `tag`) is left alone: the chart picks the tag (the Dagster chart uses its own version).
 */
export function mutableImage(container: Container, mutableTags: readonly string[]): MutableImage | undefined {
  const ref = container.image.effective;
  if (!ref || ref.digest !== undefined) return undefined;
  const tag = ref.tag === '' ? undefined : ref.tag;
  if (tag === undefined) {
    // A values `image` mapping without a tag, or an `image` string whose sibling `tag` is
    // empty: the chart picks the tag.
    if (container.origin === 'helmValues' && (typeof container.resource.get(container.image.path) !== 'string' || container.resource.get([...container.path, 'tag']) !== undefined)) return undefined;
  } else if (!mutableTags.includes(tag)) {
    return undefined;
  }
  return { image: formatImageRef(ref), tag, override: container.image.overrides.at(-1) };
}

/** How a mutable tag is shown in messages. */
export function describeTag(tag: string | undefined): string {
  return tag === undefined ? 'no tag, which means latest' : tag;
}
