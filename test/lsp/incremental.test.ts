import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileChangeType } from 'vscode-languageserver-protocol/node';
import { lint } from '../../src/index.js';
import { diagnosticsByFile } from '../../src/lsp/diagnostics.js';
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

  it('a file changed on disk that nobody reports is read again by the run after edits stop, not by the edit', async () => {
    const dir = workspace({ '.gitops-lint.yaml': CONFIG, 'clusters/flux.yaml': FLUX, 'deploy/app.yaml': DEPLOYMENT, 'deploy/secret.yaml': secret('db') });
    const app = path.join(dir, 'deploy/app.yaml');
    const secretFile = path.join(dir, 'deploy/secret.yaml');
    const clusters = path.join(dir, 'clusters/flux.yaml');
    const client = await start(dir);
    await client.open(clusters, FLUX);
    await client.diagnostics(clusters, { match: (params) => params.version === 1 });

    const since = client.mark();
    // Renamed on disk (a checkout in a terminal) without a didChangeWatchedFiles.
    writeFileSync(secretFile, secret('db-renamed'));
    // Past the cache's age limit (5 s), an edit is linted with what was read before.
    await new Promise((resolve) => setTimeout(resolve, 5200));
    await client.change(clusters, `# edited\n${FLUX}`);
    // A second edit at once: everything the first one's run published has arrived before its answer.
    await settle(client, clusters, `# edited\n${FLUX}`);
    // Neither edit's run read the rename; the refresh once edits stop does.
    expect(publishedFor(client, app, since)).toEqual([]);
    expect((await client.diagnostics(app, { since })).diagnostics).toEqual([missingSecret]);
  }, 15_000);

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

/** A ConfigMap with a duplicate key `mode` (yaml-syntax, a per-file rule) on line 8 (0-based 7), characters 2–6. */
const DUPLICATE_KEY = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apps\ndata:\n  mode: fast\n  mode: safe\n';

const duplicateKey = (line: number) => ({
  range: { start: { line, character: 2 }, end: { line, character: 6 } },
  severity: 1,
  code: 'yaml-syntax',
  codeDescription: { href: ruleDocsUrl('yaml-syntax') },
  source: 'gitops-lint',
  message: 'Duplicate key: the last value silently wins in most tools and sops refuses the file.',
});

/** An encrypted value without `sops:` metadata (sops-metadata-valid, a per-file rule). */
const NO_METADATA = `apiVersion: v1
kind: Secret
metadata:
  name: backup
  namespace: apps
stringData:
  KEY: ENC[AES256_GCM,data:zMaBkieue1959g==,iv:JSjcPuw3KJ1prBbWJ5PN1Y7+Y2eC3fLX8AgduwJfjA0=,tag:630Hx+Qq4eXFTUuvSSgL9w==,type:str]
`;

const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - app.yaml\n  - secret.yaml\n  - settings.yaml\n';
const PINNED = `${KUSTOMIZATION}images:\n  - name: ghcr.io/acme/web\n    newTag: 1.2.4\n`;

/** Publications for `file` received since `since`. */
function publishedFor(client: LspClient, file: string, since: number) {
  return client.received.slice(since).filter((params) => params.uri === uriOf(file));
}

/**
 * Wait until the server has answered everything sent so far: an edit of `file` that keeps its
 * text gets a publication of the new version, after every publication of earlier runs.
 */
async function settle(client: LspClient, file: string, text: string): Promise<void> {
  const since = client.mark();
  const version = await client.change(file, text);
  await client.diagnostics(file, { since, match: (params) => params.version === version });
}

describe('gitops-lint lsp: per-file rules keep the findings of files an edit did not change', () => {
  it('an edit that breaks a reference another file resolves reports it there; the unchanged files are not published again', async () => {
    const files = { '.gitops-lint.yaml': CONFIG, 'clusters/flux.yaml': FLUX, 'deploy/app.yaml': DEPLOYMENT, 'deploy/secret.yaml': secret('db'), 'deploy/settings.yaml': DUPLICATE_KEY };
    const dir = workspace(files);
    const app = path.join(dir, 'deploy/app.yaml');
    const secretFile = path.join(dir, 'deploy/secret.yaml');
    const settings = path.join(dir, 'deploy/settings.yaml');
    const client = await start(dir);
    // The first run publishes every file with findings, open or not.
    expect((await client.diagnostics(settings)).diagnostics).toEqual([duplicateKey(7)]);
    await client.open(secretFile, secret('db'));
    await client.diagnostics(secretFile, { match: (params) => params.version === 1 });

    const since = client.mark();
    await client.change(secretFile, secret('db-renamed'));
    expect((await client.diagnostics(app, { since })).diagnostics).toEqual([missingSecret]);
    await settle(client, secretFile, secret('db-renamed'));
    // settings.yaml did not change and neither did its diagnostics: nothing is sent for it.
    expect(publishedFor(client, settings, since)).toEqual([]);
    expect(publishedFor(client, app, since)).toHaveLength(1);
  });

  it('an edit that fixes a per-file finding in the edited file clears it there, and the other file keeps its own', async () => {
    const dir = workspace({ '.gitops-lint.yaml': CONFIG, 'clusters/flux.yaml': FLUX, 'deploy/app.yaml': DEPLOYMENT, 'deploy/secret.yaml': secret('db'), 'deploy/settings.yaml': DUPLICATE_KEY, 'deploy/backup.yaml': NO_METADATA });
    const settings = path.join(dir, 'deploy/settings.yaml');
    const backup = path.join(dir, 'deploy/backup.yaml');
    const client = await start(dir);
    await client.open(settings, DUPLICATE_KEY);
    expect((await client.diagnostics(settings, { match: (params) => params.version === 1 })).diagnostics).toEqual([duplicateKey(7)]);
    const backupBefore = await client.diagnostics(backup);
    expect(backupBefore.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['sops-metadata-valid']);

    let since = client.mark();
    // Remove the second `mode:` line: the duplicate is gone.
    const fixed = await client.change(settings, [{ range: { start: { line: 7, character: 0 }, end: { line: 8, character: 0 } }, text: '' }]);
    expect((await client.diagnostics(settings, { since, match: (params) => params.version === fixed })).diagnostics).toEqual([]);
    await settle(client, settings, DUPLICATE_KEY.replace('  mode: safe\n', ''));
    expect(publishedFor(client, backup, since)).toEqual([]);

    // And back: the finding is found again in the edited file, at the same place.
    since = client.mark();
    const broken = await client.change(settings, DUPLICATE_KEY);
    expect((await client.diagnostics(settings, { since, match: (params) => params.version === broken })).diagnostics).toEqual([duplicateKey(7)]);
  });

  it('an edit of a kustomization (file A) changes the findings of the manifest it applies (file B)', async () => {
    const dir = workspace({
      '.gitops-lint.yaml': CONFIG,
      'clusters/flux.yaml': FLUX,
      'deploy/kustomization.yaml': KUSTOMIZATION,
      'deploy/app.yaml': DEPLOYMENT.replace('web:1.2.3', 'web:latest'),
      'deploy/secret.yaml': secret('db'),
      'deploy/settings.yaml': DUPLICATE_KEY,
    });
    const kustomization = path.join(dir, 'deploy/kustomization.yaml');
    const app = path.join(dir, 'deploy/app.yaml');
    const client = await start(dir);
    const codes = (params: { diagnostics: Array<{ code?: number | string }> }) => params.diagnostics.map((diagnostic) => diagnostic.code);
    expect(codes(await client.diagnostics(app))).toContain('image-tag-mutable');
    await client.open(kustomization, KUSTOMIZATION);
    await client.diagnostics(kustomization, { match: (params) => params.version === 1 });

    // kustomization.yaml pins the image: the tag in app.yaml no longer reaches the cluster.
    let since = client.mark();
    await client.change(kustomization, PINNED);
    expect(codes(await client.diagnostics(app, { since }))).not.toContain('image-tag-mutable');

    since = client.mark();
    await client.change(kustomization, KUSTOMIZATION);
    expect(codes(await client.diagnostics(app, { since }))).toContain('image-tag-mutable');
  });

  it('after a sequence of edits of several files, what was published equals a fresh full lint of the same texts', async () => {
    const files: Record<string, string> = {
      '.gitops-lint.yaml': CONFIG,
      'clusters/flux.yaml': FLUX,
      'deploy/kustomization.yaml': KUSTOMIZATION,
      'deploy/app.yaml': DEPLOYMENT.replace('web:1.2.3', 'web:latest'),
      'deploy/secret.yaml': secret('db'),
      'deploy/settings.yaml': DUPLICATE_KEY,
      'deploy/backup.yaml': NO_METADATA,
      // sops-config-valid, a per-file rule: a name sops ignores (kept all along), and a config edited below.
      '.sops.yml': 'creation_rules: []\n',
      '.sops.yaml': 'creation_rules: []\n',
    };
    const dir = workspace(files);
    const at = (file: string) => path.join(dir, file);
    const client = await start(dir);
    await client.diagnostics(at('deploy/settings.yaml'));

    const texts = new Map<string, string>();
    const open = new Set<string>();
    const steps: Array<[string, string]> = [
      ['deploy/secret.yaml', secret('db-renamed')],
      ['deploy/settings.yaml', DUPLICATE_KEY.replace('  mode: safe\n', '')],
      ['deploy/backup.yaml', `${NO_METADATA}  OTHER: plain\n  OTHER: twice\n`],
      ['deploy/kustomization.yaml', PINNED],
      ['.sops.yaml', 'creation_rules: 5\n'],
      ['deploy/app.yaml', DEPLOYMENT.replace('{name: db, key: password}', '{name: db-renamed, key: password}')],
      ['deploy/settings.yaml', `${DUPLICATE_KEY}  mode: third\n`],
      ['deploy/secret.yaml', `${secret('db')}  password: again\n`],
      ['deploy/backup.yaml', secret('backup')],
      ['deploy/kustomization.yaml', KUSTOMIZATION],
      ['.sops.yaml', 'creation_rules:\n  - path_regex: .*\n'],
      ['deploy/settings.yaml', `# a comment first\n${DUPLICATE_KEY}`],
    ];
    for (const [file, text] of steps) {
      const absolute = at(file);
      if (!open.has(absolute)) {
        open.add(absolute);
        await client.open(absolute, files[file] ?? '');
      }
      texts.set(absolute, text);
      await client.change(absolute, text);
      await settle(client, absolute, text);

      // What the editor shows now: the last publication for every file.
      const shown = new Map<string, unknown>();
      for (const params of client.received) {
        if (params.diagnostics.length === 0) shown.delete(params.uri);
        else shown.set(params.uri, params.diagnostics);
      }
      const fresh = diagnosticsByFile(await lint({ roots: [dir], overrides: texts }));
      expect(Object.fromEntries(shown)).toEqual(Object.fromEntries([...fresh].map(([name, diagnostics]) => [uriOf(name), diagnostics])));
    }
    // The steps did make and clear findings of both kinds of rules.
    const codes = new Set(client.received.flatMap((params) => params.diagnostics.map((diagnostic) => diagnostic.code)));
    expect([...codes].sort()).toEqual(expect.arrayContaining(['image-tag-mutable', 'secret-ref-exists', 'sops-config-valid', 'sops-metadata-valid', 'yaml-syntax']));
  });
});
