import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempRepo } from '../cli/temp-repo.js';

const EXAMPLE_BUNDLE = path.resolve(import.meta.dirname, '../../examples/policies/bundle/bundle.tar.gz');

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels: {app: api}
spec:
  template:
    spec:
      containers:
        - name: api
          image: docker.io/acme/api:latest
          resources:
            limits: {memory: 256Mi}
`;

describe('gitops-lint with policies on a real folder', () => {
  it('policy findings come out like any finding, with exit code 1', async () => {
    const dir = tempRepo({ '.gitops-lint.yaml': 'policies:\n  - policy/bundle.tar.gz\n', 'deploy/api.yaml': deployment });
    mkdirSync(path.join(dir, 'policy'));
    copyFileSync(EXAMPLE_BUNDLE, path.join(dir, 'policy', 'bundle.tar.gz'));
    const run = await runCli(['--format', 'compact'], dir);
    expect(run.stdout.split('\n').filter((line) => line.includes('[policy/'))).toEqual([
      'deploy/api.yaml:1:1: error: Deployment api: image "docker.io/acme/api:latest" uses the mutable tag latest. [policy/main/deny_latest_tag]',
      'deploy/api.yaml:1:1: error: Deployment api: image "docker.io/acme/api:latest" is not from an allowed registry (ghcr.io/acme/, registry.k8s.io/). [policy/main/violation_registry]',
    ]);
    expect(run.code).toBe(1);
  });

  it('a missing bundle is a config error: exit 2 with file:line:col', async () => {
    const dir = tempRepo({ '.gitops-lint.yaml': 'ignore: []\npolicies:\n  - policy/bundle.tar.gz\n', 'deploy/api.yaml': deployment });
    const run = await runCli(['--format', 'compact'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('.gitops-lint.yaml:3:5: Cannot read the policy "policy/bundle.tar.gz" (ENOENT).');
    expect(run.stdout).toBe('');
  });
});
