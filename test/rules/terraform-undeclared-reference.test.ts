import rule from '../../rules/terraform-undeclared-reference.js';
import { RuleTester } from '../../src/testing/index.js';

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
  ],
  invalid: [
    {
      name: 'a variable renamed in variables.tf but not where it is used',
      files: {
        'orchestration/airbyte/terraform/variables.tf': 'variable "airbyte_workspace" {\n  type = string\n}\n',
        'orchestration/airbyte/terraform/sources.tf': 'resource "airbyte_source_shopify" "store" {\n  name         = "shopify"\n  workspace_id = var.airbyte_workspace_id\n}\n',
      },
      errors: [{ messageId: 'variable', data: { name: 'airbyte_workspace_id' }, file: 'orchestration/airbyte/terraform/sources.tf', line: 3, column: 18, endLine: 3, endColumn: 42 }],
    },
    {
      name: 'an undeclared local inside a template and an undeclared module output',
      files: { 'infra/main.tf': 'output "a" {\n  value = "${local.prefix}-x"\n}\n\noutput "b" {\n  value = module.network.vpc_id\n}\n' },
      errors: [
        { messageId: 'local', data: { name: 'prefix' }, file: 'infra/main.tf', line: 2, column: 14, endLine: 2, endColumn: 26 },
        { messageId: 'module', data: { name: 'network' }, file: 'infra/main.tf', line: 6, column: 11, endLine: 6, endColumn: 25 },
      ],
    },
  ],
});
