import { execFile } from 'node:child_process';
import path from 'node:path';

export interface GitFiles {
  /** Root-relative paths of tracked files. */
  tracked: Set<string>;
  /** Tracked files that the repository's own `.gitignore` files ignore (not a user's global excludes, so results do not vary between machines). */
  trackedIgnored: Set<string>;
}

/** Run git in `cwd`; its stdout, or `undefined` when it fails (not a repository, no git). */
export function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['-c', 'core.quotepath=off', ...args], { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout) => {
      resolve(error ? undefined : stdout);
    });
  });
}

/** Entries of git's `-z` output. */
export function splitNul(out: string): string[] {
  return out.split('\0').filter((entry) => entry.length > 0);
}

/** Top-level directory of the git work tree containing `dir`, or `undefined` outside one. */
export async function gitTopLevel(dir: string): Promise<string | undefined> {
  const out = await git(dir, ['rev-parse', '--show-toplevel']);
  return out === undefined ? undefined : path.resolve(out.trim());
}

/**
 * Tracked files under `dir` (paths relative to `dir`), or `undefined` when `dir` is not in a
 * git work tree (or git is not installed). Paths come from git itself so they match what
 * a commit would contain.
 */
export async function readGitFiles(dir: string): Promise<GitFiles | undefined> {
  const [tracked, ignored] = await Promise.all([
    git(dir, ['ls-files', '-z', '--cached']),
    git(dir, ['ls-files', '-z', '--cached', '--ignored', '--exclude-per-directory=.gitignore']),
  ]);
  if (tracked === undefined) return undefined;
  return { tracked: new Set(splitNul(tracked)), trackedIgnored: new Set(splitNul(ignored ?? '')) };
}

export interface GitBranches {
  /** The checked-out branch; the default branch when HEAD is detached (as in CI). */
  branch?: string;
  /** `origin/HEAD`'s target, else `main`, else `master` (local or on origin), when one exists. */
  defaultBranch?: string;
}

const REMOTE_REFS = ['refs/remotes/origin/HEAD', 'refs/remotes/origin/main', 'refs/remotes/origin/master'];

/** Which branch a work tree has checked out, and the repository's default branch (one git call). */
export async function readGitBranches(dir: string): Promise<GitBranches> {
  // `%(HEAD)` marks the checked-out branch; no branch is marked when HEAD is detached.
  const out = await git(dir, ['for-each-ref', '--format=%(HEAD)%00%(refname)%00%(symref:short)', 'refs/heads/', ...REMOTE_REFS]);
  const found = new Map<string, string>();
  let head: string | undefined;
  for (const line of (out ?? '').split('\n')) {
    const [mark, ref, symref] = line.split('\0');
    if (ref === undefined) continue;
    found.set(ref, symref ?? '');
    if (mark === '*' && ref.startsWith('refs/heads/')) head = ref.slice('refs/heads/'.length);
  }
  const remoteHead = found.get('refs/remotes/origin/HEAD');
  let defaultBranch: string | undefined;
  if (remoteHead) defaultBranch = remoteHead.replace(/^origin\//, '');
  else if (found.has('refs/heads/main') || found.has('refs/remotes/origin/main')) defaultBranch = 'main';
  else if (found.has('refs/heads/master') || found.has('refs/remotes/origin/master')) defaultBranch = 'master';
  const branch = head ?? defaultBranch;
  const result: GitBranches = {};
  if (branch !== undefined) result.branch = branch;
  if (defaultBranch !== undefined) result.defaultBranch = defaultBranch;
  return result;
}
