import rule from '../../rules/flux-depends-on.js';
import { RuleTester, yaml } from '../../src/testing/index.js';

const clusterRepo = {
  'cluster/namespaces/lotus-lake/deploy.yaml': yaml`
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: GitRepository
    metadata:
      name: lotus-lake
      namespace: lotus-lake
    spec:
      interval: 5m
      url: https://github.com/matta-kelly/lotus-lake
    ---
    apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata:
      name: lotus-lake-deploy
      namespace: lotus-lake
    spec:
      interval: 10m
      prune: true
      path: ./deploy
      targetNamespace: lotus-lake
      sourceRef:
        kind: GitRepository
        name: lotus-lake
  `,
};

const release = (name: string, dependsOn: string) => yaml`
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata:
    name: ${name}
  spec:
    interval: 30m
    dependsOn: ${dependsOn}
    chart:
      spec:
        chart: app-template
        sourceRef:
          kind: HelmRepository
          name: bjw-s
          namespace: flux-system
`;

const kustomization = (name: string, dependsOn: string) => yaml`
  apiVersion: kustomize.toolkit.fluxcd.io/v1
  kind: Kustomization
  metadata:
    name: ${name}
    namespace: flux-system
  spec:
    interval: 1h
    prune: true
    path: ./cluster/${name}
    sourceRef:
      kind: GitRepository
      name: flux-system
    dependsOn: ${dependsOn}
`;

const terraform = (name: string, dependsOn: string) => yaml`
  apiVersion: infra.contrib.fluxcd.io/v1alpha2
  kind: Terraform
  metadata:
    name: ${name}
    namespace: lotus-lake
  spec:
    interval: 10m
    sourceRef:
      kind: GitRepository
      name: lotus-lake
    dependsOn: ${dependsOn}
`;

new RuleTester().run(rule, {
  valid: [
    {
      name: 'releases moved together by targetNamespace depend on each other without a namespace',
      roots: {
        'lotus-lake': {
          'deploy/kustomization.yaml': 'resources:\n  - cube.yaml\n  - worker.yaml\n',
          'deploy/cube.yaml': release('cube', '[]'),
          'deploy/worker.yaml': release('cube-refresh-worker', '[{name: cube}]'),
        },
        'h-kube': clusterRepo,
      },
    },
    {
      name: 'Kustomizations in one namespace, and one in another named with its namespace',
      files: {
        'clusters/homelab/infrastructure.yaml': kustomization('infrastructure', '[]'),
        'clusters/homelab/namespaces.yaml': kustomization('namespaces', '[{name: infrastructure}, {name: cert-manager, namespace: cert-manager}]'),
        'clusters/homelab/cert-manager.yaml': kustomization('cert-manager', '[]').replace('namespace: flux-system', 'namespace: cert-manager'),
      },
    },
    {
      name: 'the app repo linted alone: a release that may be in the cluster repo is not reported',
      files: { 'deploy/worker.yaml': release('cube-refresh-worker', '[{name: cube-api}]') },
    },
    {
      name: 'Terraforms depend on Terraforms',
      files: {
        'namespaces/lotus-lake/airbyte.yaml': terraform('airbyte-workspace', '[]') + '---\n' + terraform('airbyte-connections', '[{name: airbyte-workspace}]'),
        'namespaces/lotus-lake/flux.yaml': kustomization('lotus-lake', '[]'),
      },
    },
  ],
  invalid: [
    {
      name: 'a dependsOn to a renamed release',
      roots: {
        'lotus-lake': {
          'deploy/kustomization.yaml': 'resources:\n  - cube.yaml\n  - worker.yaml\n',
          'deploy/cube.yaml': release('cube', '[]'),
          'deploy/worker.yaml': release('cube-refresh-worker', '\n    - name: cube-api'),
        },
        'h-kube': clusterRepo,
      },
      errors: [
        {
          messageId: 'missing',
          data: { referrer: 'HelmRelease lotus-lake/cube-refresh-worker', kind: 'HelmRelease', name: 'cube-api', where: 'namespace lotus-lake' },
          root: 'lotus-lake', file: 'deploy/worker.yaml', line: 8, column: 11, endLine: 8, endColumn: 19,
        },
      ],
    },
    {
      name: 'a cycle through three Kustomizations is reported once, and a self-dependency too',
      files: {
        'clusters/homelab/kustomizations.yaml': [
          kustomization('infrastructure', '[{name: apps}]'),
          kustomization('namespaces', '[{name: infrastructure}]'),
          kustomization('apps', '[{name: namespaces}]'),
          kustomization('monitoring', '[{name: monitoring}]'),
        ].join('---\n'),
      },
      errors: [
        {
          messageId: 'cycle',
          data: { cycle: 'flux-system/infrastructure → flux-system/apps → flux-system/namespaces → flux-system/infrastructure' },
          file: 'clusters/homelab/kustomizations.yaml', line: 13, column: 22, endLine: 13, endColumn: 26,
        },
        {
          messageId: 'cycle',
          data: { cycle: 'flux-system/monitoring → flux-system/monitoring' },
          file: 'clusters/homelab/kustomizations.yaml', line: 55, column: 22, endLine: 55, endColumn: 32,
        },
      ],
    },
    {
      name: 'entries looking in the wrong namespace, with and without a namespace written',
      files: {
        'clusters/homelab/infrastructure.yaml': kustomization('infrastructure', '[]'),
        'clusters/homelab/cert-manager.yaml': kustomization('cert-manager', '[{name: infrastructure, namespace: infra}]').replace('namespace: flux-system', 'namespace: cert-manager'),
        'clusters/homelab/namespaces.yaml': kustomization('namespaces', '[{name: cert-manager}]'),
      },
      errors: [
        {
          messageId: 'otherNamespace',
          data: { referrer: 'Kustomization cert-manager/cert-manager', kind: 'Kustomization', name: 'infrastructure', namespace: 'infra', found: 'flux-system' },
          file: 'clusters/homelab/cert-manager.yaml', line: 13, column: 49, endLine: 13, endColumn: 54,
        },
        {
          messageId: 'defaultNamespace',
          data: { referrer: 'Kustomization flux-system/namespaces', kind: 'Kustomization', name: 'cert-manager', namespace: 'flux-system', found: 'cert-manager' },
          file: 'clusters/homelab/namespaces.yaml', line: 13, column: 22, endLine: 13, endColumn: 34,
        },
      ],
    },
    {
      name: 'a Terraform waiting for a Terraform that does not exist',
      files: {
        'namespaces/lotus-lake/airbyte.yaml': terraform('airbyte-connections', '\n    - name: airbyte-workspace\n      namespace: lotus-lake'),
        'namespaces/lotus-lake/flux.yaml': kustomization('lotus-lake', '[]'),
      },
      errors: [
        {
          messageId: 'missing',
          data: { referrer: 'Terraform lotus-lake/airbyte-connections', kind: 'Terraform', name: 'airbyte-workspace', where: 'namespace lotus-lake' },
          file: 'namespaces/lotus-lake/airbyte.yaml', line: 12, column: 11, endLine: 12, endColumn: 28,
        },
      ],
    },
  ],
});
