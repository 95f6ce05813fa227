import { spawn } from 'node:child_process';
import path from 'node:path';
import ignore from 'ignore';
import type { ResolvedConfig } from '../config/types.js';
import type { RunNote } from '../model/finding.js';
import type { Root, SourceFile } from '../model/workspace.js';
import { chartTemplateNotes, chartTemplates } from './chart-templates.js';
import { git, readGitBranches, splitNul } from './git.js';
import { needsContent, rootName } from './load.js';
import { MAX_FILE_BYTES, loadSourceFile } from './source-file.js';
import type { ParseCache } from './parse-cache.js';

/** One stage-0 entry of the git index. */
export interface IndexEntry {
  /** `100644`, `100755`, `120000` (symlink) or `160000` (submodule). */
  mode: string;
  /** Blob id. */
  object: string;
}

/** What `--staged` needs from a repository's index. Paths are relative to the top level. */
export interface StagedIndex {
  /** The repository's top-level directory. */
  repo: string;
  /** Stage-0 entries by path. */
  entries: Map<string, IndexEntry>;
  /** Paths with only conflict stages (1–3): the merge is not resolved yet. */
  unmerged: Set<string>;
  /** Staged for commit: added, copied, modified, renamed, type-changed (no deletions). */
  forCommit: Set<string>;
  /** Tracked paths that the repository's ignore rules ignore. */
  ignored: Set<string>;
}

/** Directories never read, as in working-tree discovery. */
const ALWAYS_IGNORED = ignore().add(['.git/', 'node_modules/']);

const MAX_SYMLINK_HOPS = 8;

/**
 * The commands `readStagedIndex` runs: the index entries, the files staged for commit and the
 * tracked files ignore rules ignore (bin/early-git.js starts them before the bundle loads).
 */
export const INDEX_COMMANDS: ReadonlyArray<readonly string[]> = [
  ['ls-files', '--stage', '-z'],
  ['diff', '--cached', '--name-only', '-z', '--no-ext-diff', '--diff-filter=ACMRTUXB'],
  ['ls-files', '-z', '--cached', '--ignored', '--exclude-standard'],
];

/**
 * Read the index of the repository at `repo` (its top level): entries, the files staged for
 * commit (the set pre-commit passes by default) and the tracked files ignore rules ignore.
 */
export async function readStagedIndex(repo: string): Promise<StagedIndex> {
  const [listing, forCommit, ignored] = await Promise.all(INDEX_COMMANDS.map((command) => git(repo, [...command])));
  if (listing === undefined || forCommit === undefined) throw new Error(`Cannot read the git index of ${repo}.`);
  const entries = new Map<string, IndexEntry>();
  const conflicted = new Set<string>();
  for (const record of splitNul(listing)) {
    // `<mode> <object> <stage>\t<path>`
    const tab = record.indexOf('\t');
    const [mode, object, stage] = record.slice(0, tab).split(' ');
    const file = record.slice(tab + 1);
    if (mode === undefined || object === undefined || tab === -1) continue;
    if (stage === '0') entries.set(file, { mode, object });
    else conflicted.add(file);
  }
  const unmerged = new Set([...conflicted].filter((file) => !entries.has(file)));
  return { repo, entries, unmerged, forCommit: new Set(splitNul(forCommit)), ignored: new Set(splitNul(ignored ?? '')) };
}

/** A blob's content, or its size when it is larger than the limit and was not kept. */
export type Blob = Buffer | { tooLarge: number };

/**
 * Contents of blobs, read through one `git cat-file --batch` process. Blobs larger than
 * `maxBytes` are not kept in memory.
 */
export function readBlobs(repo: string, objects: Iterable<string>, maxBytes = MAX_FILE_BYTES): Promise<Map<string, Blob>> {
  const wanted = [...new Set(objects)];
  const blobs = new Map<string, Blob>();
  if (wanted.length === 0) return Promise.resolve(blobs);
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: repo, stdio: ['pipe', 'pipe', 'ignore'] });
    let pending: Buffer = Buffer.alloc(0);
    // The object whose content is being read, and how much of it is still to come.
    let current: { object: string; size: number; chunks: Buffer[] | undefined; left: number } | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        if (current) {
          // Content is followed by one LF.
          const take = Math.min(current.left, pending.length);
          if (take > 0 && current.left > 1) current.chunks?.push(pending.subarray(0, Math.min(take, current.left - 1)));
          current.left -= take;
          pending = pending.subarray(take);
          if (current.left > 0) return;
          blobs.set(current.object, current.chunks ? Buffer.concat(current.chunks) : { tooLarge: current.size });
          current = undefined;
          continue;
        }
        const newline = pending.indexOf(0x0a);
        if (newline === -1) return;
        const header = pending.subarray(0, newline).toString('utf8').split(' ');
        pending = pending.subarray(newline + 1);
        const [object, type, size] = header;
        if (object === undefined || type === 'missing' || size === undefined) continue;
        const bytes = Number(size);
        current = { object, size: bytes, chunks: bytes <= maxBytes ? [] : undefined, left: bytes + 1 };
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(blobs);
      else reject(new Error(`git cat-file exited with code ${String(code)} in ${repo}.`));
    });
    child.stdin.on('error', reject);
    child.stdin.end(wanted.map((object) => `${object}\n`).join(''));
  });
}

/** The root-relative path of a repository path, when it is under the root's folder `prefix`. */
function underDir(prefix: string, repoPath: string): string | undefined {
  if (prefix === '') return repoPath;
  return repoPath.startsWith(`${prefix}/`) ? repoPath.slice(prefix.length + 1) : undefined;
}

/** Follow a chain of index symlinks to the regular file it names; `outside` when it leaves the root. */
function resolveLink(index: StagedIndex, linkTargets: ReadonlyMap<string, string>, start: string, rootPrefix: string): string | 'outside' | undefined {
  let current = start;
  for (let hop = 0; hop < MAX_SYMLINK_HOPS; hop++) {
    const target = linkTargets.get(current);
    if (target === undefined) return undefined;
    if (path.posix.isAbsolute(target)) return 'outside';
    const next = path.posix.normalize(path.posix.join(path.posix.dirname(current), target));
    if (next === '..' || next.startsWith('../') || (rootPrefix !== '' && !next.startsWith(`${rootPrefix}/`))) return 'outside';
    const entry = index.entries.get(next);
    if (!entry || entry.mode === '160000') return undefined;
    if (entry.mode !== '120000') return next;
    current = next;
  }
  return undefined;
}

export interface StagedRoot {
  root: Root;
  files: SourceFile[];
  /** Absolute paths of this root's files that are staged for commit. */
  forCommit: Set<string>;
  /** Files whose values the parse cache gave back or that were parsed, when one was used. */
  parseCache?: ParseCache['stats'];
}

/**
 * Load a root from the git index instead of the working tree: every index entry under `dir`
 * with its staged content, so a file deleted or changed after `git add` is linted as staged.
 * Ignore files do not apply to tracked files (as in git); the config's `ignore` globs do.
 */
/** @param cache Parsed values of earlier runs, by text (see parse-cache.ts); staged blobs are read through it too. */
export async function loadStagedRoot(
  dir: string,
  index: StagedIndex,
  config: ResolvedConfig,
  notes: RunNote[],
  cache?: ParseCache,
  onListed?: (paths: readonly string[]) => void,
): Promise<StagedRoot> {
  const rootPrefix = path.relative(index.repo, dir).split(path.sep).join('/');
  const relativeOf = (repoPath: string) => underDir(rootPrefix, repoPath);
  const repoPathOf = (relative: string) => (rootPrefix === '' ? relative : `${rootPrefix}/${relative}`);
  const collect = (paths: Iterable<string>) => new Set([...paths].flatMap((repoPath) => relativeOf(repoPath) ?? []));
  const root: Root = {
    dir,
    name: rootName(dir),
    git: true,
    repo: index.repo,
    tracked: collect(index.entries.keys()),
    trackedIgnored: collect(index.ignored),
    config,
    ...(await readGitBranches(dir)),
  };
  for (const relative of collect(index.unmerged)) {
    notes.push({ message: `Skipped ${relative}: it has unresolved merge conflicts in the index.`, file: path.join(dir, relative) });
  }

  // Which blob each file's content comes from; `null` when it is not read.
  const configIgnore = ignore().add(config.ignore);
  const plan: Array<{ relative: string; absPath: string; object: string | null }> = [];
  const links = new Map<string, string>();
  for (const [repoPath, entry] of index.entries) {
    const relative = relativeOf(repoPath);
    if (relative === undefined || entry.mode === '160000') continue;
    if (ALWAYS_IGNORED.ignores(relative) || configIgnore.ignores(relative)) continue;
    if (entry.mode === '120000') links.set(repoPath, entry.object);
    plan.push({ relative, absPath: path.join(dir, relative), object: needsContent(relative) ? entry.object : null });
  }
  const listed = plan.map((item) => item.relative);
  onListed?.(listed);
  // Helm chart templates are not read, as in the working tree (see chartTemplates).
  const templates = chartTemplates(listed);
  notes.push(...chartTemplateNotes(dir, templates));
  for (const item of plan) if (templates.has(item.relative)) item.object = null;

  // Symlink blobs hold the link target. Like discovery on disk, a link is linted as the
  // regular file it names when that is inside the root, and skipped otherwise.
  const linkBlobs = await readBlobs(index.repo, links.values());
  const linkTargets = new Map<string, string>();
  for (const [repoPath, object] of links) {
    const blob = linkBlobs.get(object);
    if (Buffer.isBuffer(blob)) linkTargets.set(repoPath, blob.toString('utf8'));
  }
  const kept = plan.filter((item) => {
    if (!links.has(repoPathOf(item.relative))) return true;
    const target = resolveLink(index, linkTargets, repoPathOf(item.relative), rootPrefix);
    if (target === 'outside') notes.push({ message: `Skipped symlink ${item.relative}: it points outside the root.`, file: item.absPath });
    if (target === undefined || target === 'outside') return false;
    if (item.object !== null) item.object = index.entries.get(target)?.object ?? null;
    return true;
  });

  const blobs = await readBlobs(index.repo, kept.flatMap((item) => item.object ?? []));
  const files: SourceFile[] = [];
  const forCommit = new Set<string>();
  for (const item of kept) {
    if (index.forCommit.has(repoPathOf(item.relative))) forCommit.add(item.absPath);
    const blob = item.object === null ? undefined : blobs.get(item.object);
    if (item.object !== null && !Buffer.isBuffer(blob)) {
      const reason = blob === undefined ? 'its staged content cannot be read' : `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`;
      notes.push({ message: `Skipped ${item.relative}: ${reason}.`, file: item.absPath });
      files.push(loadSourceFile(root, item.relative, item.absPath, undefined).file);
      continue;
    }
    const outcome = loadSourceFile(root, item.relative, item.absPath, Buffer.isBuffer(blob) ? blob : undefined, cache);
    if (outcome.skipped) notes.push({ message: `Skipped ${item.relative}: ${outcome.skipped}.`, file: item.absPath });
    files.push(outcome.file);
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  cache?.save();
  return { root, files, forCommit, ...(cache ? { parseCache: cache.stats } : {}) };
}
