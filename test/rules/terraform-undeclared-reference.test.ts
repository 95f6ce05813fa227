import { describe, expect, it } from 'vitest';
import rule from '../../rules/terraform-undeclared-reference.js';
import { lintExample, RuleTester } from '../../src/testing/index.js';
import { MODULE, SOURCE, terraformObject } from '../terraform/fixtures.js';

/** A cloudposse-style mixin: a fragment dropped into a component, whose names the component declares. */
const MIXIN = 'provider "aws" {\n  region = var.region\n\n  assume_role {\n    role_arn = module.iam_roles.terraform_role_arn\n  }\n}\n';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'declared variables, locals and module calls across files, object keys that look like names',
      files: {
        'infra/variables.tf': 'variable "region" {\n  type = string\n}\n',
        'infra/main.tf': 'locals {\n  zone = "${var.region}-a"\n  escaped = "$${var.not_a_reference}"\n  heredoc = <<-EOT\n    literal $${local.nope}\n  EOT\n  tags = { var = 1, local = 2 }\n}\n\nmodule "net" {\n  source = "./net"\n  zone   = local.zone\n}\n\noutput "vpc" {\n  value = [for v in module.net.ids : v]\n}\n',
      },
    },
    {
      name: 'references rooted at names of plain JavaScript objects (constructor, toString) are not var., local. or module.',
      files: { 'infra/versions.tf': 'terraform {}\n', 'infra/main.tf': 'locals {\n  a = constructor.x\n  b = toString.y\n  c = __proto__.z\n}\n' },
    },
    {
      name: 'a module with a .tf.json file is not checked (a note says so)',
      files: { 'infra/main.tf': 'output "x" {\n  value = var.from_json\n}\n', 'infra/variables.tf.json': '{"variable": {"from_json": {}}}\n' },
    },
    {
      name: 'the addresses of moved and removed blocks are state addresses, not references',
      files: {
        'infra/versions.tf': 'terraform {}\n',
        'infra/main.tf': 'module "network" {\n  source = "./net"\n}\n\nmoved {\n  from = module.vpc\n  to   = module.network\n}\n\nremoved {\n  from = module.legacy\n\n  lifecycle {\n    destroy = false\n  }\n}\n',
      },
    },
    {
      name: 'a folder of .tf fragments (cloudposse mixins/) is not known to be a module and is not checked',
      files: { 'mixins/providers.depth-1.tf': MIXIN, 'mixins/README.md': 'Drop these files into a component.\n' },
    },
  ],
  invalid: [
    {
      name: 'a variable renamed in variables.tf but not where it is used',
      files: {
        'orchestration/airbyte/terraform/versions.tf': 'terraform {\n  required_version = ">= 1.6"\n}\n',
        'orchestration/airbyte/terraform/variables.tf': 'variable "airbyte_workspace" {\n  type = string\n}\n',
        'orchestration/airbyte/terraform/sources.tf': 'resource "airbyte_source_shopify" "store" {\n  name         = "shopify"\n  workspace_id = var.airbyte_workspace_id\n}\n',
      },
      errors: [{ messageId: 'variable', data: { name: 'airbyte_workspace_id' }, file: 'orchestration/airbyte/terraform/sources.tf', line: 3, column: 18, endLine: 3, endColumn: 42 }],
    },
    {
      name: 'an undeclared local inside a template and an undeclared module output',
      files: { 'infra/.terraform.lock.hcl': '# This file is maintained automatically by "terraform init".\n', 'infra/main.tf': 'output "a" {\n  value = "${local.prefix}-x"\n}\n\noutput "b" {\n  value = module.network.vpc_id\n}\n' },
      errors: [
        { messageId: 'local', data: { name: 'prefix' }, file: 'infra/main.tf', line: 2, column: 14, endLine: 2, endColumn: 26 },
        { messageId: 'module', data: { name: 'network' }, file: 'infra/main.tf', line: 6, column: 11, endLine: 6, endColumn: 25 },
      ],
    },
  ],
});

describe('folders not known to be modules', () => {
  it('skips fragments with one note per root naming the folders, and still checks spec.path folders, called modules and terraform {} folders', async () => {
    const result = await lintExample(rule, {
      roots: {
        'h-kube': { 'lotus-lake/terraform.yaml': `${SOURCE}---\n${terraformObject()}` },
        'lotus-lake': {
          [`${MODULE}/main.tf`]: 'output "a" {\n  value = var.by_spec_path\n}\n',
          'infra/versions.tf': 'terraform {}\n',
          'infra/main.tf': 'module "net" {\n  source = "./net"\n  zone   = var.by_terraform_block\n}\n',
          'infra/net/main.tf': 'output "zone" {\n  value = var.by_module_call\n}\n',
          'mixins/providers.tf': MIXIN,
          'snippets/tags.tf': 'locals {\n  tags = var.tags\n}\n',
        },
      },
    });
    expect(result.findings.map((finding) => `${finding.location.file}:${finding.location.startLine} ${finding.message.slice(0, 50)}`)).toEqual([
      'infra/main.tf:3 Reference to undeclared input variable "by_terrafo',
      'infra/net/main.tf:2 Reference to undeclared input variable "by_module_',
      `${MODULE}/main.tf:2 Reference to undeclared input variable "by_spec_pa`,
    ]);
    expect(result.notes.map((note) => note.message)).toEqual([
      'Terraform folders of lotus-lake not known to be modules were not checked for undeclared references, duplicate names and required providers: mixins, snippets (no terraform {} block, no .terraform.lock.hcl, not the spec.path of a Terraform object, not called by a local module block; fragments copied into modules are declared there).',
    ]);
  });

  it('writes the note of each root with that root\'s own folders', async () => {
    const result = await lintExample(rule, {
      roots: {
        'h-kube': { 'mixins/providers.tf': MIXIN, 'infra/a/tags.tf': 'locals {\n  tags = var.tags\n}\n', 'infra/b/tags.tf': 'locals {\n  tags = var.tags\n}\n' },
        'lotus-lake': { 'snippets/tags.tf': 'locals {\n  tags = var.tags\n}\n' },
      },
    });
    expect(result.findings).toEqual([]);
    expect(result.notes.map((note) => note.message)).toEqual([
      'Terraform folders of h-kube not known to be modules were not checked for undeclared references, duplicate names and required providers: infra/a, infra/b, mixins (no terraform {} block, no .terraform.lock.hcl, not the spec.path of a Terraform object, not called by a local module block; fragments copied into modules are declared there).',
      'Terraform folders of lotus-lake not known to be modules were not checked for undeclared references, duplicate names and required providers: snippets (no terraform {} block, no .terraform.lock.hcl, not the spec.path of a Terraform object, not called by a local module block; fragments copied into modules are declared there).',
    ]);
  });
});
