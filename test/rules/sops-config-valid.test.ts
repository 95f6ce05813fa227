import { readFileSync } from 'node:fs';
import rule from '../../rules/sops-config-valid.js';
import { RuleTester, yaml } from '../../src/testing/index.js';

const AGE = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'several rules with string, list and key-group recipients',
      files: { '.sops.yaml': readFileSync(new URL('../fixtures/sops/sops-config.yaml', import.meta.url), 'utf8') },
    },
    {
      name: 'stores, destination rules and a catch-all as the last rule, in a subfolder',
      files: {
        'clusters/prod/.sops.yaml': yaml`
          stores:
            yaml:
              indent: 2
          destination_rules:
            - path_regex: ^secrets/
              vault_path: kv/gitops
              recreation_rule:
                age: ${AGE}
          creation_rules:
            - path_regex: (?i)^secrets/.*\\.ya?ml$
              encrypted_regex: ^(data|stringData)$
              key_groups:
                - kms:
                    - arn: arn:aws:kms:eu-west-1:111122223333:key/1234
                      role: arn:aws:iam::111122223333:role/sops
                  azure_keyvault:
                    - vaultUrl: https://vault.vault.azure.net
                      key: sops
                      version: ""
            - unencrypted_regex: ^(apiVersion|kind|metadata|type)$
              mac_only_encrypted: true
              age:
                - ${AGE}
        `,
      },
    },
    {
      name: 'the keys: anchors convention, a merge key and key groups with age lists',
      files: {
        '.sops.yaml': yaml`
          keys:
            - &admin ${AGE}
            - &cluster age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg
          defaults: &flux
            encrypted_regex: ^(data|stringData)$
            mac_only_encrypted: yes
          creation_rules:
            - path_regex: ^clusters/(?i)prod/.*\\.ya?ml\\z
              <<: *flux
              key_groups:
                - age:
                    - *admin
                    - *cluster
                  pgp:
                    - FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4
            - path_regex: ^(?P<team>[[:alpha:]]+)/secrets/
              <<: *flux
              age: *admin
        `,
      },
    },
    {
      name: 'a path_regex that backtracks exponentially in JavaScript is ordinary RE2',
      files: { '.sops.yaml': yaml`
        creation_rules:
          - path_regex: ^(\\w+/?)*\\.enc\\.yaml$
            encrypted_regex: ^(data|stringData)$
            age: ${AGE}
      ` },
    },
    {
      name: 'a .sops.yml-like name that is not one, and other YAML',
      files: { 'docs/example.sops.yml.md': 'not yaml\n', 'deploy/app.yaml': 'creation_rule: not a sops config\n' },
    },
  ],
  invalid: [
    {
      name: 'a .sops.yml file',
      files: { '.sops.yml': `creation_rules:\n  - age: ${AGE}\n` },
      errors: [{ messageId: 'fileName', file: '.sops.yml', line: 1, column: 1, endLine: 1, endColumn: 16 }],
    },
    {
      name: 'an unanchored encrypted_regex in a catch-all, followed by another rule',
      files: {
        '.sops.yaml': yaml`
          creation_rules:
            - encrypted_regex: data|stringData
              age: ${AGE}
            - path_regex: prod/.*\\.yaml$
              age: ${AGE}
        `,
      },
      errors: [
        { messageId: 'regexMatchesMetadata', data: { key: 'encrypted_regex', field: 'metadata' }, file: '.sops.yaml', line: 2, column: 22, endLine: 2, endColumn: 37 },
        { messageId: 'unreachableRule', data: { index: 2, catchAll: 1 }, file: '.sops.yaml', line: 4, column: 5, endLine: 4, endColumn: 31 },
      ],
    },
    {
      name: 'misspelt keys in a rule and in a key group',
      files: {
        '.sops.yaml': yaml`
          creation_rules:
            - path_regex: \\.enc\\.yaml$
              encrypted-regex: ^(data|stringData)$
              hc_vault_uris: https://vault.example.org/v1/sops/keys/k
              colour: blue
              key_groups:
                - azure_kv:
                    - vaultUrl: https://v.vault.azure.net
                      key: k
                      version: "1"
        `,
      },
      errors: [
        { messageId: 'unknownKeySuggestion', data: { key: 'encrypted-regex', where: 'creation rule 1', suggestion: 'encrypted_regex' }, file: '.sops.yaml', line: 3, column: 5, endLine: 3, endColumn: 20 },
        { messageId: 'unknownKeySuggestion', data: { key: 'hc_vault_uris', where: 'creation rule 1', suggestion: 'hc_vault_transit_uri' }, file: '.sops.yaml', line: 4, column: 5, endLine: 4, endColumn: 18 },
        { messageId: 'unknownKey', data: { key: 'colour', where: 'creation rule 1' }, file: '.sops.yaml', line: 5, column: 5, endLine: 5, endColumn: 11 },
        { messageId: 'unknownKeySuggestion', data: { key: 'azure_kv', where: 'a key group', suggestion: 'azure_keyvault' }, file: '.sops.yaml', line: 7, column: 9, endLine: 7, endColumn: 17 },
      ],
    },
    {
      name: 'an invalid path_regex and an invalid encrypted_regex',
      files: {
        '.sops.yaml': yaml`
          creation_rules:
            - path_regex: ^secrets/(.*\\.yaml$
              age: ${AGE}
            - encrypted_regex: ^(data|stringData)$)
              age: ${AGE}
        `,
      },
      errors: [
        {
          messageId: 'invalidPathRegex',
          data: { key: 'path_regex', reason: 'missing closing ): `^secrets/(.*\\.yaml$`' },
          file: '.sops.yaml', line: 2, column: 17, endLine: 2, endColumn: 36,
        },
        {
          messageId: 'invalidRegex',
          data: { key: 'encrypted_regex', reason: 'unexpected ): `^(data|stringData)$)`', effect: 'no value is encrypted' },
          file: '.sops.yaml', line: 4, column: 22, endLine: 4, endColumn: 42,
        },
      ],
    },
    {
      name: 'two selection keys, a regex RE2 rejects, a suffix that selects metadata and a wrong type',
      files: {
        '.sops.yaml': yaml`
          creation_rules:
            - path_regex: (?=secrets)
              encrypted_regex: ^(data|stringData)$
              unencrypted_suffix: _plain
              shamir_threshold: two
            - encrypted_suffix: data
              age: [1, 2]
        `,
      },
      errors: [
        { messageId: 'invalidPathRegex', data: { key: 'path_regex', reason: 'invalid or unsupported Perl syntax: `(?=`' }, file: '.sops.yaml', line: 2, column: 17, endLine: 2, endColumn: 28 },
        { messageId: 'multipleSelection', data: { keys: 'encrypted_regex, unencrypted_suffix' }, file: '.sops.yaml', line: 4, column: 5, endLine: 4, endColumn: 23 },
        { messageId: 'invalidType', data: { key: 'shamir_threshold', expected: 'a number' }, file: '.sops.yaml', line: 5, column: 23, endLine: 5, endColumn: 26 },
        { messageId: 'regexMatchesMetadata', data: { key: 'encrypted_suffix', field: 'metadata' }, file: '.sops.yaml', line: 6, column: 23, endLine: 6, endColumn: 27 },
        { messageId: 'invalidType', data: { key: 'age', expected: 'a comma-separated string or a list of strings' }, file: '.sops.yaml', line: 7, column: 5, endLine: 7, endColumn: 8 },
      ],
    },
  ],
});
