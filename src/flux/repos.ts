import path from 'node:path';
import type { Resource, Root } from '../model/workspace.js';
import { asString, getIn } from '../engine/values.js';
import type { RepoLink } from './types.js';

/** Last path segment of a git URL without `.git`: `ssh://git@host/org/app.git` → `app`. */
export function repoNameOfUrl(url: string): string | undefined {
  const bare = url.replace(/[?#].*$/, '').replace(/\/+$/, '').replace(/\.git$/, '');
  const segment = bare.slice(Math.max(bare.lastIndexOf('/'), bare.lastIndexOf(':')) + 1);
  return segment.length > 0 ? segment : undefined;
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

/**
 * Which linted root a GitRepository fetches: config `repos:` (by `namespace/name`, then by
 * name; the GitRepository's own root's config first), else the root named like the last
 * segment of its URL, else — for the `flux-system/flux-system` GitRepository that
 * `flux bootstrap` writes — the root it is committed in.
 */
export function linkGitRepository(resource: Resource, roots: readonly Root[]): RepoLink {
  const namespace = resource.namespace ?? resource.appliedNamespace;
  const keys = namespace === undefined ? [resource.name] : [`${namespace}/${resource.name}`, resource.name];
  const configured = [resource.file.root, ...roots.filter((root) => root !== resource.file.root)];
  for (const key of keys) {
    for (const root of configured) {
      const target = root.config.repos[key];
      if (target === undefined) continue;
      const linked = roots.find((candidate) => samePath(candidate.dir, target));
      if (linked) return { status: 'linked', root: linked, via: 'config' };
      return { status: 'unlinked', reason: `\`repos:\` maps it to ${target}, which is not among the linted roots` };
    }
  }
  const url = asString(getIn(resource.value, ['spec', 'url']));
  const name = url === undefined ? undefined : repoNameOfUrl(url);
  const byName = name === undefined ? undefined : roots.find((root) => root.name === name);
  if (byName) return { status: 'linked', root: byName, via: 'url' };
  if (resource.name === 'flux-system' && namespace === 'flux-system') return { status: 'linked', root: resource.file.root, via: 'bootstrap' };
  return {
    status: 'unlinked',
    reason: url === undefined ? 'it has no spec.url' : `its repository ${name ?? url} is not among the linted roots`,
  };
}
