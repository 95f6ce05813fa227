import rule from '../../rules/kustomize-unreferenced-manifest.js';
import { RuleTester, yaml } from '../../src/testing/index.js';

const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: lotus-lake\n';
const networkPolicy = yaml`
  # Mistake: not listed in kustomization.yaml next to it, so Flux never applies it.
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    name: default-deny-ingress
    namespace: lotus-lake
  spec:
    podSelector: {}
`;

/** A Flux Kustomization file (a `ks.yaml`) for an app, using the flux-system source. */
const ks = (name: string, path: string) => yaml`
  apiVersion: kustomize.toolkit.fluxcd.io/v1
  kind: Kustomization
  metadata:
    name: ${name}
    namespace: flux-system
  spec:
    interval: 10m
    path: ${path}
    prune: true
    sourceRef:
      kind: GitRepository
      name: flux-system
`;

const fluxSystem = (path: string, ignore = '') => yaml`
  apiVersion: source.toolkit.fluxcd.io/v1
  kind: GitRepository
  metadata:
    name: flux-system
    namespace: flux-system
  spec:
    interval: 1m
    url: ssh://git@github.com/matta-kelly/h-kube${ignore}
  ---
  apiVersion: kustomize.toolkit.fluxcd.io/v1
  kind: Kustomization
  metadata:
    name: flux-system
    namespace: flux-system
  spec:
    interval: 10m
    prune: true
    path: ${path}
    sourceRef:
      kind: GitRepository
      name: flux-system
`;

new RuleTester().run(rule, {
  valid: [
    {
      name: 'every manifest listed, loose examples in a plain folder, and a patch file',
      files: {
        'cluster/namespaces/lotus-lake/kustomization.yaml': 'resources:\n  - namespace.yaml\n  - policies/\npatches:\n  - path: namespace-labels.yaml\n',
        'cluster/namespaces/lotus-lake/namespace.yaml': namespace,
        'cluster/namespaces/lotus-lake/namespace-labels.yaml': namespace,
        'cluster/namespaces/lotus-lake/policies/kustomization.yaml': 'resources:\n  - network-policy.yaml\n',
        'cluster/namespaces/lotus-lake/policies/network-policy.yaml': networkPolicy,
        'docs/examples/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: example\n',
      },
    },
    {
      name: 'a Flux path without kustomization.yaml applies everything below it',
      files: {
        'clusters/homelab/flux-system.yaml': fluxSystem('./clusters/homelab'),
        'clusters/homelab/namespace.yaml': namespace,
        'clusters/homelab/policies/network-policy.yaml': networkPolicy,
      },
    },
    {
      name: 'a file under a Flux path that the source ignores is not in the artifact at all',
      files: {
        'clusters/homelab/flux-system.yaml': fluxSystem('./cluster', '\n    ignore: |\n      /cluster/drafts/'),
        'cluster/kustomization.yaml': 'resources:\n  - namespace.yaml\n',
        'cluster/namespace.yaml': namespace,
        'cluster/drafts/quota.yaml': 'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: quota\n',
      },
    },
    {
      name: 'every ks.yaml is included by the build of the cluster entry point',
      files: {
        'clusters/homelab/flux-system.yaml': fluxSystem('./apps'),
        'apps/kustomization.yaml': 'resources:\n  - dagster/ks.yaml\n',
        'apps/dagster/ks.yaml': ks('dagster', './apps/dagster/app'),
        'apps/dagster/app/namespace.yaml': namespace,
      },
    },
    {
      name: 'a patch that targets a Flux Kustomization is a kustomize input, not a ks.yaml that is never applied',
      files: {
        'clusters/homelab/flux-system.yaml': fluxSystem('./tenants/production'),
        'tenants/base/ks.yaml': ks('dev-team', './apps'),
        'tenants/base/kustomization.yaml': 'resources:\n  - ks.yaml\n',
        'tenants/production/kustomization.yaml': 'resources:\n  - ../base\npatches:\n  - path: dev-team-patch.yaml\n',
        'tenants/production/dev-team-patch.yaml': ks('dev-team', './apps/production'),
        'tenants/staging/dev-team-patch.yaml': ks('dev-team', './apps/staging'),
        'tenants/staging/kustomization.yaml': 'resources:\n  - ../base\npatches:\n  - path: dev-team-patch.yaml\n',
      },
    },
    {
      name: 'a ks.yaml in a repo whose cluster a FluxInstance syncs from outside git is not judged',
      files: {
        'clusters/homelab/flux-system.yaml': fluxSystem('./apps'),
        'clusters/homelab/flux-instance.yaml': 'apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\nmetadata:\n  name: flux\n  namespace: flux-system\nspec:\n  distribution:\n    version: 2.x\n  sync:\n    kind: GitRepository\n    url: https://github.com/matta-kelly/h-kube\n    ref: refs/heads/main\n    path: clusters/staging\n',
        'apps/kustomization.yaml': 'resources:\n  - namespace.yaml\n',
        'apps/namespace.yaml': namespace,
        'staging/ks.yaml': ks('dagster', './apps'),
      },
    },
    {
      name: 'an empty kustomization.yaml at the path of a Flux Kustomization, and an explicit empty resources list',
      files: {
        'clusters/homelab/flux-system.yaml': fluxSystem('./cluster'),
        'cluster/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n',
        'base/kustomization.yaml': 'resources:\n  - placeholder\n',
        'base/placeholder/kustomization.yaml': 'resources: []\n',
      },
    },
  ],
  invalid: [
    {
      name: 'a NetworkPolicy next to a kustomization.yaml that does not list it',
      files: {
        'cluster/namespaces/lotus-lake/kustomization.yaml': 'resources:\n  - namespace.yaml\n',
        'cluster/namespaces/lotus-lake/namespace.yaml': namespace,
        'cluster/namespaces/lotus-lake/network-policy.yaml': networkPolicy,
      },
      errors: [
        {
          messageId: 'notListed',
          data: { kustomizationFile: 'kustomization.yaml', objects: 'NetworkPolicy lotus-lake/default-deny-ingress' },
          file: 'cluster/namespaces/lotus-lake/network-policy.yaml', line: 1, column: 1, endLine: 1, endColumn: 2,
        },
      ],
    },
    {
      name: 'files under a Flux path that its build never reaches: a folder without kustomization.yaml, and JSON',
      files: {
        'clusters/homelab/flux-system.yaml': fluxSystem('./cluster'),
        'cluster/kustomization.yaml': 'resources:\n  - namespace.yaml\n',
        'cluster/namespace.yaml': namespace,
        'cluster/policies/network-policy.yaml': networkPolicy,
        'cluster/policies/quota.json': '{"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "quota"}}\n',
      },
      errors: [
        {
          messageId: 'notApplied',
          data: { file: 'cluster/policies/network-policy.yaml', objects: 'NetworkPolicy lotus-lake/default-deny-ingress', path: './cluster', kustomization: 'flux-system/flux-system' },
          file: 'cluster/policies/network-policy.yaml', line: 1, column: 1, endLine: 1, endColumn: 2,
        },
        {
          messageId: 'notApplied',
          data: { file: 'cluster/policies/quota.json', objects: 'ResourceQuota quota', path: './cluster', kustomization: 'flux-system/flux-system' },
          file: 'cluster/policies/quota.json', line: 1, column: 1, endLine: 1, endColumn: 77,
        },
      ],
    },
    {
      name: 'a manifest in the app repo under the path the cluster repo applies, left out of its kustomization',
      roots: {
        'h-kube': {
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
        },
        'lotus-lake': {
          'deploy/kustomization.yaml': 'resources:\n  - dagster/\n',
          'deploy/dagster/kustomization.yaml': 'resources:\n  - release.yaml\n',
          'deploy/dagster/release.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: release\n',
          'deploy/tools/pgweb.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: pgweb\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: pgweb\n',
        },
      },
      errors: [
        {
          messageId: 'notApplied',
          data: { file: 'deploy/tools/pgweb.yaml', objects: 'Deployment pgweb and 1 more', path: './deploy', kustomization: 'lotus-lake/lotus-lake-deploy' },
          root: 'lotus-lake', file: 'deploy/tools/pgweb.yaml', line: 1, column: 1, endLine: 1, endColumn: 20,
        },
      ],
    },
    {
      name: 'a ks.yaml that no build includes is never applied',
      files: {
        // Bootstrapped: flux-system applies its own folder, which applies ./apps.
        'clusters/homelab/flux-system.yaml': fluxSystem('./clusters/homelab'),
        'clusters/homelab/apps.yaml': ks('apps', './apps'),
        'apps/kustomization.yaml': 'resources:\n  - dagster/ks.yaml\n',
        'apps/dagster/ks.yaml': ks('dagster', './apps/dagster/app'),
        'apps/dagster/app/namespace.yaml': namespace,
        'staging/cube/ks.yaml': ks('cube', './apps/dagster/app'),
      },
      errors: [
        {
          messageId: 'neverApplied',
          data: { objects: 'Kustomization flux-system/cube' },
          file: 'staging/cube/ks.yaml', line: 1, column: 1, endLine: 1, endColumn: 43,
        },
      ],
    },
    {
      name: 'an empty kustomization.yaml in a folder another kustomization includes',
      files: {
        'cluster/kustomization.yaml': 'resources:\n  - namespace.yaml\n  - policies\n',
        'cluster/namespace.yaml': namespace,
        'cluster/policies/kustomization.yaml': '# Policies come later.\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n',
      },
      errors: [
        {
          messageId: 'emptyKustomization',
          data: { includer: 'the build of cluster/kustomization.yaml (which includes this folder)' },
          file: 'cluster/policies/kustomization.yaml', line: 1, column: 1, endLine: 1, endColumn: 2,
        },
      ],
    },
    {
      name: 'an empty kustomization.yaml that the kustomization Flux generates for its path finds',
      files: {
        'clusters/homelab/flux-system.yaml': fluxSystem('./clusters/homelab'),
        'clusters/homelab/namespace.yaml': namespace,
        'clusters/homelab/apps/kustomization.yaml': '',
      },
      errors: [
        {
          messageId: 'emptyKustomization',
          data: { includer: 'the build of Kustomization flux-system/flux-system (which scans this folder)' },
          file: 'clusters/homelab/apps/kustomization.yaml', line: 1, column: 1, endLine: 1, endColumn: 1,
        },
      ],
    },
  ],
});
