import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileChangeType } from 'vscode-languageserver-protocol/node';
import { ruleDocsUrl } from '../../src/model/rule.js';
import { LspClient, uriOf } from './client.js';

/** A Flux bootstrap that applies ./deploy, so references in deploy/ are checked. */
const FLUX = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: ssh://git@github.com/acme/fleet
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./clusters
  sourceRef:
    kind: GitRepository
    name: flux-system
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./deploy
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

/** Reads Secret `db` in namespace apps: the name is on line 19 (0-based 18), characters 37–39. */
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.2.3
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: db, key: password}
`;

const secret = (name: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: apps\ntype: Opaque\ndata:\n  password: aHVudGVyMg==\n`;

/** The SOPS rules are off: the Secret is plain on purpose, to keep the test about the reference. */
const CONFIG = 'rules:\n  sops-secret-encrypted: "off"\nexternalSecrets:\n  - name: flux-system\n    namespace: flux-system\n';

const missingSecret = {
  range: { start: { line: 18, character: 37 }, end: { line: 18, character: 39 } },
  severity: 1,
  code: 'secret-ref-exists',
  codeDescription: { href: ruleDocsUrl('secret-ref-exists') },
  source: 'gitops-lint',
  message:
    'Referenced Secret db does not exist in namespace apps, where Deployment apps/web reads it: the container does not start. Add it (SOPS-encrypted), fix the name, or mark the reference optional where the field allows it; if it is created outside git, list it in externalSecrets of .gitops-lint.yaml with namespace: apps.',
};

const dirs: string[] = [];
const clients: LspClient[] = [];

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-lsp-incremental-'));
  dirs.push(dir);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

async function start(dir: string, watchFiles = false): Promise<LspClient> {
  const client = await LspClient.start({ folders: [dir], watchFiles });
  clients.push(client);
  return client;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('gitops-lint lsp: an edit re-checks what depends on the edited file', () => {
  it('renaming a Secret in the open file reports the reference in the other file, and renaming it back clears it', async () => {
    const dir = workspace({ '.gitops-lint.yaml': CONFIG, 'clusters/flux.yaml': FLUX, 'deploy/app.yaml': DEPLOYMENT, 'deploy/secret.yaml': secret('db') });
    const app = path.join(dir, 'deploy/app.yaml');
    const secretFile = path.join(dir, 'deploy/secret.yaml');
    const client = await start(dir);

    await client.open(secretFile, secret('db'));
    expect((await client.diagnostics(secretFile, { match: (params) => params.version === 1 })).diagnostics).toEqual([]);

    let since = client.mark();
    await client.change(secretFile, [{ range: { start: { line: 3, character: 8 }, end: { line: 3, character: 10 } }, text: 'db-renamed' }]);
    // app.yaml is not open and did not change: its diagnostics come from the edit of secret.yaml.
    const reported = await client.diagnostics(app, { since });
    expect(reported.diagnostics).toEqual([missingSecret]);
    expect(reported.version).toBeUndefined();

    since = client.mark();
    await client.change(secretFile, [{ range: { start: { line: 3, character: 8 }, end: { line: 3, character: 18 } }, text: 'db' }]);
    expect((await client.diagnostics(app, { since })).diagnostics).toEqual([]);
  });

  it('a file changed on disk is read again when the editor reports it, and created or deleted files change discovery', async () => {
    const dir = workspace({ '.gitops-lint.yaml': CONFIG, 'clusters/flux.yaml': FLUX, 'deploy/app.yaml': DEPLOYMENT, 'deploy/secret.yaml': secret('db') });
    const app = path.join(dir, 'deploy/app.yaml');
    const secretFile = path.join(dir, 'deploy/secret.yaml');
    const client = await start(dir, true);
    const clusters = path.join(dir, 'clusters/flux.yaml');
    await client.open(clusters, FLUX);
    await client.diagnostics(clusters, { match: (params) => params.version === 1 });

    // Renamed on disk (a checkout, another editor) and reported: the reference breaks.
    let since = client.mark();
    writeFileSync(secretFile, secret('db-renamed'));
    await client.filesChanged([{ uri: uriOf(secretFile), type: FileChangeType.Changed }]);
    expect((await client.diagnostics(app, { since })).diagnostics).toEqual([missingSecret]);

    // Deleted and reported: still missing; created again under the right name: fixed.
    since = client.mark();
    rmSync(secretFile);
    writeFileSync(path.join(dir, 'deploy/secret-db.yaml'), secret('db'));
    await client.filesChanged([
      { uri: uriOf(secretFile), type: FileChangeType.Deleted },
      { uri: uriOf(path.join(dir, 'deploy/secret-db.yaml')), type: FileChangeType.Created },
    ]);
    expect((await client.diagnostics(app, { since })).diagnostics).toEqual([]);
  });

  it('of quick edits, the last one wins: versions are published in order and the last state stands', async () => {
    const dir = workspace({ '.gitops-lint.yaml': CONFIG, 'clusters/flux.yaml': FLUX, 'deploy/app.yaml': DEPLOYMENT, 'deploy/secret.yaml': secret('db') });
    const app = path.join(dir, 'deploy/app.yaml');
    const secretFile = path.join(dir, 'deploy/secret.yaml');
    const client = await start(dir);
    await client.open(secretFile, secret('db'));
    await client.diagnostics(secretFile, { match: (params) => params.version === 1 });

    const since = client.mark();
    // Three edits without waiting: renamed, back, renamed again.
    await client.change(secretFile, secret('db-renamed'));
    await client.change(secretFile, secret('db'));
    const last = await client.change(secretFile, secret('db-other'));
    await client.diagnostics(secretFile, { since, match: (params) => params.version === last });
    // One more edit (a comment) after the last: anything a stale run published would be in between.
    const after = await client.change(secretFile, `# db-other\n${secret('db-other')}`);
    await client.diagnostics(secretFile, { since, match: (params) => params.version === after });

    const published = client.received.slice(since);
    const versions = published.filter((params) => params.uri === uriOf(secretFile)).map((params) => params.version ?? 0);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(versions.slice(-2)).toEqual([last, after]);
    // The other file's last diagnostics are those of the last edits: the Secret it reads is missing.
    const appPublished = published.filter((params) => params.uri === uriOf(app));
    expect(appPublished.at(-1)?.diagnostics).toEqual([missingSecret]);
  });
});
