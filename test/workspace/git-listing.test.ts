import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitFilesReader, gitTopLevel, readGitFiles, readListing, type GitFiles } from '../../src/workspace/git.js';
import { GitRepo } from '../staged/git-repo.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A GitFiles as plain sorted data, to compare listings. */
function plain(files: GitFiles | undefined) {
  if (files === undefined) return undefined;
  return {
    tracked: [...files.tracked].sort(),
    trackedIgnored: [...files.trackedIgnored].sort(),
    present: [...files.present].sort(([a], [b]) => (a < b ? -1 : 1)),
    sizes: [...(files.sizes ?? [])].sort(([a], [b]) => (a < b ? -1 : 1)),
  };
}

/**
 * Two roots in one repository, with what each listing must get right: a tracked file, a
 * deleted one, an untracked one, an ignored folder, a nested `!` re-include, a tracked file the
 * `.gitignore` ignores (force-added), a symlink, and folder names that are pathspec globs.
 */
function twoRootRepo(): GitRepo {
  const repo = new GitRepo().write({
    '.gitignore': '.venv/\n*.tfstate\n',
    'apps[1]/.gitignore': 'secrets/*\n',
    'apps[1]/deploy/app.yaml': 'a: 1\n',
    'apps[1]/deploy/gone.yaml': 'a: 1\n',
    'apps[1]/secrets/.gitignore': '!keep/\n',
    'apps[1]/secrets/keep/db.yaml': 'a: 1\n',
    'apps[1]/secrets/local/db.yaml': 'a: 1\n',
    'apps[1]/.venv/lib/site.yaml': 'a: 1\n',
    'apps*/infra/main.tf': 'a = 1\n',
    'apps*/infra/old.tfstate': '{}\n',
    'apps1/decoy.yaml': 'a: 1\n',
  });
  dirs.push(repo.dir);
  repo.link('apps[1]/deploy/link.yaml', 'app.yaml').add('.').git('add', '-f', 'apps*/infra/old.tfstate');
  repo.commit().remove('apps[1]/deploy/gone.yaml').write({ 'apps[1]/deploy/app.yaml': 'a: 22\n', 'apps[1]/deploy/new.yaml': 'a: 1\n', 'apps*/infra/new.tf': 'b = 2\n' });
  return repo;
}

describe('git listings of several roots', () => {
  it('two roots in one repository get, from one pair of git commands, what each gets listed alone', async () => {
    const repo = twoRootRepo();
    const first = repo.path('apps[1]');
    const second = repo.path('apps*');

    const read = gitFilesReader([first, second]);
    const [together1, together2] = await Promise.all([read(first), read(second)]);

    expect(plain(together1)).toEqual(plain(await readGitFiles(first)));
    expect(plain(together2)).toEqual(plain(await readGitFiles(second)));
    expect(plain(together1)).toEqual({
      // secrets/.gitignore is itself ignored (`secrets/*`), yet git reads it: keep/ is re-included.
      tracked: ['.gitignore', 'deploy/app.yaml', 'deploy/gone.yaml', 'deploy/link.yaml', 'secrets/keep/db.yaml'],
      trackedIgnored: [],
      present: [
        ['.gitignore', '100644'],
        ['deploy/app.yaml', '100644'],
        ['deploy/link.yaml', '120000'],
        ['deploy/new.yaml', undefined],
        ['secrets/keep/db.yaml', '100644'],
      ],
      // The index's sizes of tracked files git finds unchanged: not the changed app.yaml, not
      // the deleted gone.yaml; the link's is the length of its target's name.
      sizes: [
        ['.gitignore', 10],
        ['deploy/link.yaml', 8],
        ['secrets/keep/db.yaml', 5],
      ],
    });
    expect(plain(together2)).toEqual({
      tracked: ['infra/main.tf', 'infra/old.tfstate'],
      trackedIgnored: ['infra/old.tfstate'],
      present: [
        ['infra/main.tf', '100644'],
        ['infra/new.tf', undefined],
        ['infra/old.tfstate', '100644'],
      ],
      sizes: [
        ['infra/main.tf', 6],
        ['infra/old.tfstate', 3],
      ],
    });
  });

  it('a root inside another and a folder outside git are each listed as asked', async () => {
    const repo = twoRootRepo();
    const outside = mkdtempSync(path.join(tmpdir(), 'gitops-lint-nogit-'));
    dirs.push(outside);
    const read = gitFilesReader([repo.dir, repo.path('apps*'), outside]);

    expect(plain(await read(repo.path('apps*')))).toEqual(plain(await readGitFiles(repo.path('apps*'))));
    expect(plain(await read(repo.dir))?.tracked).toContain('apps1/decoy.yaml');
    expect(await read(outside)).toBeUndefined();
  });
});

describe('the listing with index sizes', () => {
  const debug = (size: number) => `  ctime: 1796560702:979223380\n  mtime: 1796560702:979223380\n  dev: 65024\tino: 4547001\n  uid: 0\tgid: 0\n  size: ${size}\tflags: 100000\n`;
  const entry = (tag: string, file: string) => `${tag} 100644 78981922613b2afb6025042ff6bd878ac1994e85 0\t${file}`;

  it('takes the debug lines after each index entry out of the entries, and keeps the sizes of the files not listed as changed or deleted (not a zero: git zeroes sizes it cannot trust)', () => {
    const out = `? new.yaml\0${entry('H', 'a.yaml')}\0${debug(2)}${entry('C', 'a.yaml')}\0${debug(2)}${entry('H', 'dir/new\nline.yaml')}\0${debug(3)}${entry('H', 'gone.yaml')}\0${debug(4)}${entry('R', 'gone.yaml')}\0${debug(4)}${entry('H', 'big.json')}\0${debug(5000000)}${entry('H', 'smudged.yaml')}\0${debug(0)}`;
    expect(readListing(out)).toEqual({
      entries: ['? new.yaml', entry('H', 'a.yaml'), entry('C', 'a.yaml'), entry('H', 'dir/new\nline.yaml'), entry('H', 'gone.yaml'), entry('R', 'gone.yaml'), entry('H', 'big.json'), entry('H', 'smudged.yaml')],
      sizes: new Map([['dir/new\nline.yaml', 3], ['big.json', 5000000]]),
    });
    expect(readListing('')).toEqual({ entries: [], sizes: new Map() });
  });

  it('gives nothing when the debug lines are not of the form it knows (git says they may change)', () => {
    expect(readListing(`${entry('H', 'a.yaml')}\0  ctime: 1:2\n  size: 3\n`)).toBeUndefined();
    expect(readListing(`? a.yaml\0${debug(2)}`)).toBeUndefined();
    expect(readListing(`${debug(2)}${entry('H', 'a.yaml')}\0`)).toBeUndefined();
  });
});

describe('git outside a work tree', () => {
  // A `git` on PATH that only leaves a mark: no `.git` in the folder or above it means git
  // cannot find a repository there, so it is not started at all.
  it.skipIf(process.platform === 'win32')('is not started where no folder up to / holds a .git', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'gitops-lint-nogit-'));
    dirs.push(outside);
    const bin = path.join(outside, 'bin');
    const marks = path.join(outside, 'marks');
    mkdirSync(bin);
    mkdirSync(marks);
    writeFileSync(path.join(bin, 'git'), `#!/bin/sh\ntouch "${marks}/$$"\nexit 128\n`);
    chmodSync(path.join(bin, 'git'), 0o755);
    const saved = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${saved ?? ''}`;
    try {
      expect(await readGitFiles(outside)).toBeUndefined();
      expect(await gitTopLevel(outside)).toBeUndefined();
      expect(readdirSync(marks)).toEqual([]);
      // With a .git, git is asked (and here answers with an error).
      mkdirSync(path.join(outside, '.git'));
      expect(await readGitFiles(outside)).toBeUndefined();
      expect(readdirSync(marks)).toHaveLength(2);
    } finally {
      process.env.PATH = saved;
    }
  });
});
