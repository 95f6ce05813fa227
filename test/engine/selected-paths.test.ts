/**
 * The redaction of a plaintext file that a `.sops.yaml` creation rule covers masks the values the
 * rule selects (src/engine/redact.ts). `selectedPaths` finds them without listing every value's
 * facts; these cases pin its answer and check it against `analyzeValue`'s facts filtered the way
 * `sopsSecretRanges` filters them, for every kind of selection.
 */
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { selectedPaths } from '../../src/engine/redact.js';
import { analyzeValue } from '../../src/sops/document.js';
import { makeSelection, mustEncrypt, type Selection, type SelectionKey } from '../../src/sops/selection.js';

function selection(key: SelectionKey, value: string): Selection {
  const made = makeSelection(key, value);
  if (!made.ok) throw new Error(made.reason);
  return made.selection;
}

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

const SECRET = lines('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: db', 'stringData:', '  password: Lynx-Sel-1', '  empty: ""', '  none:', 'data:', '  list: [a, "", {deep_enc: b}]');
const DEPLOYMENT = lines('apiVersion: apps/v1', 'kind: Deployment', 'spec:', '  containers:', '    - name: app', '      env: [{name: MODE, value: prod}]', '  replicas: 2', '  paused: false');

const CASES: ReadonlyArray<{ name: string; yaml: string; key: SelectionKey; value: string; paths: Array<Array<string | number>> }> = [
  {
    name: "a Secret's data under encrypted_regex",
    yaml: SECRET,
    key: 'encrypted_regex',
    value: '^(data|stringData)$',
    paths: [
      ['stringData', 'password'],
      ['data', 'list', 0],
      ['data', 'list', 2, 'deep_enc'],
    ],
  },
  { name: 'a Deployment under encrypted_regex', yaml: DEPLOYMENT, key: 'encrypted_regex', value: '^(data|stringData)$', paths: [] },
  {
    name: 'a Deployment under unencrypted_regex',
    yaml: DEPLOYMENT,
    key: 'unencrypted_regex',
    value: '^(apiVersion|kind|name)$',
    paths: [
      ['spec', 'containers', 0, 'env', 0, 'value'],
      ['spec', 'replicas'],
      ['spec', 'paused'],
    ],
  },
  { name: 'a Secret under unencrypted_regex matching keys at two depths', yaml: SECRET, key: 'unencrypted_regex', value: '^(metadata|name|list)$', paths: [['apiVersion'], ['kind'], ['stringData', 'password']] },
  { name: 'a Secret under encrypted_regex matching a key and a key below it', yaml: SECRET, key: 'encrypted_regex', value: '^(data|list|deep_enc)$', paths: [['data', 'list', 0], ['data', 'list', 2, 'deep_enc']] },
  { name: 'a Secret under encrypted_suffix', yaml: SECRET, key: 'encrypted_suffix', value: '_enc', paths: [['data', 'list', 2, 'deep_enc']] },
  { name: 'a Secret under unencrypted_suffix', yaml: SECRET, key: 'unencrypted_suffix', value: 'Version', paths: [['kind'], ['metadata', 'name'], ['stringData', 'password'], ['data', 'list', 0], ['data', 'list', 2, 'deep_enc']] },
  { name: 'a Deployment under unencrypted_comment_regex (no comments: every value)', yaml: DEPLOYMENT, key: 'unencrypted_comment_regex', value: 'plain', paths: [['apiVersion'], ['kind'], ['spec', 'containers', 0, 'name'], ['spec', 'containers', 0, 'env', 0, 'name'], ['spec', 'containers', 0, 'env', 0, 'value'], ['spec', 'replicas'], ['spec', 'paused']] },
  { name: 'a Deployment under encrypted_comment_regex (no comments: none)', yaml: DEPLOYMENT, key: 'encrypted_comment_regex', value: 'secret', paths: [] },
  { name: 'a document with a top-level sops block', yaml: lines('data: {a: b}', 'sops: {mac: x, version: 3.8.1}'), key: 'encrypted_regex', value: '^(data|mac)$', paths: [['data', 'a']] },
  { name: 'a document that is a scalar', yaml: lines('just text'), key: 'unencrypted_suffix', value: '_x', paths: [] },
];

describe('selectedPaths', () => {
  for (const { name, yaml, key, value, paths } of CASES) {
    it(`lists what ${key} selects in ${name}, as the filtered facts do`, () => {
      const doc = jsYaml.load(yaml);
      const chosen = selection(key, value);
      const facts = analyzeValue(doc)!;
      expect(selectedPaths(doc, chosen)).toEqual(paths);
      expect(facts.filter((fact) => fact.state !== 'empty' && mustEncrypt(chosen, fact.keys)).map((fact) => fact.path)).toEqual(paths);
    });
  }
});
