import rule from '../../rules/flux-source-ref.js';
import { RuleTester, yaml } from '../../src/testing/index.js';

/** h-kube: the app repo's GitRepository and the Kustomization that applies ./deploy into lotus-lake. */
const clusterRepo = {
  'cluster/infrastructure/repositories.yaml': yaml`
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: HelmRepository
    metadata:
      name: bjw-s
      namespace: flux-system
    spec:
      interval: 12h
      url: https://bjw-s-labs.github.io/helm-charts
  `,
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

const dagsterRepository = (namespace: string) => yaml`
  apiVersion: source.toolkit.fluxcd.io/v1
  kind: HelmRepository
  metadata:
    name: dagster
    namespace: ${namespace}
  spec:
    interval: 12h
    url: https://dagster-io.github.io/helm
`;

const dagsterRelease = (sourceRef: string) => yaml`
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata:
    name: dagster
  spec:
    interval: 30m
    chart:
      spec:
        chart: dagster
        version: "1.9.11"
        sourceRef: ${sourceRef}
`;

const cubeRelease = (sourceRef: string) => yaml`
  # Cube.js semantic layer over DuckLake.
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata:
    name: cube
  spec:
    interval: 30m
    chart:
      spec:
        chart: app-template
        sourceRef: ${sourceRef}
`;

new RuleTester().run(rule, {
  valid: [
    {
      name: 'a chart sourceRef without namespace follows its HelmRepository when targetNamespace moves both',
      roots: {
        'lotus-lake': {
          'deploy/kustomization.yaml': 'resources:\n  - repository.yaml\n  - release.yaml\n',
          'deploy/repository.yaml': dagsterRepository('dagster'),
          'deploy/release.yaml': dagsterRelease('{kind: HelmRepository, name: dagster}'),
        },
        'h-kube': clusterRepo,
      },
    },
    {
      name: 'an explicit namespace reaches the shared HelmRepository of the cluster repo',
      roots: { 'lotus-lake': { 'deploy/cube.yaml': cubeRelease('{kind: HelmRepository, name: bjw-s, namespace: flux-system}') }, 'h-kube': clusterRepo },
    },
    {
      name: 'the app repo linted alone: a source that lives in the cluster repo is not reported',
      files: { 'deploy/cube.yaml': cubeRelease('{kind: HelmRepository, name: bjw-s, namespace: flux-system}') },
    },
    {
      name: 'the app repo linted alone: its own HelmRepository written in flux-system still resolves',
      files: {
        'deploy/kustomization.yaml': 'resources:\n  - repository.yaml\n  - release.yaml\n',
        'deploy/repository.yaml': dagsterRepository('flux-system'),
        'deploy/release.yaml': dagsterRelease('{kind: HelmRepository, name: dagster, namespace: flux-system}'),
      },
    },
    {
      name: 'the cluster repo linted alone: the Kustomization source resolves in its own namespace',
      files: clusterRepo,
    },
    {
      name: 'chartRef to an OCIRepository, and an ExternalArtifact made by another controller',
      files: {
        'flux.yaml': yaml`
          apiVersion: kustomize.toolkit.fluxcd.io/v1
          kind: Kustomization
          metadata:
            name: generated
            namespace: apps
          spec:
            interval: 10m
            prune: true
            sourceRef:
              kind: ExternalArtifact
              name: rendered
          ---
          apiVersion: source.toolkit.fluxcd.io/v1
          kind: OCIRepository
          metadata:
            name: podinfo
            namespace: apps
          spec:
            interval: 10m
            url: oci://ghcr.io/stefanprodan/charts/podinfo
          ---
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: podinfo
            namespace: apps
          spec:
            interval: 10m
            chartRef:
              kind: OCIRepository
              name: podinfo
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'the chart sourceRef breaks only because targetNamespace moved the HelmRepository',
      roots: {
        'lotus-lake': {
          'deploy/kustomization.yaml': 'resources:\n  - repository.yaml\n  - release.yaml\n',
          'deploy/repository.yaml': dagsterRepository('flux-system'),
          'deploy/release.yaml': dagsterRelease('{kind: HelmRepository, name: dagster, namespace: flux-system}'),
        },
        'h-kube': clusterRepo,
      },
      errors: [
        {
          messageId: 'movedByTargetNamespace',
          data: { kind: 'HelmRepository', name: 'dagster', found: 'lotus-lake', kustomization: 'lotus-lake/lotus-lake-deploy', namespace: 'flux-system', referrer: 'HelmRelease lotus-lake/dagster' },
          root: 'lotus-lake', file: 'deploy/release.yaml', line: 11, column: 67, endLine: 11, endColumn: 78,
        },
      ],
    },
    {
      name: 'a chart sourceRef without namespace looks in the release namespace, not in flux-system',
      roots: { 'lotus-lake': { 'deploy/cube.yaml': cubeRelease('{kind: HelmRepository, name: bjw-s}') }, 'h-kube': clusterRepo },
      errors: [
        {
          messageId: 'defaultNamespace',
          data: { kind: 'HelmRepository', name: 'bjw-s', found: 'flux-system', namespace: 'lotus-lake', referrer: 'HelmRelease lotus-lake/cube' },
          root: 'lotus-lake', file: 'deploy/cube.yaml', line: 11, column: 47, endLine: 11, endColumn: 52,
        },
      ],
    },
    {
      name: 'a Kustomization whose GitRepository is misspelt',
      files: {
        'clusters/homelab/apps.yaml': yaml`
          apiVersion: source.toolkit.fluxcd.io/v1
          kind: GitRepository
          metadata:
            name: lotus-lake
            namespace: flux-system
          spec:
            interval: 5m
            url: https://github.com/matta-kelly/lotus-lake
          ---
          apiVersion: kustomize.toolkit.fluxcd.io/v1
          kind: Kustomization
          metadata:
            name: apps
            namespace: flux-system
          spec:
            interval: 10m
            prune: true
            sourceRef:
              kind: GitRepository
              name: lotus_lake
        `,
      },
      errors: [
        {
          messageId: 'missing',
          data: { kind: 'GitRepository', name: 'lotus_lake', where: 'namespace flux-system', referrer: 'Kustomization flux-system/apps' },
          file: 'clusters/homelab/apps.yaml', line: 20, column: 11, endLine: 20, endColumn: 21,
        },
      ],
    },
    {
      name: 'a Terraform naming the namespace its GitRepository is not in, and a Kustomization with a source of the wrong kind',
      files: {
        'namespaces/lotus-lake.yaml': yaml`
          apiVersion: source.toolkit.fluxcd.io/v1
          kind: GitRepository
          metadata:
            name: lotus-lake
            namespace: lotus-lake
          spec:
            interval: 5m
            url: https://github.com/matta-kelly/lotus-lake
          ---
          apiVersion: infra.contrib.fluxcd.io/v1alpha2
          kind: Terraform
          metadata:
            name: lotus-lake-airbyte
            namespace: lotus-lake
          spec:
            interval: 10m
            path: ./orchestration/airbyte/terraform
            sourceRef:
              kind: GitRepository
              name: lotus-lake
              namespace: flux-system
          ---
          apiVersion: kustomize.toolkit.fluxcd.io/v1
          kind: Kustomization
          metadata:
            name: lotus-lake-deploy
            namespace: lotus-lake
          spec:
            interval: 10m
            prune: true
            sourceRef:
              kind: OCIRepository
              name: lotus-lake
          ---
          apiVersion: kustomize.toolkit.fluxcd.io/v1
          kind: Kustomization
          metadata:
            name: charts
            namespace: lotus-lake
          spec:
            interval: 10m
            prune: true
            sourceRef: {kind: HelmRepository, name: lotus-lake}
        `,
      },
      errors: [
        {
          messageId: 'otherNamespace',
          data: { kind: 'GitRepository', name: 'lotus-lake', found: 'lotus-lake', namespace: 'flux-system', referrer: 'Terraform lotus-lake/lotus-lake-airbyte' },
          file: 'namespaces/lotus-lake.yaml', line: 21, column: 16, endLine: 21, endColumn: 27,
        },
        {
          messageId: 'wrongKind',
          data: { kind: 'OCIRepository', name: 'lotus-lake', where: 'namespace lotus-lake', found: 'GitRepository' },
          file: 'namespaces/lotus-lake.yaml', line: 32, column: 11, endLine: 32, endColumn: 24,
        },
        {
          messageId: 'invalidKind',
          data: { referrer: 'Kustomization', kind: 'HelmRepository', field: 'spec.sourceRef', accepted: 'GitRepository, OCIRepository, Bucket, ExternalArtifact' },
          file: 'namespaces/lotus-lake.yaml', line: 43, column: 21, endLine: 43, endColumn: 35,
        },
      ],
    },
  ],
});
