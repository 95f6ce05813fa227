import { readFileSync } from 'node:fs';
import rule from '../../rules/sops-secret-encrypted.js';
import { describe, expect, it } from 'vitest';
import { lintExample, RuleTester, yaml } from '../../src/testing/index.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/sops/${name}`, import.meta.url), 'utf8');
}

const ENC = 'ENC[AES256_GCM,data:zMaBkieue1959g==,iv:JSjcPuw3KJ1prBbWJ5PN1Y7+Y2eC3fLX8AgduwJfjA0=,tag:630Hx+Qq4eXFTUuvSSgL9w==,type:str]';
const MAC =
  'ENC[AES256_GCM,data:cFvcEaS+6kDUQ9NKYIeWEc5xxpz28WtBOW1amdLl2n0yDpCs6jiX+WS+O5AheqZCIY1JcO6VJGMVBMHswcUP3MQMEMJAGNb5iseBvJqMraJD5NXnZoSgluGiYPyIqEJ+d+mHae6BkKr7zLJhwllrdHpjomgB534QQudzG9Leids=,iv:MLYk2t7g/LHuqjCrtBe5VJ/DpyPFUKGKx0TOkCIWcnw=,tag:prDkNyhSWzVBI7BaS+vF+A==,type:str]';

/** allenporter/k8s-gitops's rules: they pick the key for the few encrypted files under these folders. */
const BROAD_RULES = yaml`
  creation_rules:
    - path_regex: bootstrap/.*\.yaml
      age: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
    - path_regex: netops/.*\.yaml
      age: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
`;

new RuleTester().run(rule, {
  valid: [
    { name: 'a Secret as sops 3.8 writes it, with empty key lists and an encrypted comment', files: { 'deploy/backup-secret.yaml': fixture('backup-secret.sops-3.8.yaml') } },
    { name: 'a non-Kubernetes file in the default mode, with an _unencrypted key, "" and null', files: { 'terraform/vars.enc.yaml': fixture('tofu-vars.sops-3.10.yaml') } },
    { name: 'a Secret encrypted for key groups', files: { 'apps/credentials.yaml': fixture('app-credentials.key-groups.yaml') } },
    { name: 'a multi-document file with a sops block in every document', files: { 'apps/registry.yaml': fixture('registry-secrets.multi-doc.yaml') } },
    {
      name: 'a plaintext Secret without values, and a ConfigMap with data',
      files: {
        'deploy/empty.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
            name: placeholder
          stringData:
            token: ""
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: settings
          data:
            password: not-a-secret-here
        `,
      },
    },
    {
      name: 'plaintext Secrets whose values are all references: op inject and Flux substitution',
      files: {
        'bootstrap/onepassword.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
            name: onepassword-connect-vault-secret
          stringData:
            token: op://Automation/1password connect/token
            1password-credentials.json: |
              op://kubernetes/1password/OP_SESSION_JSON
          `,
        'apps/cluster-vars.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
            name: app-credentials
          stringData:
            DB_URL: postgres://app:\${DB_PASSWORD}@db/app
            API_TOKEN: \${API_TOKEN}
            EMPTY: ""
          data:
            TLS_KEY: \${TLS_KEY_BASE64}
        `,
      },
    },
    {
      name: 'a plain file that only a catch-all creation rule matches',
      files: {
        '.sops.yaml': yaml`
          creation_rules:
            - age: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
        `,
        'charts/app/values.yaml': 'replicas: 2\n',
      },
    },
    {
      name: 'an Ansible tasks file under a broad creation rule: no credential in it',
      files: {
        '.sops.yaml': BROAD_RULES,
        'bootstrap/env/roles/common/tasks/admin.yaml': yaml`
          ---
          - name: Create the admin user
            ansible.builtin.user:
              name: admin
              password: "{{ admin_password_hash }}"
              groups: sudo
            no_log: true
          - name: Read the sops key from Secret Manager
            ansible.builtin.command: gcloud secrets versions access 1 --secret={{ secret_id }}
            vars:
              secret_id: sops-k8s-gitops-prod
              secret_version: 1
        `,
      },
    },
    {
      name: 'a Taskfile under a broad creation rule: variables that name a Secret and its entry',
      files: {
        '.sops.yaml': BROAD_RULES,
        'bootstrap/flux/Taskfile.yaml': yaml`
          version: '3'
          vars:
            flux_sops_secret_name: sops-age
            flux_sops_secret_entry: sops.agekey
            flux_sops_secret_namespace: flux-system
          tasks:
            bootstrap-sops-key:
              cmds:
                - kubectl create secret generic "{{.flux_sops_secret_name}}" --from-file="{{.flux_sops_secret_entry}}=/dev/stdin"
        `,
      },
    },
    {
      name: 'an inventory and a ConfigMap under a broad creation rule',
      files: {
        '.sops.yaml': BROAD_RULES,
        'netops/inventory/hosts.yaml': yaml`
          rtr:
            hosts:
              rtr01:
                ansible_host: 10.10.0.1
                ansible_user: admin
        `,
        'netops/config.yaml': yaml`
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: settings
          data:
            password: not-a-secret-here
        `,
      },
    },
    {
      name: 'a gitops-lint directive comment in a default-mode file',
      files: {
        'secrets.yaml': yaml`
          # gitops-lint-disable-next-line sops-creation-rules -- kept out of .sops.yaml on purpose
          token: ${ENC}
          sops:
            age:
              - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
                enc: x
            lastmodified: "2025-01-01T00:00:00Z"
            mac: ${MAC}
            unencrypted_suffix: _unencrypted
            version: 3.9.4
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'a plaintext Secret with data and stringData',
      files: {
        'deploy/backup-secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
            name: backup-s3
          data:
            ACCESS_KEY_ID: QUtJQUVYQU1QTEU=
          stringData:
            ACCESS_SECRET_KEY: wJalrXUtnFEMI-distinctive-secret
        `,
      },
      errors: [
        { messageId: 'notEncrypted', data: { name: 'backup-s3', field: 'data', file: 'deploy/backup-secret.yaml' }, file: 'deploy/backup-secret.yaml', line: 5, column: 1, endLine: 5, endColumn: 5 },
        { messageId: 'notEncrypted', data: { name: 'backup-s3', field: 'stringData', file: 'deploy/backup-secret.yaml' }, file: 'deploy/backup-secret.yaml', line: 7, column: 1, endLine: 7, endColumn: 11 },
      ],
    },
    {
      name: 'a value added to an encrypted Secret by hand',
      files: {
        'deploy/backup-secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
              name: backup-s3
          stringData:
              ACCESS_KEY_ID: ${ENC}
              REGION: eu-west-1
          sops:
              age:
                  - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
                    enc: x
              encrypted_regex: ^(data|stringData)$
              lastmodified: "2025-02-11T09:12:44Z"
              mac: ${MAC}
              version: 3.10.2
        `,
      },
      errors: [{ messageId: 'plaintextValue', data: { key: 'stringData.REGION' }, file: 'deploy/backup-secret.yaml', line: 7, column: 13, endLine: 7, endColumn: 22 }],
    },
    {
      name: 'a Secret value the encrypted_regex does not select',
      files: {
        'deploy/token.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
              name: token
          data:
              token: ${ENC}
          stringData:
              extra: plain-distinctive-value
          sops:
              age:
                  - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
                    enc: x
              encrypted_regex: ^data$
              lastmodified: "2025-02-11T09:12:44Z"
              mac: ${MAC}
              version: 3.10.2
        `,
      },
      errors: [
        { messageId: 'notSelected', data: { name: 'token', key: 'stringData.extra', selection: 'encrypted_regex: ^data$' }, file: 'deploy/token.yaml', line: 8, column: 12, endLine: 8, endColumn: 35 },
      ],
    },
    {
      name: 'a plaintext comment under stringData; the top-level comment may stay plain',
      files: {
        'deploy/backup-secret.yaml': yaml`
          # backup credentials
          apiVersion: v1
          kind: Secret
          metadata:
              name: backup-s3
          stringData:
              # rotate every 90 days
              ACCESS_KEY_ID: ${ENC}
          sops:
              age:
                  - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
                    enc: x
              encrypted_regex: ^(data|stringData)$
              lastmodified: "2025-02-11T09:12:44Z"
              mac: ${MAC}
              version: 3.10.2
        `,
      },
      errors: [{ messageId: 'plaintextComment', data: { where: 'under `stringData`' }, file: 'deploy/backup-secret.yaml', line: 7, column: 5, endLine: 7, endColumn: 27 }],
    },
    {
      name: 'a plaintext number and a plaintext top-level comment in a default-mode file',
      files: {
        'terraform/vars.enc.yaml': yaml`
          # added later
          database:
              password: ${ENC}
              port: 5432
              host_unencrypted: db.internal
          sops:
              age:
                  - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
                    enc: x
              lastmodified: "2025-02-11T09:12:44Z"
              mac: ${MAC}
              unencrypted_suffix: _unencrypted
              version: 3.10.2
        `,
      },
      errors: [
        { messageId: 'plaintextComment', data: { where: 'at the top level' }, file: 'terraform/vars.enc.yaml', line: 1, column: 1, endLine: 1, endColumn: 14 },
        { messageId: 'plaintextValue', data: { key: 'database.port' }, file: 'terraform/vars.enc.yaml', line: 4, column: 11, endLine: 4, endColumn: 15 },
      ],
    },
    {
      name: 'the plaintext second document of a multi-document file',
      files: {
        'apps/registry.yaml': `${fixture('registry-secrets.multi-doc.yaml').split('\n---\n')[0]}\n---\n${yaml`
          apiVersion: v1
          kind: Secret
          metadata:
              name: registry-b
          stringData:
              password: hunter2-distinctive
        `}`,
      },
      errors: [{ messageId: 'notEncrypted', data: { name: 'registry-b', field: 'stringData', file: 'apps/registry.yaml' }, file: 'apps/registry.yaml', line: 29, column: 1, endLine: 29, endColumn: 11 }],
    },
    {
      name: 'a Secret whose sops key is not the metadata mapping',
      files: {
        'deploy/fake.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
            name: fake
          data:
            token: dG9rZW4tZGlzdGluY3RpdmU=
          sops: encrypted
        `,
      },
      errors: [{ messageId: 'notEncrypted', data: { name: 'fake', field: 'data', file: 'deploy/fake.yaml' }, file: 'deploy/fake.yaml', line: 5, column: 1, endLine: 5, endColumn: 5 }],
    },
    {
      name: 'a file a path_regex creation rule covers, left in plaintext',
      files: {
        '.sops.yaml': fixture('sops-config.yaml'),
        'terraform/airbyte.enc.yaml': yaml`
          workspace: lotus
          credentials:
            client_secret: s3cr3t-distinctive
        `,
      },
      errors: [
        {
          messageId: 'fileNotEncrypted',
          data: { file: 'terraform/airbyte.enc.yaml', rule: 2, config: '.sops.yaml', key: 'credentials.client_secret' },
          file: 'terraform/airbyte.enc.yaml', line: 3, column: 3, endLine: 3, endColumn: 16,
        },
      ],
    },
    {
      name: 'a values file under a broad creation rule with a plaintext password',
      files: {
        '.sops.yaml': BROAD_RULES,
        'bootstrap/db/values.yaml': yaml`
          replicas: 1
          auth:
            username: app
            existingSecret: db-auth
            password: hunter2
        `,
      },
      errors: [
        {
          messageId: 'fileNotEncrypted',
          data: { file: 'bootstrap/db/values.yaml', rule: 1, config: '.sops.yaml', key: 'auth.password' },
          file: 'bootstrap/db/values.yaml', line: 5, column: 3, endLine: 5, endColumn: 11,
        },
      ],
    },
    {
      name: 'a PEM private key under a broad creation rule, whatever its key',
      files: {
        '.sops.yaml': BROAD_RULES,
        'netops/certs/router.yaml': yaml`
          hostname: rtr01
          tls.key: |
            -----BEGIN EC PRIVATE KEY-----
            MHcCAQEEIDistinctiveNotARealKey
            -----END EC PRIVATE KEY-----
        `,
      },
      errors: [
        {
          messageId: 'fileNotEncrypted',
          data: { file: 'netops/certs/router.yaml', rule: 2, config: '.sops.yaml', key: 'tls.key' },
          file: 'netops/certs/router.yaml', line: 2, column: 1, endLine: 2, endColumn: 8,
        },
      ],
    },
    {
      name: 'a plaintext Secret under a broad creation rule',
      files: {
        '.sops.yaml': BROAD_RULES,
        'bootstrap/flux/sops-age.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
            name: sops-age
            namespace: flux-system
          stringData:
            age.agekey: AGE-SECRET-KEY-1DISTINCTIVENOTAREALKEY
        `,
      },
      errors: [
        {
          messageId: 'notEncrypted',
          data: { name: 'sops-age', field: 'stringData', file: 'bootstrap/flux/sops-age.yaml' },
          file: 'bootstrap/flux/sops-age.yaml', line: 6, column: 1, endLine: 6, endColumn: 11,
        },
      ],
    },
    {
      name: 'a plaintext value in a file encrypted with encrypted_comment_regex',
      files: {
        'secrets.yaml': yaml`
          db:
              host: db.internal
              # sops:enc
              password: plain-distinctive
          sops:
              age:
                  - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
                    enc: x
              encrypted_comment_regex: sops:enc
              lastmodified: "2025-02-11T09:12:44Z"
              mac: ${MAC}
              version: 3.10.2
        `,
      },
      errors: [{ messageId: 'plaintextValue', data: { key: 'db.password' }, file: 'secrets.yaml', line: 4, column: 15, endLine: 4, endColumn: 32 }],
    },
    {
      name: 'a Secret with a reference and a literal: only the field with the literal is reported',
      files: {
        'apps/mixed.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
            name: mixed
          stringData:
            API_TOKEN: op://kubernetes/app/API_TOKEN
          data:
            password: aHVudGVyMg==
        `,
      },
      errors: [{ messageId: 'notEncrypted', data: { name: 'mixed', field: 'data', file: 'apps/mixed.yaml' }, file: 'apps/mixed.yaml', line: 7, column: 1, endLine: 7, endColumn: 5 }],
    },
  ],
});

describe('sops-secret-encrypted and Secrets that hold only references', () => {
  it('accepts them with one run note per Secret, naming the file', async () => {
    const result = await lintExample(rule, {
      files: {
        'bootstrap/network/secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
            name: cloudflare-tunnel-id-secret
            namespace: network
          stringData:
            CLOUDFLARE_TUNNEL_ID: |-
              op://kubernetes/cloudflare/CLOUDFLARE_TUNNEL_ID
          ---
          apiVersion: v1
          kind: Secret
          metadata:
            name: cluster-secrets
          stringData:
            SECRET_DOMAIN: \${SECRET_DOMAIN}
        `,
      },
    });
    expect(result.findings).toEqual([]);
    expect(result.notes).toEqual([
      {
        message: 'sops-secret-encrypted: Secret network/cloudflare-tunnel-id-secret is not SOPS-encrypted, but every value in it is a reference (such as op://… or ${VAR}), not a secret; accepted.',
        file: '/virtual/repo/bootstrap/network/secret.yaml',
      },
      {
        message: 'sops-secret-encrypted: Secret cluster-secrets is not SOPS-encrypted, but every value in it is a reference (such as op://… or ${VAR}), not a secret; accepted.',
        file: '/virtual/repo/bootstrap/network/secret.yaml',
      },
    ]);
  });
});
