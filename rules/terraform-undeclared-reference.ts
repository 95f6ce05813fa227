import { defineRule } from '../src/model/rule.js';
import { blockOffsetsOf, blockTypeOf, type HclFactsBlockRecord } from '../src/terraform/hcl-facts.js';
import type { Offsets } from '../src/terraform/hcl.js';
import { skipUnknownModule, terraformIndex, type TfFile, type TfModule } from '../src/terraform/modules.js';

const KINDS = {
  var: { messageId: 'variable', map: (module: TfModule) => module.variables },
  local: { messageId: 'local', map: (module: TfModule) => module.locals },
  module: { messageId: 'module', map: (module: TfModule) => module.modules },
} as const;

export default defineRule({
  meta: {
    id: 'terraform-undeclared-reference',
    description: 'Require var., local. and module. references in a Terraform module to name a declared variable, local value or module call',
    scope: 'repository',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      variable: 'Reference to undeclared input variable "{{name}}": the module has no variable "{{name}}" block, so validate and plan fail. Declare it, or fix the name.',
      local: 'Reference to undeclared local value "{{name}}": no locals block of the module defines it, so validate and plan fail. Define it, or fix the name.',
      module: 'Reference to undeclared module "{{name}}": the module has no module "{{name}}" call, so validate and plan fail. Fix the name.',
    },
    docs: {
      rationale:
        'A variable renamed in `variables.tf` but not where it is used (or a local removed) fails `terraform validate` and every plan, which tofu-controller only shows in the Terraform object\'s status. The rule reads every `.tf`/`.tofu` file of the module and checks `var.X`, `local.X` and `module.X` against the declarations, as the seed CI\'s `terraform validate` does. Modules with `.tf.json` files or a file that does not parse are skipped (their declarations are not all known). The addresses in `moved` and `removed` blocks (`from = module.old`) name objects of the state, not declarations, and are not checked. References to resources, data sources and module outputs need provider and child-module schemas and are left to `terraform validate`. Only folders known to be modules are checked: with a `terraform {}` block or a `.terraform.lock.hcl`, run by a tofu-controller Terraform (`spec.path`), or called by a local `module` block. Other folders of `.tf` files may be fragments copied into modules elsewhere (cloudposse `mixins/`), whose names are declared there: they are skipped with one note per repository (hcl-syntax still checks them).',
      incorrect: [
        {
          title: 'A variable renamed in variables.tf but not where it is used',
          files: {
            'orchestration/airbyte/terraform/versions.tf': 'terraform {\n  required_version = ">= 1.6"\n}\n',
            'orchestration/airbyte/terraform/variables.tf': 'variable "airbyte_workspace" {\n  type = string\n}\n',
            'orchestration/airbyte/terraform/sources.tf': 'resource "airbyte_source_shopify" "store" {\n  workspace_id = var.airbyte_workspace_id\n}\n',
          },
        },
      ],
      correct: [
        {
          files: {
            'infra/variables.tf': 'variable "region" {\n  type = string\n}\n\nlocals {\n  zone = "${var.region}-a"\n}\n',
            'infra/main.tf': 'module "net" {\n  source = "./net"\n  zone   = local.zone\n}\n\noutput "vpc" {\n  value = module.net.vpc_id\n}\n',
          },
        },
      ],
      whenNotToUse: 'Never: Terraform rejects references to undeclared names.',
    },
  },
  check(ctx) {
    // Indexed loops: no iterator result per module, file and block (see modules.ts).
    const all = terraformIndex(ctx.model).modules;
    for (let moduleIndex = 0; moduleIndex < all.length; moduleIndex++) {
      const module = all[moduleIndex] as TfModule;
      if (skipUnknownModule(ctx.model, module)) continue;
      if (!module.complete) {
        if (module.incompleteReason) ctx.model.note({ message: `References in the Terraform module ${module.root.name}/${module.dir || '.'} were not checked: ${module.incompleteReason}.` });
        continue;
      }
      const { variables, locals, modules } = module;
      for (let fileIndex = 0; fileIndex < module.files.length; fileIndex++) {
        const file = module.files[fileIndex] as TfFile;
        // `moved { from = module.old  to = module.new }` and `removed { from = … }` name addresses
        // of the state, which no longer (or not yet) have a declaration: they are not references.
        let addressBlocks: Offsets[] | undefined;
        const blocks = file.hcl.blocks;
        for (let blockIndex = 0; blockIndex < blocks.length; blockIndex++) {
          const type = blockTypeOf(blocks[blockIndex] as HclFactsBlockRecord);
          if (type === 'moved' || type === 'removed') (addressBlocks ??= []).push(blockOffsetsOf(blocks[blockIndex] as HclFactsBlockRecord));
        }
        // Four entries per reference (hcl-facts.ts): root, name, start, end; `var`, `local` or `module`.
        const references = file.hcl.references;
        for (let index = 0; index + 3 < references.length; index += 4) {
          const root = references[index] as keyof typeof KINDS;
          const name = references[index + 1] as string;
          if ((root === 'var' ? variables : root === 'local' ? locals : modules).has(name)) continue;
          const kind = KINDS[root];
          const start = references[index + 2] as number;
          const referenceEnd = references[index + 3] as number;
          if (addressBlocks !== undefined && addressBlocks.some(([blockStart, blockEnd]) => start >= blockStart && referenceEnd <= blockEnd)) continue;
          const written = `${root}.${name}`;
          const text = file.file.text ?? '';
          const end = text.startsWith(written, start) ? start + written.length : referenceEnd;
          ctx.report({ file: file.file, offsets: [start, end], messageId: kind.messageId, data: { name } });
        }
      }
    }
  },
});
