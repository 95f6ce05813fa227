import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { defaultConfig } from '../../src/config/load.js';
import type { Rule } from '../../src/model/rule.js';
import { yaml } from '../../src/testing/index.js';
import secretEncrypted from '../../rules/sops-secret-encrypted.js';
import metadataValid from '../../rules/sops-metadata-valid.js';
import creationRules from '../../rules/sops-creation-rules.js';
import configValid from '../../rules/sops-config-valid.js';

const rules = [secretEncrypted, metadataValid, creationRules, configValid] as unknown as Array<Rule<string, never>>;
const AGE = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const MAC =
  'ENC[AES256_GCM,data:cFvcEaS+6kDUQ9NKYIeWEc5xxpz28WtBOW1amdLl2n0yDpCs6jiX+WS+O5AheqZCIY1JcO6VJGMVBMHswcUP3MQMEMJAGNb5iseBvJqMraJD5NXnZoSgluGiYPyIqEJ+d+mHae6BkKr7zLJhwllrdHpjomgB534QQudzG9Leids=,iv:MLYk2t7g/LHuqjCrtBe5VJ/DpyPFUKGKx0TOkCIWcnw=,tag:prDkNyhSWzVBI7BaS+vF+A==,type:str]';
/** Distinctive values that must never leave the linter. */
const SEEDS = ['Zebra-Quartz-7731', 'Mango-Falcon-4410', 'Otter-Nimbus-9902', 'Cobalt-Heron-1187', 'Violet-Tundra-5523', 'Amber-Lynx-3309'];

const files = {
  '.sops.yaml': `creation_rules:\n  - path_regex: \\.enc\\.yaml$\n    age: ${AGE}\n`,
  'deploy/plain-secret.yaml': yaml`
    apiVersion: v1
    kind: Secret
    metadata:
      name: plain
    stringData:
      password: ${SEEDS[0]}
  `,
  'deploy/edited.yaml': yaml`
    apiVersion: v1
    kind: Secret
    metadata:
        name: edited
    data:
        # ${SEEDS[2]}
        token: ${SEEDS[1]}
    stringData:
        other: ${SEEDS[3]}
    sops:
        age:
            - recipient: ${AGE}
              enc: x
        encrypted_regex: ^data$
        lastmodified: "2025-01-01T00:00:00Z"
        mac: ${MAC}
        version: 3.10.2
  `,
  'terraform/vars.enc.yaml': `client_secret: ${SEEDS[4]}\n`,
  'deploy/broken.yaml': yaml`
    stringData:
        password: ENC[AES256_GCM,data:${SEEDS[5]},type:str]
        password: x
    sops:
        mac: ENC[${SEEDS[5]}]
  `,
};

describe('SOPS rules and secret values', () => {
  it('report every seeded problem without putting a value in any message', async () => {
    const config = defaultConfig(rules);
    const result = await lint({ roots: [{ dir: '/virtual/repo', name: 'repo', files, config }], rules, cwd: '/virtual' });
    expect(result.errors).toEqual([]);
    const reported = new Set(result.findings.map((f) => `${f.ruleId}:${f.messageId}`));
    for (const id of [
      'sops-secret-encrypted:notEncrypted',
      'sops-secret-encrypted:plaintextValue',
      'sops-secret-encrypted:notSelected',
      'sops-secret-encrypted:plaintextComment',
      'sops-secret-encrypted:fileNotEncrypted',
      'sops-metadata-valid:malformedValue',
      'sops-metadata-valid:invalidMac',
      'sops-metadata-valid:duplicateKey',
    ]) {
      expect(reported, id).toContain(id);
    }
    const output = JSON.stringify(result.findings);
    for (const seed of SEEDS) expect(output).not.toContain(seed);
  });
});
