import rule from '../../rules/flux-api-version.js';
import { RuleTester, yaml } from '../../src/testing/index.js';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'current Flux versions',
      files: {
        'clusters/flux.yaml': yaml`
          apiVersion: source.toolkit.fluxcd.io/v1
          kind: GitRepository
          metadata:
            name: flux-system
          spec:
            interval: 1m
            url: ssh://git@github.com/matta-kelly/h-kube
          ---
          apiVersion: kustomize.toolkit.fluxcd.io/v1
          kind: Kustomization
          metadata:
            name: apps
          spec:
            interval: 10m
            prune: true
            sourceRef:
              apiVersion: source.toolkit.fluxcd.io/v1
              kind: GitRepository
              name: flux-system
        `,
      },
    },
    {
      name: 'kustomize config and other APIs keep their beta versions',
      files: {
        'deploy/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n',
        'deploy/alert.yaml': 'apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Alert\nmetadata:\n  name: slack\n',
        'deploy/hpa.yaml': 'apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\n',
      },
    },
  ],
  invalid: [
    {
      name: 'HelmRelease on v2beta1',
      files: {
        'infrastructure/tofu-controller.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2beta1
          kind: HelmRelease
          metadata:
            name: tofu-controller
            namespace: flux-system
          spec:
            interval: 1h
            chart:
              spec:
                chart: tofu-controller
                sourceRef:
                  kind: HelmRepository
                  name: tofu-controller
        `,
      },
      errors: [
        {
          messageId: 'removed',
          data: { apiVersion: 'helm.toolkit.fluxcd.io/v2beta1', removedIn: 'Flux 2.7', kind: 'HelmRelease', replacement: 'helm.toolkit.fluxcd.io/v2' },
          file: 'infrastructure/tofu-controller.yaml', line: 1, column: 13, endLine: 1, endColumn: 43,
        },
      ],
    },
    {
      name: 'v1beta2 source and Kustomization, and a reference asking for v1beta2',
      files: {
        'clusters/apps.yaml': yaml`
          apiVersion: source.toolkit.fluxcd.io/v1beta2
          kind: GitRepository
          metadata:
            name: flux-system
          spec:
            interval: 1m
            url: ssh://git@github.com/matta-kelly/h-kube
          ---
          # Migrated by hand, but the reference still names the old source API.
          apiVersion: "kustomize.toolkit.fluxcd.io/v1beta1"
          kind: Kustomization
          metadata:
            name: apps
          spec:
            interval: 10m
            prune: true
            sourceRef: {apiVersion: source.toolkit.fluxcd.io/v1beta2, kind: GitRepository, name: flux-system}
        `,
      },
      errors: [
        {
          messageId: 'removed',
          data: { apiVersion: 'source.toolkit.fluxcd.io/v1beta2', removedIn: 'Flux 2.8', kind: 'GitRepository', replacement: 'source.toolkit.fluxcd.io/v1' },
          file: 'clusters/apps.yaml', line: 1, column: 13, endLine: 1, endColumn: 45,
        },
        {
          messageId: 'removed',
          data: { apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta1', removedIn: 'Flux 2.7', kind: 'Kustomization', replacement: 'kustomize.toolkit.fluxcd.io/v1' },
          file: 'clusters/apps.yaml', line: 10, column: 13, endLine: 10, endColumn: 50,
        },
        {
          messageId: 'removedInReference',
          data: { apiVersion: 'source.toolkit.fluxcd.io/v1beta2', removedIn: 'Flux 2.8', kind: 'GitRepository', replacement: 'source.toolkit.fluxcd.io/v1' },
          file: 'clusters/apps.yaml', line: 17, column: 27, endLine: 17, endColumn: 59,
        },
      ],
    },
  ],
});
