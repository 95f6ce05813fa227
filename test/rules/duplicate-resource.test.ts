import rule from '../../rules/duplicate-resource.js';
import { describe, expect, it } from 'vitest';
import { lintExample, RuleTester, yaml } from '../../src/testing/index.js';

const cluster = (name: string, instances: number) => yaml`
  apiVersion: postgresql.cnpg.io/v1
  kind: Cluster
  metadata:
    name: ${name}
  spec:
    instances: ${instances}
    storage:
      size: 10Gi
`;

const configMap = (name: string, namespace: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ndata:\n  CLUSTER_NAME: homelab\n`;

const bootstrap = (env: string, extra = '') => yaml`
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
    name: flux-system
    namespace: flux-system
  spec:
    interval: 10m
    prune: true
    path: ./clusters/${env}
    sourceRef:
      kind: GitRepository
      name: flux-system
${extra}`;

const kustomization = (name: string, path: string) => yaml`
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
      name: flux-system
`;


/** Two apps that include one Component whose object is named ${APP}, each Kustomization setting APP. */
const sharedComponent = (first: string, second: string): Record<string, string> => ({
  'clusters/homelab/flux-system.yaml': bootstrap('homelab'),
  'clusters/homelab/apps.yaml':
    kustomization('atuin', './apps/atuin') + `  postBuild:\n    substitute:\n      APP: ${first}\n---\n` + kustomization('authelia', './apps/authelia') + `  postBuild:\n    substitute:\n      APP: ${second}\n`,
  'apps/atuin/kustomization.yaml': 'namespace: default\ncomponents:\n  - ../../components/volsync\n',
  'apps/authelia/kustomization.yaml': 'namespace: default\ncomponents:\n  - ../../components/volsync\n',
  'components/volsync/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - pvc.yaml\n',
  'components/volsync/pvc.yaml': 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: ${APP}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n',
});

new RuleTester().run(rule, {
  valid: [
    {
      name: 'a Component object named ${APP} in two apps whose Kustomizations set APP differently',
      files: sharedComponent('atuin', 'authelia'),
    },
    {
      name: 'one base in two overlays, and the same name for other kinds and namespaces',
      files: {
        'base/kustomization.yaml': 'resources:\n  - database.yaml\n  - vars.yaml\n',
        'base/database.yaml': cluster('dagster-db', 2),
        'base/vars.yaml': configMap('dagster-db', 'lotus-lake') + '---\n' + configMap('dagster-db', 'flux-system'),
        'overlays/staging/kustomization.yaml': 'resources:\n  - ../../base\n',
        'overlays/production/kustomization.yaml': 'resources:\n  - ../../base\n',
      },
    },
    {
      name: 'two clusters in one repo, each applying its own copy of an object',
      files: {
        'clusters/staging/flux-system.yaml': bootstrap('staging'),
        'clusters/staging/vars.yaml': configMap('cluster-vars', 'flux-system'),
        'clusters/production/flux-system.yaml': bootstrap('production'),
        'clusters/production/vars.yaml': configMap('cluster-vars', 'flux-system'),
      },
    },
    {
      name: 'one Component included by the kustomizations of two namespaces in one generated Flux build',
      files: {
        'clusters/prod/flux-system.yaml': bootstrap('prod') + '---\n' + kustomization('apps', './apps'),
        'apps/cert-manager/kustomization.yaml': 'namespace: cert-manager\ncomponents:\n  - ../../components/alerts\nresources:\n  - app.yaml\n',
        'apps/cert-manager/app.yaml': configMap('app', 'cert-manager'),
        'apps/network/kustomization.yaml': 'namespace: network\ncomponents:\n  - ../../components/alerts\nresources:\n  - app.yaml\n',
        'apps/network/app.yaml': configMap('app', 'network'),
        'components/alerts/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - alerts.yaml\n',
        'components/alerts/alerts.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alerts\ndata:\n  a: b\n',
      },
    },
  ],
  invalid: [
    {
      name: 'a Component object named ${APP} in two apps whose Kustomizations set the same APP',
      files: sharedComponent('atuin', 'atuin'),
      errors: [
        {
          messageId: 'appliedTwice',
          data: { object: 'PersistentVolumeClaim default/${APP}', first: 'flux-system/atuin', second: 'flux-system/authelia' },
          file: 'components/volsync/pvc.yaml', line: 4, column: 9, endLine: 4, endColumn: 15,
        },
      ],
    },
    {
      name: 'one Component listed twice by the same kustomization',
      files: {
        'apps/network/kustomization.yaml': 'namespace: network\ncomponents:\n  - ../../components/alerts\n  - ../../components/alerts/\n',
        'components/alerts/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - alerts.yaml\n',
        'components/alerts/alerts.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alerts\ndata:\n  a: b\n',
      },
      errors: [
        { messageId: 'includedTwice', data: { entry: '../../components/alerts/' }, file: 'apps/network/kustomization.yaml', line: 4, column: 5, endLine: 4, endColumn: 29 },
      ],
    },
    {
      name: 'a restore attempt with the name of the live cluster in the same build',
      files: {
        'deploy/dagster/kustomization.yaml': 'resources:\n  - database.yaml\n  - restore.yaml\n',
        'deploy/dagster/database.yaml': cluster('dagster-db', 2),
        'deploy/dagster/restore.yaml': '# A second Cluster named dagster-db, for a restore attempt.\n' + cluster('dagster-db', 1),
      },
      errors: [
        {
          messageId: 'duplicateInBuild',
          data: { object: 'Cluster dagster-db', other: 'deploy/dagster/database.yaml:4', build: 'the kustomize build of deploy/dagster/kustomization.yaml' },
          file: 'deploy/dagster/restore.yaml', line: 5, column: 9, endLine: 5, endColumn: 19,
        },
      ],
    },
    {
      name: 'a file listed twice and a folder reached twice',
      files: {
        'deploy/kustomization.yaml': 'resources:\n  - dagster\n  - cube.yaml\n  - ./cube.yaml\n  - dagster/\n',
        'deploy/cube.yaml': configMap('cube', 'lotus-lake'),
        'deploy/dagster/kustomization.yaml': 'resources:\n  - database.yaml\n',
        'deploy/dagster/database.yaml': cluster('dagster-db', 2),
      },
      errors: [
        { messageId: 'includedTwice', data: { entry: './cube.yaml' }, file: 'deploy/kustomization.yaml', line: 4, column: 5, endLine: 4, endColumn: 16 },
        { messageId: 'includedTwice', data: { entry: 'dagster/' }, file: 'deploy/kustomization.yaml', line: 5, column: 5, endLine: 5, endColumn: 13 },
      ],
    },
    {
      name: 'two Kustomizations of one cluster: one object in two files, and one file in two overlapping paths',
      files: {
        'clusters/homelab/flux-system.yaml': bootstrap('homelab'),
        'clusters/homelab/apps.yaml': kustomization('apps', './apps') + '---\n' + kustomization('everything', './apps/shared'),
        'clusters/homelab/vars.yaml': configMap('cluster-vars', 'flux-system'),
        'apps/vars.yaml': configMap('cluster-vars', 'flux-system'),
        'apps/shared/quota.yaml': 'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: quota\n  namespace: lotus-lake\n',
      },
      errors: [
        {
          messageId: 'appliedTwice',
          data: { object: 'ResourceQuota lotus-lake/quota', first: 'flux-system/apps', second: 'flux-system/everything' },
          file: 'apps/shared/quota.yaml', line: 4, column: 9, endLine: 4, endColumn: 14,
        },
        {
          messageId: 'duplicateInCluster',
          data: { object: 'ConfigMap flux-system/cluster-vars', other: 'clusters/homelab/vars.yaml:4', otherKustomization: 'flux-system/flux-system', kustomization: 'flux-system/apps' },
          file: 'apps/vars.yaml', line: 4, column: 9, endLine: 4, endColumn: 21,
        },
      ],
    },
    {
      name: 'two objects that only collide once targetNamespace moves them into one namespace',
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
          'deploy/dagster.yaml': configMap('settings', 'dagster'),
          'deploy/cube.yaml': configMap('settings', 'cube'),
        },
      },
      errors: [
        {
          messageId: 'duplicateInBuild',
          data: { object: 'ConfigMap lotus-lake/settings', other: 'deploy/cube.yaml:4', build: 'the build of Kustomization lotus-lake/lotus-lake-deploy' },
          root: 'lotus-lake', file: 'deploy/dagster.yaml', line: 4, column: 9, endLine: 4, endColumn: 17,
        },
      ],
    },
    {
      name: 'the message names the Flux Kustomization whose kustomization.yaml includes both copies, and the line of the other one',
      files: {
        'clusters/homelab/flux-system.yaml': bootstrap('homelab'),
        'clusters/homelab/apps.yaml': kustomization('apps', './apps'),
        'apps/kustomization.yaml': 'resources:\n  - settings.yaml\n  - more-settings.yaml\n',
        'apps/settings.yaml': `${configMap('other', 'lotus-lake')}---\n${configMap('settings', 'lotus-lake')}`,
        'apps/more-settings.yaml': configMap('settings', 'lotus-lake'),
      },
      errors: [
        {
          messageId: 'duplicateInBuild',
          data: { object: 'ConfigMap lotus-lake/settings', other: 'apps/settings.yaml:12', build: 'the build of Kustomization flux-system/apps (apps/kustomization.yaml)' },
          file: 'apps/more-settings.yaml', line: 4, column: 9, endLine: 4, endColumn: 17,
        },
      ],
    },
  ],
});

describe('duplicate-resource and remote clusters', () => {
  it('does not compare objects that Kustomizations with spec.kubeConfig apply to different clusters', async () => {
    const remote = (cluster: string) =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: tenants\n  namespace: ${cluster}\nspec:\n  interval: 10m\n  prune: true\n  path: ./deploy\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n    namespace: flux-system\n  kubeConfig:\n    secretRef:\n      name: cluster-kubeconfig\n`;
    const files = {
      'hub/flux-system.yaml':
        'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: ssh://git@github.com/acme/repo\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  path: ./hub\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
      'hub/production.yaml': remote('production'),
      'hub/staging.yaml': remote('staging'),
      'deploy/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: podinfo\n',
    };
    const result = await lintExample(rule, { files });
    expect(result.findings).toEqual([]);
    // Without kubeConfig both apply to the hub itself: the two builds overlap.
    const local = await lintExample(rule, { files: { ...files, 'hub/production.yaml': remote('production').replace(/ {2}kubeConfig:[\s\S]*$/, ''), 'hub/staging.yaml': remote('staging').replace(/ {2}kubeConfig:[\s\S]*$/, '') } });
    expect(local.findings.map((finding) => `${finding.location.file}:${finding.location.startLine} ${finding.messageId}`)).toEqual(['deploy/namespace.yaml:4 appliedTwice']);
  });
});
