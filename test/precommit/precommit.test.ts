// The published pre-commit hook, installed by Debian's `pre-commit` (apt) from a local clone
// of this repository into a real consumer repository, and run by real `git commit`s. No
// registry is needed: the hook is `language: script` and runs the committed bundle.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyCommitFiles } from '../ci/commit-files.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const preCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
const available = preCommit.status === 0;

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Dev',
  GIT_AUTHOR_EMAIL: 'dev@example.invalid',
  GIT_COMMITTER_NAME: 'Dev',
  GIT_COMMITTER_EMAIL: 'dev@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

const DEPLOYMENT = (image: string, policy = 'IfNotPresent') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: ${image}
          imagePullPolicy: ${policy}
`;

const SECRET = (password: string) => `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: web
stringData:
  password: ${password}
`;

interface Commit {
  code: number | null;
  output: string;
}

describe.skipIf(!available)(`pre-commit hook (${available ? preCommit.stdout.trim() : 'skipped: pre-commit is not installed, apt-get install pre-commit'})`, () => {
  let work: string;
  let consumer: string;
  let env: NodeJS.ProcessEnv;

  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: 'pipe' });
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(consumer, file)), { recursive: true });
    writeFileSync(path.join(consumer, file), text);
  };
  const commit = (message: string): Commit => {
    const run = spawnSync('git', ['commit', '-m', message], { cwd: consumer, env, encoding: 'utf8' });
    return { code: run.status, output: `${run.stdout}${run.stderr}` };
  };
  const committed = (file: string) => git(consumer, 'show', `HEAD:${file}`);

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'gitops-lint-pre-commit-'));
    env = { ...process.env, ...GIT_ENV, HOME: work, PRE_COMMIT_HOME: path.join(work, 'cache'), NO_COLOR: '1', GITOPS_LINT_NO_CACHE: '1' };

    // The hook repository: this checkout's files as a commit would hold them (tracked and new
    // files, not ignored ones such as node_modules), committed in a fresh repository.
    const hookRepo = path.join(work, 'gitops-lint');
    copyCommitFiles(REPO, hookRepo);
    git(hookRepo, 'init', '-q', '-b', 'main');
    git(hookRepo, 'add', '-A');
    git(hookRepo, 'commit', '-qm', 'gitops-lint');
    const rev = git(hookRepo, 'rev-parse', 'HEAD').trim();

    consumer = path.join(work, 'app');
    mkdirSync(consumer);
    git(consumer, 'init', '-q', '-b', 'main');
    write(
      '.pre-commit-config.yaml',
      `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: gitops-lint\n`,
    );
    write('deploy/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n');
    write('deploy/deployment.yaml', DEPLOYMENT('ghcr.io/acme/web:1.0.0'));
    git(consumer, 'add', '-A');
    git(consumer, 'commit', '-qm', 'init');
    execFileSync('pre-commit', ['install'], { cwd: consumer, env, stdio: 'pipe' });
  }, 120_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('blocks a plaintext Secret and says why, without printing the value', () => {
    write('deploy/secret.yaml', SECRET('hunter2-plain'));
    write('deploy/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - secret.yaml\n');
    git(consumer, 'add', '-A');
    const run = commit('add a secret');
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/gitops-lint\.+Failed/);
    expect(run.output).toContain('deploy/secret.yaml');
    expect(run.output).toContain('sops-secret-encrypted');
    expect(run.output).not.toContain('hunter2-plain');
    expect(git(consumer, 'log', '--format=%s')).not.toContain('add a secret');
    git(consumer, 'reset', '-q', 'HEAD', '--', 'deploy');
    git(consumer, 'checkout', '-q', '--', 'deploy');
    rmSync(path.join(consumer, 'deploy/secret.yaml'));
  });

  it('shows the warning for a :latest image and lets the commit through', () => {
    write('deploy/deployment.yaml', DEPLOYMENT('ghcr.io/acme/web:latest', 'Always'));
    git(consumer, 'add', '-A');
    const run = commit('track latest');
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/gitops-lint\.+Passed/);
    expect(run.output).toContain('image-tag-mutable');
    expect(run.output).toMatch(/1 problem \(0 errors, 1 warning\)/);
    expect(committed('deploy/deployment.yaml')).toContain(':latest');
  });

  it('passes a good change', () => {
    write('deploy/deployment.yaml', DEPLOYMENT('ghcr.io/acme/web:1.1.0'));
    git(consumer, 'add', '-A');
    const run = commit('pin 1.1.0');
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/gitops-lint\.+Passed/);
    expect(run.output).not.toContain('warning');
    expect(committed('deploy/deployment.yaml')).toContain(':1.1.0');
  });

  it('judges the staged file, not a fix left unstaged: blocked, and the fix is kept', () => {
    write('deploy/config.yaml', SECRET('staged-plain'));
    git(consumer, 'add', 'deploy/config.yaml');
    // Fixed in the working tree (a ConfigMap without credentials) but not added.
    write('deploy/config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\n  namespace: web\ndata:\n  mode: fast\n');
    const run = commit('staged secret, unstaged fix');
    expect(run.code).toBe(1);
    expect(run.output).toContain('sops-secret-encrypted');
    expect(run.output).not.toContain('staged-plain');
    expect(readFileSync(path.join(consumer, 'deploy/config.yaml'), 'utf8')).toContain('kind: ConfigMap');
    git(consumer, 'reset', '-q', 'HEAD', '--', 'deploy/config.yaml');
    rmSync(path.join(consumer, 'deploy/config.yaml'));
  });

  it('judges the staged file, not a mistake left unstaged: passes, and the unstaged edit is kept', () => {
    write('deploy/deployment.yaml', DEPLOYMENT('ghcr.io/acme/web:1.2.0'));
    git(consumer, 'add', 'deploy/deployment.yaml');
    // A mutable tag with IfNotPresent (an error) in the working tree only.
    write('deploy/deployment.yaml', DEPLOYMENT('ghcr.io/acme/web:latest'));
    const run = commit('pin 1.2.0, latest unstaged');
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/gitops-lint\.+Passed/);
    expect(run.output).not.toContain('image-pull-policy-mutable-tag');
    expect(committed('deploy/deployment.yaml')).toContain(':1.2.0');
    expect(readFileSync(path.join(consumer, 'deploy/deployment.yaml'), 'utf8')).toContain(':latest');
  });

  it('blocks on warnings with args: [--max-warnings=0], as the README shows', () => {
    const config = readFileSync(path.join(consumer, '.pre-commit-config.yaml'), 'utf8');
    write('.pre-commit-config.yaml', `${config}        args: [--max-warnings=0]\n`);
    write('deploy/deployment.yaml', DEPLOYMENT('ghcr.io/acme/web:latest', 'Always'));
    git(consumer, 'add', '-A');
    const run = commit('latest again');
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/gitops-lint\.+Failed/);
    expect(run.output).toContain('image-tag-mutable');
    expect(run.output).toContain('gitops-lint found too many warnings (maximum: 0).');
  });
});
