import path from 'node:path';
import type { ImageOverride, KustomizeEntry, KustomizeIndex, KustomizeNode, Root, RootFiles, SourceFile } from '../model/workspace.js';
import { isKustomizationFile } from '../workspace/source-file.js';
import { dirOf, push } from '../engine/collections.js';
import { asRecord, asString } from '../engine/values.js';

/**
 * Remote targets (reference §5.3): a URL with a scheme (`https://`, `ssh://`, `git://`, ...),
 * an scp-like `git@host:org/repo`, the legacy go-getter form `github.com/org/repo/dir`, or
 * anything with a `ref`/`version` query or a `//dir?query`.
 */
const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|(?:github\.com|gitlab\.com|bitbucket\.org)\/)|[?&](?:ref|version)=|\/\/.*\?/i;

/** True when a kustomization `resources`/`components`/`bases` entry is fetched from elsewhere, not read from the root. */
export function isRemoteTarget(entry: string): boolean {
  // Every remote form has a slash, colon, `@`, `?` or `&`: most entries (`deploy.yaml`) have none,
  // and are answered without the case-insensitive scan of the whole pattern.
  return PLAIN_ENTRY.test(entry) ? false : REMOTE.test(entry);
}

/** An entry with none of the characters a remote target needs. */
const PLAIN_ENTRY = /^[^/:@?&]*$/;

/** An empty, `.` or `..` segment (a leading, trailing or doubled slash included). */
const UNNORMALIZED = /(?:^|\/)\.{0,2}(?:\/|$)/;

/** Resolve `entry` against `dir` inside a root; `undefined` when it leaves the root. */
export function resolveInRoot(dir: string, entry: string): string | undefined {
  // A plain name in a normalized folder is already normalized.
  if (entry !== '' && entry !== '.' && entry !== '..' && !entry.includes('/') && (dir === '' || !UNNORMALIZED.test(dir))) return dir === '' ? entry : `${dir}/${entry}`;
  const joined = path.posix.normalize(path.posix.join(dir, entry));
  if (joined === '..' || joined.startsWith('../') || path.posix.isAbsolute(entry)) return undefined;
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

/** Build the kustomize inclusion graph of every `kustomization.yaml` in the workspace. */
export function buildKustomizeIndex(files: readonly SourceFile[], rootFiles: (root: Root) => RootFiles): KustomizeIndex {
  const nodes: KustomizeNode[] = [];
  const byDir = new Map<Root, Map<string, KustomizeNode>>();
  for (let index = 0; index < files.length; index++) {
    const file = files[index]!;
    if (!isKustomizationFile(file.path)) continue;
    const value = asRecord(file.documents[0]?.value);
    if (!value) continue;
    const node: KustomizeNode = {
      file,
      docIndex: 0,
      dir: dirOf(file.path),
      namespace: asString(value.namespace),
      entries: [],
      images: imageOverrides(file, value.images),
      files: [],
      children: [],
      parents: [],
    };
    nodes.push(node);
    let dirs = byDir.get(file.root);
    if (!dirs) byDir.set(file.root, (dirs = new Map()));
    // kustomize prefers kustomization.yaml over .yml over Kustomization; keep the first seen.
    if (!dirs.has(node.dir)) dirs.set(node.dir, node);
  }

  const owners = new Map<SourceFile, KustomizeNode[]>();
  for (const node of nodes) {
    const value = asRecord(node.file.documents[0]?.value) ?? {};
    const known = rootFiles(node.file.root);
    for (const field of ['resources', 'components'] as const) {
      const list = value[field];
      if (!Array.isArray(list)) continue;
      list.forEach((raw, index) => {
        if (typeof raw !== 'string') return;
        const entry: KustomizeEntry = { field, index, value: raw, target: undefined, kind: 'missing' };
        if (isRemoteTarget(raw)) {
          entry.kind = 'remote';
        } else {
          const target = resolveInRoot(node.dir, raw);
          entry.target = target;
          const included = target === undefined ? undefined : known.files.get(target);
          if (included) {
            entry.kind = 'file';
            node.files.push(included);
            push(owners, included, node);
          } else if (target !== undefined && known.dirs.has(target)) {
            entry.kind = 'directory';
            const child = byDir.get(node.file.root)?.get(target);
            if (child && child !== node) {
              node.children.push(child);
              child.parents.push(node);
            }
          }
        }
        node.entries.push(entry);
      });
    }
  }

  const chainCache = new Map<SourceFile, KustomizeNode[]>();
  const index: KustomizeIndex = {
    nodes,
    at: (root, dir) => byDir.get(root)?.get(dir),
    owners: (file) => owners.get(file) ?? [],
    chain(file) {
      let cached = chainCache.get(file);
      if (cached) return cached;
      const owners = index.owners(file);
      // The common chain, one kustomization nothing includes, made at its length (a list grown
      // by push keeps room for 17 nodes, for every file, for the whole run).
      if (owners.length === 1 && owners[0]!.parents.length === 0) {
        cached = [owners[0]!];
        chainCache.set(file, cached);
        return cached;
      }
      cached = [];
      // Chains are short (a file's kustomization and the few above it): the chain itself is
      // the seen-list until it grows long, and no Set is made for each file.
      let seen: Set<KustomizeNode> | undefined;
      let frontier = owners;
      while (frontier.length > 0) {
        const next: KustomizeNode[] = [];
        for (let at = 0; at < frontier.length; at++) {
          const node = frontier[at]!;
          if (seen ? seen.has(node) : cached.includes(node)) continue;
          cached.push(node);
          if (seen) seen.add(node);
          else if (cached.length > 16) seen = new Set(cached);
          const parents = node.parents;
          for (let index = 0; index < parents.length; index++) next.push(parents[index]!);
        }
        frontier = next;
      }
      chainCache.set(file, cached);
      return cached;
    },
  };
  return index;
}

function imageOverrides(file: SourceFile, images: unknown): ImageOverride[] {
  if (!Array.isArray(images)) return [];
  const out: ImageOverride[] = [];
  images.forEach((raw, index) => {
    const entry = asRecord(raw);
    const name = asString(entry?.name);
    if (!entry || name === undefined) return;
    const override: ImageOverride = { kustomization: file, index, name };
    const newName = asString(entry.newName);
    const newTag = entry.newTag === undefined || entry.newTag === null ? undefined : String(entry.newTag);
    const digest = asString(entry.digest);
    const tagSuffix = asString(entry.tagSuffix);
    if (newName !== undefined) override.newName = newName;
    if (newTag !== undefined) override.newTag = newTag;
    if (digest !== undefined) override.digest = digest;
    if (tagSuffix !== undefined) override.tagSuffix = tagSuffix;
    out.push(override);
  });
  return out;
}

/**
 * Namespace kustomize gives a file's objects: the outermost kustomization with `namespace:`
 * wins, because its transformer runs last.
 */
export function kustomizeNamespace(chain: readonly KustomizeNode[]): string | undefined {
  let namespace: string | undefined;
  for (let index = 0; index < chain.length; index++) if (chain[index]!.namespace !== undefined) namespace = chain[index]!.namespace;
  return namespace;
}

/** Root-relative paths of the files a kustomization (or Component) uses as patches. */
export function patchPathsOf(node: KustomizeNode): string[] {
  const value = asRecord(node.file.documents[node.docIndex]?.value) ?? {};
  const paths: string[] = [];
  for (const field of ['patches', 'patchesStrategicMerge', 'patchesJson6902']) {
    const list = value[field];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      const target = typeof entry === 'string' ? entry : asString(asRecord(entry)?.path);
      // A patchesStrategicMerge entry may be an inline patch, not a path.
      if (target === undefined || target.includes('\n')) continue;
      const resolved = resolveInRoot(node.dir, target);
      if (resolved !== undefined) paths.push(resolved);
    }
  }
  return paths;
}
