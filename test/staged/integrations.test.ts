/**
 * The pre-commit manifest and the GitHub Action, run for real: the hook's entry against a
 * temporary git repository, and the action's lint step with bash as the runner runs it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GitRepo } from './git-repo.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DUPLICATE = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: fast\n  mode: safe\n';
const CLEAN = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: fast\n';

interface Hook {
  id: string;
  entry: string;
  language: string;
  pass_filenames?: boolean;
  require_serial?: boolean;
  types?: string[];
  types_or?: string[];
  files?: string;
  verbose?: boolean;
}

interface ActionStep {
  id?: string;
  name: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  if?: string;
}

interface Action {
  inputs: Record<string, { default: string }>;
  runs: { using: string; steps: ActionStep[] };
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('.pre-commit-hooks.yaml', () => {
  const hooks = parse(readFileSync(path.join(REPO, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
  const hook = hooks[0] as Hook;

  it('is a list with one script hook whose entry is the package bin with --staged, verbose so warnings show', () => {
    expect(hooks.map((entry) => [entry.id, entry.language, entry.entry, entry.verbose])).toEqual([['gitops-lint', 'script', 'bin/gitops-lint.js --staged', true]]);
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
    expect(Object.values(pkg.bin)).toContain(hook.entry.split(' ')[0]);
    // pre-commit runs the script from its clone, with no install step: the bundle the bin
    // loads is committed.
    expect(readFileSync(path.join(REPO, 'bin', 'gitops-lint.js'), 'utf8')).toContain("path.join(__dirname, '..', 'dist', 'cli', 'main.cjs')");
    // pre-commit executes the entry file itself: it must be committed executable, with a shebang.
    expect(execFileSync('git', ['ls-files', '-s', 'bin/gitops-lint.js'], { cwd: REPO, encoding: 'utf8' })).toMatch(/^100755 /);
    expect(readFileSync(path.join(REPO, 'bin', 'gitops-lint.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('passes file names, runs serially and filters no file type (staged tfstate files must reach it)', () => {
    expect([hook.pass_filenames, hook.require_serial, hook.types, hook.types_or, hook.files]).toEqual([true, true, undefined, undefined, undefined]);
  });

  it('runs as pre-commit runs it: entry plus the staged file names, exit 1 on a staged error', async () => {
    const repo = new GitRepo().write({ 'deploy/app.yaml': DUPLICATE, 'deploy/other.yaml': CLEAN }).add('.');
    repo.write({ 'deploy/app.yaml': CLEAN });
    const [, ...args] = hook.entry.split(' ');
    const bin = path.join(REPO, 'bin/gitops-lint.js');
    const failing = await run(process.execPath, [bin, ...(args as string[]), '-f', 'compact', 'deploy/app.yaml', 'deploy/other.yaml'], repo.dir);
    expect(failing).toEqual({
      code: 1,
      stdout: 'deploy/app.yaml:7:3: error: Duplicate key: the last value silently wins in most tools and sops refuses the file. [yaml-syntax]\n',
      stderr: '',
    });
    const passing = await run(process.execPath, [bin, ...(args as string[]), '-f', 'compact', 'deploy/other.yaml'], repo.dir);
    expect(passing).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('action.yml', () => {
  const action = parse(readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as Action;
  const lintStep = action.runs.steps.find((step) => step.id === 'lint') as ActionStep;

  it('is a composite action that sets up Node, installs the runtime dependencies and runs', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps.map((step) => step.uses ?? step.run?.split('\n')[0])).toEqual([
      'actions/setup-node@v7',
      'npm ci --omit=dev --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error',
      'read -r -a roots <<< "${GITOPS_LINT_PATHS//$\'\\n\'/ }"',
      'echo "gitops-lint exited with $GITOPS_LINT_EXIT (1: findings, 2: usage, config or internal error)."',
    ]);
    expect(action.inputs['sarif-file']?.default).toBe('gitops-lint.sarif');
  });

  /** The lint step's script, run by bash the way the runner runs `shell: bash`. */
  async function runLintStep(workspace: string, inputs: Record<string, string>) {
    const script = path.join(workspace, '..', `${path.basename(workspace)}-step.sh`);
    writeFileSync(script, lintStep.run ?? '');
    const output = path.join(workspace, '..', `${path.basename(workspace)}-output`);
    writeFileSync(output, '');
    const env: Record<string, string> = { GITHUB_ACTION_PATH: REPO, GITHUB_OUTPUT: output, GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace };
    for (const [name, expression] of Object.entries(lintStep.env ?? {})) {
      const input = /inputs\.([\w-]+)/.exec(expression)?.[1] as string;
      env[name] = inputs[input] ?? action.inputs[input]?.default ?? '';
    }
    const result = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], workspace, env);
    const outputs = Object.fromEntries(
      readFileSync(output, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    return { ...result, outputs };
  }

  type Sarif = {
    runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: unknown } }> }> }>;
  };
  const readSarif = (workspace: string) => JSON.parse(readFileSync(path.join(workspace, 'gitops-lint.sarif'), 'utf8')) as Sarif;

  it('annotates every root and keeps the first root in the SARIF report', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'gitops-lint-action-'));
    for (const [file, text] of Object.entries({ 'lotus-lake/deploy/a.yaml': DUPLICATE, 'h-kube/cluster/c.yaml': DUPLICATE })) {
      mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
      writeFileSync(path.join(workspace, file), text);
    }
    const step = await runLintStep(workspace, { paths: 'lotus-lake\nh-kube' });
    expect(step.code).toBe(0);
    expect(step.outputs).toEqual({ 'exit-code': '1', 'sarif-file': 'gitops-lint.sarif' });
    expect(step.stdout.split('\n').filter((line) => line.startsWith('::error'))).toEqual([
      '::error file=h-kube/cluster/c.yaml,line=7,col=3,endLine=7,endColumn=6,title=yaml-syntax::Duplicate key: the last value silently wins in most tools and sops refuses the file.',
      '::error file=lotus-lake/deploy/a.yaml,line=7,col=3,endLine=7,endColumn=6,title=yaml-syntax::Duplicate key: the last value silently wins in most tools and sops refuses the file.',
    ]);
    const sarif = readSarif(workspace);
    expect(sarif.runs[0]?.results.map((result) => [result.ruleId, result.locations[0]?.physicalLocation.artifactLocation, result.locations[0]?.physicalLocation.region])).toEqual([
      ['yaml-syntax', { uri: 'deploy/a.yaml', uriBaseId: 'LOTUS_LAKE' }, { startLine: 7, startColumn: 3, endLine: 7, endColumn: 7 }],
    ]);
  });

  it('runs the worked example workflow on the example repositories', async () => {
    // As examples/workflows/gitops-lint.yml lays them out: lotus-lake is the workspace, h-kube
    // is cloned into the runner's temp folder, and the roots are ". <temp>/h-kube".
    const runner = mkdtempSync(path.join(tmpdir(), 'gitops-lint-runner-'));
    const lay = (pair: string) => {
      const base = path.join(runner, pair);
      cpSync(path.join(REPO, 'examples', pair, 'lotus-lake'), path.join(base, 'work/lotus-lake'), { recursive: true });
      cpSync(path.join(REPO, 'examples', pair, 'h-kube'), path.join(base, 'temp/h-kube'), { recursive: true });
      return { workspace: path.join(base, 'work/lotus-lake'), hKube: path.join(base, 'temp/h-kube') };
    };

    const clean = lay('.');
    const passing = await runLintStep(clean.workspace, { paths: `.\n${clean.hKube}` });
    expect(passing.outputs).toEqual({ 'exit-code': '0', 'sarif-file': 'gitops-lint.sarif' });
    expect(readSarif(clean.workspace).runs[0]?.results).toEqual([]);

    const broken = lay('broken');
    const failing = await runLintStep(broken.workspace, { paths: `.\n${broken.hKube}` });
    expect(failing.outputs).toEqual({ 'exit-code': '1', 'sarif-file': 'gitops-lint.sarif' });
    // Findings of both repositories are in the log (annotated or listed), h-kube's named by
    // its folder, not as a path out of the workspace...
    expect(failing.stdout).toContain('h-kube/cluster/namespaces/lotus-lake/resource-quota.yaml');
    // (a path out of the workspace starts a line or follows `file=`; a message may quote `${path.module}/../`).
    expect(failing.stdout).not.toMatch(/(^|[\s=])\.\.\//m);
    expect(failing.stdout).toContain('deploy/dagster/release.yaml');
    // ...and code scanning gets lotus-lake's only, with paths relative to lotus-lake.
    const results = readSarif(broken.workspace).runs[0]?.results ?? [];
    const locations = results.map((result) => result.locations[0]?.physicalLocation.artifactLocation);
    expect(locations.length).toBeGreaterThan(0);
    expect(new Set(locations.map((location) => location?.uriBaseId))).toEqual(new Set(['LOTUS_LAKE']));
    expect(locations.filter((location) => !existsSync(path.join(broken.workspace, decodeURIComponent(location?.uri ?? ''))))).toEqual([]);
    expect(locations.map((location) => location?.uri)).toContain('deploy/dagster/release.yaml');
  });

  it('reports exit code 0 and writes the SARIF report for a clean repository', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'gitops-lint-action-'));
    writeFileSync(path.join(workspace, 'app.yaml'), CLEAN);
    const step = await runLintStep(workspace, {});
    expect(step).toMatchObject({ code: 0, outputs: { 'exit-code': '0', 'sarif-file': 'gitops-lint.sarif' } });
    expect(step.stdout).not.toContain('::error');
  });

  it('reports exit code 2 and no SARIF file for a bad config', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'gitops-lint-action-'));
    writeFileSync(path.join(workspace, 'app.yaml'), CLEAN);
    writeFileSync(path.join(workspace, '.gitops-lint.yaml'), 'rules:\n  no-such-rule: error\n');
    const step = await runLintStep(workspace, {});
    expect(step.outputs).toEqual({ 'exit-code': '2', 'sarif-file': '' });
    expect(step.stderr).toBe('gitops-lint: .gitops-lint.yaml:2:3: Unknown rule "no-such-rule".\n');
  });
});
