import { execFile } from 'node:child_process';

export interface GitFiles {
  /** Root-relative paths of tracked files. */
  tracked: Set<string>;
  /** Tracked files that the repository's own `.gitignore` files ignore (not a user's global excludes, so results do not vary between machines). */
  trackedIgnored: Set<string>;
}

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout) => {
      resolve(error ? undefined : stdout);
    });
  });
}

function splitZ(out: string): Set<string> {
  return new Set(out.split('\0').filter((entry) => entry.length > 0));
}

/**
 * Tracked files under `dir` (paths relative to `dir`), or `undefined` when `dir` is not in a
 * git work tree (or git is not installed). Paths come from git itself so they match what
 * a commit would contain.
 */
export async function readGitFiles(dir: string): Promise<GitFiles | undefined> {
  const [tracked, ignored] = await Promise.all([
    git(dir, ['-c', 'core.quotepath=off', 'ls-files', '-z', '--cached']),
    git(dir, ['-c', 'core.quotepath=off', 'ls-files', '-z', '--cached', '--ignored', '--exclude-per-directory=.gitignore']),
  ]);
  if (tracked === undefined) return undefined;
  return { tracked: splitZ(tracked), trackedIgnored: splitZ(ignored ?? '') };
}
