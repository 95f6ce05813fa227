import rule from '../../rules/kustomize-resources-exist.js';
import { RuleTester, yaml } from '../../src/testing/index.js';

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

new RuleTester().run(rule, {
  valid: [
    {
      name: 'files, folders, components, patches, generator inputs and remote entries',
      files: {
        'deploy/kustomization.yaml': yaml`
          apiVersion: kustomize.config.k8s.io/v1beta1
          kind: Kustomization
          resources:
            - dagster/
            - cube.yaml
            - https://github.com/acme/shared//deploy?ref=v1.2.0
          components:
            - ../components/monitoring
          patches:
            - path: patches/replicas.yaml
            - patch: |
                - op: replace
                  path: /spec/replicas
                  value: 2
              target:
                kind: Deployment
          patchesStrategicMerge:
            - patches/labels.yaml
            - |-
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: cube
          configMapGenerator:
            - name: cube-config
              files:
                - schema.yml=config/schema.yml
                - config/
              envs:
                - config/cube.env
          configurations:
            - config/name-reference.yaml
        `,
        'deploy/cube.yaml': configMap('cube'),
        'deploy/dagster/kustomization.yaml': 'resources:\n  - release.yaml\n',
        'deploy/dagster/release.yaml': configMap('release'),
        'deploy/patches/replicas.yaml': configMap('cube'),
        'deploy/patches/labels.yaml': configMap('cube'),
        'deploy/config/schema.yml': 'cubes: []\n',
        'deploy/config/cube.env': 'CUBEJS_DB_TYPE=duckdb\n',
        'deploy/config/name-reference.yaml': 'nameReference: []\n',
        'components/monitoring/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
      },
    },
    {
      // Fix: bases had a regex of their own and reported gitlab.com/, bitbucket.org/ and `?version=` remotes as missing.
      name: 'remote resources and bases in every form of reference §5.3 are not checked',
      files: {
        'deploy/kustomization.yaml': yaml`
          resources:
            - git@github.com:acme/shared.git//deploy?ref=v1.2.0
            - gitlab.com/acme/shared/deploy
          bases:
            - git@github.com:acme/base.git//deploy?ref=v1.2.0
            - ssh://git@github.com/acme/base.git//deploy?ref=v1.2.0
            - bitbucket.org/acme/base/deploy
            - example.com/acme/base//deploy?version=v1
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'a kustomization that includes its own folder or a folder above it',
      files: {
        'deploy/app/kustomization.yaml': 'resources:\n  - cm.yaml\n  - .\n  - ../\n',
        'deploy/app/cm.yaml': configMap('app'),
        'deploy/kustomization.yaml': 'resources:\n  - app\n',
      },
      errors: [
        { messageId: 'cycle', file: 'deploy/app/kustomization.yaml', line: 3, column: 5, endLine: 3, endColumn: 6 },
        { messageId: 'cycle', file: 'deploy/app/kustomization.yaml', line: 4, column: 5, endLine: 4, endColumn: 8 },
      ],
    },
    {
      name: 'listed documents kustomize refuses: a scalar, a list, apiVersion [1], no kind, no name',
      files: {
        'deploy/kustomization.yaml': 'resources:\n  - objects.yaml\n',
        'deploy/objects.yaml': [
          'just a string',
          '---',
          '- a\n- b',
          '---',
          'apiVersion: [1]\nkind: ConfigMap\nmetadata:\n  name: a',
          '---',
          'apiVersion: v1\nmetadata:\n  name: b',
          '---',
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}',
          '---',
          '# only a comment: kustomize skips empty documents',
          '---',
          'apiVersion: v1\nkind: List\nitems: []',
          '',
        ].join('\n'),
      },
      errors: [
        { messageId: 'notAnObject', file: 'deploy/objects.yaml', line: 1, column: 1, endLine: 1, endColumn: 14 },
        { messageId: 'notAnObject', file: 'deploy/objects.yaml', line: 3, column: 1, endLine: 3, endColumn: 4 },
        { messageId: 'notAnObject', file: 'deploy/objects.yaml', line: 6, column: 1, endLine: 6, endColumn: 11 },
        { messageId: 'notAnObject', file: 'deploy/objects.yaml', line: 11, column: 1, endLine: 11, endColumn: 15 },
        { messageId: 'notAnObject', file: 'deploy/objects.yaml', line: 17, column: 1, endLine: 17, endColumn: 9 },
      ],
    },
    {
      name: 'a folder that was never committed and a file that was renamed',
      files: {
        'deploy/kustomization.yaml': yaml`
          apiVersion: kustomize.config.k8s.io/v1beta1
          kind: Kustomization
          # Applied by h-kube's Kustomization lotus-lake-deploy.
          resources:
            - dagster/
            - superset/
            - ./cube-release.yaml
        `,
        'deploy/dagster/kustomization.yaml': 'resources:\n  - release.yaml\n',
        'deploy/dagster/release.yaml': configMap('release'),
        'deploy/cube.yaml': configMap('cube'),
      },
      errors: [
        {
          messageId: 'missing',
          data: { field: 'resources', entry: 'superset/', target: 'deploy/superset' },
          file: 'deploy/kustomization.yaml', line: 6, column: 5, endLine: 6, endColumn: 14,
        },
        {
          messageId: 'missing',
          data: { field: 'resources', entry: './cube-release.yaml', target: 'deploy/cube-release.yaml' },
          file: 'deploy/kustomization.yaml', line: 7, column: 5, endLine: 7, endColumn: 24,
        },
      ],
    },
    {
      name: 'a folder without kustomization.yaml, a Component in resources, a Kustomization in components, and a base above the root',
      files: {
        'apps/kustomization.yaml': 'resources:\n  - plain\n  - ../components/monitoring\ncomponents: [../base]\nbases:\n  - ../../shared\n',
        'apps/plain/app.yaml': configMap('app'),
        'components/monitoring/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
        'base/kustomization.yaml': 'resources: []\n',
      },
      errors: [
        { messageId: 'noKustomization', data: { field: 'resources', entry: 'plain' }, file: 'apps/kustomization.yaml', line: 2, column: 5, endLine: 2, endColumn: 10 },
        { messageId: 'componentInResources', data: { field: 'resources', entry: '../components/monitoring' }, file: 'apps/kustomization.yaml', line: 3, column: 5, endLine: 3, endColumn: 29 },
        { messageId: 'kustomizationInComponents', data: { entry: '../base' }, file: 'apps/kustomization.yaml', line: 4, column: 14, endLine: 4, endColumn: 21 },
        { messageId: 'outside', data: { field: 'bases', entry: '../../shared' }, file: 'apps/kustomization.yaml', line: 6, column: 5, endLine: 6, endColumn: 17 },
      ],
    },
    {
      name: 'patch, generator and configuration files that are not there',
      files: {
        'deploy/kustomization.yaml': yaml`
          resources:
            - cube.yaml
          patches:
            - target:
                kind: Deployment
              path: patches/replicas.yaml
          patchesStrategicMerge:
            - patches/labels.yaml
          secretGenerator:
            - name: cube-api
              files:
                - api-secret=secrets/api.enc.txt
              envs:
                - secrets/cube.env
          configurations:
            - ../../name-reference.yaml
        `,
        'deploy/cube.yaml': configMap('cube'),
      },
      errors: [
        { messageId: 'missing', data: { field: 'patches', entry: 'patches/replicas.yaml', target: 'deploy/patches/replicas.yaml' }, file: 'deploy/kustomization.yaml', line: 6, column: 11, endLine: 6, endColumn: 32 },
        { messageId: 'missing', data: { field: 'patchesStrategicMerge', entry: 'patches/labels.yaml', target: 'deploy/patches/labels.yaml' }, file: 'deploy/kustomization.yaml', line: 8, column: 5, endLine: 8, endColumn: 24 },
        { messageId: 'missing', data: { field: 'secretGenerator', entry: 'secrets/api.enc.txt', target: 'deploy/secrets/api.enc.txt' }, file: 'deploy/kustomization.yaml', line: 12, column: 9, endLine: 12, endColumn: 39 },
        { messageId: 'missing', data: { field: 'secretGenerator', entry: 'secrets/cube.env', target: 'deploy/secrets/cube.env' }, file: 'deploy/kustomization.yaml', line: 14, column: 9, endLine: 14, endColumn: 25 },
        { messageId: 'outside', data: { field: 'configurations', entry: '../../name-reference.yaml' }, file: 'deploy/kustomization.yaml', line: 16, column: 5, endLine: 16, endColumn: 30 },
      ],
    },
  ],
});
