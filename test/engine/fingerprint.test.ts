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
