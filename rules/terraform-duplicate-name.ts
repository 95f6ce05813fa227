import { defineRule } from '../src/model/rule.js';
import { skipUnknownModule, terraformIndex, type Declarations, type TfDecl, type TfModule } from '../src/terraform/modules.js';

/** Terraform's own wording of each duplicate (internal/configs/module.go). */
const WHAT: Record<TfDecl['kind'], string> = {
  variable: 'Duplicate variable declaration',
  output: 'Duplicate output definition',
  local: 'Duplicate local value definition',
  resource: 'Duplicate resource configuration',
  data: 'Duplicate data "resource" configuration',
  module: 'Duplicate module call',
};

/** OpenTofu loads `x.tofu` instead of `x.tf` when both exist: the `.tf` twins that are not loaded. */
function shadowedFiles(module: TfModule): Set<string> {
  const shadowed = new Set<string>();
  for (let index = 0; index < module.files.length; index++) {
    const path = (module.files[index] as TfModule['files'][number]).file.path;
    if (path.endsWith('.tofu')) shadowed.add(`${path.slice(0, -5)}.tf`);
  }
  return shadowed;
}

export default defineRule({
  meta: {
    id: 'terraform-duplicate-name',
    description: 'Disallow declaring the same variable, output, local, resource, data source or module call twice in one Terraform module',
    scope: 'repository',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      duplicate: 'Duplicate declaration of {{kind}} "{{name}}" (first in {{first}}, line {{line}}): Terraform refuses the module ("{{what}}"). Remove or rename one of them.',
    },
    docs: {
      rationale:
        'All `.tf` files of a folder form one module, so a variable copied into a second file, or a resource pasted twice under the same name, makes `terraform validate` and every plan fail ("Duplicate variable declaration"). This replaces that part of the seed CI\'s `terraform validate`. Override files (`override.tf`, `*_override.tf`) merge into the blocks they name and are not duplicates; a `.tf` file that has a `.tofu` twin is not loaded by OpenTofu and is left out. Only folders known to be modules are checked: with a `terraform {}` block or a `.terraform.lock.hcl`, run by a tofu-controller Terraform (`spec.path`), or called by a local `module` block. Other folders of `.tf` files may be fragments copied into modules elsewhere (cloudposse `mixins/`), whose names are declared there: they are skipped with one note per repository (hcl-syntax still checks them).',
      incorrect: [
        {
          title: 'A variable declared in two files of the module',
          files: {
            'orchestration/airbyte/terraform/versions.tf': 'terraform {\n  required_version = ">= 1.6"\n}\n',
            'orchestration/airbyte/terraform/variables.tf': 'variable "airbyte_workspace_id" {\n  type = string\n}\n',
            'orchestration/airbyte/terraform/sources.tf': 'variable "airbyte_workspace_id" {\n  type = string\n}\n',
          },
        },
      ],
      correct: [
        {
          title: 'An override file merges into the declaration',
          files: {
            'infra/variables.tf': 'variable "region" {\n  type = string\n}\n',
            'infra/variables_override.tf': 'variable "region" {\n  default = "eu-west-1"\n}\n',
          },
        },
      ],
      whenNotToUse: 'Never: Terraform rejects duplicate declarations.',
    },
  },
  check(ctx) {
    // Indexed loops and `Map.forEach`: no iterator result per module, map and name (this runs
    // over every declaration of every module, mostly before V8 optimises it).
    const modules = terraformIndex(ctx.model).modules;
    for (let moduleIndex = 0; moduleIndex < modules.length; moduleIndex++) {
      const module = modules[moduleIndex] as TfModule;
      if (skipUnknownModule(ctx.model, module)) continue;
      const shadowed = shadowedFiles(module);
      const maps: Array<Declarations<TfDecl>> = [module.variables, module.outputs, module.locals, module.resources, module.data, module.modules];
      for (let mapIndex = 0; mapIndex < maps.length; mapIndex++) {
        // A name declared once is no duplicate (most names): only the others are visited.
        (maps[mapIndex] as Declarations<TfDecl>).forEachDuplicate((decls) => {
          const name = (decls[0] as TfDecl).name;
          const loaded = decls.filter((decl) => !decl.file.override && !shadowed.has(decl.file.file.path));
          const first = loaded[0];
          if (!first) return;
          for (const later of loaded.slice(1)) {
            const line = first.file.file.lineCounter.linePos(first.offsets[0]).line;
            const kind = later.kind === 'data' ? 'data source' : later.kind === 'module' ? 'module call' : later.kind === 'local' ? 'local value' : later.kind;
            ctx.report({ file: later.file.file, offsets: later.offsets, messageId: 'duplicate', data: { kind, name, first: first.file.file.path, line, what: WHAT[later.kind] } });
          }
        });
      }
    }
  },
});
