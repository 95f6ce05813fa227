import rule from '../../rules/terraform-required-provider.js';
import { RuleTester } from '../../src/testing/index.js';

const VERSIONS = 'terraform {\n  required_providers {\n    airbyte = {\n      source  = "airbytehq/airbyte"\n      version = "0.6.5"\n    }\n  }\n}\n';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'the seed module declares airbyte; HashiCorp providers and terraform_data need nothing',
      files: {
        'orchestration/airbyte/terraform/versions.tf': VERSIONS,
        'orchestration/airbyte/terraform/main.tf': 'resource "airbyte_source_shopify" "store" {}\nresource "random_id" "x" {}\nresource "terraform_data" "y" {}\ndata "aws_region" "r" {}\n',
      },
    },
    {
      name: 'a resource that names a declared provider configuration explicitly',
      files: { 'infra/versions.tf': VERSIONS, 'infra/main.tf': 'resource "custom_thing" "x" {\n  provider = airbyte.alt\n}\n' },
    },
  ],
  invalid: [
    {
      name: 'the Airbyte provider used without required_providers',
      files: { 'orchestration/airbyte/terraform/versions.tf': 'terraform {\n  required_version = ">= 1.6"\n}\n', 'orchestration/airbyte/terraform/sources.tf': 'provider "airbyte" {}\n\nresource "airbyte_source_shopify" "store" {}\n' },
      errors: [{ messageId: 'undeclared', data: { provider: 'airbyte', what: 'provider "airbyte"' }, file: 'orchestration/airbyte/terraform/sources.tf', line: 1, column: 10, endLine: 1, endColumn: 19 }],
    },
    {
      name: 'a child module that relies on the parent declaring the provider',
      files: {
        'infra/versions.tf': VERSIONS,
        'infra/main.tf': 'module "conn" {\n  source = "./conn"\n}\n',
        'infra/conn/main.tf': 'resource "airbyte_connection" "c" {}\n\ndata "cloudflare_zone" "z" {}\n',
      },
      errors: [
        { messageId: 'undeclared', data: { provider: 'airbyte', what: 'airbyte_connection' }, file: 'infra/conn/main.tf', line: 1, column: 10, endLine: 1, endColumn: 30 },
        { messageId: 'undeclared', data: { provider: 'cloudflare', what: 'data cloudflare_zone' }, file: 'infra/conn/main.tf', line: 3, column: 6, endLine: 3, endColumn: 23 },
      ],
    },
  ],
});
