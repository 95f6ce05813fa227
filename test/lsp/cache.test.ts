import path from 'node:path';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { lint } from '../../src/index.js';
import type { LintResult } from '../../src/model/result.js';
import { BuildMemo } from '../../src/kustomize/memo.js';
import { buildKustomization } from '../../src/kustomize/build.js';
import { hostFromFiles, hostFromRootFiles } from '../../src/kustomize/host.js';
import { LoadCache } from '../../src/lsp/cache.js';
import { loadSourceFile } from '../../src/workspace/source-file.js';
import type { Root, RootFiles, SourceFile } from '../../src/model/workspace.js';

const FLUX = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 1m, url: ssh://git@github.com/acme/fleet}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 10m, prune: true, path: ./clusters, sourceRef: {kind: GitRepository, name: flux-system}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 10m
  prune: true
  path: ./deploy
  targetNamespace: apps
  sourceRef: {kind: GitRepository, name: flux-system}
`;

const APP = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:latest\n';
const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - app.yaml\n';
const PINNED = `${KUSTOMIZATION}images:\n  - name: ghcr.io/acme/web\n    newTag: 1.2.3\n`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function summary(result: LintResult): string[] {
  return result.findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn}-${f.location.endLine}:${f.location.endColumn} ${f.ruleId} ${f.message}`);
}

describe('LoadCache across runs', () => {
  it('gives, edit after edit, exactly the findings of a run from scratch', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-cache-'));
    dirs.push(dir);
    const files = { 'clusters/flux.yaml': FLUX, 'deploy/kustomization.yaml': KUSTOMIZATION, 'deploy/app.yaml': APP, '.gitops-lint.yaml': 'externalSecrets:\n  - {name: flux-system, namespace: flux-system}\n' };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    const cache = new LoadCache();
    const kustomization = path.join(dir, 'deploy/kustomization.yaml');
    const app = path.join(dir, 'deploy/app.yaml');
    const clusters = path.join(dir, 'clusters/flux.yaml');
    // Each step: the unsaved texts of open documents, as an editor sends them.
    const other = path.join(dir, 'other/notes.yaml');
    const steps: Array<Record<string, string>> = [
      {},
      // A new file that no build reads: the build of ./deploy is reused.
      { [other]: 'notes: []\n' },
      { [kustomization]: PINNED },
      { [kustomization]: PINNED, [app]: APP.replace('name: web\n', 'name: web2\n') },
      { [kustomization]: KUSTOMIZATION, [app]: APP.replace('name: web\n', 'name: web2\n') },
      { [kustomization]: KUSTOMIZATION, [clusters]: FLUX.replace('  targetNamespace: apps\n', '  targetNamespace: apps\n  images:\n    - name: ghcr.io/acme/web\n      newTag: 2.0.0\n') },
      { [kustomization]: `# moved down a line\n${KUSTOMIZATION}` },
      {},
    ];
    const seen: string[][] = [];
    for (const step of steps) {
      const overrides = new Map(Object.entries(step));
      cache.beginRun();
      const cached = await lint({ roots: [dir], overrides, load: cache.hooks });
      cache.endRun();
      const fresh = await lint({ roots: [dir], overrides });
      expect(summary(cached)).toEqual(summary(fresh));
      seen.push(summary(cached));
    }
    // Builds were reused (each edit rebuilds only what read the edited file), and the steps do
    // change the findings: the mutable tag comes and goes.
    expect(cache.hooks.buildMemo.stats.reused).toBeGreaterThan(0);
    expect(seen.map((findings) => findings.some((line) => line.includes('image-tag-mutable')))).toEqual([true, true, false, false, true, false, true, true]);
  });
});

describe('LoadCache age limit', () => {
  it('a run for an edit keeps what it read however old; a refreshing run reads again what is too old', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-cache-'));
    dirs.push(dir);
    const file = path.join(dir, 'deploy/app.yaml');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, APP);
    // Everything is too old at once.
    const cache = new LoadCache(-1);
    const run = async (refresh: boolean) => {
      cache.beginRun({ refresh });
      const result = await lint({ roots: [dir], load: cache.hooks });
      cache.endRun();
      return result.findings.filter((finding) => finding.ruleId === 'image-tag-mutable').length;
    };
    expect(await run(false)).toBe(1);
    expect(cache.refreshDue()).toBe(true);
    // Changed on disk and reported by nobody.
    writeFileSync(file, APP.replace(':latest', ':1.2.3'));
    expect(await run(false)).toBe(1);
    expect(await run(true)).toBe(0);
    expect(new LoadCache(60_000).refreshDue()).toBe(false);
  });

  it('drops what a run no longer asks for (a root removed), so a refresh leaves nothing old behind', async () => {
    const dirs2 = [0, 1].map(() => mkdtempSync(path.join(tmpdir(), 'gitops-lint-cache-')));
    dirs.push(...dirs2);
    for (const dir of dirs2) writeFileSync(path.join(dir, 'app.yaml'), APP);
    const cache = new LoadCache(1000);
    cache.beginRun({ refresh: true });
    await lint({ roots: dirs2, load: cache.hooks });
    cache.endRun();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(cache.refreshDue()).toBe(true);
    // The second root is gone from the workspace: a refreshing run reads the first one again, and forgets the second.
    cache.beginRun({ refresh: true });
    await lint({ roots: [dirs2[0]!], load: cache.hooks });
    cache.endRun();
    expect(cache.refreshDue()).toBe(false);
  });
});

describe('BuildMemo', () => {
  const root = { dir: '/repo', name: 'repo', git: false, tracked: null, trackedIgnored: new Set<string>() } as unknown as Root;
  const file = (relative: string, text: string) => loadSourceFile(root, relative, `/repo/${relative}`, text).file;

  it('reuses a build while every file it read is the same, and builds again when one changes', () => {
    const memo = new BuildMemo();
    const kustomization = file('deploy/kustomization.yaml', KUSTOMIZATION);
    const app = file('deploy/app.yaml', APP);
    const other = file('other/app.yaml', APP);
    let builds = 0;
    const run = (files: ReturnType<typeof file>[]) =>
      memo.build('deploy', hostFromFiles(files), undefined, (host) => {
        builds++;
        return buildKustomization(host, 'deploy');
      });

    const first = run([kustomization, app, other]);
    expect(run([kustomization, app, other])).toBe(first);
    // A file the build does not read changed: still the same build.
    expect(run([kustomization, app, file('other/app.yaml', `${APP}# edited\n`)])).toBe(first);
    expect(builds).toBe(1);

    // The resource it reads changed (a new SourceFile): built again, from the new file.
    const edited = file('deploy/app.yaml', APP.replace(':latest', ':1.0.0'));
    const second = run([kustomization, edited, other]);
    expect(builds).toBe(2);
    expect(second.objects.map((object) => object.written.file)).toEqual([edited]);

    // A file it read is gone: built again, and the build says so.
    const missing = run([kustomization, other]);
    expect(builds).toBe(3);
    expect(missing.problems.map((problem) => problem.code)).toEqual(['missing-file']);
    expect(memo.stats).toEqual({ reused: 2, built: 3 });
  });

  /** A root's file index, as the model makes one. */
  const index = (files: readonly SourceFile[]): RootFiles => {
    const parent = (relative: string) => (relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '');
    const tree = { root, files: new Map<string, SourceFile>(), dirs: new Set<string>(['']), filesIn: new Map<string, SourceFile[]>(), dirsIn: new Map<string, string[]>() };
    for (const item of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
      tree.files.set(item.path, item);
      tree.filesIn.set(parent(item.path), [...(tree.filesIn.get(parent(item.path)) ?? []), item]);
      for (let dir = parent(item.path); dir !== '' && !tree.dirs.has(dir); dir = parent(dir)) {
        tree.dirs.add(dir);
        tree.dirsIn.set(parent(dir), [...(tree.dirsIn.get(parent(dir)) ?? []), dir].sort());
      }
    }
    return tree;
  };

  it('checks a build against what changed in the file index its host answers from, also after runs that did not ask for it', () => {
    const memo = new BuildMemo();
    const kustomization = file('deploy/kustomization.yaml', KUSTOMIZATION);
    const app = file('deploy/app.yaml', APP);
    const other = file('other/app.yaml', APP);
    let builds = 0;
    const run = (files: SourceFile[], dir = 'deploy') => {
      const tree = index(files);
      return memo.build(dir, hostFromRootFiles(tree), undefined, (host) => {
        builds++;
        return buildKustomization(host, dir);
      }, undefined, tree);
    };

    const first = run([kustomization, app, other]);
    expect(run([kustomization, app, other])).toBe(first);
    // Another folder's file changed, was added, or a folder appeared: the same build.
    expect(run([kustomization, app, file('other/app.yaml', `${APP}# edited\n`)])).toBe(first);
    expect(run([kustomization, app, other, file('other/more/app.yaml', APP)])).toBe(first);
    expect(builds).toBe(1);

    // A file added next to the kustomization (its folder's list changed): built again.
    run([kustomization, app, other, file('deploy/extra.yaml', APP)]);
    expect(builds).toBe(2);

    // An index that another build was checked against in between (a run that did not ask for
    // this one, or was abandoned): what changed since this build's own last check counts.
    const edited = file('deploy/app.yaml', APP.replace(':latest', ':1.0.0'));
    const files = [kustomization, edited, other];
    run(files, 'other');
    const second = run(files);
    expect(builds).toBe(4);
    expect(second.objects.map((object) => object.written.file)).toEqual([edited]);

    // The kustomization file is gone: built again.
    expect(run([edited, other])).not.toBe(second);
    expect(builds).toBe(5);
    expect(memo.stats).toEqual({ reused: 3, built: 5 });
  });
});
