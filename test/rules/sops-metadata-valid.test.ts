import { readFileSync } from 'node:fs';
import rule from '../../rules/sops-metadata-valid.js';
import { RuleTester, yaml } from '../../src/testing/index.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/sops/${name}`, import.meta.url), 'utf8');
}

const AGE = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const ENC = 'ENC[AES256_GCM,data:zMaBkieue1959g==,iv:JSjcPuw3KJ1prBbWJ5PN1Y7+Y2eC3fLX8AgduwJfjA0=,tag:630Hx+Qq4eXFTUuvSSgL9w==,type:str]';
const ENC2 = 'ENC[AES256_GCM,data:YPBDAlgwuHXa3eLm2032gINckMSRy0UW,iv:a9zyK1eNTnE0i5iWXcQQG7AjxHGAv6ATvbU+EaqG9l8=,tag:RV06zCSsIw/zlguvChO61Q==,type:str]';
const MAC =
  'ENC[AES256_GCM,data:cFvcEaS+6kDUQ9NKYIeWEc5xxpz28WtBOW1amdLl2n0yDpCs6jiX+WS+O5AheqZCIY1JcO6VJGMVBMHswcUP3MQMEMJAGNb5iseBvJqMraJD5NXnZoSgluGiYPyIqEJ+d+mHae6BkKr7zLJhwllrdHpjomgB534QQudzG9Leids=,iv:MLYk2t7g/LHuqjCrtBe5VJ/DpyPFUKGKx0TOkCIWcnw=,tag:prDkNyhSWzVBI7BaS+vF+A==,type:str]';
const MAC2 =
  'ENC[AES256_GCM,data:BH3NNKhxkl7nFDYIfmcqYHlzRsU3348F25+K8Ya+kMWood+zPgxIABPNWRVYNnbhPgmJpas/aJr1+S3WzSTiqWY3evtON5DQHokyq4dU/CqJ/H0GdVTd+Pb3RHUsr6GC6jh65vQLyxWXiq+olIv7bNdTxL3GTt5O+aSwd4Dmhi0=,iv:mEKad2ihGaT2KAenEeCe/XnPd9Tkek6+L52packPkxM=,tag:k1rhivwiKYeZwAWV/DPoZg==,type:str]';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'metadata that sops decodes weakly typed: one key entry without its list, a threshold as a string, RE2 syntax',
      files: {
        'deploy/db.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
              name: db
          stringData:
              password: ${ENC}
          sops:
              age:
                  recipient: ${AGE}
                  enc: x
              lastmodified: "2024-03-01T10:00:00Z"
              mac: ${MAC}
              shamir_threshold: "1"
              encrypted_regex: ^(?i:data|STRINGDATA)\\z
              version: 3.9.4
        `,
      },
    },
    { name: 'sops 3.8 with empty key lists and an encrypted comment', files: { 'deploy/backup-secret.yaml': fixture('backup-secret.sops-3.8.yaml') } },
    { name: 'sops 3.10 with age and pgp, default selection, every value type', files: { 'terraform/vars.enc.yaml': fixture('tofu-vars.sops-3.10.yaml') } },
    { name: 'sops 3.13 key groups with a Shamir threshold', files: { 'apps/credentials.yaml': fixture('app-credentials.key-groups.yaml') } },
    { name: 'a multi-document file with the same block in every document', files: { 'apps/registry.yaml': fixture('registry-secrets.multi-doc.yaml') } },
    {
      name: 'a JSON file as sops writes it',
      files: {
        'secrets/app.json': `{\n\t"token": "${ENC}",\n\t"sops": {\n\t\t"age": [{"recipient": "${AGE}", "enc": "x"}],\n\t\t"lastmodified": "2025-02-11T09:12:44Z",\n\t\t"mac": "${MAC}",\n\t\t"unencrypted_suffix": "_unencrypted",\n\t\t"version": "3.10.2"\n\t}\n}\n`,
      },
    },
    {
      name: 'a plain manifest that mentions ENC[ in a comment only',
      files: { 'deploy/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes # values look like ENC[...] once encrypted\ndata:\n  mode: fast\n' },
    },
  ],
  invalid: [
    {
      name: 'no mac, and a key repeated under stringData',
      files: {
        'deploy/db.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
              name: db
          stringData:
              password: ${ENC}
              password: ${ENC2}
          sops:
              age:
                  - recipient: ${AGE}
                    enc: x
              encrypted_regex: ^(data|stringData)$
              lastmodified: "2025-02-11T09:12:44Z"
              version: 3.10.2
        `,
      },
      errors: [
        { messageId: 'duplicateKey', data: { key: 'stringData.password' }, file: 'deploy/db.yaml', line: 7, column: 5, endLine: 7, endColumn: 13 },
        { messageId: 'missingField', data: { field: 'mac' }, file: 'deploy/db.yaml', line: 8, column: 1, endLine: 8, endColumn: 5 },
      ],
    },
    {
      name: 'a hand-edited lastmodified and version',
      files: {
        'deploy/db.yaml': yaml`
          stringData:
              password: ${ENC}
          sops:
              age:
                  - recipient: ${AGE}
                    enc: x
              lastmodified: yesterday
              mac: ${MAC}
              unencrypted_suffix: _unencrypted
              version: 3.10
        `,
      },
      errors: [
        { messageId: 'invalidLastModified', file: 'deploy/db.yaml', line: 7, column: 19, endLine: 7, endColumn: 28 },
        { messageId: 'invalidVersion', file: 'deploy/db.yaml', line: 10, column: 14, endLine: 10, endColumn: 18 },
      ],
    },
    {
      name: 'only the empty key lists sops 3.9 writes, no recipient',
      files: {
        'deploy/db.yaml': yaml`
          stringData:
              password: ${ENC}
          sops:
              kms: []
              gcp_kms: []
              azure_kv: []
              hc_vault: []
              age: []
              lastmodified: "2024-03-01T10:00:00Z"
              mac: ${MAC}
              pgp: []
              encrypted_regex: ^(data|stringData)$
              version: 3.9.4
        `,
      },
      errors: [{ messageId: 'noRecipients', file: 'deploy/db.yaml', line: 3, column: 1, endLine: 3, endColumn: 5 }],
    },
    {
      name: 'a key group entry without its encrypted data key',
      files: {
        'deploy/db.yaml': yaml`
          stringData:
              password: ${ENC}
          sops:
              encrypted_regex: ^(data|stringData)$
              key_groups:
                  - age:
                      - recipient: ${AGE}
                  - pgp:
                      - fp: FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4
                        enc: x
              lastmodified: "2024-03-01T10:00:00Z"
              mac: ${MAC}
              shamir_threshold: 2
              version: 3.13.0
        `,
      },
      errors: [
        { messageId: 'invalidKeyEntry', data: { type: 'age', field: 'enc' }, file: 'deploy/db.yaml', line: 7, column: 15, endLine: 7, endColumn: 88 },
      ],
    },
    {
      name: 'two selection keys, a Shamir threshold above the groups, a wrongly typed key list',
      files: {
        'deploy/db.yaml': yaml`
          stringData:
              password: ${ENC}
          sops:
              age:
                  - recipient: ${AGE}
                    enc: x
              pgp: FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4
              lastmodified: "2024-03-01T10:00:00Z"
              mac: ${MAC}
              encrypted_regex: ^(data|stringData)$
              unencrypted_suffix: _unencrypted
              shamir_threshold: 3
              version: 3.9.4
        `,
      },
      errors: [
        { messageId: 'invalidField', data: { field: 'pgp', expected: 'a list of key entries' }, file: 'deploy/db.yaml', line: 7, column: 10, endLine: 7, endColumn: 50 },
        { messageId: 'multipleSelection', data: { keys: 'encrypted_regex, unencrypted_suffix' }, file: 'deploy/db.yaml', line: 11, column: 5, endLine: 11, endColumn: 23 },
        { messageId: 'invalidShamir', data: { threshold: 3, groups: 1 }, file: 'deploy/db.yaml', line: 12, column: 23, endLine: 12, endColumn: 24 },
      ],
    },
    {
      name: 'a selection regex that is not RE2',
      files: {
        'deploy/db.yaml': yaml`
          stringData:
              password: ${ENC}
          sops:
              age:
                  - recipient: ${AGE}
                    enc: x
              encrypted_regex: ^(?!metadata)
              lastmodified: "2024-03-01T10:00:00Z"
              mac: ${MAC}
              version: 3.9.4
        `,
      },
      errors: [
        {
          messageId: 'invalidRegex',
          data: { field: 'encrypted_regex', reason: 'invalid or unsupported Perl syntax: `(?!`', effect: 'sops decrypts no value of this file' },
          file: 'deploy/db.yaml',
          line: 7,
          column: 22,
          endLine: 7,
          endColumn: 35,
        },
      ],
    },
    {
      name: 'a malformed encrypted value and comment, and a truncated mac',
      files: {
        'deploy/db.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
              name: db
          stringData:
              #ENC[AES256_GCM,data:Zm9v,type:comment]
              password: ENC[AES256_GCM,data:Zm9vYg==,iv:Zm9v,tag:630Hx+Qq4eXFTUuvSSgL9w==,type:str]
          sops:
              age:
                  - recipient: ${AGE}
                    enc: x
              encrypted_regex: ^(data|stringData)$
              lastmodified: "2024-03-01T10:00:00Z"
              mac: ENC[AES256_GCM,data:cFvcEaS+6kDUQ9NKYIeWEc5xxpz28WtBOW1
              version: 3.9.4
        `,
      },
      errors: [
        { messageId: 'malformedComment', data: { problem: 'the value does not have the form ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]' }, file: 'deploy/db.yaml', line: 6, column: 5, endLine: 6, endColumn: 44 },
        { messageId: 'malformedValue', data: { key: 'stringData.password', problem: 'the iv is not 32 bytes of base64' }, file: 'deploy/db.yaml', line: 7, column: 15, endLine: 7, endColumn: 90 },
        { messageId: 'invalidMac', data: { problem: 'the value does not have the form ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]' }, file: 'deploy/db.yaml', line: 14, column: 10, endLine: 14, endColumn: 65 },
      ],
    },
    {
      name: 'encrypted values whose sops block was deleted',
      files: {
        'deploy/db.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
              name: db
          stringData:
              username: app
              password: ${ENC}
        `,
      },
      errors: [{ messageId: 'missingMetadata', file: 'deploy/db.yaml', line: 7, column: 15, endLine: 7, endColumn: 138 }],
    },
    {
      name: 'two separately encrypted files concatenated into one',
      files: {
        'apps/registry.yaml': yaml`
          data:
              password: ${ENC}
          sops:
              age:
                  - recipient: ${AGE}
                    enc: x
              encrypted_regex: ^(data|stringData)$
              lastmodified: "2024-03-01T10:00:00Z"
              mac: ${MAC}
              version: 3.9.4
          ---
          data:
              password: ${ENC2}
          sops:
              age:
                  - recipient: ${AGE}
                    enc: y
              encrypted_regex: ^(data|stringData)$
              lastmodified: "2024-05-07T10:00:00Z"
              mac: ${MAC2}
              version: 3.9.4
        `,
      },
      errors: [{ messageId: 'inconsistentMetadata', data: { index: 2 }, file: 'apps/registry.yaml', line: 14, column: 1, endLine: 14, endColumn: 5 }],
    },
    {
      name: 'metadata encrypted by an unanchored encrypted_regex, and an encrypted value outside the selection',
      files: {
        'deploy/db.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
              name: ${ENC}
          type: ${ENC2}
          stringData:
              password: ${ENC}
          sops:
              age:
                  - recipient: ${AGE}
                    enc: x
              encrypted_regex: data|stringData
              lastmodified: "2024-03-01T10:00:00Z"
              mac: ${MAC}
              version: 3.9.4
        `,
      },
      errors: [
        { messageId: 'identityEncrypted', data: { key: 'metadata.name' }, file: 'deploy/db.yaml', line: 4, column: 11, endLine: 4, endColumn: 134 },
        { messageId: 'encryptedNotSelected', data: { key: 'type', selection: 'encrypted_regex: data|stringData' }, file: 'deploy/db.yaml', line: 5, column: 7, endLine: 5, endColumn: 146 },
      ],
    },
    {
      name: 'a sops key that is not a mapping',
      files: { 'config.yaml': 'token: abc\nsops: true\n' },
      errors: [{ messageId: 'notMapping', file: 'config.yaml', line: 2, column: 7, endLine: 2, endColumn: 11 }],
    },
  ],
});
