import rule from '../../rules/flux-path-exists.js';
import { RuleTester, yaml } from '../../src/testing/index.js';

const terraform = (path: string) => yaml`
  # Airbyte configuration from lotus-lake, applied by tofu-controller.
  apiVersion: infra.contrib.fluxcd.io/v1alpha2
  kind: Terraform
  metadata:
    name: lotus-lake-airbyte
    namespace: lotus-lake
  spec:
    interval: 10m
    approvePlan: auto
    path: ${path}
    sourceRef:
      kind: GitRepository
      name: lotus-lake
`;

const lotusLakeSource = yaml`
  apiVersion: source.toolkit.fluxcd.io/v1
  kind: GitRepository
  metadata:
    name: lotus-lake
    namespace: lotus-lake
  spec:
    interval: 5m
    url: https://github.com/matta-kelly/lotus-lake
`;

const appRepo = {
  'orchestration/airbyte/terraform/connections.tf': 'resource "airbyte_connection" "shopify" {}\n',
  'orchestration/airbyte/terraform/variables.tf': 'variable "airbyte_client_id" {}\n',
  'orchestration/airbyte/README.md': '# Airbyte\n',
  'deploy/kustomization.yaml': 'resources:\n  - release.yaml\n',
  'deploy/release.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: release\n',
};

const fluxSystem = (ignore = '') => yaml`
  apiVersion: source.toolkit.fluxcd.io/v1
  kind: GitRepository
  metadata:
    name: flux-system
    namespace: flux-system
  spec:
    interval: 1m
    url: ssh://git@github.com/matta-kelly/h-kube${ignore}
`;

const kustomization = (name: string, path: string, extra = '') => yaml`
  apiVersion: kustomize.toolkit.fluxcd.io/v1
  kind: Kustomization
  metadata:
    name: ${name}
    namespace: flux-system
  spec:
    interval: 10m
    prune: true
    path: ${path}
    sourceRef:
      kind: GitRepository
      name: flux-system${extra}
`;

const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-vars\n  namespace: flux-system\ndata:\n  CLUSTER_NAME: homelab\n';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'the Terraform module folder exists in the app repo',
      roots: { 'h-kube': { 'namespaces/lotus-lake.yaml': lotusLakeSource + '---\n' + terraform('./orchestration/airbyte/terraform') }, 'lotus-lake': appRepo },
    },
    {
      name: 'the cluster repo linted alone: paths in the app repo are not checked',
      files: { 'namespaces/lotus-lake.yaml': lotusLakeSource + '---\n' + terraform('./orchestration/airbyte/tf') },
    },
    {
      name: 'a path with kustomization.yaml may hold other YAML, and one without excludes .sops.yaml and .github by default',
      files: {
        'clusters/homelab/flux-system.yaml': fluxSystem() + '---\n' + kustomization('flux-system', './clusters/homelab') + '---\n' + kustomization('apps', './apps'),
        'clusters/homelab/cluster-vars.yaml': configMap,
        'clusters/homelab/.sops.yaml': 'creation_rules:\n  - encrypted_regex: ^(data|stringData)$\n',
        'clusters/homelab/.github/dependabot.yml': 'version: 2\n',
        'apps/kustomization.yaml': 'resources:\n  - podinfo.yaml\n',
        'apps/podinfo.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: podinfo\n',
        'apps/values.yaml': 'replicaCount: 2\n',
      },
    },
    {
      name: 'components that exist, and missing ones that are allowed to be missing',
      files: {
        'clusters/flux.yaml':
          fluxSystem() + '---\n' + kustomization('apps', './apps', '\n    components:\n      - ../components/monitoring') + '---\n' + kustomization('optional', './apps', '\n    ignoreMissingComponents: true\n    components:\n      - ../components/absent'),
        'apps/kustomization.yaml': 'resources: []\n',
        'components/monitoring/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
      },
    },
  ],
  invalid: [
    {
      name: 'a Terraform path missing from the other repo',
      roots: { 'h-kube': { 'namespaces/lotus-lake.yaml': lotusLakeSource + '---\n' + terraform('./orchestration/airbyte/tf') }, 'lotus-lake': appRepo },
      errors: [
        {
          messageId: 'missing',
          data: { referrer: 'Terraform lotus-lake/lotus-lake-airbyte', path: './orchestration/airbyte/tf', repo: 'lotus-lake' },
          root: 'h-kube', file: 'namespaces/lotus-lake.yaml', line: 19, column: 9, endLine: 19, endColumn: 35,
        },
      ],
    },
    {
      name: 'Kustomization paths that are missing, a file, and outside the repository',
      files: {
        'clusters/homelab/flux-system.yaml': [fluxSystem(), kustomization('infrastructure', './cluster/infra'), kustomization('vars', 'clusters/homelab/flux-system.yaml'), kustomization('shared', '../shared')].join('---\n'),
      },
      errors: [
        {
          messageId: 'missing',
          data: { referrer: 'Kustomization flux-system/infrastructure', path: './cluster/infra', repo: 'repo' },
          file: 'clusters/homelab/flux-system.yaml', line: 18, column: 9, endLine: 18, endColumn: 24,
        },
        {
          messageId: 'notDirectory',
          data: { referrer: 'Kustomization flux-system/vars', path: 'clusters/homelab/flux-system.yaml', repo: 'repo' },
          file: 'clusters/homelab/flux-system.yaml', line: 31, column: 9, endLine: 31, endColumn: 42,
        },
        {
          messageId: 'outside',
          data: { referrer: 'Kustomization flux-system/shared', path: '../shared', repo: 'repo' },
          file: 'clusters/homelab/flux-system.yaml', line: 44, column: 9, endLine: 44, endColumn: 18,
        },
      ],
    },
    {
      name: 'a .sops.yaml that spec.ignore brings back, and a values file, in a path without kustomization.yaml',
      files: {
        'clusters/homelab/flux-system.yaml': fluxSystem('\n    ignore: |\n      /docs/') + '---\n' + kustomization('flux-system', './clusters/homelab'),
        'clusters/homelab/cluster-vars.yaml': configMap,
        'clusters/homelab/.sops.yaml': 'creation_rules:\n  - encrypted_regex: ^(data|stringData)$\n',
        'clusters/homelab/podinfo/values.yaml': 'replicaCount: 2\n',
        'docs/notes.yaml': 'todo: []\n',
      },
      errors: [
        {
          messageId: 'notKubernetes',
          data: { path: './clusters/homelab', repo: 'repo', file: 'clusters/homelab/.sops.yaml', referrer: 'Kustomization flux-system/flux-system' },
          file: 'clusters/homelab/flux-system.yaml', line: 20, column: 9, endLine: 20, endColumn: 27,
        },
        {
          messageId: 'notKubernetes',
          data: { path: './clusters/homelab', repo: 'repo', file: 'clusters/homelab/podinfo/values.yaml', referrer: 'Kustomization flux-system/flux-system' },
          file: 'clusters/homelab/flux-system.yaml', line: 20, column: 9, endLine: 20, endColumn: 27,
        },
      ],
    },
    {
      name: 'a Terraform folder without .tf files, and a missing component',
      roots: {
        'h-kube': {
          'namespaces/lotus-lake.yaml': lotusLakeSource + '---\n' + terraform('./orchestration/airbyte'),
          'clusters/flux.yaml': fluxSystem() + '---\n' + kustomization('apps', './apps', '\n    components:\n      - ../components/monitoring'),
          'apps/kustomization.yaml': 'resources: []\n',
        },
        'lotus-lake': appRepo,
      },
      errors: [
        {
          messageId: 'componentMissing',
          data: { referrer: 'Kustomization flux-system/apps', path: './apps', repo: 'h-kube', component: '../components/monitoring', target: 'components/monitoring' },
          root: 'h-kube', file: 'clusters/flux.yaml', line: 23, column: 7, endLine: 23, endColumn: 31,
        },
        {
          messageId: 'noTerraform',
          data: { referrer: 'Terraform lotus-lake/lotus-lake-airbyte', path: './orchestration/airbyte', repo: 'lotus-lake' },
          root: 'h-kube', file: 'namespaces/lotus-lake.yaml', line: 19, column: 9, endLine: 19, endColumn: 32,
        },
      ],
    },
  ],
});
