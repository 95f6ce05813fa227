import rule from '../../rules/hcl-syntax.js';
import { RuleTester } from '../../src/testing/index.js';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'current syntax: optional(), provider functions, for expressions, templates, heredocs',
      files: {
        'infra/main.tf': [
          'variable "settings" {',
          '  type = object({ name = string, retries = optional(number, 3) })',
          '}',
          'locals {',
          '  names = [for k, v in var.settings : upper(k) if v != null]',
          '  arn   = provider::aws::arn_parse("arn:aws:s3:::b")',
          '  text  = <<-EOT',
          '    %{ for n in local.names ~}',
          '    ${n} and $${literal}',
          '    %{ endfor ~}',
          '  EOT',
          '}',
          '',
        ].join('\n'),
      },
    },
    { name: 'a .tofu file and a file under .terraform/ that is not read', files: { 'infra/main.tofu': 'locals {\n  a = 1\n}\n', 'infra/.terraform/modules/x/main.tf': 'locals {\n' } },
    { name: 'a .terraform/ cache at the repository root is not read either, nor a .tf.json file', files: { '.terraform/modules/x/main.tf': 'locals {\n', 'infra/main.tf.json': '{"locals": [' } },
    {
      name: 'a .tf template that a module reads with templatefile() is an input, not configuration',
      files: {
        'infra/main.tf': 'locals {\n  backend = templatefile("${path.module}/templates/backend.tf", { bucket = "state" })\n}\n',
        'infra/templates/backend.tf': 'terraform {\n  backend "s3" {\n    %{ if bucket != "" }\n    bucket = "${bucket}"\n    %{ endif }\n  }\n}\n',
      },
    },
  ],
  invalid: [
    {
      name: 'an unclosed block is reported on its header, as Terraform does',
      files: { 'orchestration/airbyte/terraform/variables.tf': 'variable "airbyte_client_id" {\n  type = string\n\nvariable "airbyte_workspace_id" {\n  type = string\n}\n' },
      errors: [{ messageId: 'syntax', data: { problem: 'Unclosed configuration block: there is no closing brace for this block before the end of the file' }, file: 'orchestration/airbyte/terraform/variables.tf', line: 1, column: 1, endLine: 1, endColumn: 31 }],
    },
    {
      name: 'a missing comma, an unterminated string and a stray bracket, one per file',
      files: {
        'a/main.tf': 'locals {\n  a = [1, 2\n  b = 3\n}\n',
        'b/main.tf': 'locals {\n  a = "x\n}\n',
        'c/main.tofu': 'locals {\n  a = [1, 2]]\n}\n',
      },
      errors: [
        { messageId: 'syntax', data: { problem: 'Missing "]"' }, file: 'a/main.tf', line: 3, column: 3, endLine: 3, endColumn: 4 },
        { messageId: 'syntax', data: { problem: 'Invalid syntax at "="' }, file: 'b/main.tf', line: 2, column: 5, endLine: 2, endColumn: 6 },
        { messageId: 'syntax', data: { problem: 'Invalid syntax at "]"' }, file: 'c/main.tofu', line: 2, column: 13, endLine: 2, endColumn: 14 },
      ],
    },
  ],
});
