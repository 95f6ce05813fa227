/**
 * Which checkout a GitRepository fetches (issue 8, part 4), on real git repositories: several
 * GitRepositories on different branches of one repository, detached HEAD, a single
 * GitRepository on a feature branch, `repos:` with `name@branch`, and a `repos:` path that is
 * not a linted root.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { readGitBranches } from '../../src/workspace/git.js';
import { yaml } from '../../src/testing/index.js';
import { GitRepo } from '../staged/git-repo.js';
import { CONFIG_MAP } from './helpers.js';
import { fluxRules } from './rules.js';

const FLEET_SYNC = yaml`
  apiVersion: source.toolkit.fluxcd.io/v1
  kind: GitRepository
  metadata:
    name: flux-system
    namespace: flux-system
  spec:
    interval: 1m
    url: ssh://git@github.com/acme/fleet
    ref:
      branch: main
  ---
  apiVersion: kustomize.toolkit.fluxcd.io/v1
  kind: Kustomization
  metadata:
    name: flux-system
    namespace: flux-system
  spec:
    interval: 10m
    prune: true
    path: ./clusters/prod
    sourceRef:
      kind: GitRepository
      name: flux-system
`;

const TENANT = yaml`
  apiVersion: source.toolkit.fluxcd.io/v1
  kind: GitRepository
  metadata:
    name: fleet-dev
    namespace: dev-team
  spec:
    interval: 1m
    url: https://github.com/acme/fleet.git
    ref:
      branch: dev-team
  ---
  apiVersion: kustomize.toolkit.fluxcd.io/v1
  kind: Kustomization
  metadata:
    name: dev-team
    namespace: dev-team
  spec:
    interval: 10m
    prune: true
    path: ./tenants/dev-team
    sourceRef:
      kind: GitRepository
      name: fleet-dev
`;

const parents: string[] = [];
afterAll(() => {
  for (const parent of parents) rmSync(parent, { recursive: true, force: true });
});

/**
 * A fleet repository: `main` has the fleet and the tenant's sources; branch `dev-team` adds
 * the tenant's folder and drops the fleet's `clusters/prod/apps` folder.
 */
function fleetRepo(): GitRepo {
  const parent = mkdtempSync(path.join(tmpdir(), 'gitops-lint-branches-'));
  parents.push(parent);
  const repo = new GitRepo(parent, 'fleet');
  repo.write({ 'clusters/prod/flux-system.yaml': FLEET_SYNC, 'clusters/prod/tenant.yaml': TENANT, 'clusters/prod/apps/podinfo.yaml': CONFIG_MAP('podinfo', 'default') });
  repo.git('add', '.');
  repo.git('commit', '-qm', 'fleet');
  repo.git('checkout', '-q', '-b', 'dev-team');
  repo.write({ 'tenants/dev-team/app.yaml': CONFIG_MAP('app', 'dev-team') });
  repo.git('rm', '-rq', 'clusters/prod/apps');
  repo.git('add', '.');
  repo.git('commit', '-qm', 'tenant');
  repo.git('checkout', '-q', 'main');
  return repo;
}

async function lintDirs(dirs: string[]) {
  const result = await lint({ roots: dirs, rules: fluxRules, cwd: path.dirname(dirs[0]!) });
  expect(result.errors).toEqual([]);
  return {
    findings: result.findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn}-${f.location.endLine}:${f.location.endColumn} ${f.ruleId} ${f.messageId}`),
    // The entry-point note is pinned in test/applied; these cases are about sources.
    notes: result.notes.map((note) => note.message).filter((message) => !message.includes('no Flux entry point in git')),
  };
}

describe('several GitRepositories on different branches of one repository', () => {
  it('on main: the fleet is the checkout, the tenant on dev-team is another tree (skipped with a note)', async () => {
    const repo = fleetRepo();
    const { findings, notes } = await lintDirs([repo.dir]);
    expect(findings).toEqual([]);
    expect(notes).toEqual([
      'GitRepository dev-team/fleet-dev: it fetches branch dev-team of fleet, a different tree from the checkout of fleet (branch main), which GitRepository flux-system/flux-system fetches, so the paths and objects its Kustomizations and Terraforms use were not checked. Lint a checkout of branch dev-team together with this one and map it with `repos: {"dev-team/fleet-dev@dev-team": PATH}` in .gitops-lint.yaml.',
    ]);
  });

  it('on dev-team: the tenant is the checkout, the fleet on main is another tree', async () => {
    const repo = fleetRepo();
    repo.git('checkout', '-q', 'dev-team');
    const { findings, notes } = await lintDirs([repo.dir]);
    expect(findings).toEqual([]);
    expect(notes).toEqual([
      'GitRepository flux-system/flux-system: it fetches branch main of fleet, a different tree from the checkout of fleet (branch dev-team), which GitRepository dev-team/fleet-dev fetches, so the paths and objects its Kustomizations and Terraforms use were not checked. Lint a checkout of branch main together with this one and map it with `repos: {"flux-system/flux-system@main": PATH}` in .gitops-lint.yaml.',
    ]);
  });

  it('with HEAD detached (CI) on the tenant commit: the default branch decides, and the tenant path is not judged', async () => {
    const repo = fleetRepo();
    repo.git('checkout', '-q', '--detach', 'dev-team');
    const { findings, notes } = await lintDirs([repo.dir]);
    // The fleet's Kustomization is checked against this tree: its path exists here too.
    expect(findings).toEqual([]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('GitRepository dev-team/fleet-dev: it fetches branch dev-team of fleet, a different tree from the checkout of fleet (branch main)');
  });

  it('uses origin/HEAD for the default branch when HEAD is detached', async () => {
    const repo = fleetRepo();
    repo.git('update-ref', 'refs/remotes/origin/dev-team', 'dev-team');
    repo.git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/dev-team');
    repo.git('checkout', '-q', '--detach', 'dev-team');
    const { notes } = await lintDirs([repo.dir]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('GitRepository flux-system/flux-system: it fetches branch main of fleet, a different tree from the checkout of fleet (branch dev-team)');
  });

  it('maps name@branch to a checkout of that branch, where the tenant path is checked', async () => {
    const repo = fleetRepo();
    const devCheckout = path.join(path.dirname(repo.dir), 'fleet-dev-team');
    repo.git('worktree', 'add', '-q', devCheckout, 'dev-team');
    repo.write({ '.gitops-lint.yaml': 'repos:\n  dev-team/fleet-dev@dev-team: ../fleet-dev-team\n' });
    repo.write({ 'clusters/prod/tenant.yaml': TENANT.replace('./tenants/dev-team', './tenants/dev-teem') });
    const { findings, notes } = await lintDirs([repo.dir, devCheckout]);
    expect(findings.filter((finding) => finding.startsWith('clusters/prod/tenant.yaml'))).toEqual(['clusters/prod/tenant.yaml:20:9-20:27 flux-path-exists missing']);
    expect(notes.filter((note) => note.includes('fleet-dev:'))).toEqual([]);
  });
});

describe('a root that is not a git work tree', () => {
  it('cannot tell which of two branches it is: both are skipped with a note, never judged', async () => {
    const result = await lint({
      roots: [{ dir: path.join(path.sep, 'virtual', 'fleet'), name: 'fleet', files: { 'clusters/prod/flux-system.yaml': FLEET_SYNC, 'clusters/prod/tenant.yaml': TENANT } }],
      rules: fluxRules,
      cwd: path.sep,
    });
    expect(result.findings).toEqual([]);
    const sourceNotes = result.notes.filter((note) => !note.message.includes('no Flux entry point in git'));
    expect(sourceNotes.map((note) => note.message.slice(0, note.message.indexOf(', so the paths')))).toEqual([
      'GitRepository flux-system/flux-system: it fetches branch main of fleet while other GitRepositories fetch other refs of it, and the branch of the checkout of fleet is not known, so it is not known which one fetches the linted tree',
      'GitRepository dev-team/fleet-dev: it fetches branch dev-team of fleet while other GitRepositories fetch other refs of it, and the branch of the checkout of fleet is not known, so it is not known which one fetches the linted tree',
    ]);
  });

  it('uses the branch an in-memory root says it has checked out', async () => {
    const result = await lint({
      roots: [{ dir: path.join(path.sep, 'virtual', 'fleet'), name: 'fleet', branch: 'main', files: { 'clusters/prod/flux-system.yaml': FLEET_SYNC.replace('./clusters/prod', './clusters/missing'), 'clusters/prod/tenant.yaml': TENANT } }],
      rules: fluxRules,
      cwd: path.sep,
    });
    expect(result.findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn} ${f.messageId}`)).toEqual(['clusters/prod/flux-system.yaml:20:9 missing']);
    expect(result.notes.filter((note) => !note.message.includes('no Flux entry point in git'))).toHaveLength(1);
  });
});

describe('one GitRepository per repository', () => {
  it('stays linked on a feature branch: its paths are checked against the checkout', async () => {
    const repo = fleetRepo();
    repo.git('checkout', '-q', '-b', 'feature-x');
    repo.write({ 'clusters/prod/tenant.yaml': CONFIG_MAP('placeholder', 'default'), 'clusters/prod/flux-system.yaml': FLEET_SYNC.replace('./clusters/prod', './clusters/production') });
    const { findings, notes } = await lintDirs([repo.dir]);
    expect(findings).toEqual(['clusters/prod/flux-system.yaml:20:9-20:30 flux-path-exists missing']);
    expect(notes).toEqual([]);
  });
});

describe('a GitRepository naming another branch of the repository it is committed in', () => {
  /** The flux2-multi-tenancy layout: the fleet's own GitRepository is not in git, the tenant's is. */
  function tenantOnly(): GitRepo {
    const repo = fleetRepo();
    repo.git('rm', '-q', 'clusters/prod/flux-system.yaml');
    repo.git('commit', '-qm', 'bootstrap objects live in the cluster only');
    return repo;
  }

  it('on the default branch it is another tree: skipped with a note', async () => {
    const { findings, notes } = await lintDirs([tenantOnly().dir]);
    expect(findings).toEqual([]);
    expect(notes).toEqual([
      'GitRepository dev-team/fleet-dev: it fetches branch dev-team of fleet, the repository it is committed in, whose checkout is on its default branch main: a different tree, so the paths and objects its Kustomizations and Terraforms use were not checked. Lint a checkout of branch dev-team together with this one and map it with `repos: {"dev-team/fleet-dev@dev-team": PATH}` in .gitops-lint.yaml.',
    ]);
  });

  it('on a feature branch it is still another tree', async () => {
    const repo = tenantOnly();
    repo.git('checkout', '-q', '-b', 'feature-x');
    const { findings, notes } = await lintDirs([repo.dir]);
    expect(findings).toEqual([]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('the repository it is committed in, whose checkout is on branch feature-x (default main): a different tree');
  });

  it('on its own branch it is the checkout: linked, and its path is checked there', async () => {
    const repo = tenantOnly();
    repo.git('checkout', '-q', 'dev-team');
    repo.write({ 'clusters/prod/tenant.yaml': TENANT.replace('./tenants/dev-team', './tenants/dev-teem') });
    const { findings, notes } = await lintDirs([repo.dir]);
    expect(findings).toEqual(['clusters/prod/tenant.yaml:20:9-20:27 flux-path-exists missing']);
    // That branch still has the fleet's GitRepository on main: another tree there.
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^GitRepository flux-system\/flux-system: it fetches branch main of fleet, a different tree/);
  });
});

describe('repos: entry whose path is not a linted root', () => {
  it('falls back to the URL link and says so, so the cross-repo checks still run', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'gitops-lint-repos-'));
    parents.push(parent);
    const cluster = new GitRepo(parent, 'h-kube');
    cluster.write({
      '.gitops-lint.yaml': 'repos:\n  lotus-lake/lotus-lake: ../../checkouts/lotus-lake\n',
      'namespaces/lotus-lake.yaml': TENANT.replaceAll('fleet-dev', 'lotus-lake').replaceAll('dev-team', 'lotus-lake').replace('https://github.com/acme/fleet.git', 'https://github.com/acme/lotus-lake').replace('./tenants/lotus-lake', './deploy'),
    });
    cluster.git('add', '.');
    cluster.git('commit', '-qm', 'cluster');
    const app = new GitRepo(parent, 'lotus-lake');
    app.write({ 'docs/readme.yaml': CONFIG_MAP('docs', 'default') });
    app.git('add', '.');
    app.git('commit', '-qm', 'app');
    const { findings, notes } = await lintDirs([cluster.dir, app.dir]);
    expect(findings).toEqual(['namespaces/lotus-lake.yaml:20:9-20:17 flux-path-exists missing']);
    expect(notes).toEqual([
      `\`repos:\` maps GitRepository lotus-lake/lotus-lake to ${path.resolve(cluster.dir, '../../checkouts/lotus-lake')}, which is not among the linted roots: it was linked to lotus-lake by its URL instead.`,
    ]);
  });
});

describe('reading the branches', () => {
  it('from packed refs, with master as the default branch when there is no main', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'gitops-lint-refs-'));
    parents.push(parent);
    const repo = new GitRepo(parent, 'repo');
    repo.write({ 'a.yaml': 'a: 1\n' });
    repo.git('add', '.');
    repo.git('commit', '-qm', 'a');
    repo.git('branch', 'master');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.git('branch', '-D', 'main');
    repo.git('pack-refs', '--all');
    expect(await readGitBranches(path.join(repo.dir))).toEqual({ branch: 'feature', defaultBranch: 'master' });
    repo.git('checkout', '-q', '--detach');
    expect(await readGitBranches(repo.dir)).toEqual({ branch: 'master', defaultBranch: 'master' });
  });

  it('in a linked worktree, and none outside a repository', async () => {
    const repo = fleetRepo();
    const other = path.join(path.dirname(repo.dir), 'dev');
    repo.git('worktree', 'add', '-q', other, 'dev-team');
    expect(await readGitBranches(path.join(other, 'tenants'))).toEqual({ branch: 'dev-team', defaultBranch: 'main' });
    expect(await readGitBranches(path.dirname(repo.dir))).toEqual({});
  });
});
