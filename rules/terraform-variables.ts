import { describeObject } from '../src/flux/describe.js';
import { asArray, asRecord, asString } from '../src/engine/values.js';
import type { YamlPath } from '../src/model/finding.js';
import { defineRule, type RuleContext } from '../src/model/rule.js';
import type { ConfigData } from '../src/model/workspace.js';
import { moduleOf } from '../src/terraform/controller.js';
import type { TfModule, TfVariable } from '../src/terraform/modules.js';
import type { FluxTerraform } from '../src/flux/types.js';

type MessageId = 'requiredMissing' | 'requiredMissingHere' | 'undeclared' | 'undeclaredKeys' | 'structured' | 'notNumber' | 'notBool';

/** One value tofu-controller writes into generated.auto.tfvars.json (reference DOMAIN §4.2). */
interface Input {
  name: string;
  path: YamlPath;
  from: 'vars' | 'varsFrom' | 'env' | 'values';
  /** For varsFrom: the object, and whether the name is the whole object's key list (no varsKeys). */
  data?: ConfigData;
  listed?: boolean;
  /** For varsFrom: the key in the object (before a varsKeys rename). */
  key?: string;
  /** The plaintext value, when git shows it (a ConfigMap, an unencrypted Secret's stringData). Never printed. */
  plaintext?: string;
}

/** Names of the auto-loaded variable files Terraform reads from the working folder. */
const TFVARS_FILE = /(^|\/)(terraform\.tfvars(\.json)?|[^/]*\.auto\.tfvars(\.json)?)$/;

function plaintextOf(data: ConfigData, key: string): string | undefined {
  const resource = data.resource;
  if (!resource || data.origin !== 'manifest' || data.encrypted) return undefined;
  if (data.kind === 'ConfigMap') return asString(asRecord(resource.value.data)?.[key]);
  return asString(asRecord(resource.value.stringData)?.[key]);
}

/** The type class a `type` expression declares: collections and structures never convert from a string. */
function typeClass(type: string | undefined): 'structured' | 'number' | 'bool' | 'other' {
  const compact = (type ?? '').replace(/\s+/g, '');
  if (/^(list|set|map|tuple|object)\b/.test(compact)) return 'structured';
  if (compact === 'number') return 'number';
  if (compact === 'bool') return 'bool';
  return 'other';
}

/** Go's strconv/big.Float accepts these decimal forms (reference VALIDATE-STAGE §1.7). */
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

function collectInputs(ctx: RuleContext<MessageId>, terraform: FluxTerraform, module: TfModule): { inputs: Input[]; unknown: string | undefined } {
  const resource = terraform.resource;
  const spec = asRecord(resource.value.spec) ?? {};
  const inputs: Input[] = [];
  let unknown: string | undefined;
  asArray(spec.vars).forEach((entry, index) => {
    const name = asString(asRecord(entry)?.name);
    if (name !== undefined) inputs.push({ name, path: ['spec', 'vars', index, 'name'], from: 'vars' });
  });
  if (spec.values !== undefined) inputs.push({ name: 'values', path: ['spec', 'values'], from: 'values' });
  const runner = asRecord(asRecord(asRecord(spec.runnerPodTemplate)?.spec)) ?? {};
  asArray(runner.env).forEach((entry, index) => {
    const name = asString(asRecord(entry)?.name);
    if (name?.startsWith('TF_VAR_')) inputs.push({ name: name.slice('TF_VAR_'.length), path: ['spec', 'runnerPodTemplate', 'spec', 'env', index, 'name'], from: 'env' });
  });
  if (asArray(runner.envFrom).length > 0) unknown = 'its runner pod takes environment variables (TF_VAR_…) from envFrom';
  if (spec.fileMappings !== undefined) unknown = 'spec.fileMappings may write variable files';
  if (spec.tfVarsFiles !== undefined) unknown = 'spec.tfVarsFiles adds variable files';
  const tfvars = (ctx.model.rootFiles(module.root).filesIn.get(module.dir) ?? []).find((file) => TFVARS_FILE.test(file.path));
  if (tfvars) unknown = `${tfvars.path} sets variables`;
  asArray(spec.varsFrom).forEach((raw, index) => {
    const entry = asRecord(raw);
    const kind = asString(entry?.kind);
    const name = asString(entry?.name);
    if (!entry || (kind !== 'Secret' && kind !== 'ConfigMap') || name === undefined) return;
    const data = ctx.model.flux.data(kind, name, resource.appliedNamespace).matches[0];
    if (!data) {
      // A missing object fails the run unless optional (secret-ref-exists says so); an optional one provides nothing.
      if (entry.optional !== true) unknown = `${kind} ${name} is not in the linted roots`;
      return;
    }
    const keys = entry.varsKeys;
    if (Array.isArray(keys)) {
      keys.forEach((pattern, keyIndex) => {
        if (typeof pattern !== 'string') return;
        const parts = pattern.split(':');
        if (parts.length > 2 || parts.some((part) => part === '')) return;
        const [oldKey, newKey = oldKey] = parts as [string, string?];
        // A Secret key that is missing still becomes an empty string; a ConfigMap key is skipped.
        if (kind === 'ConfigMap' && data.keysKnown && !data.keys.has(oldKey)) return;
        const input: Input = { name: newKey, path: ['spec', 'varsFrom', index, 'varsKeys', keyIndex], from: 'varsFrom', data, listed: true, key: oldKey };
        const plaintext = plaintextOf(data, oldKey);
        if (plaintext !== undefined) input.plaintext = plaintext;
        inputs.push(input);
      });
      return;
    }
    if (!data.keysKnown) {
      unknown = `the keys of ${kind} ${name} are not known`;
      return;
    }
    for (const key of data.keys) {
      const input: Input = { name: key, path: ['spec', 'varsFrom', index, 'name'], from: 'varsFrom', data, listed: false, key };
      const plaintext = plaintextOf(data, key);
      if (plaintext !== undefined) input.plaintext = plaintext;
      inputs.push(input);
    }
  });
  return { inputs, unknown };
}

function describeSources(spec: Record<string, unknown>): string {
  const sources: string[] = [];
  if (asArray(spec.vars).length > 0) sources.push('spec.vars');
  for (const raw of asArray(spec.varsFrom)) {
    const entry = asRecord(raw);
    if (entry) sources.push(`varsFrom ${asString(entry.kind) ?? ''} ${asString(entry.name) ?? ''}${Array.isArray(entry.varsKeys) ? ' (varsKeys)' : ''}`);
  }
  if (sources.length === 0) return 'it sets no vars or varsFrom';
  return sources.length === 1 ? `${sources[0] as string} does not provide it` : `neither ${sources.join(' nor ')} provides it`;
}

export default defineRule<MessageId>({
  meta: {
    id: 'terraform-variables',
    description: 'Require the variables of a Terraform module to match what its tofu-controller Terraform objects provide',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      requiredMissing: 'Required variable "{{variable}}" (no default) gets no value when {{terraform}} runs this module: {{sources}}, so the plan fails with "No value for required variable". Provide it there, or give it a default.',
      requiredMissingHere: 'Required variable "{{variable}}" of the module {{module}} gets no value from {{terraform}}: {{sources}}, so the plan fails with "No value for required variable". Add the key (after a rename in the Secret, update varsKeys with `key:{{variable}}`), or a spec.vars entry.',
      undeclared: 'Variable "{{variable}}" is provided here, but the module {{module}} declares no such variable: tofu-controller passes it and Terraform only warns ("Value for undeclared variable"), so the value is silently unused. Fix the name or remove it.',
      undeclaredKeys: 'Keys {{keys}} of {{source}} are passed as variables, but the module {{module}} declares none of them: Terraform only warns ("Value for undeclared variable"). List the keys that are variables in varsKeys (`key:variable` renames), or declare them.',
      structured: 'Variable "{{variable}}" has type {{type}}, but varsFrom always passes a string: Terraform cannot convert a string to {{type}} (even one holding JSON), so the plan fails with "Invalid value for input variable". Declare it as string and jsondecode() it in the module, or pass it through spec.vars, which keeps JSON types.',
      notNumber: 'Variable "{{variable}}" has type number, but key {{key}} of {{source}} does not hold a number: the plan fails with "a number is required". Fix the value.',
      notBool: 'Variable "{{variable}}" has type bool, but key {{key}} of {{source}} holds neither "true", "false", "1" nor "0": the plan fails with "a bool is required". Fix the value.',
    },
    messageLevels: { undeclared: 'warning', undeclaredKeys: 'warning' },
    docs: {
      rationale:
        'tofu-controller writes `spec.vars`, every key of each `varsFrom` Secret/ConfigMap (or only its `varsKeys`, `key:variable` renaming) and `spec.values` into `generated.auto.tfvars.json`, and the module in the *other* repository declares the variables. When the cluster repo renames a Secret key, the app repo\'s required variable silently loses its value and the plan fails in the cluster ("No value for required variable"); the seed\'s deployment broke exactly this way. SOPS keeps key names readable, so the rule compares them offline: a required variable (no `default`) that nothing provides is reported on the variable\'s line and on the Terraform object; keys that the module does not declare are a warning (Terraform only warns); a `varsFrom` value is always a JSON *string*, and Terraform never converts a string to a list, set, map, tuple or object type, even when it holds JSON (checked against Terraform 1.x: "list of string required"), so such variables are errors; a plaintext value for a number or bool variable must convert. Values from `runnerPodTemplate` `TF_VAR_` env count; a Terraform whose inputs are not all visible (runner `envFrom`, `fileMappings`, a `*.auto.tfvars` file, a Secret whose keys are unknown) is skipped with a note. This is what `terraform plan` in the cluster finds; `terraform validate` in CI cannot, because it ignores variable values.',
      incorrect: [
        {
          title: 'The Secret key was renamed in the cluster repo; the module still requires the variable',
          roots: {
            'h-kube': {
              'lotus-lake/terraform.yaml':
                'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: lotus-lake\n  namespace: lotus-lake\nspec:\n  interval: 5m\n  url: https://github.com/matta-kelly/lotus-lake\n---\napiVersion: infra.contrib.fluxcd.io/v1alpha2\nkind: Terraform\nmetadata:\n  name: lotus-lake-airbyte\n  namespace: lotus-lake\nspec:\n  interval: 10m\n  path: ./orchestration/airbyte/terraform\n  sourceRef:\n    kind: GitRepository\n    name: lotus-lake\n  varsFrom:\n    - kind: Secret\n      name: lotus-lake-terraform-vars\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: lotus-lake-terraform-vars\n  namespace: lotus-lake\nstringData:\n  AIRBYTE_WORKSPACE_ID: placeholder\n',
            },
            'lotus-lake': { 'orchestration/airbyte/terraform/variables.tf': 'variable "airbyte_workspace_id" {\n  type = string\n}\n' },
          },
        },
      ],
      correct: [
        {
          title: 'varsKeys renames the upper-case key to the variable',
          roots: {
            'h-kube': {
              'lotus-lake/terraform.yaml':
                'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: lotus-lake\n  namespace: lotus-lake\nspec:\n  interval: 5m\n  url: https://github.com/matta-kelly/lotus-lake\n---\napiVersion: infra.contrib.fluxcd.io/v1alpha2\nkind: Terraform\nmetadata:\n  name: lotus-lake-airbyte\n  namespace: lotus-lake\nspec:\n  interval: 10m\n  path: ./orchestration/airbyte/terraform\n  sourceRef:\n    kind: GitRepository\n    name: lotus-lake\n  varsFrom:\n    - kind: Secret\n      name: lotus-lake-terraform-vars\n      varsKeys:\n        - AIRBYTE_WORKSPACE_ID:airbyte_workspace_id\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: lotus-lake-terraform-vars\n  namespace: lotus-lake\nstringData:\n  AIRBYTE_WORKSPACE_ID: placeholder\n',
            },
            'lotus-lake': { 'orchestration/airbyte/terraform/variables.tf': 'variable "airbyte_workspace_id" {\n  type = string\n}\n' },
          },
        },
      ],
      whenNotToUse: 'When the runner gets variables some other way the linter does not see (a custom runner image that writes tfvars).',
    },
  },
  check(ctx) {
    for (const terraform of ctx.model.flux.terraforms) {
      const module = moduleOf(ctx.model, terraform);
      if (!module) continue;
      const resource = terraform.resource;
      const where = `${module.root.name}/${module.dir || '.'}`;
      if (!module.complete) {
        ctx.model.note({ message: `The variables of ${describeObject(resource)} were not checked against ${where}: ${module.incompleteReason ?? 'not every file was read'}.`, file: resource.file.absPath });
        continue;
      }
      const spec = asRecord(resource.value.spec) ?? {};
      const { inputs, unknown } = collectInputs(ctx, terraform, module);
      const provided = new Set(inputs.map((input) => input.name));
      const terraformName = describeObject(resource);
      const declaration = (name: string): TfVariable | undefined => {
        const decls = module.variables.list(name) ?? [];
        return decls.find((decl) => !decl.file.override) ?? decls[0];
      };
      if (unknown !== undefined) {
        ctx.model.note({ message: `Required variables of ${terraformName} were not checked: ${unknown}.`, file: resource.file.absPath });
      } else {
        const sources = describeSources(spec);
        const varsFromPath: YamlPath = asArray(spec.varsFrom).length > 0 ? ['spec', 'varsFrom', 0, 'name'] : asArray(spec.vars).length > 0 ? ['spec', 'vars'] : ['spec', 'path'];
        module.variables.forEachName((decls, name) => {
          // An override may add the default.
          if (provided.has(name) || decls.some((decl) => !decl.required)) return;
          const decl = declaration(name);
          if (!decl) return;
          ctx.report({ file: decl.file.file, offsets: decl.offsets, messageId: 'requiredMissing', data: { variable: name, terraform: terraformName, sources } });
          ctx.report({ resource, path: varsFromPath, messageId: 'requiredMissingHere', data: { variable: name, module: where, terraform: terraformName, sources } });
        });
      }
      const unlisted = new Map<string, { input: Input; names: string[] }>();
      for (const input of inputs) {
        const decl = declaration(input.name);
        if (!decl) {
          if (input.from === 'vars' || (input.from === 'varsFrom' && input.listed)) ctx.report({ resource, path: input.path, messageId: 'undeclared', data: { variable: input.name, module: where } });
          else if (input.from === 'varsFrom') {
            const key = input.path.join('.');
            const group = unlisted.get(key) ?? { input, names: [] };
            group.names.push(input.name);
            unlisted.set(key, group);
          }
          continue;
        }
        if (input.from !== 'varsFrom' || !input.data) continue;
        const source = `${input.data.kind} ${input.data.name}`;
        const type = typeClass(decl.type);
        if (type === 'structured') ctx.report({ resource, path: input.path, messageId: 'structured', data: { variable: input.name, type: (decl.type ?? '').replace(/\s+/g, ' ') } });
        else if (type === 'number' && input.plaintext !== undefined && !NUMBER.test(input.plaintext)) ctx.report({ resource, path: input.path, messageId: 'notNumber', data: { variable: input.name, key: input.key ?? input.name, source } });
        else if (type === 'bool' && input.plaintext !== undefined && !['true', 'false', '1', '0'].includes(input.plaintext)) ctx.report({ resource, path: input.path, messageId: 'notBool', data: { variable: input.name, key: input.key ?? input.name, source } });
      }
      for (const { input, names } of unlisted.values()) {
        ctx.report({ resource, path: input.path, messageId: 'undeclaredKeys', data: { keys: names.sort().join(', '), source: `${input.data?.kind ?? ''} ${input.data?.name ?? ''}`, module: where } });
      }
    }
  },
});
