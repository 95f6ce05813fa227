import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adoptStartedGit, LISTING, readGitFiles, TRACKED_IGNORED, type GitFiles } from '../../src/workspace/git.js';
import { tempRepo } from './temp-repo.js';

interface EarlyGit {
  startGit(args: string[], cwd: string, env: Record<string, string | undefined>): Map<string, Promise<string | undefined>>;
  lintedFolder(args: string[], cwd: string): string | undefined;
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

  it('are started only for a plain run of one folder, with options that do not change what is listed', () => {
    const cwd = '/work/here';
    expect(early.lintedFolder([], cwd)).toBe(cwd);
    expect(early.lintedFolder(['apps'], cwd)).toBe('/work/here/apps');
    expect(early.lintedFolder(['-f', 'json', '--quiet', '--format=sarif=out.sarif', '--rule', 'yaml-syntax:off', '/repo'], cwd)).toBe('/repo');
    expect(early.lintedFolder(['--staged'], cwd)).toBeUndefined();
    expect(early.lintedFolder(['--stdin-filename', 'a.yaml', '-'], cwd)).toBeUndefined();
    expect(early.lintedFolder(['--print-config', 'a.yaml'], cwd)).toBeUndefined();
    expect(early.lintedFolder(['examples/lotus-lake', 'examples/h-kube'], cwd)).toBeUndefined();
    expect(early.lintedFolder(['rules'], cwd)).toBeUndefined();
    expect(early.lintedFolder(['lsp', '--stdio'], cwd)).toBeUndefined();
    expect(early.lintedFolder(['build', 'apps'], cwd)).toBeUndefined();
    expect(early.lintedFolder(['--format'], cwd)).toBeUndefined();
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
