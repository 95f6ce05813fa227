import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import sopsSecretEncrypted from '../../rules/sops-secret-encrypted.js';
import { lint } from '../../src/engine/lint.js';
import type { Rule } from '../../src/model/rule.js';
import { discoverFiles } from '../../src/workspace/discover.js';
import { gitignoreMatcher } from '../../src/workspace/gitignore.js';
import { readGitFiles } from '../../src/workspace/git.js';
import { GitRepo } from '../staged/git-repo.js';

const rules = [sopsSecretEncrypted] as unknown as Rule<string, never>[];

/** A plaintext Secret: reported on `stringData` (line 6, columns 1–11). */
const PLAIN_SECRET = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: apps\nstringData:\n  password: hunter2\n';

/** `secrets/*` ignores everything in secrets/, and the nested .gitignore re-includes keep/ (git honours it: the deeper file wins). */
const REINCLUDED = {
  '.gitignore': 'secrets/*\n',
  'secrets/.gitignore': '!keep/\n',
  'secrets/keep/db.yaml': PLAIN_SECRET,
  'secrets/local/db.yaml': PLAIN_SECRET,
};

function where(result: Awaited<ReturnType<typeof lint>>): string[] {
  return result.findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn}-${f.location.endLine}:${f.location.endColumn} ${f.ruleId}`);
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-discover-'));
  dirs.push(dir);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('discovery from git', () => {
  it('a committed plaintext Secret under a re-included path is caught by the plain run, as --staged catches it', async () => {
    const repo = new GitRepo().write(REINCLUDED);
    dirs.push(repo.dir);
    repo.add('.');
    // git itself says the re-included file is not ignored, and the others in secrets/ are
    // (secrets/.gitignore too: git reads it all the same).
    expect(repo.git('ls-files', '--cached')).toBe('.gitignore\nsecrets/keep/db.yaml\n');

    const staged = await lint({ roots: ['.'], cwd: repo.dir, rules, staged: true });
    expect(where(staged)).toEqual(['secrets/keep/db.yaml:6:1-6:11 sops-secret-encrypted']);

    repo.commit();
    const plain = await lint({ roots: ['.'], cwd: repo.dir, rules });
    expect(where(plain)).toEqual(['secrets/keep/db.yaml:6:1-6:11 sops-secret-encrypted']);
  });

  it('lists tracked files and untracked ones git does not ignore, without deleted files or ignored folders', async () => {
    const repo = new GitRepo().write({
      '.gitignore': '.venv/\n',
      'deploy/app.yaml': 'a: 1\n',
      'deploy/gone.yaml': 'a: 1\n',
      '.venv/lib/site.yaml': 'a: 1\n',
    });
    dirs.push(repo.dir);
    repo.add('.').commit().remove('deploy/gone.yaml').write({ 'deploy/new.yaml': 'a: 1\n' });
    repo.git('rm', '-q', '--cached', 'deploy/app.yaml');
    repo.git('add', '-N', 'deploy/new.yaml');

    const gitFiles = await readGitFiles(repo.dir);
    const discovery = await discoverFiles(repo.dir, [], gitFiles);

    expect(discovery.files.map((file) => file.path)).toEqual(['.gitignore', 'deploy/app.yaml', 'deploy/new.yaml']);
    expect([...(gitFiles?.tracked ?? [])].sort()).toEqual(['.gitignore', 'deploy/gone.yaml', 'deploy/new.yaml']);
  });

  it('applies the config ignore globs on top of git, as the walk applies them', async () => {
    const repo = new GitRepo().write({ 'vendor/a.yaml': 'a: 1\n', 'deploy/app.yaml': 'a: 1\n', 'deploy/app.json': '{}\n' });
    dirs.push(repo.dir);
    repo.add('.').commit();

    const ignore = ['vendor/**', '*.json', 'deploy/*.json'];
    const fromGit = await discoverFiles(repo.dir, ignore, await readGitFiles(repo.dir));
    const walked = await discoverFiles(repo.dir, ignore);

    expect(fromGit.files.map((file) => file.path)).toEqual(['deploy/app.yaml']);
    expect(walked.files.map((file) => file.path)).toEqual(['deploy/app.yaml']);
  });

  it('does not list files through a tracked folder that the work tree replaced with a symlink leaving the root', async () => {
    const outside = tempDir({ 'app.yaml': PLAIN_SECRET, 'db.yaml': PLAIN_SECRET });
    const repo = new GitRepo().write({ 'deploy/app.yaml': 'a: 1\n' });
    dirs.push(repo.dir);
    repo.add('.').commit().remove('deploy').link('deploy', outside).link('escape.yaml', path.join(outside, 'db.yaml'));

    const discovery = await discoverFiles(repo.dir, [], await readGitFiles(repo.dir));

    expect(discovery.files.map((file) => file.path)).toEqual([]);
    // The folder symlink is an untracked entry of its own now, noted like any link that leaves the root.
    expect(discovery.escapingLinks).toEqual(['deploy', 'escape.yaml']);
  });

  it('does not read a tracked file that the work tree replaced with a symlink leaving the root', async () => {
    const outside = tempDir({ 'db.yaml': PLAIN_SECRET });
    const repo = new GitRepo().write({ 'deploy/db.yaml': 'a: 1\n' });
    dirs.push(repo.dir);
    repo.add('.').commit().remove('deploy/db.yaml').link('deploy/db.yaml', path.join(outside, 'db.yaml'));

    const result = await lint({ roots: [repo.dir], rules });

    expect(where(result)).toEqual([]);
    expect(result.notes.map((note) => note.message)).toContain('Skipped deploy/db.yaml: the file cannot be read.');
  });
});

describe('discovery outside git', () => {
  it('the walk applies a nested re-include as git does', async () => {
    const dir = tempDir(REINCLUDED);

    const result = await lint({ roots: [dir], rules });

    expect(where(result)).toEqual(['secrets/keep/db.yaml:6:1-6:11 sops-secret-encrypted']);
  });

  it('keeps symlinked files that stay inside the root and notes the ones that leave it', async () => {
    const outside = tempDir({ 'db.yaml': PLAIN_SECRET });
    const dir = tempDir({ 'deploy/app.yaml': 'a: 1\n' });
    symlinkSync(path.join(dir, 'deploy/app.yaml'), path.join(dir, 'app-link.yaml'));
    symlinkSync(path.join(outside, 'db.yaml'), path.join(dir, 'escape.yaml'));
    symlinkSync(outside, path.join(dir, 'outside-dir'));

    const discovery = await discoverFiles(dir, []);

    expect(discovery.files.map((file) => file.path)).toEqual(['app-link.yaml', 'deploy/app.yaml']);
    expect(discovery.escapingLinks).toEqual(['escape.yaml', 'outside-dir']);
  });
});

describe('gitignoreMatcher', () => {
  const matcher = gitignoreMatcher(
    new Map([
      ['.gitignore', 'secrets/*\nbuild/\n*.log\n'],
      ['secrets/.gitignore', '!keep/\n'],
      ['build/.gitignore', '!keep.yaml\n'],
      ['deploy/.gitignore', '!debug.log\n'],
    ]),
  );

  it.each([
    ['secrets/keep/db.yaml', false, 'a deeper .gitignore re-includes the folder'],
    ['secrets/local/db.yaml', true, 'the root pattern ignores the other folders'],
    ['secrets/db.yaml', true, 'and the files directly in secrets/'],
    ['build/keep.yaml', true, 'nothing below an ignored folder is re-included'],
    ['deploy/debug.log', false, 'a nested negation wins over a root pattern for its own folder'],
    ['deploy/other.log', true, 'the root pattern applies where the nested file says nothing'],
    ['app.log', true, 'a root file'],
  ])('%s ignored: %s (%s)', (file, ignored) => {
    expect(matcher(file)).toBe(ignored);
  });
});
