import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import imageTagMutable from '../../rules/image-tag-mutable.js';
import noCommittedTerraformState from '../../rules/no-committed-terraform-state.js';
import yamlSyntax from '../../rules/yaml-syntax.js';
import { main } from '../../src/cli/main.js';
import { lint } from '../../src/engine/lint.js';
import type { Rule } from '../../src/model/rule.js';
import { GitRepo } from './git-repo.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/gitops-lint.js');

/** A duplicate key on line 7, columns 3–7 (`mode`). */
const DUPLICATE = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: fast\n  mode: safe\n';
const CLEAN = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: fast\n';
/** A tab used as indentation on line 3, column 1 (not a Kubernetes object, so only YAML rules apply). */
const TAB = 'settings:\n  mode: fast\n\tlevel: debug\n';

const DEPLOYMENT =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cube\nspec:\n  selector:\n    matchLabels:\n      app: cube\n  template:\n    metadata:\n      labels:\n        app: cube\n    spec:\n      containers:\n        - name: cube\n          image: ghcr.io/matta-kelly/cube:latest\n';
const PINNING_KUSTOMIZATION = 'resources:\n  - app.yaml\nimages:\n  - name: ghcr.io/matta-kelly/cube\n    newTag: 3f2a9c1\n';
const PLAIN_KUSTOMIZATION = 'resources:\n  - app.yaml\n';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[], cwd: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd, env: {}, isTTY: false });
  return { code, stdout, stderr };
}

/** The bin as pre-commit runs it: a real process, with its real exit code. */
function bin(argv: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...argv], { cwd, env: { ...process.env, GITHUB_ACTIONS: '', NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

type AnyRule = Rule<string, never>;
const rules = (...list: unknown[]) => list as AnyRule[];

/** `file:line:col-endLine:endCol rule` for each finding, as reported. */
async function stagedFindings(cwd: string, options: { reportOnly?: string[]; rules: AnyRule[]; roots?: string[] }) {
  const result = await lint({ roots: options.roots ?? ['.'], cwd, rules: options.rules, staged: true, ...(options.reportOnly ? { reportOnly: options.reportOnly } : {}) });
  return {
    result,
    findings: result.findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn}-${f.location.endLine}:${f.location.endColumn} ${f.ruleId}`),
  };
}

describe('gitops-lint --staged reads the git index', () => {
  it('lints the staged content when the working tree has fixed it', async () => {
    const repo = new GitRepo().write({ 'deploy/app.yaml': DUPLICATE }).add('.');
    repo.write({ 'deploy/app.yaml': CLEAN });

    const staged = await cli(['--staged', '-f', 'compact'], repo.dir);
    expect(staged).toEqual({
      code: 1,
      stdout: 'deploy/app.yaml:7:3: error: Duplicate key: the last value silently wins in most tools and sops refuses the file. [yaml-syntax]\n',
      stderr: '',
    });
    expect(await cli(['-f', 'compact'], repo.dir)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('passes staged content that is clean when the working tree is broken', async () => {
    const repo = new GitRepo().write({ 'deploy/app.yaml': CLEAN }).add('.');
    repo.write({ 'deploy/app.yaml': TAB });

    expect(await cli(['--staged', '-f', 'compact'], repo.dir)).toEqual({ code: 0, stdout: '', stderr: '' });
    const worktree = await cli(['-f', 'compact'], repo.dir);
    expect(worktree.code).toBe(1);
    expect(worktree.stdout).toBe('deploy/app.yaml:3:1: error: Invalid YAML: Tabs are not allowed as indentation. [yaml-syntax]\n');
  });

  it('pins the exact region of a staged finding', async () => {
    const repo = new GitRepo().write({ 'a.yaml': DUPLICATE, 'b.yaml': TAB }).add('.');
    repo.write({ 'a.yaml': CLEAN, 'b.yaml': CLEAN });
    const { findings } = await stagedFindings(repo.dir, { rules: rules(yamlSyntax) });
    expect(findings).toEqual(['a.yaml:7:3-7:7 yaml-syntax', 'b.yaml:3:1-3:2 yaml-syntax']);
  });

  it('does not lint a staged deletion, even when the file is still in the working tree', async () => {
    const repo = new GitRepo().write({ 'deploy/old.yaml': DUPLICATE, 'deploy/app.yaml': CLEAN }).add('.').commit();
    repo.git('rm', '-q', '--cached', 'deploy/old.yaml');
    expect(existsSync(repo.path('deploy/old.yaml'))).toBe(true);

    const staged = await stagedFindings(repo.dir, { rules: rules(yamlSyntax) });
    expect(staged.findings).toEqual([]);
    expect(staged.result.fileCount).toBe(1);
    expect(await cli(['--staged', '-f', 'compact'], repo.dir)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await cli(['-f', 'compact'], repo.dir)).code).toBe(1);
  });

  it('reports only files staged for commit, not committed files left unchanged', async () => {
    const repo = new GitRepo().write({ 'old.yaml': DUPLICATE }).add('.').commit();
    repo.write({ 'new.yaml': TAB }).add('new.yaml');

    const { findings } = await stagedFindings(repo.dir, { rules: rules(yamlSyntax) });
    expect(findings).toEqual(['new.yaml:3:1-3:2 yaml-syntax']);
  });

  it('resolves references against the whole staged tree, not the working tree', async () => {
    // The committed kustomization pins the tag; its unstaged edit drops the pin. The staged
    // Deployment is linted with the staged kustomization, so its `latest` is overridden.
    const repo = new GitRepo().write({ 'deploy/kustomization.yaml': PINNING_KUSTOMIZATION }).add('.').commit();
    repo.write({ 'deploy/app.yaml': DEPLOYMENT }).add('deploy/app.yaml');
    repo.write({ 'deploy/kustomization.yaml': PLAIN_KUSTOMIZATION });

    expect((await stagedFindings(repo.dir, { rules: rules(imageTagMutable) })).findings).toEqual([]);
    const worktree = await lint({ roots: [repo.dir], rules: rules(imageTagMutable) });
    expect(worktree.findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn}-${f.location.endLine}:${f.location.endColumn}`)).toEqual([
      'deploy/app.yaml:16:18-16:49',
    ]);

    // Staging the edit makes the staged Deployment's tag mutable again.
    repo.add('deploy/kustomization.yaml');
    expect((await stagedFindings(repo.dir, { rules: rules(imageTagMutable) })).findings).toEqual(['deploy/app.yaml:16:18-16:49 image-tag-mutable']);
  });

  it('catches a staged tfstate whose working copy was deleted after git add', async () => {
    const repo = new GitRepo().write({ '.gitignore': '*.tfstate\n', 'terraform/main.tf': 'terraform {}\n' }).add('.').commit();
    repo.write({ 'terraform/terraform.tfstate': '{"version": 4}\n' });
    repo.git('add', '-f', 'terraform/terraform.tfstate');
    repo.remove('terraform/terraform.tfstate');

    const { findings, result } = await stagedFindings(repo.dir, { rules: rules(noCommittedTerraformState) });
    expect(findings).toEqual(['terraform/terraform.tfstate:1:1-1:1 no-committed-terraform-state']);
    expect(result.findings[0]?.message).toContain('git rm --cached terraform/terraform.tfstate');
    // The CLI with the built-in rules, as the hook runs it.
    const run = await cli(['--staged', '-f', 'compact', 'terraform/terraform.tfstate'], repo.dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^terraform\/terraform\.tfstate:1:1: error: Terraform state terraform\/terraform\.tfstate is committed: .* \[no-committed-terraform-state\]\n$/);
    // The same file named by pre-commit.
    expect((await stagedFindings(repo.dir, { rules: rules(noCommittedTerraformState), reportOnly: ['terraform/terraform.tfstate'] })).findings).toEqual([
      'terraform/terraform.tfstate:1:1-1:1 no-committed-terraform-state',
    ]);
  });
});

describe('gitops-lint --staged with file lists (pre-commit)', () => {
  const partialRepo = () => new GitRepo().write({ 'a.yaml': DUPLICATE, 'b.yaml': TAB, 'c.yaml': CLEAN }).add('.');

  it('reports only on the files named, and exits by their findings', async () => {
    const repo = partialRepo();
    expect(await cli(['--staged', '-f', 'compact', 'a.yaml'], repo.dir)).toEqual({
      code: 1,
      stdout: 'a.yaml:7:3: error: Duplicate key: the last value silently wins in most tools and sops refuses the file. [yaml-syntax]\n',
      stderr: '',
    });
    expect(await cli(['--staged', '-f', 'compact', 'c.yaml'], repo.dir)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('gives the same findings in several partial calls as in one call', async () => {
    const repo = partialRepo();
    const whole = await stagedFindings(repo.dir, { rules: rules(yamlSyntax) });
    const first = await stagedFindings(repo.dir, { rules: rules(yamlSyntax), reportOnly: ['c.yaml', 'a.yaml'] });
    const second = await stagedFindings(repo.dir, { rules: rules(yamlSyntax), reportOnly: ['b.yaml'] });
    expect(first.findings).toEqual(['a.yaml:7:3-7:7 yaml-syntax']);
    expect(second.findings).toEqual(['b.yaml:3:1-3:2 yaml-syntax']);
    expect(whole.findings).toEqual([...first.findings, ...second.findings]);
    // Every call still reads the whole index.
    expect([whole.result.fileCount, first.result.fileCount, second.result.fileCount]).toEqual([3, 3, 3]);
  });

  it('reports a committed, unchanged file when it is named (pre-commit run --all-files)', async () => {
    const repo = new GitRepo().write({ 'old.yaml': DUPLICATE, 'new.yaml': CLEAN }).add('.').commit();
    expect((await stagedFindings(repo.dir, { rules: rules(yamlSyntax) })).findings).toEqual([]);
    expect((await stagedFindings(repo.dir, { rules: rules(yamlSyntax), reportOnly: ['new.yaml', 'old.yaml'] })).findings).toEqual(['old.yaml:7:3-7:7 yaml-syntax']);
  });

  it('takes file names relative to a subfolder it is run from, and lints from the top level', async () => {
    const repo = new GitRepo().write({ 'deploy/app.yaml': DUPLICATE, 'other.yaml': TAB }).add('.');
    const run = await cli(['--staged', '-f', 'compact', 'app.yaml'], repo.path('deploy'));
    expect(run).toEqual({
      code: 1,
      stdout: 'app.yaml:7:3: error: Duplicate key: the last value silently wins in most tools and sops refuses the file. [yaml-syntax]\n',
      stderr: '',
    });
    const all = await cli(['--staged', '-f', 'compact'], repo.path('deploy'));
    expect(all.stdout.split('\n').filter(Boolean).map((line) => line.split(': ')[0])).toEqual(['app.yaml:7:3', '../other.yaml:3:1']);
  });
});

describe('gitops-lint --staged exit codes (real process)', () => {
  it('exits 1 for a staged error, 0 once the fix is staged', async () => {
    const repo = new GitRepo().write({ 'app.yaml': DUPLICATE }).add('.');
    const failing = await bin(['--staged', '-f', 'compact', 'app.yaml'], repo.dir);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('app.yaml:7:3: error:');
    repo.write({ 'app.yaml': CLEAN }).add('app.yaml');
    expect(await bin(['--staged', '-f', 'compact', 'app.yaml'], repo.dir)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 0 when nothing is staged', async () => {
    const repo = new GitRepo().write({ 'app.yaml': DUPLICATE }).add('.').commit();
    expect(await bin(['--staged', '-f', 'compact'], repo.dir)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 2 outside a git work tree', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-nogit-'));
    const run = await bin(['--staged', '-f', 'compact'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`gitops-lint: ${dir}: --staged reads the git index, but this is not inside a git work tree.\n`);
  });
});

describe('gitops-lint --staged index details', () => {
  it('reads a symlink in the index as the staged file it names, and skips one leaving the root', async () => {
    const repo = new GitRepo().write({ 'base/app.yaml': DUPLICATE }).link('app-link.yaml', 'base/app.yaml').link('outside.yaml', '../../etc/hosts').add('.');
    const { findings, result } = await stagedFindings(repo.dir, { rules: rules(yamlSyntax) });
    expect(findings).toEqual(['app-link.yaml:7:3-7:7 yaml-syntax', 'base/app.yaml:7:3-7:7 yaml-syntax']);
    expect(result.notes.map((note) => note.message)).toEqual(['Skipped symlink outside.yaml: it points outside the root.']);
  });

  it('uses the staged config file', async () => {
    const repo = new GitRepo().write({ 'app.yaml': DUPLICATE, '.gitops-lint.yaml': 'rules:\n  yaml-syntax: warning\n' }).add('.');
    repo.write({ '.gitops-lint.yaml': 'rules:\n  yaml-syntax: error\n' });
    const run = await cli(['--staged', '-f', 'compact'], repo.dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('app.yaml:7:3: warning: Duplicate key');
  });

  it('notes a file with unresolved merge conflicts and lints the rest', async () => {
    const repo = new GitRepo().write({ 'app.yaml': 'a: 1\n', 'other.yaml': TAB }).add('.').commit();
    repo.git('checkout', '-q', '-b', 'side');
    repo.write({ 'app.yaml': 'a: 2\n' }).add('app.yaml').commit('side');
    repo.git('checkout', '-q', 'main');
    repo.write({ 'app.yaml': 'a: 3\n' }).add('app.yaml').commit('main');
    expect(() => repo.git('merge', '-q', 'side')).toThrow();

    const { findings, result } = await stagedFindings(repo.dir, { rules: rules(yamlSyntax), reportOnly: ['app.yaml', 'other.yaml'] });
    expect(findings).toEqual(['other.yaml:3:1-3:2 yaml-syntax']);
    expect(result.notes.map((note) => note.message)).toEqual(['Skipped app.yaml: it has unresolved merge conflicts in the index.']);
  });

  it('reads another repository given with --root from its working tree, and does not report on it', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'gitops-lint-two-'));
    const app = new GitRepo(parent, 'app').write({ 'app.yaml': CLEAN }).add('.');
    const cluster = new GitRepo(parent, 'cluster').write({ 'c.yaml': DUPLICATE }).add('.');
    const { result } = await stagedFindings(app.dir, { rules: rules(yamlSyntax), roots: ['.', '../cluster'] });
    expect(result.roots.map((root) => [path.basename(root.dir), root.git])).toEqual([
      ['app', true],
      ['cluster', true],
    ]);
    expect(result.fileCount).toBe(2);
    expect(result.findings).toEqual([]);
    expect(cluster.dir).toBe(path.join(parent, 'cluster'));
  });
});
