import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileChangeType } from 'vscode-languageserver-protocol/node';
import { ruleDocsUrl } from '../../src/model/rule.js';
import { LspClient, uriOf } from './client.js';

/** Duplicate key `mode` on line 7 (0-based line 6), characters 2–6. */
const DUPLICATE = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: fast\n  mode: safe\n';
const CLEAN = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: fast\n';
/** A tab as indentation on line 3 (0-based line 2), character 0; not a Kubernetes object. */
const TAB = 'settings:\n  mode: fast\n\tlevel: debug\n';
const DUPLICATE_MESSAGE = 'Duplicate key: the last value silently wins in most tools and sops refuses the file.';

/** `image: ...:latest` on line 16; the image string is at characters 17–48 (0-based line 15). */
const DEPLOYMENT =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cube\nspec:\n  selector:\n    matchLabels:\n      app: cube\n  template:\n    metadata:\n      labels:\n        app: cube\n    spec:\n      containers:\n        - name: cube\n          image: ghcr.io/matta-kelly/cube:latest\n';
const KUSTOMIZATION = 'resources:\n  - app.yaml\n';
const PINNING_KUSTOMIZATION = 'resources:\n  - app.yaml\nimages:\n  - name: ghcr.io/matta-kelly/cube\n    newTag: 3f2a9c1\n';

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-lsp-'));
  write(dir, files);
  return dir;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
}

const duplicateDiagnostic = {
  range: { start: { line: 6, character: 2 }, end: { line: 6, character: 6 } },
  severity: 1,
  code: 'yaml-syntax',
  codeDescription: { href: ruleDocsUrl('yaml-syntax') },
  source: 'gitops-lint',
  message: DUPLICATE_MESSAGE,
};

const clients: LspClient[] = [];
async function start(folders: string[], options: { watchFiles?: boolean; initializationOptions?: unknown } = {}): Promise<LspClient> {
  const client = await LspClient.start({ folders, ...options });
  clients.push(client);
  return client;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.stop()));
});

describe('gitops-lint lsp --stdio', () => {
  it('answers initialize with incremental sync and its name', async () => {
    const client = await start([workspace({ 'a.yaml': CLEAN })]);
    expect(client.initializeResult?.capabilities.textDocumentSync).toEqual({ openClose: true, change: 2, save: { includeText: false } });
    expect(client.initializeResult?.serverInfo?.name).toBe('gitops-lint');
  });

  it('lints the workspace on initialize and publishes files that are not open', async () => {
    const dir = workspace({ 'deploy/bad.yaml': DUPLICATE, 'deploy/ok.yaml': CLEAN });
    const client = await start([dir]);
    const published = await client.diagnostics(path.join(dir, 'deploy/bad.yaml'));
    expect(published.diagnostics).toEqual([duplicateDiagnostic]);
    expect(published.version).toBeUndefined();
    expect(client.received.map((params) => params.uri)).not.toContain(uriOf(path.join(dir, 'deploy/ok.yaml')));
  });

  it('lints the unsaved text of an opened document and clears the diagnostics when an edit fixes it', async () => {
    const dir = workspace({ 'deploy/app.yaml': CLEAN });
    const file = path.join(dir, 'deploy/app.yaml');
    const client = await start([dir]);

    await client.open(file, TAB);
    const opened = await client.diagnostics(file, { match: (params) => params.version === 1 });
    expect(opened.diagnostics).toEqual([
      {
        range: { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } },
        severity: 1,
        code: 'yaml-syntax',
        codeDescription: { href: ruleDocsUrl('yaml-syntax') },
        source: 'gitops-lint',
        message: 'Invalid YAML: Tabs are not allowed as indentation.',
      },
    ]);

    // Replace the tab with two spaces: an incremental edit, as editors send them.
    const version = await client.change(file, [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } }, text: '  ' }]);
    const fixed = await client.diagnostics(file, { match: (params) => params.version === version });
    expect(fixed.diagnostics).toEqual([]);

    // An edit that brings a problem back, on another line.
    const broken = await client.change(file, [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: '  mode: safe\n' }]);
    expect((await client.diagnostics(file, { match: (params) => params.version === broken })).diagnostics).toEqual([
      { ...duplicateDiagnostic, range: { start: { line: 3, character: 2 }, end: { line: 3, character: 6 } } },
    ]);
  });

  it('re-lints another file when a change in the open one fixes its finding', async () => {
    const dir = workspace({ 'deploy/kustomization.yaml': KUSTOMIZATION, 'deploy/app.yaml': DEPLOYMENT });
    const app = path.join(dir, 'deploy/app.yaml');
    const kustomization = path.join(dir, 'deploy/kustomization.yaml');
    const client = await start([dir]);

    const initial = await client.diagnostics(app);
    expect(initial.diagnostics).toEqual([
      {
        range: { start: { line: 15, character: 17 }, end: { line: 15, character: 48 } },
        severity: 2,
        code: 'image-tag-mutable',
        codeDescription: { href: ruleDocsUrl('image-tag-mutable') },
        source: 'gitops-lint',
        message: expect.stringContaining('Image ghcr.io/matta-kelly/cube:latest has a mutable tag (latest)') as unknown as string,
      },
    ]);

    await client.open(kustomization, KUSTOMIZATION);
    let since = client.mark();
    await client.change(kustomization, PINNING_KUSTOMIZATION);
    // app.yaml is not open: its diagnostics come from the unsaved kustomization.
    expect((await client.diagnostics(app, { since })).diagnostics).toEqual([]);

    since = client.mark();
    await client.change(kustomization, KUSTOMIZATION);
    expect((await client.diagnostics(app, { since })).diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start.line])).toEqual([['image-tag-mutable', 15]]);
  });

  it('leaves out findings silenced by a suppression comment', async () => {
    const dir = workspace({ 'app.yaml': DUPLICATE });
    const file = path.join(dir, 'app.yaml');
    const client = await start([dir]);
    await client.open(file, DUPLICATE);
    expect((await client.diagnostics(file, { match: (params) => params.version === 1 })).diagnostics).toEqual([duplicateDiagnostic]);
    const version = await client.change(file, [
      { range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: '  # gitops-lint-disable-next-line yaml-syntax -- reviewed\n' },
    ]);
    expect((await client.diagnostics(file, { match: (params) => params.version === version })).diagnostics).toEqual([]);
  });

  it('reverts to the file on disk when a document is closed', async () => {
    const dir = workspace({ 'app.yaml': CLEAN });
    const file = path.join(dir, 'app.yaml');
    const client = await start([dir]);
    await client.open(file, DUPLICATE);
    expect((await client.diagnostics(file, { match: (params) => params.version === 1 })).diagnostics).toHaveLength(1);
    const since = client.mark();
    await client.close(file);
    const closed = await client.diagnostics(file, { since });
    expect(closed.diagnostics).toEqual([]);
    expect(closed.version).toBeUndefined();
  });
});

describe('gitops-lint lsp config', () => {
  it('maps levels to severities and reloads when .gitops-lint.yaml changes on disk', async () => {
    const dir = workspace({ 'app.yaml': DUPLICATE });
    const file = path.join(dir, 'app.yaml');
    const client = await start([dir]);
    expect((await client.diagnostics(file)).diagnostics.map((diagnostic) => diagnostic.severity)).toEqual([1]);

    // The client does not watch files here: the server watches the root for its config.
    let since = client.mark();
    write(dir, { '.gitops-lint.yaml': 'rules:\n  yaml-syntax: warning\n' });
    expect((await client.diagnostics(file, { since })).diagnostics.map((diagnostic) => diagnostic.severity)).toEqual([2]);

    since = client.mark();
    write(dir, { '.gitops-lint.yaml': 'rules:\n  yaml-syntax: note\n' });
    expect((await client.diagnostics(file, { since })).diagnostics.map((diagnostic) => [diagnostic.severity, diagnostic.range])).toEqual([[3, duplicateDiagnostic.range]]);

    since = client.mark();
    write(dir, { '.gitops-lint.yaml': 'rules:\n  yaml-syntax: "off"\n' });
    expect((await client.diagnostics(file, { since })).diagnostics).toEqual([]);
  });

  it('asks the client to watch files and reloads on didChangeWatchedFiles', async () => {
    const dir = workspace({ 'app.yaml': DUPLICATE });
    const file = path.join(dir, 'app.yaml');
    const client = await start([dir], { watchFiles: true });
    expect((await client.diagnostics(file)).diagnostics).toHaveLength(1);
    expect(client.registrations.map((registration) => registration.method)).toEqual(['workspace/didChangeWatchedFiles']);
    const globs = (client.registrations[0]?.registerOptions as { watchers: Array<{ globPattern: string }> }).watchers.map((watcher) => watcher.globPattern);
    expect(globs).toContain('**/*.{yaml,yml,json}');

    const since = client.mark();
    write(dir, { '.gitops-lint.yaml': 'rules:\n  yaml-syntax: "off"\n' });
    await client.filesChanged([{ uri: uriOf(path.join(dir, '.gitops-lint.yaml')), type: FileChangeType.Created }]);
    expect((await client.diagnostics(file, { since })).diagnostics).toEqual([]);
  });

  it('shows a config error on the config file and clears it once fixed', async () => {
    const dir = workspace({ 'app.yaml': DUPLICATE, '.gitops-lint.yaml': 'rules:\n  yaml-syntax: error\n' });
    const config = path.join(dir, '.gitops-lint.yaml');
    const client = await start([dir], { watchFiles: true });
    expect((await client.diagnostics(path.join(dir, 'app.yaml'))).diagnostics).toHaveLength(1);

    let since = client.mark();
    write(dir, { '.gitops-lint.yaml': 'rules:\n  yaml-syntax: error\n  no-such-rule: warning\n' });
    await client.filesChanged([{ uri: uriOf(config), type: FileChangeType.Changed }]);
    expect((await client.diagnostics(config, { since })).diagnostics).toEqual([
      {
        range: { start: { line: 2, character: 2 }, end: { line: 3, character: 0 } },
        severity: 1,
        code: 'config',
        source: 'gitops-lint',
        message: 'Unknown rule "no-such-rule".',
      },
    ]);

    since = client.mark();
    write(dir, { '.gitops-lint.yaml': 'rules:\n  yaml-syntax: error\n' });
    await client.filesChanged([{ uri: uriOf(config), type: FileChangeType.Changed }]);
    expect((await client.diagnostics(config, { since })).diagnostics).toEqual([]);
  });
});

describe('gitops-lint lsp roots', () => {
  it('lints the roots given in initializationOptions with the workspace folder', async () => {
    const parent = workspace({ 'app/deploy/ok.yaml': CLEAN, 'cluster/bad.yaml': DUPLICATE });
    const client = await start([path.join(parent, 'app')], { initializationOptions: { roots: ['../cluster'] } });
    expect((await client.diagnostics(path.join(parent, 'cluster/bad.yaml'))).diagnostics).toEqual([duplicateDiagnostic]);
  });

  it('lints a workspace folder added later', async () => {
    const parent = workspace({ 'app/deploy/ok.yaml': CLEAN, 'cluster/bad.yaml': DUPLICATE });
    const client = await start([path.join(parent, 'app')]);
    await client.open(path.join(parent, 'app/deploy/ok.yaml'), CLEAN);
    await client.diagnostics(path.join(parent, 'app/deploy/ok.yaml'), { match: (params) => params.version === 1 });
    expect(client.received.map((params) => params.uri)).not.toContain(uriOf(path.join(parent, 'cluster/bad.yaml')));
    await client.addFolder(path.join(parent, 'cluster'));
    expect((await client.diagnostics(path.join(parent, 'cluster/bad.yaml'))).diagnostics).toEqual([duplicateDiagnostic]);
  });
});
