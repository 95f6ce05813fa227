import type { HclSyntaxError } from '../src/terraform/hcl.js';
import { terraformIndex, type TfFile, type TfModule } from '../src/terraform/modules.js';
import { defineRule } from '../src/model/rule.js';

export default defineRule({
  meta: {
    id: 'hcl-syntax',
    description: 'Require Terraform and OpenTofu configuration files (.tf, .tofu) to parse',
    scope: 'repository',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      syntax: 'Invalid HCL: {{problem}}. terraform init, validate and plan (and the tofu-controller runner) stop at this file; fix it first, then lint again for what follows.',
    },
    docs: {
      rationale:
        'A `.tf` file that does not parse stops every Terraform command in its folder, and tofu-controller reports it only as a failed plan in the Terraform object\'s status, minutes after the push. This rule replaces the syntax half of the seed CI\'s `terraform validate` step: it parses every `.tf`/`.tofu` file offline (a parser written in TypeScript, and tree-sitter\'s Terraform grammar for a file with a syntax error) and reports the first syntax error on the line Terraform reports it (an unclosed block on its header). Only the first error per file is reported: after it, error recovery is guesswork. A `.tf` file that a module reads through a file function (`templatefile("${path.module}/templates/backend.tf", …)` with `%{ if }` directives) is an input of that module, not configuration: it is not checked, and is not part of any module. What `terraform validate` also checks with provider schemas (argument names and types of resources) still needs the real tool.',
      incorrect: [
        { title: 'A block that is never closed', files: { 'infra/variables.tf': 'variable "region" {\n  type = string\n\nvariable "zone" {\n  type = string\n}\n' } },
        { title: 'A list without a comma', files: { 'infra/main.tf': 'locals {\n  zones = ["a", "b"\n  count = 2\n}\n' } },
      ],
      correct: [{ files: { 'infra/variables.tf': 'variable "region" {\n  type = string\n}\n\nlocals {\n  zones = ["a", "b"]\n}\n' } }],
      whenNotToUse: 'Never: a configuration file that does not parse cannot be planned.',
    },
  },
  check(ctx) {
    // Every configuration file that parsed is in a module (templates read by file functions are not).
    // Indexed loops: no iterator result per module and file (see modules.ts).
    const modules = terraformIndex(ctx.model).modules;
    for (let moduleIndex = 0; moduleIndex < modules.length; moduleIndex++) {
      const files = (modules[moduleIndex] as TfModule).files;
      for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
        const { file, hcl } = files[fileIndex] as TfFile;
        for (let index = 0; index < hcl.errors.length; index++) {
          const error = hcl.errors[index] as HclSyntaxError;
          ctx.report({ file, offsets: error.offsets, messageId: 'syntax', data: { problem: error.message } });
        }
      }
    }
  },
});
