import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adoptStartedGit, gitFilesReader, LISTING, readGitFiles, TRACKED_IGNORED, type GitFiles } from '../../src/workspace/git.js';
import { tempRepo } from './temp-repo.js';

interface EarlyGit {
  startGit(args: string[], cwd: string, env: Record<string, string | undefined>): Map<string, Promise<string | undefined>>;
  lintedPaths(args: string[], cwd: string): string[] | undefined;
  LISTING: string[];
  TRACKED_IGNORED: string[];
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

  it('use the arguments of git.ts', () => {
    expect(early.LISTING).toEqual(LISTING);
    expect(early.TRACKED_IGNORED).toEqual(TRACKED_IGNORED);
  });

  it('are started only for a plain run, with options that do not change what is listed', () => {
    const cwd = '/work/here';
    expect(early.lintedPaths([], cwd)).toEqual([cwd]);
    expect(early.lintedPaths(['apps'], cwd)).toEqual(['/work/here/apps']);
    expect(early.lintedPaths(['-f', 'json', '--quiet', '--format=sarif=out.sarif', '--rule', 'yaml-syntax:off', '/repo'], cwd)).toEqual(['/repo']);
    expect(early.lintedPaths(['examples/lotus-lake', 'examples/h-kube'], cwd)).toEqual(['/work/here/examples/lotus-lake', '/work/here/examples/h-kube']);
    expect(early.lintedPaths(['--staged'], cwd)).toBeUndefined();
    expect(early.lintedPaths(['--stdin-filename', 'a.yaml', '-'], cwd)).toBeUndefined();
    expect(early.lintedPaths(['--print-config', 'a.yaml'], cwd)).toBeUndefined();
    expect(early.lintedPaths(['rules'], cwd)).toBeUndefined();
    expect(early.lintedPaths(['lsp', '--stdio'], cwd)).toBeUndefined();
    expect(early.lintedPaths(['build', 'apps'], cwd)).toBeUndefined();
    expect(early.lintedPaths(['--format'], cwd)).toBeUndefined();
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

  it('are not started outside a git work tree, for a file, or where GIT_DIR or GIT_WORK_TREE point git elsewhere', () => {
    const plain = mkdtempSync(path.join(tmpdir(), 'gitops-lint-'));
    dirs.push(plain);
    expect(early.startGit([plain], '/', {}).size).toBe(0);
    const dir = repo();
    expect(early.startGit([path.join(dir, 'apps', 'app.yaml')], '/', {}).size).toBe(0);
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
