/**
 * `redact` leaves a file alone without building its `yaml` AST when the mask walk over its
 * js-yaml values masks nothing (src/engine/redact.ts, `nothingToMask`). These cases are the
 * doubts that check must send to the AST walk, and the files it may pass as they are.
 */
import { describe, expect, it } from 'vitest';
import yamlSyntax from '../../rules/yaml-syntax.js';
import { lintExample, VIRTUAL_BASE } from '../../src/testing/index.js';

const ROOT = `${VIRTUAL_BASE}/repo`;

async function frame(files: Record<string, string>, file = 'deploy/x.yaml'): Promise<string[]> {
  const result = await lintExample(yamlSyntax, { files });
  return result.sourceLines(ROOT, file, 1, 1000) ?? [];
}

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

const deployment = (...env: string[]): string =>
  lines('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: app', 'spec:', '  template:', '    spec:', '      containers:', '        - name: app', '          image: ghcr.io/acme/app:1.0.0', '          env:', ...env);

describe('redaction without the yaml AST', () => {
  it('shows a Deployment whose env names a password only through a secretKeyRef as written', async () => {
    const text = deployment('            - name: DB_PASSWORD', '              valueFrom:', '                secretKeyRef: {name: db, key: password}');
    expect(await frame({ 'deploy/x.yaml': text })).toEqual(text.split('\n'));
  });

  it('masks the value of a sensitive env entry in the same Deployment', async () => {
    const text = deployment('            - name: DB_PASSWORD', '              value: Lynx-PlainEnv-4410');
    expect((await frame({ 'deploy/x.yaml': text }))[12]).toBe('              value: ***');
  });

  it('masks a sensitive entry folded in by a merge key without an anchor (the AST walks it apart)', async () => {
    const text = deployment('            - name: MODE', '              <<: {name: DB_PASSWORD, value: Lynx-MergeKey-4411}');
    const framed = await frame({ 'deploy/x.yaml': text });
    expect(framed.join('\n')).not.toContain('Lynx-MergeKey-4411');
    // What a merge key brings into a sensitive entry is masked whole (src/engine/mask.ts).
    expect(framed[12]).toBe('              <<: {name: ***, value: ***}');
  });

  it('masks a value behind keys js-yaml and the AST read apart (`1` and "1": the plain value keeps one of them)', async () => {
    const text = lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  1: postgres://app:Lynx-TwoKeys-4414@db/app', '  "1": plain');
    const framed = await frame({ 'deploy/x.yaml': text });
    expect(framed.join('\n')).not.toContain('Lynx-TwoKeys-4414');
    expect(framed[5]).toBe('  1: postgres://app:***@db/app');
  });

  it('masks a URL password in a comment of a file whose values hold nothing to mask', async () => {
    const text = deployment('            - name: MODE', '              value: production # was postgres://app:Lynx-Comment-4412@db/app');
    const framed = await frame({ 'deploy/x.yaml': text });
    expect(framed.join('\n')).not.toContain('Lynx-Comment-4412');
    expect(framed[12]).toBe('              value: production # was postgres://app:***@db/app');
  });

  it('masks what a .sops.yaml creation rule selects in a plaintext file with no sensitive key', async () => {
    const sops = lines('creation_rules:', '  - path_regex: deploy/.*\\.yaml$', '    encrypted_regex: ^(data|stringData)$', '    age: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p');
    const text = lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  mode: Lynx-Sops-4413');
    const framed = await frame({ '.sops.yaml': sops, 'deploy/x.yaml': text });
    expect(framed.join('\n')).not.toContain('Lynx-Sops-4413');
  });
});
