import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempRepo } from './temp-repo.js';

// Issue 10, item 5: a folder that cannot be read gets a note, and a kustomization that lists it
// (or a symlink out of the root) does not say it does not exist. root reads every folder, so as
// root the CLI runs as nobody (65534); the temp folder is made theirs, the folder unreadable.
const BIN = path.resolve(import.meta.dirname, '../../bin/gitops-lint.js');
const asRoot = process.getuid?.() === 0;

function chownAll(dir: string, files: string[]): void {
  if (!asRoot) return;
  for (const file of ['', ...files]) chownSync(path.join(dir, file), 65534, 65534);
}

describe('unreadable folders', () => {
  it('get a note, and the kustomization listing one is not told it does not exist', () => {
    const outside = tempRepo({ 'x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' });
    const dir = tempRepo({
      'deploy/kustomization.yaml': 'resources:\n  - private\n  - link\n  - gone.yaml\n',
      'deploy/private/kustomization.yaml': 'resources: []\n',
      'clusters/apps.yaml': ['deploy', 'deploy/private']
        .map((folder) =>
          [
            'apiVersion: kustomize.toolkit.fluxcd.io/v1',
            'kind: Kustomization',
            `metadata:\n  name: ${folder.replace('/', '-')}\n  namespace: flux-system`,
            `spec:\n  interval: 10m\n  prune: true\n  path: ./${folder}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`,
          ].join('\n'),
        )
        .join('---\n'),
    });
    // The cluster's own GitRepository, linked to this root by its URL's last segment.
    writeFileSync(
      path.join(dir, 'clusters', 'source.yaml'),
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: ssh://git@example.invalid/acme/${path.basename(dir)}\n  ref:\n    branch: main\n`,
    );
    symlinkSync(outside, path.join(dir, 'deploy', 'link'));
    chownAll(dir, ['deploy', 'deploy/kustomization.yaml', 'deploy/private', 'deploy/private/kustomization.yaml', 'clusters', 'clusters/apps.yaml', 'clusters/source.yaml']);
    chmodSync(path.join(dir, 'deploy', 'private'), 0o000);
    const run = spawnSync(process.execPath, [BIN, '-f', 'json', '.'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GITOPS_LINT_NO_CACHE: '1', GITHUB_ACTIONS: '', NO_COLOR: '1' },
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    chmodSync(path.join(dir, 'deploy', 'private'), 0o755);
    const json = JSON.parse(run.stdout) as { notes: Array<{ message: string }>; findings: Array<{ ruleId: string; message: string; location: { startLine: number } }> };
    expect(json.notes.map((note) => note.message).filter((message) => message.startsWith('Skipped'))).toEqual([
      'Skipped symlink deploy/link: it points outside the root.',
      'Skipped folder deploy/private: it cannot be read (EACCES), so nothing in it was checked.',
    ]);
    // Only the entry that really is missing is reported; neither the kustomization entries nor
    // the Flux path naming the unreadable folder are called missing.
    expect(json.findings.map((finding) => [finding.ruleId, finding.location.startLine])).toEqual([['kustomize-resources-exist', 4]]);
  });
});
