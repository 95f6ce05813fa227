import { lstatSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { resolveInside } from './confine.js';

export { isInside } from './confine.js';
import type { GitFiles } from './git.js';
import { GitignoreRules } from './gitignore.js';

/** Directories never worth reading in a GitOps repo. */
const ALWAYS_IGNORED = ['**/.git/**', '**/node_modules/**'];

export interface DiscoveredFile {
  /** Root-relative path with forward slashes. */
  path: string;
  absPath: string;
  /** A symlink (to a file inside the root): read through it. Other files are never opened through a link. */
  link?: true;
  /**
   * Its size in bytes, when discovery learnt it (git's index for tracked files git finds
   * unchanged, the lstat of an untracked file): a file known to be small is read in one call.
   */
  size?: number;
}

export interface Discovery {
  files: DiscoveredFile[];
  /** Symlinks that point outside the root, by root-relative path. */
  escapingLinks: string[];
  /** Folders that cannot be read (permission denied…), by root-relative path, with the error code. */
  unreadableDirs?: Array<{ path: string; code: string }>;
}

/**
 * The config's ignore globs, with the glob semantics of a walk that is given them as ignore
 * patterns (fast-glob's, `dot: true`): a file is left out when a glob matches its path; a
 * folder is not entered when a glob ending in `**` matches it (everything below matches too).
 */
function configMatchers(ignore: readonly string[]): { file: (relative: string) => boolean; dir: (relative: string) => boolean } {
  const patterns = [...ALWAYS_IGNORED, ...ignore];
  const deep = patterns.filter((pattern) => pattern.endsWith('**'));
  return { file: globMatcher(patterns), dir: deep.length === 0 ? () => false : globMatcher(deep) };
}

/**
 * `picomatch(globs, { dot: true })` without its per-call result objects (two for each glob and
 * path, thousands of paths a run): a path matches a glob when it is the glob itself or its
 * regular expression matches, as picomatch decides for posix paths (ours always are).
 */
function globMatcher(globs: readonly string[]): (relative: string) => boolean {
  const regexes = globs.map((glob) => picomatch.makeRe(glob, { dot: true }));
  return (relative) => {
    if (relative === '') return false;
    for (let i = 0; i < globs.length; i++) if (relative === globs[i] || regexes[i]!.test(relative)) return true;
    return false;
  };
}

/**
 * Files under `dir`, honouring `.gitignore` files and the config's ignore globs. Symlinked
 * files are kept only when they resolve inside the root; symlinked directories are not
 * descended into, so nothing outside the root is read.
 *
 * In a git work tree the list is git's (`gitFiles.present`: tracked files and untracked ones
 * its ignore rules let through), so an ignored `.venv` costs nothing and nested `!`
 * re-includes behave exactly as in git. Outside git, one walk that reads each folder's
 * `.gitignore` before its entries and never enters an ignored folder.
 */
export async function discoverFiles(dir: string, ignore: readonly string[], gitFiles?: GitFiles): Promise<Discovery> {
  const matchers = configMatchers(ignore);
  // A root inside a folder its enclosing repository ignores gets nothing from git: walk it.
  if (gitFiles && gitFiles.present.size > 0) return fromGit(dir, gitFiles, matchers);
  return walk(dir, matchers);
}

function fromGit(dir: string, { present, sizes }: GitFiles, matchers: ReturnType<typeof configMatchers>): Discovery {
  const files: DiscoveredFile[] = [];
  const escapingLinks: string[] = [];
  const absolute = joiner(dir);
  // Whether the files of a folder are left out, by folder (files share few folders): a glob
  // ending in `**` matches it or a folder above, or it or a folder above is a symlink in the
  // work tree (folders of tracked files may have been replaced by links: such a folder is not
  // entered, as the walk would not enter it).
  const leftOut = new Map<string, boolean>();
  const folderLeftOut = (folder: string): boolean => {
    let out = leftOut.get(folder);
    if (out === undefined) {
      const slash = folder.lastIndexOf('/');
      out = (slash !== -1 && folderLeftOut(folder.slice(0, slash))) || matchers.dir(folder) || lstatSync(absolute(folder), { throwIfNoEntry: false })?.isSymbolicLink() === true;
      leftOut.set(folder, out);
    }
    return out;
  };
  // forEach, not for-of: no entry array and iterator result per file.
  present.forEach((mode, relative) => {
    // Tracked regular files are taken from the index mode; untracked entries and symlinks are looked at.
    if (mode === '160000') return;
    const slash = relative.lastIndexOf('/');
    if (matchers.file(relative) || (slash !== -1 && folderLeftOut(relative.slice(0, slash)))) return;
    const absPath = absolute(relative);
    let size = sizes?.get(relative);
    if (mode === undefined || mode === '120000') {
      const stat = lstatSync(absPath, { throwIfNoEntry: false });
      if (!stat) return;
      if (stat.isSymbolicLink()) {
        addLink(dir, relative, files, escapingLinks);
        return;
      }
      if (!stat.isFile()) return;
      size = stat.size;
    }
    files.push(size === undefined ? { path: relative, absPath } : { path: relative, absPath, size });
  });
  files.sort(byPath);
  return { files, escapingLinks };
}

/**
 * `path.join(dir, relative)` for the paths git gives (`/`-separated, without `.`, `..` or
 * empty parts, which git does not accept in its index): without the normalisation pass (a
 * few milliseconds on thousands of files) where the separator is `/` and `dir` is normal.
 */
function joiner(dir: string): (relative: string) => string {
  if (path.sep !== '/' || path.normalize(dir) !== dir) return (relative) => path.join(dir, relative);
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return (relative) => prefix + relative;
}

function walk(dir: string, matchers: ReturnType<typeof configMatchers>): Discovery {
  const gitignore = new GitignoreRules();
  const files: DiscoveredFile[] = [];
  const escapingLinks: string[] = [];
  const unreadableDirs: Array<{ path: string; code: string }> = [];
  const visit = (relativeDir: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(relativeDir === '' ? dir : path.join(dir, relativeDir), { withFileTypes: true });
    } catch (error) {
      if (relativeDir !== '') unreadableDirs.push({ path: relativeDir, code: (error as NodeJS.ErrnoException).code ?? 'error' });
      return;
    }
    const prefix = relativeDir === '' ? '' : `${relativeDir}/`;
    // The folder's own .gitignore applies to its entries: read it first.
    if (entries.some((entry) => entry.name === '.gitignore' && entry.isFile())) {
      try {
        gitignore.add(`${prefix}.gitignore`, readFileSync(path.join(dir, prefix, '.gitignore'), 'utf8'));
      } catch {
        // An unreadable .gitignore ignores nothing, as in git.
      }
    }
    for (const entry of entries) {
      const relative = prefix + entry.name;
      if (entry.isDirectory()) {
        if (matchers.dir(relative) || gitignore.excludes(relative, true)) continue;
        visit(relative);
        continue;
      }
      if (matchers.file(relative) || gitignore.excludes(relative, false)) continue;
      const absPath = path.join(dir, relative);
      if (entry.isSymbolicLink()) {
        addLink(dir, relative, files, escapingLinks);
      } else if (entry.isFile()) {
        files.push({ path: relative, absPath });
      }
    }
  };
  visit('');
  files.sort(byPath);
  escapingLinks.sort();
  unreadableDirs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, escapingLinks, ...(unreadableDirs.length > 0 && { unreadableDirs }) };
}

function byPath(a: DiscoveredFile, b: DiscoveredFile): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * A symlink: kept (read through) when it resolves to a file inside the root, listed as escaping
 * when it leads out. Resolved without touching anything outside the root (realpath would stat
 * the target); links to folders are not followed.
 */
function addLink(dir: string, relative: string, files: DiscoveredFile[], escapingLinks: string[]): void {
  const absPath = path.join(dir, relative);
  const target = resolveInside(dir, absPath);
  if ('escapes' in target) {
    escapingLinks.push(relative);
    return;
  }
  if (lstatSync(target.path, { throwIfNoEntry: false })?.isFile()) files.push({ path: relative, absPath, link: true });
}
