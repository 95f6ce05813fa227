import { realpath, lstat } from 'node:fs/promises';
import path from 'node:path';
import { globbySync } from 'globby';

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
}

/**
 * Files under `dir`, honouring `.gitignore` files and the config's ignore globs. Symlinked
 * files are kept only when they resolve inside the root; symlinked directories are not
 * descended into, so nothing outside the root is read.
 */
export async function discoverFiles(dir: string, ignore: readonly string[]): Promise<Discovery> {
  // Synchronous on purpose: globby checks every entry against .gitignore with a stat, and
  // thousands of promise round trips cost several times what the same sync calls do.
  const entries = globbySync('**/*', {
    cwd: dir,
    dot: true,
    gitignore: true,
    ignore: [...ALWAYS_IGNORED, ...ignore],
    followSymbolicLinks: false,
    onlyFiles: false,
    objectMode: true,
    suppressErrors: true,
  });
  const rootReal = await realpath(dir);
  const files: DiscoveredFile[] = [];
  const escapingLinks: string[] = [];
  for (const entry of entries) {
    const dirent = entry.dirent;
    const relative = entry.path.split(path.sep).join('/');
    const absPath = path.join(dir, relative);
    if (dirent.isSymbolicLink()) {
      const target = await realpath(absPath).catch(() => undefined);
      if (target === undefined || !isInside(rootReal, target)) {
        escapingLinks.push(relative);
        continue;
      }
      const stat = await lstat(target).catch(() => undefined);
      if (!stat?.isFile()) continue;
    } else if (!dirent.isFile()) {
      continue;
    }
    files.push({ path: relative, absPath });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, escapingLinks };
}

export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
