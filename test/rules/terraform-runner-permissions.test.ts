import rule from '../../rules/terraform-runner-permissions.js';
import { RuleTester, yaml } from '../../src/testing/index.js';
import { MODULE, SOURCE, terraformObject } from '../terraform/fixtures.js';

const flux = yaml`
  apiVersion: source.toolkit.fluxcd.io/v1
  kind: GitRepository
  metadata:
    name: flux-system
    namespace: flux-system
  spec:
    interval: 1m
    url: ssh://git@github.com/matta-kelly/h-kube
  ---
  apiVersion: kustomize.toolkit.fluxcd.io/v1
  kind: Kustomization
  metadata:
    name: cluster
    namespace: flux-system
  spec:
    interval: 10m
    prune: true
    path: ./cluster
    sourceRef:
      kind: GitRepository
      name: flux-system
`;

const controller = (namespaces: string) => yaml`
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata:
    name: tofu-controller
    namespace: flux-system
  spec:
    interval: 1h
    chart:
      spec:
        chart: tofu-controller
        version: "0.16.5"
        sourceRef:
          kind: HelmRepository
          name: tofu-controller
    values:
      runner:
        serviceAccount:
          allowedNamespaces: [${namespaces}]
`;

const serviceAccount = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: tf-runner\n  namespace: lotus-lake\n';
const role = (rules: string) =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: tf-runner\n  namespace: lotus-lake\nrules:\n${rules}\n---\n` +
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: tf-runner\n  namespace: lotus-lake\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: tf-runner\nsubjects:\n  - kind: ServiceAccount\n    name: tf-runner\n    namespace: lotus-lake\n';
const secretsAndConfigMaps = '  - apiGroups: [""]\n    resources: [secrets, configmaps]\n    verbs: ["*"]';
const leases = '  - apiGroups: [coordination.k8s.io]\n    resources: [leases]\n    verbs: [get, create, update, delete]';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'the chart creates tf-runner in the Terraform namespace (the seed layout, two repos)',
      roots: {
        'h-kube': { 'clusters/flux.yaml': flux, 'cluster/tofu-controller.yaml': controller('flux-system, lotus-lake'), 'cluster/lotus-lake/terraform.yaml': `${SOURCE}---\n${terraformObject()}` },
        'lotus-lake': { [`${MODULE}/main.tf`]: 'locals {}\n' },
      },
    },
    {
      name: 'a hand-written ServiceAccount with a Role that grants what the runner needs',
      files: { 'clusters/flux.yaml': flux, 'cluster/tofu-controller.yaml': controller('flux-system'), 'cluster/lotus-lake/terraform.yaml': terraformObject(), 'cluster/lotus-lake/runner.yaml': `${serviceAccount}---\n${role(`${secretsAndConfigMaps}\n${leases}`)}` },
    },
    {
      name: 'the controller installation is not linted: a note, no finding',
      files: { 'clusters/flux.yaml': flux, 'cluster/lotus-lake/terraform.yaml': terraformObject() },
    },
  ],
  invalid: [
    {
      name: 'two repos: a missing tf-runner ServiceAccount (the chart creates it only in flux-system)',
      roots: {
        'h-kube': { 'clusters/flux.yaml': flux, 'cluster/tofu-controller.yaml': controller('flux-system'), 'cluster/lotus-lake/terraform.yaml': `${SOURCE}---\n${terraformObject()}` },
        'lotus-lake': { [`${MODULE}/main.tf`]: 'locals {}\n' },
      },
      errors: [
        {
          messageId: 'missingServiceAccount',
          data: {
            account: 'tf-runner', namespace: 'lotus-lake', terraform: 'Terraform lotus-lake/lotus-lake-airbyte',
            advice: 'the tofu-controller chart creates tf-runner only in flux-system: add lotus-lake to runner.serviceAccount.allowedNamespaces, or write the ServiceAccount with a Role for Secrets, ConfigMaps and leases',
          },
          root: 'h-kube', file: 'cluster/lotus-lake/terraform.yaml', line: 15, column: 1, endLine: 15, endColumn: 5,
        },
      ],
    },
    {
      name: 'a hand-written runner Role without leases, and a serviceAccountName that does not exist',
      files: {
        'clusters/flux.yaml': flux,
        'cluster/tofu-controller.yaml': controller('flux-system'),
        'cluster/lotus-lake/terraform.yaml': `${terraformObject()}---\n${terraformObject('  serviceAccountName: airbyte-runner\n').replace('name: lotus-lake-airbyte', 'name: second')}`,
        'cluster/lotus-lake/runner.yaml': `${serviceAccount}---\n${role(secretsAndConfigMaps)}`,
      },
      errors: [
        {
          messageId: 'missingPermissions',
          data: { account: 'tf-runner', namespace: 'lotus-lake', terraform: 'Terraform lotus-lake/lotus-lake-airbyte', role: 'Role tf-runner', missing: 'get/create/update/delete on coordination.k8s.io leases (state locking)' },
          file: 'cluster/lotus-lake/runner.yaml', line: 12, column: 1, endLine: 12, endColumn: 6,
        },
        {
          messageId: 'missingServiceAccount',
          data: { account: 'airbyte-runner', namespace: 'lotus-lake', terraform: 'Terraform lotus-lake/second', advice: 'create the ServiceAccount with a Role for Secrets, ConfigMaps and leases, or fix spec.serviceAccountName' },
          file: 'cluster/lotus-lake/terraform.yaml', line: 26, column: 23, endLine: 26, endColumn: 37,
        },
      ],
    },
  ],
});
