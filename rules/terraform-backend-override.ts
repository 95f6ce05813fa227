import { describeObject } from '../src/flux/describe.js';
import { asRecord, asString } from '../src/engine/values.js';
import { defineRule } from '../src/model/rule.js';
import { moduleOf } from '../src/terraform/controller.js';
import { typeOffsetsOf } from '../src/terraform/hcl-facts.js';

export default defineRule({
  meta: {
    id: 'terraform-backend-override',
    description: 'Disallow backend blocks in Terraform modules that tofu-controller runs with its own backend',
    scope: 'cluster',
    category: 'reliability',
    defaultLevel: 'warning',
    recommended: true,
    messages: {
      defaultBackend: 'This {{block}} block is ignored when {{terraform}} runs the module: tofu-controller writes backend_override.tf with its Kubernetes backend (state in Secret tfstate-{{workspace}}-{{name}} in {{namespace}}), which wins. Remove the block, or move the settings to spec.backendConfig (or set backendConfig.disable: true to keep this one).',
      configuredBackend: 'This {{block}} block is ignored when {{terraform}} runs the module: tofu-controller writes spec.backendConfig ({{what}}) to backend_override.tf, which wins. Remove the block so the module says where its state really is.',
      cloud: 'This {{block}} block conflicts with spec.cloud of {{terraform}}: tofu-controller writes a cloud block to backend_override.tf, which wins. Remove the block.',
    },
    docs: {
      rationale:
        'tofu-controller always writes `backend_override.tf` into the working folder (unless `spec.backendConfig.disable: true`): the Kubernetes backend by default (state Secret `tfstate-<workspace>-<name>` in the Terraform\'s namespace), the backend of `spec.backendConfig`, or a `cloud` block for `spec.cloud`. By Terraform\'s override-file rules that backend replaces any `backend` block of the module, so a module that says `backend "s3"` keeps its state somewhere else than it claims, and a run from a laptop with that block writes a second, diverging state. The rule reads the module each Terraform object runs (in the app repo, across roots) and says which backend wins. `terraform validate` does not see this: it is a property of how the controller runs the module.',
      incorrect: [
        {
          title: 'An S3 backend in a module that tofu-controller runs with its default backend',
          roots: {
            'h-kube': {
              'lotus-lake/terraform.yaml':
                'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: lotus-lake\n  namespace: lotus-lake\nspec:\n  interval: 5m\n  url: https://github.com/matta-kelly/lotus-lake\n---\napiVersion: infra.contrib.fluxcd.io/v1alpha2\nkind: Terraform\nmetadata:\n  name: lotus-lake-airbyte\n  namespace: lotus-lake\nspec:\n  interval: 10m\n  path: ./orchestration/airbyte/terraform\n  sourceRef:\n    kind: GitRepository\n    name: lotus-lake\n',
            },
            'lotus-lake': { 'orchestration/airbyte/terraform/versions.tf': 'terraform {\n  backend "s3" {\n    bucket = "tfstate"\n    key    = "airbyte"\n  }\n}\n' },
          },
        },
      ],
      correct: [
        {
          title: 'The module has no backend block; the controller supplies one',
          roots: {
            'h-kube': {
              'lotus-lake/terraform.yaml':
                'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: lotus-lake\n  namespace: lotus-lake\nspec:\n  interval: 5m\n  url: https://github.com/matta-kelly/lotus-lake\n---\napiVersion: infra.contrib.fluxcd.io/v1alpha2\nkind: Terraform\nmetadata:\n  name: lotus-lake-airbyte\n  namespace: lotus-lake\nspec:\n  interval: 10m\n  path: ./orchestration/airbyte/terraform\n  sourceRef:\n    kind: GitRepository\n    name: lotus-lake\n',
            },
            'lotus-lake': { 'orchestration/airbyte/terraform/versions.tf': 'terraform {\n  required_version = ">= 1.6.0"\n}\n' },
          },
        },
      ],
      whenNotToUse: 'When the module is also run outside the cluster on purpose with its own backend, and the two states are meant to be separate.',
    },
  },
  check(ctx) {
    for (const terraform of ctx.model.flux.terraforms) {
      const module = moduleOf(ctx.model, terraform);
      if (!module || module.backends.length === 0) continue;
      const spec = asRecord(terraform.resource.value.spec) ?? {};
      const backendConfig = asRecord(spec.backendConfig);
      if (backendConfig?.disable === true) continue;
      const data = { terraform: describeObject(terraform.resource), name: terraform.resource.name, namespace: terraform.resource.appliedNamespace ?? 'its namespace', workspace: asString(spec.workspace) ?? 'default' };
      for (const { file, block } of module.backends) {
        if (file.override) continue;
        const label = block.labels[0];
        const offsets = [block.offsets[0], (block.labelOffsets[0] ?? typeOffsetsOf(block))[1]] as const;
        const blockData = { ...data, block: label === undefined ? block.type : `${block.type} "${label}"` };
        if (spec.cloud !== undefined) ctx.report({ file: file.file, offsets, messageId: 'cloud', data: blockData });
        else if (!backendConfig) ctx.report({ file: file.file, offsets, messageId: 'defaultBackend', data: blockData });
        else {
          const what = typeof backendConfig.customConfiguration === 'string' ? 'its customConfiguration' : `a Kubernetes backend with secretSuffix ${asString(backendConfig.secretSuffix) ?? '(empty)'}`;
          ctx.report({ file: file.file, offsets, messageId: 'configuredBackend', data: { ...blockData, what } });
        }
      }
    }
  },
});
