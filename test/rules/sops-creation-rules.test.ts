import { readFileSync } from 'node:fs';
import rule from '../../rules/sops-creation-rules.js';
import { describe, expect, it } from 'vitest';
import { lintExample, RuleTester, yaml } from '../../src/testing/index.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/sops/${name}`, import.meta.url), 'utf8');
}

const AGE_A = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const AGE_B = 'age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg';
const PGP = 'FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4';
const ENC = 'ENC[AES256_GCM,data:zMaBkieue1959g==,iv:JSjcPuw3KJ1prBbWJ5PN1Y7+Y2eC3fLX8AgduwJfjA0=,tag:630Hx+Qq4eXFTUuvSSgL9w==,type:str]';
const MAC =
  'ENC[AES256_GCM,data:cFvcEaS+6kDUQ9NKYIeWEc5xxpz28WtBOW1amdLl2n0yDpCs6jiX+WS+O5AheqZCIY1JcO6VJGMVBMHswcUP3MQMEMJAGNb5iseBvJqMraJD5NXnZoSgluGiYPyIqEJ+d+mHae6BkKr7zLJhwllrdHpjomgB534QQudzG9Leids=,iv:MLYk2t7g/LHuqjCrtBe5VJ/DpyPFUKGKx0TOkCIWcnw=,tag:prDkNyhSWzVBI7BaS+vF+A==,type:str]';
const CONFIG = fixture('sops-config.yaml');

new RuleTester().run(rule, {
  valid: [
    {
      name: 'files encrypted for exactly their rule, with list, string and key-group recipients',
      files: {
        '.sops.yaml': CONFIG,
        'terraform/tofu.enc.yaml': fixture('tofu-vars.sops-3.10.yaml'),
        'apps/credentials.yaml': fixture('app-credentials.key-groups.yaml'),
      },
    },
    {
      name: 'a nested .sops.yaml matches paths relative to its own folder',
      files: {
        '.sops.yaml': 'creation_rules:\n  - path_regex: ^never$\n    age: age1unused\n',
        'clusters/prod/.sops.yaml': yaml`
          creation_rules:
            - path_regex: ^secrets/
              encrypted_regex: ^(data|stringData)$
              age: ${AGE_A}
        `,
        'clusters/prod/secrets/backup.yaml': fixture('backup-secret.sops-3.8.yaml'),
      },
    },
    {
      name: 'no .sops.yaml at all',
      files: { 'deploy/backup.yaml': fixture('backup-secret.sops-3.8.yaml'), 'deploy/plain.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: p\nstringData:\n  a: b\n' },
    },
    {
      name: 'a rule without recipients leaves them to the command line',
      files: {
        '.sops.yaml': 'creation_rules:\n  - encrypted_regex: ^(data|stringData)$\n',
        'apps/registry.yaml': fixture('registry-secrets.multi-doc.yaml'),
        'apps/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n',
      },
    },
    {
      name: 'a plaintext Secret outside every rule whose values are all references',
      files: {
        '.sops.yaml': CONFIG,
        'bootstrap/onepassword.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
            name: onepassword-connect-vault-secret
          stringData:
            token: op://Automation/1password connect/token
            url: \${OP_CONNECT_HOST}
        `,
      },
    },
    {
      name: 'a rule read through keys: anchors, a merge key, (?i) in mid-pattern and a key group age item listing two recipients',
      files: {
        '.sops.yaml': yaml`
          keys:
            - &both "${AGE_A}, ${AGE_B}"
          base: &base
            encrypted_regex: ^(data|stringData)$
          creation_rules:
            - path_regex: ^clusters/(?i)prod/
              <<: *base
              key_groups:
                - age: [*both]
        `,
        'clusters/PROD/db.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
              name: db
          stringData:
              password: ${ENC}
          sops:
              age:
                  - recipient: ${AGE_B}
                    enc: x
                  - recipient: ${AGE_A}
                    enc: y
              lastmodified: "2025-02-11T09:12:44Z"
              mac: ${MAC}
              encrypted_regex: ^(data|stringData)$
              version: 3.10.2
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'a file under a rule whose path_regex turns (?i) on in mid-pattern, missing a recipient of the rule',
      files: {
        '.sops.yaml': yaml`
          creation_rules:
            - path_regex: ^clusters/(?i)prod/
              encrypted_regex: ^(data|stringData)$
              key_groups:
                - age: ["${AGE_A},${AGE_B}"]
        `,
        'clusters/Prod/secrets/backup.yaml': fixture('backup-secret.sops-3.8.yaml'),
      },
      errors: [
        {
          messageId: 'missingRecipient',
          data: { file: 'clusters/Prod/secrets/backup.yaml', config: '.sops.yaml', rule: 1, recipient: `age ${AGE_B}` },
          file: 'clusters/Prod/secrets/backup.yaml', line: 12, column: 1, endLine: 12, endColumn: 5,
        },
      ],
    },
    {
      name: 'a file encrypted before a second key was added to its rule',
      files: { '.sops.yaml': CONFIG, 'clusters/prod/secrets/backup.yaml': fixture('backup-secret.sops-3.8.yaml') },
      errors: [
        {
          messageId: 'missingRecipient',
          data: { file: 'clusters/prod/secrets/backup.yaml', config: '.sops.yaml', rule: 1, recipient: `age ${AGE_B}` },
          file: 'clusters/prod/secrets/backup.yaml', line: 12, column: 1, endLine: 12, endColumn: 5,
        },
      ],
    },
    {
      name: 'an encrypted file and a plaintext Secret outside every rule',
      files: {
        '.sops.yaml': CONFIG,
        'deploy/backup.yaml': fixture('backup-secret.sops-3.8.yaml'),
        'deploy/plain.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
            name: plain
          stringData:
            token: not-encrypted-distinctive
        `,
      },
      errors: [
        { messageId: 'noRule', data: { file: 'deploy/backup.yaml', config: '.sops.yaml' }, file: 'deploy/backup.yaml', line: 12, column: 1, endLine: 12, endColumn: 5 },
        { messageId: 'noRule', data: { file: 'deploy/plain.yaml', config: '.sops.yaml' }, file: 'deploy/plain.yaml', line: 5, column: 1, endLine: 5, endColumn: 11 },
      ],
    },
    {
      name: 'a retired key still in the file and a selection the rule no longer uses',
      files: {
        '.sops.yaml': CONFIG,
        'terraform/airbyte.enc.yaml': yaml`
          workspace: ${ENC}
          sops:
              age:
                  - recipient: ${AGE_B}
                    enc: x
                  - recipient: ${AGE_A}
                    enc: y
              lastmodified: "2025-02-11T09:12:44Z"
              mac: ${MAC}
              pgp:
                  - created_at: "2025-02-11T09:12:44Z"
                    enc: z
                    fp: ${PGP}
              encrypted_regex: ^workspace$
              version: 3.10.2
        `,
      },
      errors: [
        {
          messageId: 'extraRecipient',
          data: { file: 'terraform/airbyte.enc.yaml', config: '.sops.yaml', rule: 2, recipient: `age ${AGE_A}` },
          file: 'terraform/airbyte.enc.yaml', line: 6, column: 11, endLine: 6, endColumn: 84,
        },
        {
          messageId: 'selectionMismatch',
          data: { file: 'terraform/airbyte.enc.yaml', config: '.sops.yaml', rule: 2, fileSelection: 'encrypted_regex: ^workspace$', ruleSelection: 'unencrypted_suffix: _unencrypted' },
          file: 'terraform/airbyte.enc.yaml', line: 14, column: 5, endLine: 14, endColumn: 20,
        },
      ],
    },
    {
      name: 'a nested .sops.yaml whose path_regex was written from the repository root',
      files: {
        'clusters/prod/.sops.yaml': yaml`
          creation_rules:
            - path_regex: ^clusters/prod/secrets/
              age: ${AGE_A}
        `,
        'clusters/prod/secrets/backup.yaml': fixture('backup-secret.sops-3.8.yaml'),
      },
      errors: [
        {
          messageId: 'noRule',
          data: { file: 'clusters/prod/secrets/backup.yaml', config: 'clusters/prod/.sops.yaml' },
          file: 'clusters/prod/secrets/backup.yaml', line: 12, column: 1, endLine: 12, endColumn: 5,
        },
      ],
    },
  ],
});

describe('sops-creation-rules and Secrets that hold only references', () => {
  it('notes a reference-only Secret that no creation rule covers instead of reporting it', async () => {
    const result = await lintExample(rule, {
      files: {
        '.sops.yaml': CONFIG,
        'bootstrap/cluster-secrets.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
            name: cluster-secrets
            namespace: flux-system
          stringData:
            SECRET_DOMAIN: \${SECRET_DOMAIN}
        `,
      },
    });
    expect(result.findings).toEqual([]);
    expect(result.notes).toEqual([
      {
        message: 'sops-creation-rules: Secret flux-system/cluster-secrets matches no creation rule of .sops.yaml, but every value in it is a reference (such as op://… or ${VAR}), not a secret, so it needs none; accepted.',
        file: '/virtual/repo/bootstrap/cluster-secrets.yaml',
      },
    ]);
  });
});
