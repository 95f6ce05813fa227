import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { IncrementalLint } from '../../src/engine/incremental.js';
import { lint } from '../../src/engine/lint.js';
import { LoadCache } from '../../src/lsp/cache.js';
import { defineRule, type Rule } from '../../src/model/rule.js';
import type { LintResult } from '../../src/model/result.js';

const DUPLICATE = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  mode: fast\n  mode: safe\n';
const CLEAN = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  mode: fast\n';
/** Nesting deeper than the YAML parser's recursion: yaml-syntax skips the file with a note about it. */
const DEEP = `${'['.repeat(3000)}${']'.repeat(3000)}\n`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-incremental-'));
  dirs.push(dir);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

function summary(result: LintResult): string[] {
  return [
    ...result.findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn}-${f.location.endLine}:${f.location.endColumn} ${f.ruleId} ${f.fingerprint} ${f.message}`),
    ...result.notes.map((note) => `note ${note.message}`),
  ];
}

/** A linter as the language server runs it: parses and per-file findings kept between runs. */
function server(dir: string, rules: ReadonlyArray<Rule<string, never>>) {
  const cache = new LoadCache();
  const incremental = new IncrementalLint();
  return {
    incremental,
    async run(overrides: Record<string, string>): Promise<LintResult> {
      cache.beginRun();
      const result = await lint({ roots: [dir], rules, overrides: new Map(Object.entries(overrides).map(([file, text]) => [path.join(dir, file), text])), load: cache.hooks, incremental });
      cache.endRun();
      return result;
    },
    fresh(overrides: Record<string, string>): Promise<LintResult> {
      return lint({ roots: [dir], rules, overrides: new Map(Object.entries(overrides).map(([file, text]) => [path.join(dir, file), text])) });
    },
  };
}

describe('IncrementalLint', () => {
  it('re-checks only the edited file with a per-file rule, keeps the findings and notes of the others, and equals a fresh run', async () => {
    const dir = workspace({ 'a.yaml': DUPLICATE, 'b.yaml': CLEAN, 'c.yaml': DUPLICATE.replace('name: a', 'name: c'), 'deep.yaml': DEEP });
    const lsp = server(dir, builtinRules as ReadonlyArray<Rule<string, never>>);
    const steps: Array<Record<string, string>> = [{}, { 'b.yaml': DUPLICATE.replace('name: a', 'name: b') }, { 'b.yaml': CLEAN, 'a.yaml': CLEAN }, { 'b.yaml': CLEAN, 'a.yaml': CLEAN }];
    const found: number[] = [];
    for (const [index, step] of steps.entries()) {
      const result = await lsp.run(step);
      expect(summary(result)).toEqual(summary(await lsp.fresh(step)));
      found.push(result.findings.filter((finding) => finding.ruleId === 'yaml-syntax').length);
      // The note about deep.yaml is kept with its file's findings.
      expect(result.notes.map((note) => note.message)).toContain('Skipped deep.yaml: nested too deeply for the YAML parser (about 900 levels), so it was not checked.');
      // The first run checks every file; then only the files whose text changed.
      const changed = [4, 1, 2, 0][index];
      expect(lsp.incremental.last.get('yaml-syntax')).toEqual({ checked: changed, kept: 4 - (changed ?? 0) });
    }
    expect(found).toEqual([2, 3, 1, 1]);
  });

  it('checks every file again when the config changes', async () => {
    const dir = workspace({ 'a.yaml': DUPLICATE, 'b.yaml': CLEAN });
    const lsp = server(dir, builtinRules as ReadonlyArray<Rule<string, never>>);
    await lsp.run({});
    await lsp.run({});
    expect(lsp.incremental.last.get('yaml-syntax')).toEqual({ checked: 0, kept: 2 });
    // The language server loads the config again after a change on disk: a new config object.
    writeFileSync(path.join(dir, '.gitops-lint.yaml'), 'rules:\n  yaml-syntax: warning\n');
    const cache = new LoadCache();
    cache.beginRun();
    const result = await lint({ roots: [dir], rules: builtinRules as ReadonlyArray<Rule<string, never>>, load: cache.hooks, incremental: lsp.incremental });
    expect(lsp.incremental.last.get('yaml-syntax')).toEqual({ checked: 3, kept: 0 });
    expect(result.findings.filter((finding) => finding.ruleId === 'yaml-syntax').map((finding) => finding.level)).toEqual(['warning']);
  });

  it('runs a rule that declares dependsOn: file but reads the applied objects on the whole workspace, with the same findings as a fresh run', async () => {
    // Reports on a ConfigMap when another object of the workspace has the same name: not per file at all.
    const sameName = defineRule({
      meta: {
        id: 'same-name',
        description: 'Disallow a name twice',
        category: 'style',
        scope: 'cluster',
        dependsOn: 'file',
        defaultLevel: 'error',
        recommended: false,
        messages: { twice: 'Twice.' },
        docs: { rationale: 'Test rule.', incorrect: [], correct: [] },
      },
      check(ctx) {
        for (const resource of ctx.model.resources) {
          if (ctx.model.resources.some((other) => other !== resource && other.name === resource.name)) ctx.report({ resource, messageId: 'twice' });
        }
      },
    }) as Rule<string, never>;
    const dir = workspace({ '.gitops-lint.yaml': 'rules:\n  same-name: error\n', 'a.yaml': CLEAN.replace('name: b', 'name: a'), 'b.yaml': CLEAN });
    const lsp = server(dir, [sameName]);
    const steps: Array<Record<string, string>> = [{}, { 'b.yaml': CLEAN.replace('name: b', 'name: a') }, {}];
    const counts: number[] = [];
    for (const step of steps) {
      const result = await lsp.run(step);
      expect(summary(result)).toEqual(summary(await lsp.fresh(step)));
      // Every file (the config file too), every run.
      expect(lsp.incremental.last.get('same-name')).toEqual({ checked: 3, kept: 0 });
      counts.push(result.findings.length);
    }
    // a.yaml did not change, yet its finding came and went with b.yaml.
    expect(counts).toEqual([0, 2, 0]);
  });

  it('keeps per-file findings that depend on the covering .sops.yaml while it is the same file, and re-checks every file when an open .sops.yaml changes', async () => {
    const plain = (name: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\ntype: Opaque\nstringData:\n  password: hunter2-${name}\n`;
    const sops = 'creation_rules:\n  - path_regex: ^apps/.*\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    age: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n';
    const dir = workspace({ '.sops.yaml': sops, 'apps/a.yaml': plain('a'), 'other/b.yaml': plain('b') });
    const lsp = server(dir, builtinRules as ReadonlyArray<Rule<string, never>>);
    const steps: Array<Record<string, string>> = [
      {},
      { 'apps/a.yaml': plain('a2') },
      // Unsaved: the config on disk is the same, the .sops.yaml the rules look up is not.
      { 'apps/a.yaml': plain('a2'), '.sops.yaml': sops.replace('^apps/', '^(apps|other)/') },
      { 'apps/a.yaml': plain('a2'), '.sops.yaml': sops.replace('^apps/', '^(apps|other)/') },
    ];
    const checked: unknown[] = [];
    for (const step of steps) {
      const result = await lsp.run(step);
      expect(summary(result)).toEqual(summary(await lsp.fresh(step)));
      checked.push(lsp.incremental.last.get('sops-creation-rules'));
    }
    // All three files, then the edited Secret, then all again (.sops.yaml changed), then none.
    expect(checked).toEqual([
      { checked: 3, kept: 0 },
      { checked: 1, kept: 2 },
      { checked: 3, kept: 0 },
      { checked: 0, kept: 3 },
    ]);
  });

  it('re-checks a file whose Secret gets another namespace from a kustomization.yaml above it, so the note names the new one', async () => {
    // A plaintext Secret of references only: sops-secret-encrypted accepts it with a note naming namespace/name.
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\nstringData:\n  token: op://vault/item/token\n';
    const kustomization = (namespace: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ${namespace}\nresources:\n  - secret.yaml\n`;
    const dir = workspace({ 'app/secret.yaml': secret, 'app/kustomization.yaml': kustomization('team-a') });
    const lsp = server(dir, builtinRules as ReadonlyArray<Rule<string, never>>);
    const steps: Array<Record<string, string>> = [{}, { 'app/kustomization.yaml': kustomization('team-b') }, { 'app/kustomization.yaml': kustomization('team-b') }];
    const notes: string[][] = [];
    const checked: unknown[] = [];
    for (const step of steps) {
      const result = await lsp.run(step);
      expect(summary(result)).toEqual(summary(await lsp.fresh(step)));
      notes.push(result.notes.map((note) => note.message).filter((message) => message.startsWith('sops-secret-encrypted:')));
      checked.push(lsp.incremental.last.get('sops-secret-encrypted'));
    }
    expect(notes.map((messages) => messages.map((message) => /Secret (\S+) is not/.exec(message)?.[1]))).toEqual([['team-a/token'], ['team-b/token'], ['team-b/token']]);
    // Both files, then the edited kustomization.yaml and the Secret it moved, then neither.
    expect(checked).toEqual([
      { checked: 2, kept: 0 },
      { checked: 2, kept: 0 },
      { checked: 0, kept: 2 },
    ]);
  });
});
