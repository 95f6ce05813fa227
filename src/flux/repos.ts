import path from 'node:path';
import type { Resource, Root } from '../model/workspace.js';
import { asRecord, asString, getIn } from '../engine/values.js';
import { qualified } from './describe.js';
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
 * What a GitRepository fetches (reference §4: `commit` > `name` > `semver` > `tag` > `branch`,
 * none → branch `master`): a branch name, or `undefined` with a description of the other ref.
 */
export function gitRefOf(resource: Resource): { branch?: string; describe: string } {
  const ref = asRecord(getIn(resource.value, ['spec', 'ref'])) ?? {};
  const commit = asString(ref.commit);
  if (commit !== undefined) return { describe: `commit ${commit}` };
  const name = asString(ref.name);
  if (name !== undefined) {
    const branch = /^refs\/heads\/(.+)$/.exec(name)?.[1];
    return branch === undefined ? { describe: `ref ${name}` } : { branch, describe: `branch ${branch}` };
  }
  const semver = asString(ref.semver);
  if (semver !== undefined) return { describe: `tags matching ${semver}` };
  const tag = asString(ref.tag);
  if (tag !== undefined) return { describe: `tag ${tag}` };
  const branch = asString(ref.branch) ?? 'master';
  return { branch, describe: `branch ${branch}` };
}

function idOf(resource: Resource): string {
  return qualified(resource.namespace ?? resource.appliedNamespace, resource.name);
}

interface SingleLink {
  link: RepoLink;
  /** Linked by a `repos:` key naming its branch: that checkout is its tree whatever else links there. */
  pinned: boolean;
}

function linkOne(resource: Resource, roots: readonly Root[]): SingleLink {
  const namespace = resource.namespace ?? resource.appliedNamespace;
  const { branch } = gitRefOf(resource);
  const names = namespace === undefined ? [resource.name] : [`${namespace}/${resource.name}`, resource.name];
  const keys = [...(branch === undefined ? [] : names.map((name) => ({ key: `${name}@${branch}`, pinned: true }))), ...names.map((key) => ({ key, pinned: false }))];
  const configured = [resource.file.root, ...roots.filter((root) => root !== resource.file.root)];
  let missingTarget: string | undefined;
  for (const { key, pinned } of keys) {
    for (const root of configured) {
      const target = root.config.repos[key];
      if (target === undefined) continue;
      const linked = roots.find((candidate) => samePath(candidate.dir, target));
      if (linked) return { link: { status: 'linked', root: linked, via: 'config' }, pinned };
      missingTarget ??= target;
    }
  }
  const url = asString(getIn(resource.value, ['spec', 'url']));
  const name = url === undefined ? undefined : repoNameOfUrl(url);
  const fallback = missingTarget === undefined ? undefined : `\`repos:\` maps GitRepository ${idOf(resource)} to ${missingTarget}, which is not among the linted roots`;
  const byName = name === undefined ? undefined : roots.find((root) => root.name === name);
  if (byName) {
    const link: RepoLink = { status: 'linked', root: byName, via: 'url' };
    if (fallback) link.note = `${fallback}: it was linked to ${byName.name} by its URL instead.`;
    return { link, pinned: false };
  }
  if (resource.name === 'flux-system' && namespace === 'flux-system') {
    const link: RepoLink = { status: 'linked', root: resource.file.root, via: 'bootstrap' };
    if (fallback) link.note = `${fallback}: it was linked to ${resource.file.root.name}, the repository it is committed in, as \`flux bootstrap\` writes it.`;
    return { link, pinned: false };
  }
  if (missingTarget !== undefined) return { link: { status: 'unlinked', reason: `\`repos:\` maps it to ${missingTarget}, which is not among the linted roots` }, pinned: false };
  return {
    link: { status: 'unlinked', reason: url === undefined ? 'it has no spec.url' : `its repository ${name ?? url} is not among the linted roots` },
    pinned: false,
  };
}

/**
 * Which linted root a GitRepository fetches: config `repos:` (by `namespace/name@branch`,
 * `name@branch`, `namespace/name`, then name; the GitRepository's own root's config first),
 * else the root named like the last segment of its URL, else — for the `flux-system/flux-system`
 * GitRepository that `flux bootstrap` writes — the root it is committed in. A `repos:` entry
 * whose path is not a linted root falls back to the other links, with a note.
 */
export function linkGitRepository(resource: Resource, roots: readonly Root[]): RepoLink {
  return linkOne(resource, roots).link;
}

/**
 * Link every GitRepository; when several fetch different refs of the same root, only those on
 * the checkout's branch (else on the default branch) fetch the tree that is linted: the
 * others fetch another tree and are unlinked. One GitRepository alone stays linked whatever
 * branch is checked out (linting a feature branch is the normal case).
 */
export function linkGitRepositories(resources: readonly Resource[], roots: readonly Root[]): Map<Resource, RepoLink> {
  const links = new Map<Resource, RepoLink>();
  const byRoot = new Map<Root, Resource[]>();
  for (const resource of resources) {
    const { link, pinned } = linkOne(resource, roots);
    links.set(resource, link);
    if (link.status !== 'linked' || pinned) continue;
    const group = byRoot.get(link.root);
    if (group) group.push(resource);
    else byRoot.set(link.root, [resource]);
  }
  for (const [root, group] of byRoot) {
    const refs = new Map(group.map((resource) => [resource, gitRefOf(resource)]));
    if (new Set([...refs.values()].map((ref) => ref.describe)).size < 2) {
      for (const resource of group) {
        const reason = otherBranchOfOwnRepo(resource, root, refs.get(resource)!);
        if (reason) links.set(resource, { status: 'unlinked', reason, advice: branchAdvice(resource, refs.get(resource)!) });
      }
      continue;
    }
    const branches = new Set([...refs.values()].flatMap((ref) => (ref.branch === undefined ? [] : [ref.branch])));
    const chosen = [root.branch, root.defaultBranch].find((branch) => branch !== undefined && branches.has(branch));
    const tree = root.branch === undefined ? `the checkout of ${root.name}` : `the checkout of ${root.name} (branch ${root.branch})`;
    const fetchers = group.filter((resource) => refs.get(resource)?.branch === chosen).map((resource) => `GitRepository ${idOf(resource)}`);
    for (const resource of group) {
      const ref = refs.get(resource)!;
      if (chosen !== undefined && ref.branch === chosen) continue;
      const reason =
        chosen === undefined
          ? `it fetches ${ref.describe} of ${root.name} while other GitRepositories fetch other refs of it, and ${root.branch === undefined ? `the branch of ${tree} is not known` : `neither ${tree} nor its default branch is one of them`}, so it is not known which one fetches the linted tree`
          : `it fetches ${ref.describe} of ${root.name}, a different tree from ${tree}, which ${fetchers.join(' and ')} fetch${fetchers.length === 1 ? 'es' : ''}`;
      links.set(resource, { status: 'unlinked', reason, advice: branchAdvice(resource, ref) });
    }
  }
  return links;
}

function branchAdvice(resource: Resource, ref: { branch?: string }): string {
  if (ref.branch === undefined) return 'Lint a checkout of that ref to check them.';
  return `Lint a checkout of branch ${ref.branch} together with this one and map it with \`repos: {"${idOf(resource)}@${ref.branch}": PATH}\` in .gitops-lint.yaml.`;
}

/**
 * A GitRepository committed in the repository it fetches, naming a branch of it that is
 * neither the checked-out branch nor the default branch (a tenant or environment branch of
 * the same repository): the checkout is another tree. One naming the default branch stays
 * linked on any checkout, since a feature branch is usually bound for it.
 */
function otherBranchOfOwnRepo(resource: Resource, root: Root, ref: { branch?: string; describe: string }): string | undefined {
  if (resource.file.root !== root || root.branch === undefined || root.defaultBranch === undefined) return undefined;
  const written = asRecord(getIn(resource.value, ['spec', 'ref']));
  if (asString(written?.branch) === undefined && asString(written?.name) === undefined) return undefined;
  if (ref.branch === undefined || ref.branch === root.branch || ref.branch === root.defaultBranch) return undefined;
  const checkout = root.branch === root.defaultBranch ? `its default branch ${root.branch}` : `branch ${root.branch} (default ${root.defaultBranch})`;
  return `it fetches ${ref.describe} of ${root.name}, the repository it is committed in, whose checkout is on ${checkout}: a different tree`;
}
