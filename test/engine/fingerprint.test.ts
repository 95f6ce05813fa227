import { describe, expect, it } from 'vitest';
import { lint } from '../../src/index.js';

// Issue 10, item 5: the same repository under another folder name keeps every fingerprint.
const files = {
  'clusters/apps.yaml': [
    'apiVersion: kustomize.toolkit.fluxcd.io/v1',
    'kind: Kustomization',
    'metadata:\n  name: apps\n  namespace: flux-system',
    'spec:\n  interval: 10m\n  prune: true\n  path: ../elsewhere\n  sourceRef:\n    kind: GitRepository\n    name: flux-system',
    '---',
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: GitRepository',
    'metadata:\n  name: flux-system\n  namespace: flux-system',
    'spec:\n  interval: 1m\n  url: https://example.invalid/acme/fleet\n  ref:\n    branch: main',
    '',
  ].join('\n'),
  'apps/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n',
};

async function fingerprints(dir: string) {
  const result = await lint({ roots: [{ dir, files }] });
  return result.findings.map((finding) => [finding.ruleId, finding.message.includes(dir.split('/').pop() as string), finding.fingerprint]);
}

describe('fingerprints', () => {
  it('do not change with the folder the repository is checked out in', async () => {
    const original = await fingerprints('/work/fleet');
    const fork = await fingerprints('/ci/workspace/fleet-fork');
    // One message names the root ("leaves the root of fleet"): it is compared without the name.
    expect(original.map(([ruleId, namesRoot]) => [ruleId, namesRoot])).toEqual([
      ['yaml-syntax', false],
      ['flux-path-exists', true],
    ]);
    expect(fork.map(([, , fingerprint]) => fingerprint)).toEqual(original.map(([, , fingerprint]) => fingerprint));
  });
});

// A fingerprint is hashed when it is first read (most runs print none): these values are what the
// build before that change gave for the same files, so baselines written by it keep matching.
const WORKLOADS = {
  'deploy/app.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:latest\n          imagePullPolicy: IfNotPresent\n',
  'deploy/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: Lynx-Fingerprint-1\n',
};

describe('fingerprints read after the run', () => {
  it('are those hashed from each finding as it was reported', async () => {
    const result = await lint({ roots: [{ dir: '/work/fleet', files: WORKLOADS }] });
    expect(result.findings.map((finding) => [finding.ruleId, finding.location.startLine, finding.fingerprint])).toEqual([
      ['schema-valid', 5, '20f74c9fe570f4750c9ca8b647a769ea'],
      ['image-tag-mutable', 10, '81e64b2761d4096eeb0630fb3ae45486'],
      ['image-pull-policy-mutable-tag', 11, '00d7fa10c3787cb309c35fca1a909840'],
      ['sops-secret-encrypted', 5, 'a6d0a6102bbf3886ef7dd66ff004bd3c'],
    ]);
  });

  it('are plain properties to JSON and to copies', async () => {
    const result = await lint({ roots: [{ dir: '/work/fleet', files: WORKLOADS }] });
    const finding = result.findings[0]!;
    expect((JSON.parse(JSON.stringify(finding)) as { fingerprint: string }).fingerprint).toBe('20f74c9fe570f4750c9ca8b647a769ea');
    expect({ ...finding }.fingerprint).toBe('20f74c9fe570f4750c9ca8b647a769ea');
    expect(structuredClone(finding).fingerprint).toBe('20f74c9fe570f4750c9ca8b647a769ea');
  });
});
