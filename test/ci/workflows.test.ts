// The README's action example and examples/workflows/gitops-lint.yml, run step by step with the
// runner's environment variables (test/ci/runner.ts): the same shell steps, this repository's
// action.yml, the two-repository checkout (h-kube cloned to $RUNNER_TEMP), and what code
// scanning does with the SARIF report (relative URIs read as paths in the checked-out repo).
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Log } from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { copyCommitFiles } from './commit-files.js';
import { runSteps, type Runner, type Step } from './runner.js';

const REPO = path.resolve(import.meta.dirname, '../..');

interface Uploaded {
  sarif: Log;
  checkoutPath: string;
}

interface Simulation {
  runner: Runner;
  uploads: Uploaded[];
  setupNode: Record<string, string>[];
  /** Everything the lint step printed (workflow commands and log lines). */
  lintOutput: string;
  workspace: string;
}

let base: string;
let remotes: string;
let actionPath: string;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.invalid', ...args], { cwd, encoding: 'utf8', stdio: 'pipe' });
}

/** A repository to check out: the example's files committed, force-adding what `add -f` needs. */
function remote(name: string, from: string, forceAdd: string[] = []): void {
  const dir = path.join(remotes, name);
  cpSync(from, dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  if (forceAdd.length > 0) git(dir, 'add', '-f', ...forceAdd);
  git(dir, 'commit', '-qm', name);
}

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'gitops-lint-ci-'));
  remotes = path.join(base, 'remotes');
  remote('lotus-lake', path.join(REPO, 'examples/broken/lotus-lake'), [
    'orchestration/airbyte/terraform/terraform.tfstate',
    'orchestration/__pycache__/definitions.cpython-311.pyc',
  ]);
  remote('h-kube', path.join(REPO, 'examples/broken/h-kube'));
  // The action as `uses: gitops-lint/gitops-lint@v0` fetches it: this checkout's files.
  actionPath = path.join(base, 'actions', 'gitops-lint', 'gitops-lint', 'v0');
  copyCommitFiles(REPO, actionPath);
  // `gh repo clone OWNER/NAME DIR -- GIT-ARGS…` clones from the local remotes instead of GitHub.
  const bin = path.join(base, 'bin');
  mkdirSync(bin);
  writeFileSync(
    path.join(bin, 'gh'),
    `#!/bin/sh\n[ "$1 $2" = "repo clone" ] || { echo "gh stand-in: unsupported: $*" >&2; exit 1; }\nname=\${3#*/}; dir=$4; shift 4; [ "$1" = "--" ] && shift\nexec git clone "$@" "file://${remotes}/$name" "$dir"\n`,
  );
  chmodSync(path.join(bin, 'gh'), 0o755);
}, 60_000);

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

/** Runs `steps` of a job in a fresh runner: workspace /…/work/lotus-lake/lotus-lake, temp /…/work/_temp. */
function simulate(label: string, steps: Step[]): Simulation {
  const home = path.join(base, label);
  const workspace = path.join(home, 'work', 'lotus-lake', 'lotus-lake');
  const temp = path.join(home, 'work', '_temp');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(temp, { recursive: true });
  const uploads: Uploaded[] = [];
  const setupNode: Record<string, string>[] = [];
  const runner: Runner = {
    env: {
      PATH: `${path.join(base, 'bin')}:${process.env.PATH ?? ''}`,
      HOME: home,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_REPOSITORY: 'matta-kelly/lotus-lake',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_EVENT_NAME: 'pull_request',
      RUNNER_TEMP: temp,
      RUNNER_OS: 'Linux',
      // No registry: the action's npm ci installs from the npm cache that npm ci filled.
      npm_config_offline: 'true',
      npm_config_cache: process.env.npm_config_cache ?? path.join(process.env.HOME ?? '', '.npm'),
      GITOPS_LINT_NO_CACHE: '1',
    },
    actionPath,
    log: [],
    failed: false,
    external(uses, inputs) {
      if (uses.startsWith('actions/checkout@')) {
        // A pull request's checkout: the commit, detached, in the workspace.
        git(home, 'clone', '-q', `file://${remotes}/lotus-lake`, workspace);
        git(workspace, 'checkout', '-q', '--detach');
      } else if (uses.startsWith('actions/setup-node@')) {
        setupNode.push(inputs);
      } else if (uses.startsWith('github/codeql-action/upload-sarif@')) {
        const file = path.resolve(workspace, inputs.sarif_file ?? '');
        uploads.push({ sarif: JSON.parse(readFileSync(file, 'utf8')) as Log, checkoutPath: inputs.checkout_path ?? workspace });
      } else {
        throw new Error(`No stand-in for ${uses}`);
      }
    },
  };
  runSteps(steps, runner, { inputs: {}, steps: {}, secrets: {}, actionPath });
  const lint = runner.log.find((entry) => entry.name === 'Run gitops-lint');
  return { runner, uploads, setupNode, lintOutput: lint?.stdout ?? '', workspace };
}

/** What code scanning does with each result: its URI read as a path in the checked-out repository. */
function uploadedPaths(upload: Uploaded): string[] {
  return (upload.sarif.runs[0]?.results ?? []).map((result) => {
    const uri = result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '';
    return decodeURIComponent(uri);
  });
}

function annotations(output: string): string[] {
  return output.split('\n').filter((line) => /^::(error|warning|notice)/.test(line));
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Whether the step reported an error of `rule` at `file:line`: as an annotation, or as a log
 * line when the 10 annotations of its type were used up. `file` is either workspace-relative
 * (an annotation's `file=`) or a repository-named path in the message (outside the workspace).
 */
function reported(output: string, rule: string, file: string, line: number): boolean {
  const f = escape(file);
  return [
    new RegExp(`^::error file=${f},line=${line},[^:]*title=${rule}::`, 'm'),
    new RegExp(`^::error title=${rule}::${f}:${line}:\\d+: `, 'm'),
    new RegExp(`^${f}:${line}:\\d+: error: .* \\[${rule}\\]$`, 'm'),
  ].some((pattern) => pattern.test(output));
}

describe('examples/workflows/gitops-lint.yml (lotus-lake with h-kube cloned to $RUNNER_TEMP)', () => {
  let run: Simulation;

  beforeAll(() => {
    const workflow = parse(readFileSync(path.join(REPO, 'examples/workflows/gitops-lint.yml'), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
    const job = Object.values(workflow.jobs)[0];
    run = simulate('two-repos', job?.steps ?? []);
  }, 120_000);

  it('clones h-kube next to the workspace, outside it', () => {
    expect(existsSync(path.join(run.runner.env.RUNNER_TEMP ?? '', 'h-kube', 'clusters'))).toBe(true);
    expect(run.runner.log.find((entry) => entry.name === 'Fetch h-kube (read-only)')?.code).toBe(0);
  });

  it('sets up the current Node LTS by default and installs the runtime dependencies offline', () => {
    expect(run.setupNode).toEqual([{ 'node-version': '26' }]);
    expect(run.runner.log.find((entry) => entry.name === 'Install gitops-lint')?.code).toBe(0);
  });

  it('annotates the cross-repository findings that need both repositories', () => {
    const out = run.lintOutput;
    expect(out).not.toContain('::error title=gitops-lint::');
    // Checked against h-kube: the variables, Secret keys and HelmRepository namespace come from there.
    expect(reported(out, 'flux-substitution', 'deploy/dagster/ducklake-database.yaml', 22)).toBe(true);
    expect(reported(out, 'secret-ref-exists', 'deploy/tools/raw-compaction.yaml', 29)).toBe(true);
    expect(reported(out, 'flux-source-ref', 'deploy/cube/release.yaml', 16)).toBe(true);
    expect(reported(out, 'required-env', 'deploy/sandbox/release.yaml', 31)).toBe(true);
    // Checked against lotus-lake: h-kube's Terraform path into this commit.
    expect(reported(out, 'flux-path-exists', 'h-kube/cluster/namespaces/lotus-lake/lotus-lake-terraform.yaml', 13)).toBe(true);
    // h-kube's repos: entry points at $RUNNER_TEMP/lotus-lake, which is not a root: linked by URL instead.
    expect(out).toMatch(/^gitops-lint: note: h-kube\/cluster\/namespaces\/lotus-lake\/lotus-lake-source\.yaml: `repos:` maps GitRepository lotus-lake\/lotus-lake to .*it was linked to lotus-lake by its URL instead\.$/m);
  });

  it('names files relative to the workspace, and h-kube files by repository, never ../_temp', () => {
    const findings = run.lintOutput.split('\n').filter((line) => !line.startsWith('gitops-lint: note:'));
    expect(findings.join('\n')).not.toContain('_temp');
    expect(findings.join('\n')).not.toMatch(/(^|[=\s])\.\.\//m);
    for (const line of annotations(run.lintOutput)) {
      const file = /file=([^,:]+)/.exec(line)?.[1];
      if (file !== undefined) expect(existsSync(path.join(run.workspace, file.replace(/%2C/g, ',').replace(/%3A/g, ':')))).toBe(true);
    }
  });

  it('fails the job on the errors, and still uploads the report', () => {
    expect(run.runner.log.find((entry) => entry.name === 'Fail on findings')?.code).toBe(1);
    expect(run.runner.failed).toBe(true);
    expect(run.uploads).toHaveLength(1);
  });

  it('uploads only lotus-lake results, each a path in the checked-out repository', () => {
    const [upload] = run.uploads;
    if (!upload) throw new Error('no upload');
    const paths = uploadedPaths(upload);
    expect(paths.length).toBeGreaterThan(10);
    expect(paths).toContain('deploy/dagster/ducklake-database.yaml');
    for (const file of paths) expect(existsSync(path.join(upload.checkoutPath, file))).toBe(true);
    expect(paths.some((file) => file.includes('lotus-lake-terraform'))).toBe(false);
  });
});

describe("the README's action example (one repository)", () => {
  let run: Simulation;

  beforeAll(() => {
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('#### The action'));
    const snippet = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const steps = parse(snippet) as Step[];
    run = simulate('readme', [{ name: 'Check out', uses: 'actions/checkout@v7' }, ...steps]);
  }, 120_000);

  it('runs the action with the inputs as written and uploads the report', () => {
    expect(run.runner.log.some((entry) => entry.uses?.startsWith('gitops-lint/gitops-lint@'))).toBe(true);
    expect(run.uploads).toHaveLength(1);
  });

  it('annotates lotus-lake findings relative to the workspace, and the cross-repository ones are skipped', () => {
    expect(reported(run.lintOutput, 'sops-secret-encrypted', 'deploy/cube/api-secret.yaml', 8)).toBe(true);
    expect(reported(run.lintOutput, 'flux-substitution', 'deploy/dagster/ducklake-database.yaml', 22)).toBe(false);
  });

  it('uploads paths of the checked-out repository', () => {
    const [upload] = run.uploads;
    if (!upload) throw new Error('no upload');
    const paths = uploadedPaths(upload);
    expect(paths).toContain('deploy/cube/api-secret.yaml');
    for (const file of paths) expect(existsSync(path.join(upload.checkoutPath, file))).toBe(true);
  });
});

describe('the action with args, working-directory and setup-node: false', () => {
  let run: Simulation;

  beforeAll(() => {
    run = simulate('inputs', [
      { name: 'Check out', uses: 'actions/checkout@v7' },
      {
        name: 'gitops-lint',
        id: 'gitops-lint',
        uses: 'gitops-lint/gitops-lint@v0',
        with: { 'working-directory': 'deploy', 'setup-node': 'false', 'fail-on-findings': 'false', args: `--quiet --format 'junit=reports/lint results.xml'` },
      },
      { name: 'Upload', uses: 'github/codeql-action/upload-sarif@v4', with: { sarif_file: '${{ steps.gitops-lint.outputs.sarif-file }}' } },
    ]);
  }, 120_000);

  it('uses the node on PATH', () => {
    expect(run.setupNode).toEqual([]);
  });

  it('passes args through, quoted words kept together, relative to the working directory', () => {
    expect(existsSync(path.join(run.workspace, 'deploy', 'reports', 'lint results.xml'))).toBe(true);
    expect(run.lintOutput).not.toContain('::warning');
  });

  it('names files from the workspace and writes repository paths for a root below the top', () => {
    expect(reported(run.lintOutput, 'sops-secret-encrypted', 'deploy/cube/api-secret.yaml', 8)).toBe(true);
    const [upload] = run.uploads;
    if (!upload) throw new Error('no upload');
    expect(uploadedPaths(upload)).toContain('deploy/cube/api-secret.yaml');
    expect(existsSync(path.join(run.workspace, 'gitops-lint.sarif'))).toBe(true);
  });

  it('does not fail the job with fail-on-findings: false', () => {
    expect(run.runner.log.find((entry) => entry.name === 'Fail on findings')?.skipped).toBe(true);
    expect(run.runner.failed).toBe(false);
  });
});
