import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LspClient } from '../lsp/client.js';

const EXAMPLE_BUNDLE = path.resolve(import.meta.dirname, '../../examples/policies/bundle/bundle.tar.gz');

/** No memory limit: the example policy's deny points at containers[0].resources (line 11, 0-based 10). */
const NO_LIMIT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/web:1.0
          resources: {requests: {cpu: 10m}}
`;

const clients: LspClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.stop()));
});

describe('policies in the editor (gitops-lint lsp --stdio)', () => {
  it('a policy result is a diagnostic on its node, and goes away when the buffer is fixed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-lsp-policy-'));
    mkdirSync(path.join(dir, 'policy'));
    copyFileSync(EXAMPLE_BUNDLE, path.join(dir, 'policy', 'bundle.tar.gz'));
    writeFileSync(path.join(dir, '.gitops-lint.yaml'), 'policies:\n  - policy/bundle.tar.gz\nrules:\n  schema-valid: off\n');
    mkdirSync(path.join(dir, 'deploy'));
    const file = path.join(dir, 'deploy', 'web.yaml');
    writeFileSync(file, NO_LIMIT);
    const client = await LspClient.start({ folders: [dir] });
    clients.push(client);
    const published = await client.diagnostics(file, { match: (params) => params.diagnostics.length > 0, timeoutMs: 20_000 });
    expect(published.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, range: d.range, href: d.codeDescription?.href }))).toEqual([
      {
        code: 'policy/main/deny',
        severity: 1,
        message: 'Deployment web: container "app" has no memory limit.',
        range: { start: { line: 11, character: 10 }, end: { line: 11, character: 19 } },
        href: 'https://github.com/gitops-lint/gitops-lint/blob/main/README.md#team-policies-in-rego',
      },
    ]);
    const since = client.mark();
    await client.open(file, NO_LIMIT);
    await client.change(file, NO_LIMIT.replace('resources: {requests: {cpu: 10m}}', 'resources: {limits: {memory: 64Mi}}'));
    const fixed = await client.diagnostics(file, { since, match: (params) => params.diagnostics.length === 0, timeoutMs: 20_000 });
    expect(fixed.diagnostics).toEqual([]);
  });
});
