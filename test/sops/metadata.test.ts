import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, type Document } from 'yaml';
import { hasSopsKey, isSopsEncrypted, sopsMetadata } from '../../src/sops/metadata.js';

const AGE_A = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const AGE_B = 'age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg';
const MAC =
  'ENC[AES256_GCM,data:cFvcEaS+6kDUQ9NKYIeWEc5xxpz28WtBOW1amdLl2n0yDpCs6jiX+WS+O5AheqZCIY1JcO6VJGMVBMHswcUP3MQMEMJAGNb5iseBvJqMraJD5NXnZoSgluGiYPyIqEJ+d+mHae6BkKr7zLJhwllrdHpjomgB534QQudzG9Leids=,iv:MLYk2t7g/LHuqjCrtBe5VJ/DpyPFUKGKx0TOkCIWcnw=,tag:prDkNyhSWzVBI7BaS+vF+A==,type:str]';

function fixture(name: string): Document.Parsed[] {
  return parseAllDocuments(readFileSync(new URL(`../fixtures/sops/${name}`, import.meta.url), 'utf8')) as Document.Parsed[];
}

function doc(text: string): Document.Parsed {
  return parseAllDocuments(text)[0] as Document.Parsed;
}

describe('sopsMetadata on files as sops writes them', () => {
  it('reads a sops 3.8 file with empty key lists', () => {
    const [secret] = fixture('backup-secret.sops-3.8.yaml');
    const meta = sopsMetadata(secret!);
    expect(meta?.issues).toEqual([]);
    expect(meta?.recipients).toEqual([{ type: 'age', id: AGE_A, path: ['sops', 'age', 0] }]);
    expect(meta?.selection?.key).toBe('encrypted_regex');
    expect(meta?.selection?.value).toBe('^(data|stringData)$');
    expect(meta?.version).toBe('3.8.1');
    expect(meta?.lastModified).toBe('2024-03-01T10:00:00Z');
    expect(meta?.keyGroupCount).toBe(1);
  });

  it('reads a sops 3.10 file with age and pgp and no empty lists', () => {
    const [vars] = fixture('tofu-vars.sops-3.10.yaml');
    const meta = sopsMetadata(vars!);
    expect(meta?.issues).toEqual([]);
    expect(meta?.recipients).toEqual([
      { type: 'age', id: AGE_B, path: ['sops', 'age', 0] },
      { type: 'pgp', id: 'FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4', path: ['sops', 'pgp', 0] },
    ]);
    expect(meta?.selection).toEqual({ key: 'unencrypted_suffix', value: '_unencrypted' });
  });

  it('reads key groups with a Shamir threshold', () => {
    const [secret] = fixture('app-credentials.key-groups.yaml');
    const meta = sopsMetadata(secret!);
    expect(meta?.issues).toEqual([]);
    expect(meta?.keyGroupCount).toBe(2);
    expect(meta?.recipients).toEqual([
      { type: 'age', id: AGE_A, path: ['sops', 'key_groups', 0, 'age', 0] },
      { type: 'hc_vault', id: 'https://vault.example.org/v1/sops/keys/apps', path: ['sops', 'key_groups', 1, 'hc_vault', 0] },
    ]);
  });

  it('reads the block of every document of a multi-document file', () => {
    const docs = fixture('registry-secrets.multi-doc.yaml');
    expect(docs).toHaveLength(2);
    for (const d of docs) {
      expect(isSopsEncrypted(d)).toBe(true);
      expect(sopsMetadata(d)?.issues).toEqual([]);
    }
  });
});

describe('sopsMetadata reads what sops decodes (mapstructure, weakly typed)', () => {
  const base = [`  mac: ${MAC}`, '  lastmodified: "2024-01-01T00:00:00Z"', '  version: 3.9.0'];

  it('a single key entry or key group written without its list', () => {
    const meta = sopsMetadata(doc(['sops:', `  age: {recipient: ${AGE_A}, enc: x}`, ...base].join('\n')));
    expect(meta?.issues).toEqual([]);
    expect(meta?.recipients).toEqual([{ type: 'age', id: AGE_A, path: ['sops', 'age'] }]);
    const grouped = sopsMetadata(doc(['sops:', '  key_groups:', `    age: [{recipient: ${AGE_B}, enc: x}]`, ...base].join('\n')));
    expect(grouped?.issues).toEqual([]);
    expect(grouped?.keyGroupCount).toBe(1);
    expect(grouped?.recipients).toEqual([{ type: 'age', id: AGE_B, path: ['sops', 'key_groups', 'age', 0] }]);
  });

  it('key groups with age, pgp, kms, gcp_kms, azure_kv and hc_vault lists', () => {
    const meta = sopsMetadata(
      doc(
        [
          'sops:',
          '  shamir_threshold: 2',
          '  key_groups:',
          `    - age: [{recipient: ${AGE_A}, enc: x}]`,
          '      pgp: [{fp: FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4, enc: x, created_at: "2024-01-01T00:00:00Z"}]',
          '      kms: [{arn: "arn:aws:kms:eu-west-1:1:key/a", role: "arn:aws:iam::1:role/r", enc: x}]',
          '    - gcp_kms: [{resource_id: projects/p/locations/l/keyRings/r/cryptoKeys/k, enc: x}]',
          '      azure_kv: [{vault_url: "https://v.vault.azure.net", name: sops, version: "1", enc: x}]',
          '      hc_vault: [{vault_address: "https://vault.example.org", engine_path: sops, key_name: apps, enc: x}]',
          ...base,
        ].join('\n'),
      ),
    );
    expect(meta?.issues).toEqual([]);
    expect(meta?.keyGroupCount).toBe(2);
    expect(meta?.recipients.map((r) => `${r.type}:${r.id}`)).toEqual([
      `age:${AGE_A}`,
      'pgp:FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4',
      'kms:arn:aws:kms:eu-west-1:1:key/a',
      'gcp_kms:projects/p/locations/l/keyRings/r/cryptoKeys/k',
      'azure_kv:https://v.vault.azure.net/keys/sops',
      'hc_vault:https://vault.example.org/v1/sops/keys/apps',
    ]);
  });

  it('a number as a selection value and a Shamir threshold written as a string', () => {
    const meta = sopsMetadata(
      doc(['sops:', '  key_groups:', `    - age: [{recipient: ${AGE_A}, enc: x}]`, `    - age: [{recipient: ${AGE_B}, enc: y}]`, '  shamir_threshold: "2"', '  encrypted_suffix: 1', ...base].join('\n')),
    );
    expect(meta?.issues).toEqual([]);
    expect(meta?.selection).toEqual({ key: 'encrypted_suffix', value: '1' });
  });

  it('a selection regex with RE2 syntax JavaScript lacks', () => {
    const meta = sopsMetadata(doc(['sops:', `  age: [{recipient: ${AGE_A}, enc: x}]`, '  encrypted_regex: ^(?i:data|stringdata)\\z', ...base].join('\n')));
    expect(meta?.issues).toEqual([]);
    expect(['stringData', 'DATA', 'metadata', 'data\n'].map((key) => meta?.selection?.regexp?.test(key))).toEqual([true, true, false, false]);
  });
});

describe('sopsMetadata problems', () => {
  it('is undefined for a document without a sops key', () => {
    const plain = doc('apiVersion: v1\nkind: Secret\n');
    expect(sopsMetadata(plain)).toBeUndefined();
    expect(isSopsEncrypted(plain)).toBe(false);
    expect(hasSopsKey(plain)).toBe(false);
  });

  it('reports a sops key that is not a mapping', () => {
    const d = doc('data:\n  a: b\nsops: yes\n');
    expect(hasSopsKey(d)).toBe(true);
    expect(isSopsEncrypted(d)).toBe(false);
    expect(sopsMetadata(d)?.issues).toEqual([{ code: 'notMapping', path: ['sops'], data: {} }]);
  });

  it('reports missing mac, lastmodified and version, and no recipient', () => {
    const meta = sopsMetadata(doc('data: {}\nsops:\n  kms: []\n  age: []\n'));
    expect(meta?.issues).toEqual([
      { code: 'missingField', path: ['sops'], key: true, data: { field: 'mac' } },
      { code: 'missingField', path: ['sops'], key: true, data: { field: 'lastmodified' } },
      { code: 'missingField', path: ['sops'], key: true, data: { field: 'version' } },
      { code: 'noRecipients', path: ['sops'], key: true, data: {} },
    ]);
  });

  it('reports malformed mac, lastmodified and version', () => {
    const meta = sopsMetadata(
      doc(
        [
          'sops:',
          `  age: [{recipient: ${AGE_A}, enc: x}]`,
          '  mac: ENC[AES256_GCM,data:abc,type:str]',
          '  lastmodified: yesterday',
          '  version: 3.8',
        ].join('\n'),
      ),
    );
    expect(meta?.issues).toEqual([
      {
        code: 'invalidMac',
        path: ['sops', 'mac'],
        data: { problem: 'the value does not have the form ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]' },
      },
      { code: 'invalidLastModified', path: ['sops', 'lastmodified'], data: {} },
      { code: 'invalidVersion', path: ['sops', 'version'], data: {} },
    ]);
  });

  it('reports a key entry without enc or identifier', () => {
    const meta = sopsMetadata(
      doc(
        [
          'sops:',
          `  age: [{recipient: ${AGE_A}}]`,
          '  pgp: [{enc: x}]',
          `  mac: ${MAC}`,
          '  lastmodified: "2024-01-01T00:00:00Z"',
          '  version: 3.9.0',
        ].join('\n'),
      ),
    );
    expect(meta?.issues).toEqual([
      { code: 'invalidKeyEntry', path: ['sops', 'age', 0], data: { type: 'age', field: 'enc' } },
      { code: 'invalidKeyEntry', path: ['sops', 'pgp', 0], data: { type: 'pgp', field: 'fp' } },
    ]);
  });

  it('reports more than one selection key and gives no selection', () => {
    const meta = sopsMetadata(
      doc(
        [
          'sops:',
          `  age: [{recipient: ${AGE_A}, enc: x}]`,
          `  mac: ${MAC}`,
          '  lastmodified: "2024-01-01T00:00:00Z"',
          '  version: 3.9.0',
          '  encrypted_regex: ^data$',
          '  unencrypted_suffix: _unencrypted',
        ].join('\n'),
      ),
    );
    expect(meta?.selection).toBeUndefined();
    expect(meta?.issues).toEqual([
      {
        code: 'multipleSelection',
        path: ['sops', 'unencrypted_suffix'],
        key: true,
        data: { keys: 'encrypted_regex, unencrypted_suffix' },
      },
    ]);
  });

  it('reports a selection regex it cannot use', () => {
    const meta = sopsMetadata(
      doc(
        [
          'sops:',
          `  age: [{recipient: ${AGE_A}, enc: x}]`,
          `  mac: ${MAC}`,
          '  lastmodified: "2024-01-01T00:00:00Z"',
          '  version: 3.9.0',
          '  encrypted_regex: (?<!meta)data',
        ].join('\n'),
      ),
    );
    expect(meta?.selection).toBeUndefined();
    expect(meta?.issues).toEqual([
      {
        code: 'invalidRegex',
        path: ['sops', 'encrypted_regex'],
        data: { field: 'encrypted_regex', reason: 'invalid named capture: `(?<!meta)data`', effect: 'sops decrypts no value of this file' },
      },
    ]);
  });

  it('reports a Shamir threshold above the number of key groups', () => {
    const meta = sopsMetadata(
      doc(
        [
          'sops:',
          '  key_groups:',
          `    - age: [{recipient: ${AGE_A}, enc: x}]`,
          `  mac: ${MAC}`,
          '  lastmodified: "2024-01-01T00:00:00Z"',
          '  version: 3.9.0',
          '  shamir_threshold: 2',
        ].join('\n'),
      ),
    );
    expect(meta?.issues).toEqual([
      { code: 'invalidShamir', path: ['sops', 'shamir_threshold'], data: { threshold: 2, groups: 1 } },
    ]);
  });

  it('survives wrong types everywhere', () => {
    const meta = sopsMetadata(doc('sops:\n  age: nope\n  key_groups: 3\n  mac: [1]\n  lastmodified: {}\n  version: null\n'));
    expect(meta?.issues.map((issue) => issue.code)).toEqual([
      'invalidMac',
      'invalidLastModified',
      'invalidVersion',
      'invalidField',
      'invalidField',
      'noRecipients',
    ]);
  });
});
