import { describe, expect, it } from 'vitest';
import rule from '../../rules/flux-namespace-required.js';
import { lintExample, RuleTester, yaml } from '../../src/testing/index.js';

/** The bootstrap source and Kustomization `apps` applying ./apps, with extra spec lines (indented by two). */
const sync = (extraSpec: string[] = []): string =>
  [
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: GitRepository',
    'metadata:',
    '  name: flux-system',
    '  namespace: flux-system',
    'spec:',
    '  interval: 1m',
    '  url: ssh://git@github.com/example/fleet',
    '---',
    'apiVersion: kustomize.toolkit.fluxcd.io/v1',
    'kind: Kustomization',
    'metadata:',
    '  name: apps',
    '  namespace: flux-system',
    'spec:',
    '  interval: 10m',
    '  prune: true',
    '  path: ./apps',
    '  sourceRef:',
    '    kind: GitRepository',
    '    name: flux-system',
    ...extraSpec.map((line) => `  ${line}`),
    '',
  ].join('\n');

const service = (metadata = ''): string => yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: podinfo${metadata}
  spec:
    selector:
      app: podinfo
    ports:
      - port: 9898
`;

const configMap = yaml`
  # Settings read by podinfo.
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: podinfo-settings
  data:
    PODINFO_UI_COLOR: "#34577c"
`;

const clusterWide = yaml`
  apiVersion: v1
  kind: Namespace
  metadata:
    name: podinfo
  ---
  apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRole
  metadata:
    name: podinfo-reader
  rules: []
  ---
  apiVersion: example.com/v1
  kind: Widget
  metadata:
    name: gadget
`;

/** A CRD for `example.com/v1 Widget` with the given scope. */
const widgetCrd = (scope: string): string => yaml`
  apiVersion: apiextensions.k8s.io/v1
  kind: CustomResourceDefinition
  metadata:
    name: widgets.example.com
  spec:
    group: example.com
    names:
      kind: Widget
      plural: widgets
    scope: ${scope}
    versions:
      - name: v1
        served: true
        storage: true
        schema:
          openAPIV3Schema:
            type: object
            x-kubernetes-preserve-unknown-fields: true
`;

new RuleTester().run(rule, {
  valid: [
    {
      name: 'the namespace is written on the object',
      files: { 'clusters/sync.yaml': sync(), 'apps/service.yaml': service('\n    namespace: podinfo') },
    },
    {
      name: 'a kustomization.yaml sets the namespace',
      files: {
        'clusters/sync.yaml': sync(),
        'apps/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: podinfo\nresources:\n  - service.yaml\n',
        'apps/service.yaml': service(),
      },
    },
    {
      name: 'the Flux Kustomization sets targetNamespace',
      files: { 'clusters/sync.yaml': sync(['targetNamespace: podinfo']), 'apps/service.yaml': service() },
    },
    {
      name: 'cluster-scoped kinds, and kinds whose scope is not known, need no namespace',
      files: { 'clusters/sync.yaml': sync(), 'apps/cluster.yaml': clusterWide },
    },
    {
      name: 'a CRD in the repository declares its kind cluster-scoped',
      files: { 'clusters/sync.yaml': sync(), 'clusters/crds.yaml': widgetCrd('Cluster'), 'apps/cluster.yaml': clusterWide },
    },
    {
      name: 'objects that no Flux Kustomization applies are not judged',
      files: {
        'deploy/kustomization.yaml': 'resources:\n  - service.yaml\n',
        'deploy/service.yaml': service(),
      },
    },
    {
      name: 'a patch that mentions a namespace may set it',
      files: {
        'clusters/sync.yaml': sync(),
        'apps/kustomization.yaml': [
          'resources:',
          '  - service.yaml',
          'patches:',
          '  - target: {kind: Service}',
          '    patch: |',
          '      - op: add',
          '        path: /metadata/namespace',
          '        value: podinfo',
          '',
        ].join('\n'),
        'apps/service.yaml': service(),
      },
    },
    {
      name: 'a parent patch that adds targetNamespace to the child Kustomization',
      files: {
        'clusters/sync.yaml': sync([
          'patches:',
          '  - target: {kind: Kustomization, labelSelector: team=podinfo}',
          `    patch: '[{"op":"add","path":"/spec/targetNamespace","value":"podinfo"}]'`,
        ]).replace('path: ./apps', 'path: ./clusters/apps'),
        'clusters/apps/podinfo.yaml': sync().split('---\n')[1]!.replace('name: apps\n', 'name: podinfo\n  labels:\n    team: podinfo\n'),
        'apps/service.yaml': service(),
      },
    },
  ],
  invalid: [
    {
      name: 'a Service and a ConfigMap in a folder without kustomization.yaml, under a Kustomization without targetNamespace',
      files: { 'clusters/sync.yaml': sync(), 'apps/service.yaml': service(), 'apps/settings.yaml': configMap },
      errors: [
        {
          messageId: 'noNamespace',
          data: { kind: 'Service', name: 'podinfo', kustomizations: 'Kustomization flux-system/apps' },
          file: 'apps/service.yaml',
          line: 4,
          column: 9,
          endLine: 4,
          endColumn: 16,
        },
        {
          messageId: 'noNamespace',
          data: { kind: 'ConfigMap', name: 'podinfo-settings', kustomizations: 'Kustomization flux-system/apps' },
          file: 'apps/settings.yaml',
          line: 5,
          column: 9,
          endLine: 5,
          endColumn: 25,
        },
      ],
    },
    {
      name: 'a kustomization.yaml without namespace, and a custom kind the repository declares namespaced',
      files: {
        'clusters/sync.yaml': sync(),
        'clusters/crds.yaml': widgetCrd('Namespaced'),
        'apps/kustomization.yaml': 'resources:\n  - cluster.yaml\n',
        'apps/cluster.yaml': clusterWide,
      },
      errors: [
        {
          messageId: 'noNamespace',
          data: { kind: 'Widget', name: 'gadget', kustomizations: 'Kustomization flux-system/apps' },
          file: 'apps/cluster.yaml',
          line: 15,
          column: 9,
          endLine: 15,
          endColumn: 15,
        },
      ],
    },
    {
      name: 'a child Flux Kustomization without a namespace, applied by the bootstrap Kustomization',
      files: {
        'clusters/sync.yaml': sync().replace('path: ./apps', 'path: ./clusters/apps'),
        'clusters/apps/podinfo.yaml': sync()
          .split('---\n')[1]!
          .replace('  namespace: flux-system\n', '')
          .replace('name: apps\n', 'name: podinfo\n')
          .replace('    name: flux-system\n', '    name: flux-system\n    namespace: flux-system\n'),
      },
      errors: [
        {
          messageId: 'noNamespace',
          data: { kind: 'Kustomization', name: 'podinfo', kustomizations: 'Kustomization flux-system/apps' },
          file: 'clusters/apps/podinfo.yaml',
          line: 4,
          column: 9,
          endLine: 4,
          endColumn: 16,
        },
      ],
    },
  ],
});

describe('flux-namespace-required and patches', () => {
  it('judges the applied object: a patch that sets the namespace leaves nothing to report', async () => {
    const result = await lintExample(rule, {
      files: {
        'clusters/sync.yaml': sync(),
        'apps/kustomization.yaml': 'resources:\n  - service.yaml\npatches:\n  - path: namespace-patch.yaml\n    target: {kind: Service, name: podinfo}\n',
        'apps/namespace-patch.yaml': '- op: add\n  path: /metadata/namespace\n  value: podinfo\n',
        'apps/service.yaml': service(),
      },
    });
    expect(result.findings).toEqual([]);
  });
});
