import { describeObject } from '../src/flux/describe.js';
import { asArray, asRecord, asString } from '../src/engine/values.js';
import { defineRule } from '../src/model/rule.js';
import type { Resource } from '../src/model/workspace.js';
import { controllerSettings } from '../src/terraform/controller.js';

type MessageId = 'missingServiceAccount' | 'noBinding' | 'missingPermissions';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** What the runner does in its namespace (chart ClusterRole tf-runner-role): state Secrets, variable objects, state locks. */
const NEEDS: ReadonlyArray<{ group: string; resource: string; verbs: readonly string[]; why: string }> = [
  { group: '', resource: 'secrets', verbs: ['get', 'list', 'create', 'update', 'delete'], why: 'state and outputs' },
  { group: '', resource: 'configmaps', verbs: ['get', 'list'], why: 'varsFrom ConfigMaps' },
  { group: 'coordination.k8s.io', resource: 'leases', verbs: ['get', 'create', 'update', 'delete'], why: 'state locking' },
];

function grants(rules: readonly unknown[], need: (typeof NEEDS)[number]): string[] {
  const granted = new Set<string>();
  for (const raw of rules) {
    const rule = asRecord(raw);
    const groups = asArray(rule?.apiGroups);
    const resources = asArray(rule?.resources);
    if (!groups.includes(need.group) && !groups.includes('*')) continue;
    if (!resources.includes(need.resource) && !resources.includes('*')) continue;
    for (const verb of asArray(rule?.verbs)) if (typeof verb === 'string') granted.add(verb);
  }
  return granted.has('*') ? [] : need.verbs.filter((verb) => !granted.has(verb));
}

const SA = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: tf-runner\n  namespace: lotus-lake\n';
const TF = 'apiVersion: infra.contrib.fluxcd.io/v1alpha2\nkind: Terraform\nmetadata:\n  name: lotus-lake-airbyte\n  namespace: lotus-lake\nspec:\n  interval: 10m\n  path: ./orchestration/airbyte/terraform\n  sourceRef:\n    kind: GitRepository\n    name: lotus-lake\n';
const ROLE = (rules: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: tf-runner\n  namespace: lotus-lake\nrules:\n${rules}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: tf-runner\n  namespace: lotus-lake\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: tf-runner\nsubjects:\n  - kind: ServiceAccount\n    name: tf-runner\n    namespace: lotus-lake\n`;
const FULL_RULES = '  - apiGroups: [""]\n    resources: [secrets, configmaps]\n    verbs: ["*"]\n  - apiGroups: [coordination.k8s.io]\n    resources: [leases]\n    verbs: ["*"]\n';
const FLUX = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: ssh://git@github.com/matta-kelly/h-kube\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  path: ./apps\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n';
const CONTROLLER = (namespaces: string) =>
  `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: tofu-controller\n  namespace: flux-system\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: tofu-controller\n      sourceRef:\n        kind: HelmRepository\n        name: tofu-controller\n  values:\n    runner:\n      serviceAccount:\n        allowedNamespaces: [${namespaces}]\n`;

export default defineRule<MessageId, { allowedNamespaces: string[] }>({
  meta: {
    id: 'terraform-runner-permissions',
    description: 'Require the runner ServiceAccount of every Terraform object to exist in its namespace with the permissions the runner needs',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      missingServiceAccount: 'Runner ServiceAccount {{account}} does not exist in namespace {{namespace}}: tofu-controller starts the runner pod of {{terraform}} there with it, so no plan ever runs ({{advice}}).',
      noBinding: 'ServiceAccount {{account}} in {{namespace}} is written by hand for the runner of {{terraform}}, but no RoleBinding or ClusterRoleBinding in the linted roots grants it anything: the runner cannot read its Secrets or lock its state. Bind it to a Role with Secrets, ConfigMaps and coordination.k8s.io leases (or to ClusterRole tf-runner-role).',
      missingPermissions: 'Role {{role}} is what the runner of {{terraform}} ({{account}}) gets, but it does not grant {{missing}}: the runner fails when it reads variables, writes state or takes the state lock. Add the rules (the chart\'s tf-runner-role grants all verbs on secrets, configmaps and coordination.k8s.io leases).',
    },
    messageLevels: { noBinding: 'warning' },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allowedNamespaces: {
          type: 'array',
          items: { type: 'string' },
          description: 'Namespaces where the tofu-controller chart creates the runner ServiceAccount (runner.serviceAccount.allowedNamespaces), when its HelmRelease is not linted.',
        },
      },
    },
    defaultOptions: { allowedNamespaces: [] },
    docs: {
      rationale:
        'tofu-controller runs each Terraform object\'s runner pod in the object\'s own namespace with `spec.serviceAccountName` (default `tf-runner`). The chart creates `tf-runner`, bound to ClusterRole `tf-runner-role`, only in `runner.serviceAccount.allowedNamespaces` (default `[flux-system]`) and the controller\'s namespace. A Terraform in any other namespace needs its own ServiceAccount, and a hand-written one needs a Role that grants what the runner does: Secrets (state, outputs, `varsFrom`), ConfigMaps (`varsFrom`) and `coordination.k8s.io` leases (state locking). Otherwise the runner pod is never created or fails on its first API call, visible only in the Terraform object\'s status. The rule reads the tofu-controller HelmRelease when it is linted (its `allowedNamespaces`), or the rule option; with neither, the chart-created account is not checked and a note says so.',
      incorrect: [
        { title: 'A Terraform in lotus-lake while the chart creates tf-runner only in flux-system', files: { 'clusters/flux-system.yaml': FLUX, 'apps/tofu-controller.yaml': CONTROLLER('flux-system'), 'apps/lotus-lake/terraform.yaml': TF } },
        { title: 'A hand-written runner Role without leases', files: { 'lotus-lake/terraform.yaml': TF, 'lotus-lake/runner.yaml': `${SA}---\n${ROLE('  - apiGroups: [""]\n    resources: [secrets, configmaps]\n    verbs: ["*"]\n')}` } },
      ],
      correct: [
        { title: 'The chart creates tf-runner in lotus-lake', files: { 'clusters/flux-system.yaml': FLUX, 'apps/tofu-controller.yaml': CONTROLLER('flux-system, lotus-lake'), 'apps/lotus-lake/terraform.yaml': TF } },
        { title: 'A hand-written ServiceAccount and a Role with what the runner needs', files: { 'lotus-lake/terraform.yaml': TF, 'lotus-lake/runner.yaml': `${SA}---\n${ROLE(FULL_RULES)}` } },
      ],
      whenNotToUse: 'When the runner accounts and their RBAC are created outside the linted repositories; list their namespaces in the allowedNamespaces option instead.',
    },
  },
  check(ctx) {
    const { model } = ctx;
    // Nothing to check without Terraform objects: no look at the HelmReleases either.
    if (model.flux.terraforms.length === 0) return;
    const settings = controllerSettings(model);
    const chartNamespaces = new Set([...ctx.options.allowedNamespaces, ...settings.flatMap((entry) => entry.runnerNamespaces ?? [])]);
    const chartAccounts = new Set(['tf-runner', ...settings.flatMap((entry) => (entry.runnerServiceAccount === undefined ? [] : [entry.runnerServiceAccount]))]);
    const unknownValues = settings.some((entry) => entry.runnerNamespaces === undefined);
    for (const terraform of model.flux.terraforms) {
      const resource = terraform.resource;
      const namespace = resource.appliedNamespace;
      if (namespace === undefined) continue;
      const account = asString(resource.get(['spec', 'serviceAccountName'])) ?? settings[0]?.runnerServiceAccount ?? 'tf-runner';
      const data = { account, namespace, terraform: describeObject(resource) };
      const written = model.find({ kind: 'ServiceAccount', name: account, namespace, group: '' });
      if (written.length === 0) {
        if (chartAccounts.has(account) && chartNamespaces.has(namespace)) continue;
        if (unknownValues || (settings.length === 0 && ctx.options.allowedNamespaces.length === 0)) {
          model.note({ message: `The runner ServiceAccount of ${data.terraform} was not checked: the tofu-controller installation (its HelmRelease values) is not known. Set the allowedNamespaces option of terraform-runner-permissions.`, file: resource.file.absPath });
          continue;
        }
        const gap = model.flux.gap(resource, namespace);
        if (gap) {
          model.note({ message: gap, file: resource.file.absPath });
          continue;
        }
        const advice = chartAccounts.has(account)
          ? `the tofu-controller chart creates ${account} only in ${[...chartNamespaces].sort().join(', ')}: add ${namespace} to runner.serviceAccount.allowedNamespaces, or write the ServiceAccount with a Role for Secrets, ConfigMaps and leases`
          : 'create the ServiceAccount with a Role for Secrets, ConfigMaps and leases, or fix spec.serviceAccountName';
        const path = resource.get(['spec', 'serviceAccountName']) === undefined ? ['spec'] : ['spec', 'serviceAccountName'];
        ctx.report({ resource, path, key: path.length === 1, messageId: 'missingServiceAccount', data: { ...data, advice } });
        continue;
      }
      // A hand-written account: what its bindings grant.
      const bindings = [...model.ofKind('RoleBinding', RBAC_GROUP).filter((binding) => binding.appliedNamespace === namespace), ...model.ofKind('ClusterRoleBinding', RBAC_GROUP)].filter((binding) =>
        asArray(binding.get(['subjects'])).some((raw) => {
          const subject = asRecord(raw);
          return subject?.kind === 'ServiceAccount' && subject.name === account && (asString(subject.namespace) ?? binding.appliedNamespace) === namespace;
        }),
      );
      if (bindings.length === 0) {
        if (chartAccounts.has(account) && chartNamespaces.has(namespace)) continue;
        ctx.report({ resource: written[0] as Resource, path: ['metadata', 'name'], messageId: 'noBinding', data });
        continue;
      }
      const roles: Resource[] = [];
      let opaque = false;
      for (const binding of bindings) {
        const kind = asString(binding.get(['roleRef', 'kind']));
        const name = asString(binding.get(['roleRef', 'name']));
        if (name === undefined) continue;
        // The chart's own ClusterRole grants everything the runner needs.
        if (kind === 'ClusterRole' && name === 'tf-runner-role') {
          opaque = true;
          continue;
        }
        const found = kind === 'Role' ? model.find({ kind: 'Role', name, namespace, group: RBAC_GROUP }) : model.find({ kind: 'ClusterRole', name, group: RBAC_GROUP });
        if (found.length === 0) opaque = true;
        roles.push(...found);
      }
      if (opaque || roles.length === 0) continue;
      const rules = roles.flatMap((role) => asArray(role.get(['rules'])));
      const missing = NEEDS.map((need) => ({ need, verbs: grants(rules, need) })).filter((entry) => entry.verbs.length > 0);
      if (missing.length === 0) continue;
      const text = missing.map(({ need, verbs }) => `${verbs.join('/')} on ${need.group === '' ? '' : `${need.group} `}${need.resource} (${need.why})`).join(', ');
      const role = roles[0] as Resource;
      ctx.report({ resource: role, path: ['rules'], key: true, messageId: 'missingPermissions', data: { ...data, role: `${role.kind} ${role.name}`, missing: text } });
    }
  },
});
