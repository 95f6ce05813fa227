import { describeObject, qualified } from '../src/flux/describe.js';
import { defineRule } from '../src/model/rule.js';
import { controllerSettings } from '../src/terraform/controller.js';

const TERRAFORM = (namespace: string) =>
  `apiVersion: infra.contrib.fluxcd.io/v1alpha2\nkind: Terraform\nmetadata:\n  name: lotus-lake-airbyte\n  namespace: lotus-lake\nspec:\n  interval: 10m\n  path: ./orchestration/airbyte/terraform\n  sourceRef:\n    kind: GitRepository\n    name: lotus-lake\n    namespace: ${namespace}\n`;
const SOURCE = (namespace: string) => `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: lotus-lake\n  namespace: ${namespace}\nspec:\n  interval: 5m\n  url: https://github.com/matta-kelly/lotus-lake\n`;

export default defineRule<'crossNamespace', { allowCrossNamespaceRefs: boolean }>({
  meta: {
    id: 'terraform-source-namespace',
    description: 'Disallow Terraform sourceRefs into another namespace unless tofu-controller allows cross-namespace references',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      crossNamespace: 'The sourceRef of {{terraform}} names {{source}} in namespace {{namespace}}: tofu-controller denies cross-namespace references by default (since 0.16), so the Terraform never gets its source ("cross-namespace references are not allowed"). Put a GitRepository in {{own}}, or allow them (chart value allowCrossNamespaceRefs: true, then set this rule\'s allowCrossNamespaceRefs option).',
    },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allowCrossNamespaceRefs: { type: 'boolean', description: 'The tofu-controller of the cluster runs with --allow-cross-namespace-refs (when its HelmRelease is not linted, or its values are not known).' },
      },
    },
    defaultOptions: { allowCrossNamespaceRefs: false },
    docs: {
      rationale:
        'Since 0.16 tofu-controller refuses a `sourceRef` into another namespace unless it runs with `--allow-cross-namespace-refs` (chart value `allowCrossNamespaceRefs: true`); the Terraform object then stays not ready with an access-denied condition, and nothing is applied. A GitRepository shared from `flux-system` is the usual way this happens. The rule reads `allowCrossNamespaceRefs` from the tofu-controller HelmRelease when it is linted, or the rule option otherwise. Whether the source itself exists is `flux-source-ref`\'s job.',
      incorrect: [{ title: 'The Terraform in lotus-lake reads a GitRepository in flux-system', files: { 'lotus-lake/terraform.yaml': `${SOURCE('flux-system')}---\n${TERRAFORM('flux-system')}` } }],
      correct: [
        { title: 'The GitRepository is in the Terraform\'s namespace', files: { 'lotus-lake/terraform.yaml': `${SOURCE('lotus-lake')}---\n${TERRAFORM('lotus-lake')}` } },
        { title: 'The controller allows cross-namespace references', files: { 'lotus-lake/terraform.yaml': `${SOURCE('flux-system')}---\n${TERRAFORM('flux-system')}` }, options: { allowCrossNamespaceRefs: true } },
      ],
      whenNotToUse: 'Never on tofu-controller older than 0.16, which allowed them; set the option instead when the controller allows them.',
    },
  },
  check(ctx) {
    // Nothing to check without Terraform objects: no look at the HelmReleases either.
    if (ctx.model.flux.terraforms.length === 0) return;
    const settings = controllerSettings(ctx.model);
    if (ctx.options.allowCrossNamespaceRefs || settings.some((entry) => entry.allowCrossNamespaceRefs !== false)) return;
    for (const terraform of ctx.model.flux.terraforms) {
      const ref = terraform.sourceRef;
      const own = terraform.resource.appliedNamespace;
      if (!ref || ref.namespace === undefined || own === undefined || ref.namespace === own) continue;
      ctx.report({
        resource: terraform.resource,
        path: [...ref.path, 'namespace'],
        messageId: 'crossNamespace',
        data: { terraform: describeObject(terraform.resource), source: `${ref.kind || 'GitRepository'} ${qualified(ref.namespace, ref.name)}`, namespace: ref.namespace, own },
      });
    }
  },
});
