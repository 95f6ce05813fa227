import rule from '../../rules/terraform-duplicate-name.js';
import { RuleTester } from '../../src/testing/index.js';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'the same names in two modules, and an override file',
      files: {
        'a/variables.tf': 'variable "region" {\n  type = string\n}\n',
        'b/variables.tf': 'variable "region" {\n  type = string\n}\n',
        'b/override.tf': 'variable "region" {\n  default = "x"\n}\n',
      },
    },
    {
      name: 'a .tf file with a .tofu twin is not loaded by OpenTofu',
      files: { 'infra/main.tf': 'locals {\n  a = 1\n}\n', 'infra/main.tofu': 'locals {\n  a = 2\n}\n' },
    },
    {
      name: 'a .tf file with a .tofu twin in a module known by its terraform block',
      files: { 'infra/versions.tf': 'terraform {}\n', 'infra/main.tf': 'locals {\n  a = 1\n}\n', 'infra/main.tofu': 'locals {\n  a = 2\n}\n' },
    },
  ],
  invalid: [
    {
      name: 'a .tofu file shadows only its own .tf twin: a third file still clashes with it',
      files: {
        'infra/versions.tf': 'terraform {}\n',
        'infra/extra.tf': 'locals {\n  a = 3\n}\n',
        'infra/main.tf': 'locals {\n  a = 1\n}\n',
        'infra/main.tofu': 'locals {\n  a = 2\n}\n',
      },
      errors: [{ messageId: 'duplicate', data: { kind: 'local value', name: 'a', first: 'infra/extra.tf', line: 2, what: 'Duplicate local value definition' }, file: 'infra/main.tofu', line: 2, column: 3, endLine: 2, endColumn: 4 }],
    },
    {
      name: 'a variable and a resource declared twice across files',
      files: {
        'orchestration/airbyte/terraform/versions.tf': 'terraform {\n  required_version = ">= 1.6"\n}\n',
        'orchestration/airbyte/terraform/variables.tf': 'variable "airbyte_workspace_id" {\n  type = string\n}\n',
        'orchestration/airbyte/terraform/sources.tf': [
          'variable "airbyte_workspace_id" {}',
          '',
          'resource "airbyte_source_shopify" "store" {}',
          'resource "airbyte_source_shopify" "store" {}',
          '',
        ].join('\n'),
      },
      errors: [
        { messageId: 'duplicate', data: { kind: 'resource', name: 'airbyte_source_shopify.store', first: 'orchestration/airbyte/terraform/sources.tf', line: 3, what: 'Duplicate resource configuration' }, file: 'orchestration/airbyte/terraform/sources.tf', line: 4, column: 10, endLine: 4, endColumn: 34 },
        { messageId: 'duplicate', data: { kind: 'variable', name: 'airbyte_workspace_id', first: 'orchestration/airbyte/terraform/sources.tf', line: 1, what: 'Duplicate variable declaration' }, file: 'orchestration/airbyte/terraform/variables.tf', line: 1, column: 10, endLine: 1, endColumn: 32 },
      ],
    },
    {
      name: 'a local value defined in two locals blocks',
      files: { 'infra/versions.tf': 'terraform {}\n', 'infra/main.tf': 'locals {\n  zone = "a"\n}\n\nlocals {\n  zone = "b"\n}\n' },
      errors: [{ messageId: 'duplicate', data: { kind: 'local value', name: 'zone', first: 'infra/main.tf', line: 2, what: 'Duplicate local value definition' }, file: 'infra/main.tf', line: 6, column: 3, endLine: 6, endColumn: 7 }],
    },
  ],
});
