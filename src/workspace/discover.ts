import { readdirSync, readFileSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { globbySync } from 'globby';
import { gitignoreMatcher, isGitignore } from './gitignore.js';
import { resolveInside } from './confine.js';

/** Directories never worth reading in a GitOps repo. */
const ALWAYS_IGNORED = ['**/.git/**', '**/node_modules/**'];

export interface DiscoveredFile {
  /** Root-relative path with forward slashes. */
  path: string;
  absPath: string;
}

export interface Discovery {
  files: DiscoveredFile[];
  /** Symlinks that point outside the root, by root-relative path. */
  escapingLinks: string[];
  /** Folders that cannot be read (permission denied…), by root-relative path, with the error code. */
  unreadableDirs?: Array<{ path: string; code: string }>;
}

/**
 * Files under `dir`, honouring `.gitignore` files and the config's ignore globs. Symlinked
 * files are kept only when they resolve inside the root; symlinked directories are not
 * descended into, so nothing outside the root is read.
 */
export async function discoverFiles(dir: string, ignore: readonly string[]): Promise<Discovery> {
  // One synchronous walk, with .gitignore applied afterwards: globby's own `gitignore`
  // option walks the tree twice and stats every entry, ~10x the cost of the walk itself.
  const all = globbySync('**/*', {
    cwd: dir,
    dot: true,
    ignore: [...ALWAYS_IGNORED, ...ignore],
    followSymbolicLinks: false,
    onlyFiles: false,
    objectMode: true,
    suppressErrors: true,
  });
  const ignoreFiles = new Map<string, string>();
  for (const entry of all) {
    if (!isGitignore(entry.path) || !entry.dirent.isFile()) continue;
    try {
      ignoreFiles.set(entry.path.split(path.sep).join('/'), readFileSync(path.join(dir, entry.path), 'utf8'));
    } catch {
      // An unreadable .gitignore ignores nothing, as in git.
    }
  }
  const ignored = gitignoreMatcher(ignoreFiles);
  const entries = all.filter((entry) => !ignored(entry.path.split(path.sep).join('/')));
  const files: DiscoveredFile[] = [];
  const escapingLinks: string[] = [];
  for (const entry of entries) {
    const dirent = entry.dirent;
    const relative = entry.path.split(path.sep).join('/');
    const absPath = path.join(dir, relative);
    if (dirent.isSymbolicLink()) {
      // Resolved without touching anything outside the root (realpath would stat the target).
      const target = resolveInside(dir, absPath);
      if ('escapes' in target) {
        escapingLinks.push(relative);
        continue;
      }
      const stat = await lstat(target.path).catch(() => undefined);
      if (!stat?.isFile()) continue;
    } else if (!dirent.isFile()) {
      continue;
    }
    files.push({ path: relative, absPath });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, escapingLinks, unreadableDirs: unreadableDirs(dir, entries) };
}

/**
 * The walk skips folders it cannot read without a word (suppressErrors). Such a folder shows up
 * as an entry with nothing under it, so only empty-looking folders are read again to tell an
 * empty folder from an unreadable one.
 */
function unreadableDirs(dir: string, entries: ReadonlyArray<{ path: string; dirent: { isDirectory(): boolean } }>): Array<{ path: string; code: string }> {
  const parents = new Set<string>();
  for (const entry of entries) parents.add(path.dirname(entry.path));
  const unreadable: Array<{ path: string; code: string }> = [];
  for (const entry of entries) {
    if (!entry.dirent.isDirectory() || parents.has(entry.path)) continue;
    try {
      readdirSync(path.join(dir, entry.path));
    } catch (error) {
      unreadable.push({ path: entry.path.split(path.sep).join('/'), code: (error as NodeJS.ErrnoException).code ?? 'error' });
    }
  }
  return unreadable.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
