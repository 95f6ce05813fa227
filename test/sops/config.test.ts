import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, type Document } from 'yaml';
import { readSopsConfig } from '../../src/sops/config.js';
import { findSopsConfig, matchCreationRule, pathFromConfig } from '../../src/sops/config-lookup.js';
import type { SourceFile } from '../../src/model/workspace.js';

const AGE_A = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const AGE_B = 'age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg';

function config(text: string): ReturnType<typeof readSopsConfig> {
  return readSopsConfig(parseAllDocuments(text, { merge: true })[0] as Document.Parsed);
}

const fixture = config(readFileSync(new URL('../fixtures/sops/sops-config.yaml', import.meta.url), 'utf8'));

describe('readSopsConfig', () => {
  it('reads a config with several rules, string, list and key-group recipients', () => {
    expect(fixture.issues).toEqual([]);
    expect(fixture.rules.map((r) => [r.pathRegex, r.catchAll, r.selection?.key, r.recipients.map((x) => `${x.type}:${x.id}`)])).toEqual([
      ['clusters/.*/secrets/.*\\.yaml$', false, 'encrypted_regex', [`age:${AGE_A}`, `age:${AGE_B}`]],
      ['terraform/.*\\.enc\\.yaml$', false, 'unencrypted_suffix', [`age:${AGE_B}`, 'pgp:FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4']],
      ['^apps/', false, 'encrypted_regex', [`age:${AGE_A}`, 'hc_vault:https://vault.example.org/v1/sops/keys/apps']],
    ]);
  });

  it('reads recipient paths for comma-separated strings and lists', () => {
    expect(fixture.rules[0]?.recipients.map((r) => r.path)).toEqual([
      ['creation_rules', 0, 'age'],
      ['creation_rules', 0, 'age'],
    ]);
    expect(fixture.rules[1]?.recipients.map((r) => r.path)).toEqual([
      ['creation_rules', 1, 'age', 0],
      ['creation_rules', 1, 'pgp'],
    ]);
  });

  it('reports unknown keys, with a suggestion when one is close', () => {
    const c = config('creation_rules:\n  - pathRegex: x\n    hc_vault_uris: http://v\n    colour: blue\nstore: {}\n');
    expect(c.issues).toEqual([
      { code: 'unknownKeySuggestion', path: ['store'], key: true, data: { key: 'store', where: 'the top level', suggestion: 'stores' } },
      {
        code: 'unknownKeySuggestion',
        path: ['creation_rules', 0, 'pathRegex'],
        key: true,
        data: { key: 'pathRegex', where: 'creation rule 1', suggestion: 'path_regex' },
      },
      {
        code: 'unknownKeySuggestion',
        path: ['creation_rules', 0, 'hc_vault_uris'],
        key: true,
        data: { key: 'hc_vault_uris', where: 'creation rule 1', suggestion: 'hc_vault_transit_uri' },
      },
      { code: 'unknownKey', path: ['creation_rules', 0, 'colour'], key: true, data: { key: 'colour', where: 'creation rule 1' } },
    ]);
  });

  it('reports more than one selection key in a rule', () => {
    const c = config('creation_rules:\n  - encrypted_regex: ^data$\n    encrypted_suffix: _secret\n    unencrypted_regex: ""\n');
    expect(c.rules[0]?.selection).toBeUndefined();
    expect(c.issues).toEqual([
      {
        code: 'multipleSelection',
        path: ['creation_rules', 0, 'encrypted_suffix'],
        key: true,
        data: { keys: 'encrypted_regex, encrypted_suffix' },
      },
    ]);
  });

  it('reports an encrypted_regex or encrypted_suffix that also selects metadata', () => {
    const c = config('creation_rules:\n  - path_regex: a\n    encrypted_regex: data|stringData\n  - encrypted_suffix: data\n');
    expect(c.issues).toEqual([
      { code: 'regexMatchesMetadata', path: ['creation_rules', 0, 'encrypted_regex'], data: { key: 'encrypted_regex', field: 'metadata' } },
      { code: 'regexMatchesMetadata', path: ['creation_rules', 1, 'encrypted_suffix'], data: { key: 'encrypted_suffix', field: 'metadata' } },
    ]);
  });

  it('reports rules after a catch-all', () => {
    const c = config('creation_rules:\n  - path_regex: a\n  - age: x\n  - path_regex: b\n  - path_regex: .*\n');
    expect(c.rules.map((r) => r.catchAll)).toEqual([false, true, false, true]);
    expect(c.issues).toEqual([
      { code: 'unreachableRule', path: ['creation_rules', 2], data: { index: 3, catchAll: 2 } },
      { code: 'unreachableRule', path: ['creation_rules', 3], data: { index: 4, catchAll: 2 } },
    ]);
  });

  it('reports regexes Go cannot compile and wrong types, without throwing', () => {
    const c = config('creation_rules:\n  - path_regex: (?=x)\n    age: {a: 1}\n    shamir_threshold: two\n  - 7\n');
    expect(c.issues).toEqual([
      { code: 'invalidPathRegex', path: ['creation_rules', 0, 'path_regex'], data: { key: 'path_regex', reason: 'invalid or unsupported Perl syntax: `(?=`' } },
      {
        code: 'invalidType',
        path: ['creation_rules', 0, 'age'],
        data: { key: 'age', expected: 'a comma-separated string or a list of strings' },
      },
      { code: 'invalidType', path: ['creation_rules', 0, 'shamir_threshold'], data: { key: 'shamir_threshold', expected: 'a number' } },
      { code: 'notMapping', path: ['creation_rules', 1], data: { what: 'creation rule 2' } },
    ]);
  });

  it('accepts an empty file and reports a non-mapping one', () => {
    expect(config('')).toEqual({ rules: [], issues: [] });
    expect(config('- a\n').issues).toEqual([{ code: 'notMapping', path: [], data: { what: '.sops.yaml' } }]);
  });
});

describe('readSopsConfig reads what sops accepts', () => {
  const ids = (c: ReturnType<typeof config>, i = 0): string[] => c.rules[i]?.recipients.map((r) => `${r.type}:${r.id}`) ?? [];

  it('key_groups with age and pgp lists, an age item holding comma-separated recipients, and merge', () => {
    const c = config(
      [
        'creation_rules:',
        '  - key_groups:',
        '      - age:',
        `          - ${AGE_A}`,
        `          - "${AGE_B} , ${AGE_A}"`,
        '        pgp:',
        '          - FBC7 B9E2 A4F9 289A C0C1  D484 3D16 CEE4 A273 81B4',
        '        merge:',
        '          - age: [age1merged]',
      ].join('\n'),
    );
    expect(c.issues).toEqual([]);
    expect(ids(c)).toEqual([`age:${AGE_A}`, `age:${AGE_B}`, `age:${AGE_A}`, 'pgp:FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4', 'age:age1merged']);
    expect(c.rules[0]?.recipients.map((r) => r.path)).toEqual([
      ['creation_rules', 0, 'key_groups', 0, 'age', 0],
      ['creation_rules', 0, 'key_groups', 0, 'age', 1],
      ['creation_rules', 0, 'key_groups', 0, 'age', 1],
      ['creation_rules', 0, 'key_groups', 0, 'pgp', 0],
      ['creation_rules', 0, 'key_groups', 0, 'merge', 0, 'age', 0],
    ]);
  });

  it('key_groups with hc_vault, kms, gcp_kms and azure_keyvault entries', () => {
    const c = config(
      [
        'creation_rules:',
        '  - shamir_threshold: 2',
        '    key_groups:',
        '      - hc_vault: [https://vault.example.org/v1/sops/keys/apps]',
        '        kms:',
        '          - arn: arn:aws:kms:eu-west-1:111122223333:key/1234',
        '            role: arn:aws:iam::111122223333:role/sops',
        '            context: {team: platform}',
        '            aws_profile: prod',
        '      - gcp_kms: [{resource_id: projects/p/locations/global/keyRings/r/cryptoKeys/sops}]',
        '        azure_keyvault: [{vaultUrl: "https://v.vault.azure.net/", key: sops, version: "1"}]',
      ].join('\n'),
    );
    expect(c.issues).toEqual([]);
    expect(ids(c)).toEqual([
      'kms:arn:aws:kms:eu-west-1:111122223333:key/1234',
      'hc_vault:https://vault.example.org/v1/sops/keys/apps',
      'gcp_kms:projects/p/locations/global/keyRings/r/cryptoKeys/sops',
      'azure_kv:https://v.vault.azure.net/keys/sops',
    ]);
  });

  it('refuses a key group whose age is a single string, as go-yaml does', () => {
    const c = config(`creation_rules:\n  - key_groups:\n      - age: ${AGE_A}\n`);
    expect(c.issues).toEqual([{ code: 'invalidType', path: ['creation_rules', 0, 'key_groups', 0, 'age'], data: { key: 'age', expected: 'a list' } }]);
  });

  it('per-rule kms, gcp_kms, azure_keyvault and hc_vault_transit_uri as comma-separated strings with spaces and newlines', () => {
    const c = config(
      [
        'creation_rules:',
        '  - kms: "arn:aws:kms:us-east-1:1:key/a+arn:aws:iam::1:role/r, arn:aws:kms:us-east-1:1:key/b"',
        '    gcp_kms: projects/p/locations/l/keyRings/r/cryptoKeys/a,',
        '    azure_keyvault: https://v.vault.azure.net/keys/sops/0123',
        '    hc_vault_transit_uri: |',
        '      https://vault.example.org/v1/sops/keys/a,',
        '      https://vault.example.org/v1/sops/keys/b',
        '    age: >-',
        `      ${AGE_A},`,
        '',
        `      ${AGE_B}`,
      ].join('\n'),
    );
    expect(c.issues).toEqual([]);
    expect(ids(c)).toEqual([
      `age:${AGE_A}`,
      `age:${AGE_B}`,
      'kms:arn:aws:kms:us-east-1:1:key/a',
      'kms:arn:aws:kms:us-east-1:1:key/b',
      'gcp_kms:projects/p/locations/l/keyRings/r/cryptoKeys/a',
      'azure_kv:https://v.vault.azure.net/keys/sops',
      'hc_vault:https://vault.example.org/v1/sops/keys/a',
      'hc_vault:https://vault.example.org/v1/sops/keys/b',
    ]);
  });

  it('per-rule lists whose items hold comma-separated keys, and hckms as a list only', () => {
    const c = config(`creation_rules:\n  - path_regex: a\n    age:\n      - "${AGE_A},${AGE_B}"\n    hckms: [eu-west-1:0f2a]\n  - hckms: eu-west-1:0f2a\n`);
    expect(ids(c)).toEqual([`age:${AGE_A}`, `age:${AGE_B}`, 'hckms:eu-west-1:0f2a']);
    expect(c.issues).toEqual([{ code: 'invalidType', path: ['creation_rules', 1, 'hckms'], data: { key: 'hckms', expected: 'a list of strings' } }]);
  });

  it('the keys: anchors convention, anchors inside lists, aliases as values and merge keys', () => {
    const c = config(
      [
        'keys:',
        `  - &admin ${AGE_A}`,
        `  - &cluster ${AGE_B}`,
        'groups:',
        '  - &both {age: [*admin, *cluster]}',
        'defaults: &defaults',
        '  encrypted_regex: ^(data|stringData)$',
        '  mac_only_encrypted: true',
        'creation_rules:',
        '  - path_regex: ^clusters/',
        '    <<: *defaults',
        '    key_groups: [*both]',
        '  - path_regex: ^apps/',
        '    <<: [*defaults]',
        '    age: *admin',
        '  - path_regex: ^infra/',
        '    encrypted_regex: ^data$',
        '    <<: *defaults',
        '    key_groups:',
        '      - age:',
        '          - *cluster',
      ].join('\n'),
    );
    expect(c.issues).toEqual([]);
    expect(c.rules.map((r) => [r.selection?.value, ids(c, r.index)])).toEqual([
      ['^(data|stringData)$', [`age:${AGE_A}`, `age:${AGE_B}`]],
      ['^(data|stringData)$', [`age:${AGE_A}`]],
      ['^data$', [`age:${AGE_B}`]],
    ]);
  });

  it('still reports a top-level key that holds no anchor, and keys merged into a rule', () => {
    const c = config('keys: [age1x]\nbase: &base\n  encrypted_regex: data|stringData\ncreation_rules:\n  - <<: *base\n');
    expect(c.issues).toEqual([
      { code: 'unknownKey', path: ['keys'], key: true, data: { key: 'keys', where: 'the top level' } },
      { code: 'regexMatchesMetadata', path: ['creation_rules', 0, 'encrypted_regex'], data: { key: 'encrypted_regex', field: 'metadata' } },
    ]);
  });

  it('each selection key, with scalars go-yaml decodes into strings and booleans', () => {
    const c = config(
      [
        'creation_rules:',
        '  - {path_regex: a, encrypted_suffix: _secret}',
        '  - {path_regex: b, unencrypted_suffix: 1}',
        '  - {path_regex: c, unencrypted_regex: "^(apiVersion|kind|metadata)$", mac_only_encrypted: yes}',
        '  - {path_regex: d, encrypted_comment_regex: "sops:enc", mac_only_encrypted: "off"}',
        '  - {path_regex: e, unencrypted_comment_regex: "(?i)plain", aws_profile: 2024, shamir_threshold: 2.0}',
      ].join('\n'),
    );
    expect(c.issues).toEqual([]);
    expect(c.rules.map((r) => `${r.selection?.key}=${r.selection?.value}`)).toEqual([
      'encrypted_suffix=_secret',
      'unencrypted_suffix=1',
      'unencrypted_regex=^(apiVersion|kind|metadata)$',
      'encrypted_comment_regex=sops:enc',
      'unencrypted_comment_regex=(?i)plain',
    ]);
    expect(config('creation_rules:\n  - mac_only_encrypted: "true"\n').issues).toEqual([
      { code: 'invalidType', path: ['creation_rules', 0, 'mac_only_encrypted'], data: { key: 'mac_only_encrypted', expected: 'true or false' } },
    ]);
  });

  it('RE2 path_regex syntax: (?i) mid-pattern, \\z, POSIX and Unicode classes, (?P<name>)', () => {
    const c = config(
      [
        'creation_rules:',
        '  - path_regex: ^clusters/(?i)PROD/.*\\.ya?ml\\z',
        '  - path_regex: ^(?P<team>[[:alpha:]]+)/secrets/',
        '  - path_regex: ^\\pL+\\.enc\\.yaml$',
      ].join('\n'),
    );
    expect(c.issues).toEqual([]);
    const match = (path: string): number | string => {
      const m = matchCreationRule(c, path);
      return m.kind === 'match' ? m.rule.index : m.kind;
    };
    expect(match('clusters/prod/db.yaml')).toBe(0);
    expect(match('CLUSTERS/prod/db.yaml')).toBe('none');
    expect(match('clusters/prod/db.yaml.bak')).toBe('none');
    expect(match('payments/secrets/db.yaml')).toBe(1);
    expect(match('größe.enc.yaml')).toBe(2);
  });

  it('an empty path_regex matches every file, as sops tests it before compiling', () => {
    const c = config('creation_rules:\n  - path_regex: ""\n    age: a\n  - path_regex: b\n');
    expect(c.rules[0]?.catchAll).toBe(true);
    expect(c.issues).toEqual([{ code: 'unreachableRule', path: ['creation_rules', 1], data: { index: 2, catchAll: 1 } }]);
  });

  it('an invalid selection regex is a finding that says what sops then does', () => {
    const c = config('creation_rules:\n  - encrypted_regex: ^(data|stringData$\n  - unencrypted_regex: "[[:foo:]]"\n');
    expect(c.rules.map((r) => r.selection)).toEqual([undefined, undefined]);
    expect(c.issues).toEqual([
      {
        code: 'invalidRegex',
        path: ['creation_rules', 0, 'encrypted_regex'],
        data: { key: 'encrypted_regex', reason: 'missing closing ): `^(data|stringData$`', effect: 'no value is encrypted' },
      },
      {
        code: 'invalidRegex',
        path: ['creation_rules', 1, 'unencrypted_regex'],
        data: {
          key: 'unencrypted_regex',
          reason: 'invalid character class range: `[:foo:]`',
          effect: 'every value is encrypted, `apiVersion`, `kind` and `metadata` included',
        },
      },
      { code: 'unreachableRule', path: ['creation_rules', 1], data: { index: 2, catchAll: 1 } },
    ]);
  });

  it('evaluates in linear time a path_regex that backtracks exponentially in JavaScript', () => {
    const c = config('creation_rules:\n  - path_regex: ^(\\w+/?)*\\.enc\\.yaml$\n');
    const started = performance.now();
    expect(matchCreationRule(c, `${'secrets'.repeat(200)}/db.yaml`).kind).toBe('none');
    expect(matchCreationRule(c, 'a/b/db.enc.yaml').kind).toBe('match');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('matchCreationRule', () => {
  it('takes the first rule whose unanchored path_regex matches', () => {
    const match = (path: string): number | string => {
      const m = matchCreationRule(fixture, path);
      return m.kind === 'match' ? m.rule.index : m.kind;
    };
    expect(match('clusters/prod/secrets/db.yaml')).toBe(0);
    expect(match('infra/terraform/vars.enc.yaml')).toBe(1);
    expect(match('apps/secret.yaml')).toBe(2);
    expect(match('x/apps/secret.yaml')).toBe('none');
  });

  it('cannot decide past a rule whose path_regex Go cannot compile', () => {
    const c = config('creation_rules:\n  - path_regex: (?=x)\n  - age: a\n');
    expect(matchCreationRule(c, 'any.yaml').kind).toBe('unknown');
  });
});

describe('findSopsConfig', () => {
  const root = { dir: '/repo' } as SourceFile['root'];
  const files = new Map<string, SourceFile>([
    ['.sops.yaml', { path: '.sops.yaml', root } as SourceFile],
    ['clusters/prod/.sops.yaml', { path: 'clusters/prod/.sops.yaml', root } as SourceFile],
  ]);
  const model = { fileAt: (_root: unknown, path: string) => files.get(path) };

  it('finds the nearest .sops.yaml in the folder or above', () => {
    expect(findSopsConfig(model, { path: 'clusters/prod/apps/s.yaml', root } as SourceFile)?.path).toBe('clusters/prod/.sops.yaml');
    expect(findSopsConfig(model, { path: 'clusters/dev/s.yaml', root } as SourceFile)?.path).toBe('.sops.yaml');
    expect(findSopsConfig(model, { path: 's.yaml', root } as SourceFile)?.path).toBe('.sops.yaml');
  });

  it('gives the path relative to the config folder', () => {
    expect(pathFromConfig('clusters/prod/.sops.yaml', 'clusters/prod/apps/s.yaml')).toBe('apps/s.yaml');
    expect(pathFromConfig('.sops.yaml', 'clusters/prod/apps/s.yaml')).toBe('clusters/prod/apps/s.yaml');
  });
});
