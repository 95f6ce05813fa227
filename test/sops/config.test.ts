import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, type Document } from 'yaml';
import { readSopsConfig } from '../../src/sops/config.js';
import { findSopsConfig, matchCreationRule, pathFromConfig } from '../../src/sops/config-lookup.js';
import type { SourceFile } from '../../src/model/workspace.js';

const AGE_A = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const AGE_B = 'age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg';

function config(text: string): ReturnType<typeof readSopsConfig> {
  return readSopsConfig(parseAllDocuments(text)[0] as Document.Parsed);
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

  it('reports regexes it cannot convert and wrong types, without throwing', () => {
    const c = config('creation_rules:\n  - path_regex: (?=x)\n    age: {a: 1}\n    shamir_threshold: two\n  - 7\n');
    expect(c.issues).toEqual([
      { code: 'invalidRegex', path: ['creation_rules', 0, 'path_regex'], data: { key: 'path_regex', reason: 'lookaround is not supported by RE2' } },
      {
        code: 'invalidType',
        path: ['creation_rules', 0, 'age'],
        data: { key: 'age', expected: 'a comma-separated string or a list of strings' },
      },
      { code: 'invalidType', path: ['creation_rules', 0, 'shamir_threshold'], data: { key: 'shamir_threshold', expected: 'a whole number' } },
      { code: 'notMapping', path: ['creation_rules', 1], data: { what: 'creation rule 2' } },
    ]);
  });

  it('accepts an empty file and reports a non-mapping one', () => {
    expect(config('')).toEqual({ rules: [], issues: [] });
    expect(config('- a\n').issues).toEqual([{ code: 'notMapping', path: [], data: { what: '.sops.yaml' } }]);
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

  it('cannot decide past a rule whose path_regex is not convertible', () => {
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
