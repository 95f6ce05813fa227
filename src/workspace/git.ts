import { execFile } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { isInside } from './confine.js';

export interface GitFiles {
  /** Root-relative paths of tracked files. */
  tracked: Set<string>;
  /** Tracked files that the repository's own `.gitignore` files ignore (not a user's global excludes, so results do not vary between machines). */
  trackedIgnored: Set<string>;
  /**
   * What git says is in the work tree: tracked files still present and untracked files its
   * ignore rules let through (`.gitignore` files with nested `!` re-includes,
   * `.git/info/exclude`, the user's excludes file), by root-relative path, with the index mode
   * of tracked files (`120000` a symlink, `160000` a submodule) and `undefined` for untracked
   * ones. Ignored folders such as a `.venv` are not even listed.
   */
  present: Map<string, string | undefined>;
  /**
   * Sizes in bytes of tracked files that git finds unchanged in the work tree, from the stat
   * data in its index (see `readListing`); absent when git did not give them. Only a hint: a
   * file known to be small is read in one call, and its real length is checked all the same.
   */
  sizes?: Map<string, number>;
}

/**
 * Commands the bin started before the bundle was loaded (bin/early-git.js), by folder and
 * arguments (`startedKey`): each is taken once, by the first `git` call that runs exactly that
 * command, so its output is what that call would have got; the rest are never looked at.
 */
const started = new Map<string, Promise<string | undefined>>();

function startedKey(cwd: string, args: readonly string[]): string {
  return `${cwd}\0${args.join('\0')}`;
}

/** Hand over the git commands the bin started early (bin/early-git.js `startGit`). */
export function adoptStartedGit(commands: ReadonlyMap<string, Promise<string | undefined>>): void {
  for (const [key, output] of commands) started.set(key, output);
}

/** Run git in `cwd`; its stdout, or `undefined` when it fails (not a repository, no git). */
export function git(cwd: string, args: readonly string[]): Promise<string | undefined> {
  if (started.size > 0) {
    const key = startedKey(cwd, args);
    const early = started.get(key);
    if (early !== undefined) {
      started.delete(key);
      return early;
    }
  }
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

/**
 * Why git will not work in `dir` when it refuses the repository itself: git's own message when
 * it finds the repository unsafe (owned by another user, not in `safe.directory`), else
 * `undefined` (a work tree, or no repository at all).
 */
export function gitRefusal(dir: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8' }, (error, _stdout, stderr) => {
      if (!error || !/dubious ownership/.test(stderr)) return resolve(undefined);
      resolve(
        stderr
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '')
          .join(' ')
          .replace(/^fatal: /, ''),
      );
    });
  });
}

/**
 * Whether git can find a repository from `dir`: `GIT_DIR` is set, or `dir` (its real path, as
 * git sees it) or a folder above holds a `.git`. When not, every git command there fails, so
 * none is started (each start costs milliseconds, and the first loads child_process).
 */
function mayBeInRepository(dir: string): boolean {
  if (process.env.GIT_DIR !== undefined) return true;
  let real: string;
  try {
    real = realpathSync.native(dir);
  } catch {
    return true;
  }
  return workTreeTop(real) !== undefined;
}

/** The command `gitTopLevel` runs (bin/early-git.js starts it before the bundle loads). */
export const TOP_LEVEL: readonly string[] = ['rev-parse', '--show-toplevel'];

/** Top-level directory of the git work tree containing `dir`, or `undefined` outside one. */
export async function gitTopLevel(dir: string): Promise<string | undefined> {
  if (!mayBeInRepository(dir)) return undefined;
  const out = await git(dir, TOP_LEVEL);
  return out === undefined ? undefined : path.resolve(out.trim());
}

/**
 * Tracked and present files under `dir` (paths relative to `dir`), or `undefined` when `dir`
 * is not in a git work tree (or git is not installed). Paths come from git itself so they
 * match what a commit would contain, with git's exact ignore semantics.
 */
export async function readGitFiles(dir: string): Promise<GitFiles | undefined> {
  if (!mayBeInRepository(dir)) return undefined;
  const [listing, ignored] = await Promise.all([listFiles(dir, []), git(dir, ['ls-files', ...TRACKED_IGNORED])]);
  if (listing === undefined) return undefined;
  return { ...parseListing(listing.entries), trackedIgnored: new Set(splitNul(ignored ?? '')), ...(listing.sizes ? { sizes: listing.sizes } : {}) };
}

// -t tags each entry: H tracked, R deleted from the work tree, C changed in the work tree (git
// lstats each and compares contents where the stat data cannot tell), ? untracked and not
// ignored; -s adds the index mode of tracked entries; --debug prints the stat data the index
// keeps of an entry after it.
export const LISTING = ['-z', '-t', '-s', '--cached', '--deleted', '--modified', '--others', '--exclude-standard'];
export const TRACKED_IGNORED = ['-z', '--cached', '--ignored', '--exclude-per-directory=.gitignore'];

/**
 * The entries of LISTING with the sizes of tracked files git finds unchanged, run in `cwd`
 * (`args` before `ls-files`, `pathspecs` after); without the sizes when git prints its debug
 * lines in a form `readListing` does not know.
 */
async function listFiles(cwd: string, args: readonly string[], pathspecs: readonly string[] = []): Promise<Listing | undefined> {
  const out = await git(cwd, [...args, 'ls-files', ...LISTING, '--debug', ...pathspecs]);
  if (out === undefined) return undefined;
  const listing = readListing(out);
  if (listing !== undefined) return listing;
  const plain = await git(cwd, [...args, 'ls-files', ...LISTING, ...pathspecs]);
  return plain === undefined ? undefined : { entries: splitNul(plain) };
}

interface Listing {
  /** The entries, as `ls-files -t -s` prints them. */
  entries: string[];
  /** The size of each tracked file git finds unchanged (listed `H`, not `C` or `R`), by path as listed; none is 0. */
  sizes?: Map<string, number>;
}

/**
 * What `git ls-files --debug` prints after each index entry (ls-files.c print_debug; git's
 * manual says its form may change, so no other is accepted). The size is the low 32 bits of
 * the work-tree file's size when the index was last refreshed.
 */
const DEBUG_BLOCK = / {2}ctime: \d+:\d+\n {2}mtime: \d+:\d+\n {2}dev: \d+\tino: \d+\n {2}uid: \d+\tgid: \d+\n {2}size: \d+\tflags: [0-9a-f]+\n/y;

/**
 * The output of `ls-files -z -t -s --debug …` as its entries and the sizes of the tracked files
 * git finds unchanged; `undefined` when the debug lines are not of the form DEBUG_BLOCK. With
 * `-z` an entry ends with NUL and the debug lines of an index entry follow it, so they start
 * the next NUL-separated part (no entry starts with a space: each starts with its tag).
 */
export function readListing(out: string): Listing | undefined {
  const entries: string[] = [];
  const sizes = new Map<string, number>();
  const changed = new Set<string>();
  // Parts are walked by offset (no split array, no slice of a debug block's remainder): each
  // entry is the one slice of `out` it becomes.
  for (let start = 0; start <= out.length; ) {
    let end = out.indexOf('\0', start);
    if (end === -1) end = out.length;
    let from = start;
    if (out.charCodeAt(from) === 32) {
      DEBUG_BLOCK.lastIndex = from;
      const matched = DEBUG_BLOCK.test(out);
      const entry = entries.length > 0 ? entries[entries.length - 1]! : undefined;
      const tab = entry === undefined ? -1 : entry.indexOf('\t');
      if (!matched || entry === undefined || tab === -1) return undefined;
      const blockEnd = DEBUG_BLOCK.lastIndex;
      const file = entry.slice(tab + 1);
      // The block's last line is `  size: <digits>\tflags: …`: its digits, read in place (test
      // makes no match array).
      let size = 0;
      for (let digit = out.lastIndexOf('  size: ', blockEnd) + 8; ; digit++) {
        const code = out.charCodeAt(digit);
        if (code < 48 || code > 57) break;
        size = size * 10 + (code - 48);
      }
      // Git zeroes the size of an entry it cannot trust ("smudged": written in the same tick as
      // the index), so a zero says nothing: the file is read the careful way.
      if (entry.charCodeAt(0) === 72 /* H */ && size > 0) sizes.set(file, size);
      else changed.add(file);
      from = blockEnd;
    }
    if (from < end) entries.push(out.slice(from, end));
    start = end + 1;
  }
  for (const file of changed) sizes.delete(file);
  return { entries, sizes };
}

/**
 * `readGitFiles` for the roots of one run: roots in the same work tree (none inside another)
 * are listed by one pair of git commands, run in their common folder with the roots as
 * literal pathspecs, instead of a pair per root; the commands of every root in a work tree
 * start at once (a pair takes 10-30 ms, which the reading of configs and caches now hides). Returns the
 * reader `loadDiskRoot` takes: it hands out these listings and lists any other folder itself.
 */
export function gitFilesReader(dirs: readonly string[]): (dir: string) => Promise<GitFiles | undefined> {
  const listings = new Map<string, Promise<GitFiles | undefined>>();
  // With GIT_DIR or GIT_WORK_TREE set, git does not look for the repository from the folder: each root is listed as asked.
  if (process.env.GIT_DIR === undefined && process.env.GIT_WORK_TREE === undefined) {
    const byTop = new Map<string, Array<{ dir: string; real: string }>>();
    for (const dir of new Set(dirs)) {
      let real: string;
      try {
        real = realpathSync.native(dir);
        if (!statSync(real).isDirectory()) continue;
      } catch {
        continue;
      }
      const top = workTreeTop(real);
      if (top === undefined) continue;
      const group = byTop.get(top) ?? [];
      group.push({ dir, real });
      byTop.set(top, group);
    }
    for (const group of byTop.values()) {
      if (group.length < 2 || group.some((a) => group.some((b) => a !== b && isInside(a.real, b.real)))) {
        // Started now all the same: git lists while the run reads configs and caches.
        for (const root of group) listings.set(root.dir, readGitFiles(root.dir));
        continue;
      }
      const together = listTogether(group.map((root) => root.real));
      group.forEach((root, index) => listings.set(root.dir, together.then((all) => all?.[index] ?? readGitFiles(root.dir))));
    }
  }
  return (dir) => listings.get(dir) ?? readGitFiles(dir);
}

/** The listings of `reals` (real paths of folders in one work tree, none inside another), in order; `undefined` when git fails. */
async function listTogether(reals: readonly string[]): Promise<GitFiles[] | undefined> {
  let common = path.dirname(reals[0]!);
  while (!reals.every((real) => isInside(common, real)) && path.dirname(common) !== common) common = path.dirname(common);
  const specs = reals.map((real) => path.relative(common, real).split(path.sep).join('/'));
  const prefixes = specs.map((spec) => `${spec}/`);
  const args = ['--', ...specs];
  const [listing, ignored] = await Promise.all([listFiles(common, ['--literal-pathspecs'], args), git(common, ['--literal-pathspecs', 'ls-files', ...TRACKED_IGNORED, ...args])]);
  if (listing === undefined || ignored === undefined) return undefined;
  const count = prefixes.length;
  const sizes: Array<Map<string, number>> = new Array(count);
  const trackedIgnored: Array<Set<string>> = new Array(count);
  for (let index = 0; index < count; index++) {
    sizes[index] = new Map();
    trackedIgnored[index] = new Set();
  }
  listing.sizes?.forEach((size, file) => {
    const index = prefixAt(prefixes, file, 0);
    if (index !== -1) sizes[index]!.set(file.slice(prefixes[index]!.length), size);
  });
  // Entries are relative to the common folder: each goes to the root its path starts with, made relative to that root.
  const parsed = parseListing(listing.entries, prefixes);
  const files = splitNul(ignored);
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const index = prefixAt(prefixes, file, 0);
    if (index !== -1) trackedIgnored[index]!.add(file.slice(prefixes[index]!.length));
  }
  const out: GitFiles[] = new Array(count);
  for (let index = 0; index < count; index++) {
    const { tracked, present } = parsed[index]!;
    out[index] = listing.sizes ? { tracked, present, trackedIgnored: trackedIgnored[index]!, sizes: sizes[index]! } : { tracked, present, trackedIgnored: trackedIgnored[index]! };
  }
  return out;
}

/** The common index modes, one string each for every entry that has one. */
const MODES = ['100644', '100755', '120000', '160000'];

/** The index mode of a tracked entry (`<tag> <mode> <object> <stage>\t<path>`). */
function modeOf(entry: string): string {
  const end = entry.indexOf(' ', 2);
  if (end === 8) for (let index = 0; index < MODES.length; index++) if (entry.startsWith(MODES[index]!, 2)) return MODES[index]!;
  return entry.slice(2, end);
}

/** The index of the first of `prefixes` that `text` has at `start`, or -1. */
function prefixAt(prefixes: readonly string[], text: string, start: number): number {
  for (let index = 0; index < prefixes.length; index++) if (text.startsWith(prefixes[index]!, start)) return index;
  return -1;
}

/**
 * The tracked and present files of LISTING's entries; with `prefixes` (roots listed together
 * from their common folder), one result per prefix, each entry going to the first prefix its
 * path starts with, made relative to it (entries under none are dropped).
 */
function parseListing(entries: readonly string[]): Pick<GitFiles, 'tracked' | 'present'>;
function parseListing(entries: readonly string[], prefixes: readonly string[]): Array<Pick<GitFiles, 'tracked' | 'present'>>;
function parseListing(entries: readonly string[], prefixes?: readonly string[]): Pick<GitFiles, 'tracked' | 'present'> | Array<Pick<GitFiles, 'tracked' | 'present'>> {
  const count = prefixes === undefined ? 1 : prefixes.length;
  const tracked: Array<Set<string>> = new Array(count);
  const deleted: Array<Set<string>> = new Array(count);
  const present: Array<Map<string, string | undefined>> = new Array(count);
  for (let index = 0; index < count; index++) {
    tracked[index] = new Set();
    deleted[index] = new Set();
    present[index] = new Map();
  }
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const untracked = entry.charCodeAt(0) === 63; /* ? */
    const tab = untracked ? -1 : entry.indexOf('\t');
    if (!untracked && tab === -1) continue;
    let start = untracked ? 2 : tab + 1;
    let index = 0;
    if (prefixes !== undefined) {
      index = prefixAt(prefixes, entry, start);
      if (index === -1) continue;
      start += prefixes[index]!.length;
    }
    if (untracked) {
      // An untracked nested repository is listed as its folder: git does not look inside.
      if (!(entry.length > start && entry.charCodeAt(entry.length - 1) === 47)) present[index]!.set(entry.slice(start), undefined);
      continue;
    }
    const tag = entry.charCodeAt(0);
    // A changed file is listed H first.
    if (tag === 67 /* C */) continue;
    const file = entry.slice(start);
    if (tag === 82 /* R */) deleted[index]!.add(file);
    else {
      // Unmerged files have one entry per stage.
      tracked[index]!.add(file);
      present[index]!.set(file, modeOf(entry));
    }
  }
  const out: Array<Pick<GitFiles, 'tracked' | 'present'>> = new Array(count);
  for (let index = 0; index < count; index++) {
    const map = present[index]!;
    deleted[index]!.forEach((file) => map.delete(file));
    out[index] = { tracked: tracked[index]!, present: map };
  }
  return prefixes === undefined ? out[0]! : out;
}

export interface GitBranches {
  /** The checked-out branch; the default branch when HEAD is detached (as in CI). */
  branch?: string;
  /** `origin/HEAD`'s target, else `main`, else `master` (local or on origin), when one exists. */
  defaultBranch?: string;
}

/** The git directory and common directory (they differ in linked worktrees) of the work tree holding `dir`. */
export function gitDirsOf(dir: string): { gitDir: string; commonDir: string } | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const dotGit = path.join(current, '.git');
    let gitDir: string | undefined;
    try {
      if (statSync(dotGit).isDirectory()) gitDir = dotGit;
      else {
        const pointer = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'))?.[1];
        if (pointer !== undefined) gitDir = path.resolve(current, pointer);
      }
    } catch {
      // No .git here: look further up.
    }
    if (gitDir !== undefined) {
      const common = readText(path.join(gitDir, 'commondir'))?.trim();
      return { gitDir, commonDir: common ? path.resolve(gitDir, common) : gitDir };
    }
    if (path.dirname(current) === current) return undefined;
  }
}

/**
 * Top level of the git work tree holding `dir` (the folder with its `.git`), found without
 * starting git; `undefined` outside a work tree.
 */
export function workTreeTop(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Branch names read from the files git keeps (HEAD, loose refs, packed-refs); `undefined` when the layout is not the plain one. */
function readBranchFiles(dir: string): GitBranches | undefined {
  const dirs = gitDirsOf(dir);
  if (!dirs) return {};
  if (existsSync(path.join(dirs.commonDir, 'reftable'))) return undefined;
  const head = readText(path.join(dirs.gitDir, 'HEAD'))?.trim();
  if (head === undefined) return undefined;
  const packed = readText(path.join(dirs.commonDir, 'packed-refs')) ?? '';
  const exists = (ref: string): boolean => existsSync(path.join(dirs.commonDir, ...ref.split('/'))) || packed.includes(` ${ref}\n`);
  const remoteHead = /^ref:\s*refs\/remotes\/origin\/(.+)$/.exec(readText(path.join(dirs.commonDir, 'refs', 'remotes', 'origin', 'HEAD'))?.trim() ?? '')?.[1];
  let defaultBranch: string | undefined = remoteHead;
  if (defaultBranch === undefined && (exists('refs/heads/main') || exists('refs/remotes/origin/main'))) defaultBranch = 'main';
  else if (defaultBranch === undefined && (exists('refs/heads/master') || exists('refs/remotes/origin/master'))) defaultBranch = 'master';
  const attached = /^ref:\s*refs\/heads\/(.+)$/.exec(head)?.[1];
  if (attached === undefined && !/^[0-9a-f]{40,64}$/.test(head)) return undefined;
  const result: GitBranches = {};
  const branch = attached ?? defaultBranch;
  if (branch !== undefined) result.branch = branch;
  if (defaultBranch !== undefined) result.defaultBranch = defaultBranch;
  return result;
}

const REMOTE_REFS = ['refs/remotes/origin/HEAD', 'refs/remotes/origin/main', 'refs/remotes/origin/master'];

/**
 * Which branch a work tree has checked out, and the repository's default branch. Read from
 * git's files (no process to start); git itself answers when the layout is unusual (reftable).
 */
export async function readGitBranches(dir: string): Promise<GitBranches> {
  const fromFiles = readBranchFiles(dir);
  if (fromFiles) return fromFiles;
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
