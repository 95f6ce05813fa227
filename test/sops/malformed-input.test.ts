import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { defaultConfig } from '../../src/config/load.js';
import type { Rule } from '../../src/model/rule.js';
import secretEncrypted from '../../rules/sops-secret-encrypted.js';
import metadataValid from '../../rules/sops-metadata-valid.js';
import creationRules from '../../rules/sops-creation-rules.js';
import configValid from '../../rules/sops-config-valid.js';

const rules = [secretEncrypted, metadataValid, creationRules, configValid] as unknown as Array<Rule<string, never>>;

/** Inputs a hand edit or a bad merge can produce; none may make a SOPS rule throw. */
const files: Record<string, string> = {
  '.sops.yaml': 'creation_rules:\n  - null\n  - key_groups: [null, [], {age: "x"}, {merge: [[], {merge: {}}]}]\n    path_regex: {a: 1}\n  - path_regex: "["\n',
  'clusters/.sops.yaml': 'creation_rules: {}\nstores: 3\ndestination_rules: [1]\n',
  'apps/.sops.yaml': '- just\n- a list\n',
  'a/list-sops.yaml': 'data: ENC[x]\nsops: [1, 2]\n',
  'a/bad-entries.yaml': 'data: x\nsops:\n  age: [null, 1, {recipient: 2, enc: []}]\n  key_groups: [null, [], {pgp: "x"}]\n  mac: null\n  shamir_threshold: -1\n',
  'a/sequence.yaml': '- sops: {}\n- ENC[AES256_GCM,data:abc]\n',
  'a/scalar.yaml': 'ENC[AES256_GCM]\n',
  'a/complex-key.yaml': '? [a, b]\n: ENC[x]\nsops:\n  version: 3.9.4\n',
  'a/broken.yaml': 'stringData:\n  a: "unterminated\nsops:\n  mac: ENC[\n',
  'a/deep.yaml': `data: ${'['.repeat(300)}${']'.repeat(300)}\nsops: {version: 3.9.4}\n`,
  'a/aliases.yaml': 'base: &b ENC[x]\nother: *b\n<<: {merged: 1}\nsops:\n  encrypted_regex: "(?P<x>a"\n',
  'a/empty.yaml': '',
  'a/only-comments.yaml': '# nothing\n---\n# still nothing\n',
  'a/secret.json': '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "j"}, "data": {"a": "YQ=="}, "sops": "no"}',
  'a/plain-secret-null.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: n\ndata: null\nstringData: [a, b]\n',
};

describe('SOPS rules on malformed input', () => {
  it('never throw and still report', async () => {
    const result = await lint({ roots: [{ dir: '/virtual/repo', name: 'repo', files, config: defaultConfig(rules) }], rules, cwd: '/virtual' });
    expect(result.errors).toEqual([]);
    const byRule = new Set(result.findings.map((f) => f.ruleId));
    expect([...byRule].sort()).toEqual(['sops-config-valid', 'sops-metadata-valid', 'sops-secret-encrypted']);
  });
});
