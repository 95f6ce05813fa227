import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { adoptStartedGit, gitFilesReader, gitTopLevel, LISTING, readGitFiles, TOP_LEVEL, TRACKED_IGNORED, type GitFiles } from '../../src/workspace/git.js';
import { INDEX_COMMANDS, readStagedIndex } from '../../src/workspace/staged.js';
import { tempRepo } from './temp-repo.js';

interface EarlyGit {
  startGit(args: string[], cwd: string, env: Record<string, string | undefined>): Map<string, Promise<string | undefined>>;
  plainRun(args: string[], cwd: string): { staged: boolean; paths: string[] } | undefined;
  LISTING: string[];
  TRACKED_IGNORED: string[];
  TOP_LEVEL: string[];
  INDEX_COMMANDS: string[][];
}
const early = createRequire(import.meta.url)('../../bin/early-git.js') as EarlyGit;
const BIN = path.resolve(import.meta.dirname, '../../bin/gitops-lint.js');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function repo(): string {
  const dir = tempRepo({ '.gitignore': '.venv/\n', 'apps/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n', '.venv/lib.yaml': 'a: 1\n' }, { git: true });
  dirs.push(dir);
  return dir;
}

function present(files: GitFiles | undefined): string[] {
  return [...(files?.present.keys() ?? [])].sort();
}

describe('the git commands the bin starts before loading the bundle', () => {
  it('are the commands git.ts runs to list a root, so the run takes their output instead of starting its own', async () => {
    const dir = repo();
    const started = early.startGit([dir], '/', {});
    expect(started.size).toBe(2);
    // A file made after the early commands finished: only a listing started now sees it.
    await Promise.all(started.values());
    writeFileSync(path.join(dir, 'apps', 'later.yaml'), 'a: 1\n');
    adoptStartedGit(started);
    expect(present(await readGitFiles(dir))).toEqual(['.gitignore', 'apps/app.yaml']);
    // Each started command is taken once: the next listing runs git again.
    expect(present(await readGitFiles(dir))).toEqual(['.gitignore', 'apps/app.yaml', 'apps/later.yaml']);
  });

  it('use the arguments of git.ts and staged.ts', () => {
    expect(early.LISTING).toEqual(LISTING);
    expect(early.TRACKED_IGNORED).toEqual(TRACKED_IGNORED);
    expect(early.TOP_LEVEL).toEqual(TOP_LEVEL);
    expect(early.INDEX_COMMANDS).toEqual(INDEX_COMMANDS);
  });

  it('for --staged are the top-level question and the three reads of the index, all at once', async () => {
    const dir = repo();
    writeFileSync(path.join(dir, 'apps', 'app.yaml'), 'a: 2\n');
    execFileSync('git', ['add', 'apps/app.yaml'], { cwd: dir });
    const started = early.startGit(['--staged', '-f', 'json'], dir, {});
    expect(started.size).toBe(4);
    await Promise.all(started.values());
    // Staged after the early commands finished: only an index read started now sees it.
    writeFileSync(path.join(dir, 'apps', 'new.yaml'), 'n: 1\n');
    execFileSync('git', ['add', 'apps/new.yaml'], { cwd: dir });
    adoptStartedGit(started);
    expect(await gitTopLevel(dir)).toBe(realpathSync(dir));
    expect([...(await readStagedIndex(realpathSync(dir))).forCommit]).toEqual(['apps/app.yaml']);
    expect([...(await readStagedIndex(realpathSync(dir))).forCommit].sort()).toEqual(['apps/app.yaml', 'apps/new.yaml']);
  });

  it('for a file are the top-level question its root is found by, and the listing of that root', async () => {
    const dir = repo();
    const file = path.join(dir, 'apps', 'app.yaml');
    // A second file in the same folder asks nothing more.
    writeFileSync(path.join(dir, 'apps', 'other.yaml'), 'o: 1\n');
    expect(early.startGit([file, path.join(dir, 'apps', 'other.yaml')], '/', {}).size).toBe(3);
    const started = early.startGit([file], '/', {});
    expect(started.size).toBe(3);
    await Promise.all(started.values());
    writeFileSync(path.join(dir, 'apps', 'later.yaml'), 'a: 1\n');
    adoptStartedGit(started);
    expect(await gitTopLevel(path.dirname(file))).toBe(realpathSync(dir));
    expect(present(await readGitFiles(realpathSync(dir)))).toEqual(['.gitignore', 'apps/app.yaml', 'apps/other.yaml']);
    // Each was taken: nothing is left to take.
    expect(present(await readGitFiles(realpathSync(dir)))).toEqual(['.gitignore', 'apps/app.yaml', 'apps/later.yaml', 'apps/other.yaml']);
  });

  it('are started only for a plain run, with options that do not change what is listed', () => {
    const cwd = '/work/here';
    expect(early.plainRun([], cwd)).toEqual({ staged: false, paths: [cwd] });
    expect(early.plainRun(['apps'], cwd)).toEqual({ staged: false, paths: ['/work/here/apps'] });
    expect(early.plainRun(['-f', 'json', '--quiet', '--format=sarif=out.sarif', '--rule', 'yaml-syntax:off', '/repo'], cwd)).toEqual({ staged: false, paths: ['/repo'] });
    expect(early.plainRun(['examples/lotus-lake', 'examples/h-kube'], cwd)).toEqual({ staged: false, paths: ['/work/here/examples/lotus-lake', '/work/here/examples/h-kube'] });
    // --staged reads the repository of the working folder; its paths only narrow the report.
    expect(early.plainRun(['--staged', 'apps/a.yaml'], cwd)).toEqual({ staged: true, paths: [cwd] });
    expect(early.plainRun(['--staged', '--root', '../other'], cwd)).toBeUndefined();
    expect(early.plainRun(['--stdin-filename', 'a.yaml', '-'], cwd)).toBeUndefined();
    expect(early.plainRun(['--print-config', 'a.yaml'], cwd)).toBeUndefined();
    expect(early.plainRun(['rules'], cwd)).toBeUndefined();
    expect(early.plainRun(['lsp', '--stdio'], cwd)).toBeUndefined();
    expect(early.plainRun(['build', 'apps'], cwd)).toBeUndefined();
    expect(early.plainRun(['--format'], cwd)).toBeUndefined();
  });

  it('for several roots in one work tree are the one pair gitFilesReader runs for them together', async () => {
    const dir = tempRepo({ 'a/app.yaml': 'a: 1\n', 'b/app.yaml': 'b: 1\n', 'a/nested/x.yaml': 'x: 1\n' }, { git: true });
    dirs.push(dir);
    const started = early.startGit(['a', 'b'], dir, {});
    expect(started.size).toBe(2);
    await Promise.all(started.values());
    writeFileSync(path.join(dir, 'a', 'later.yaml'), 'a: 2\n');
    adoptStartedGit(started);
    const read = gitFilesReader([path.join(dir, 'a'), path.join(dir, 'b')]);
    expect(present(await read(path.join(dir, 'a')))).toEqual(['app.yaml', 'nested/x.yaml']);
    expect(present(await read(path.join(dir, 'b')))).toEqual(['app.yaml']);
    expect(present(await gitFilesReader([path.join(dir, 'a'), path.join(dir, 'b')])(path.join(dir, 'a')))).toEqual(['app.yaml', 'later.yaml', 'nested/x.yaml']);
    // A root inside another: each is listed alone, as gitFilesReader lists them.
    expect(early.startGit(['a', 'a/nested'], dir, {}).size).toBe(4);
  });

  it('are not started outside a git work tree, or where GIT_DIR or GIT_WORK_TREE point git elsewhere', () => {
    const plain = mkdtempSync(path.join(tmpdir(), 'gitops-lint-'));
    dirs.push(plain);
    writeFileSync(path.join(plain, 'a.yaml'), 'a: 1\n');
    expect(early.startGit([plain], '/', {}).size).toBe(0);
    expect(early.startGit([path.join(plain, 'a.yaml')], '/', {}).size).toBe(0);
    expect(early.startGit(['--staged'], plain, {}).size).toBe(0);
    const dir = repo();
    expect(early.startGit([dir], '/', { GIT_DIR: path.join(dir, '.git') }).size).toBe(0);
    expect(early.startGit([dir], '/', { GIT_WORK_TREE: dir }).size).toBe(0);
  });

  it('leave the run as it was: the bin reports on the files git lists, not on those in an ignored folder', () => {
    const dir = tempRepo({ '.gitignore': '.venv/\n', 'apps/bad.yaml': 'a: [\n', '.venv/bad.yaml': 'a: [\n' }, { git: true });
    dirs.push(dir);
    const run = spawnSync(process.execPath, [BIN, '-f', 'json', '.'], { cwd: realpathSync(dir), encoding: 'utf8', env: { ...process.env, GITOPS_LINT_NO_CACHE: '1' } });
    const result = JSON.parse(run.stdout) as { fileCount: number; findings: Array<{ ruleId: string; location: { file: string; startLine: number } }> };
    expect(result.fileCount).toBe(2);
    expect(result.findings.map((finding) => [finding.ruleId, finding.location.file, finding.location.startLine])).toEqual([['yaml-syntax', 'apps/bad.yaml', 2]]);
  });
});
