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
        data: { field: 'encrypted_regex', reason: 'lookaround is not supported by RE2' },
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
