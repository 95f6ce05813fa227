/**
 * schema-valid on values that post-build substitution sets: each object is checked as the
 * Flux Kustomizations that apply it substitute it.
 */
import { describe, expect, it } from 'vitest';
import rule from '../../rules/schema-valid.js';
import { lintExample, RuleTester, yaml } from '../../src/testing/index.js';

/** The bootstrap source and a Kustomization `name` applying `path`, with `postBuild` lines (indented by four). */
const kustomization = (name: string, path: string, postBuild: string[] = []): string =>
  [
    'apiVersion: kustomize.toolkit.fluxcd.io/v1',
    'kind: Kustomization',
    'metadata:',
    `  name: ${name}`,
    '  namespace: flux-system',
    'spec:',
    '  interval: 10m',
    '  prune: true',
    `  path: ${path}`,
    '  sourceRef:',
    '    kind: GitRepository',
    '    name: flux-system',
    ...(postBuild.length > 0 ? ['  postBuild:', ...postBuild.map((line) => `    ${line}`)] : []),
    '',
  ].join('\n');

const source = yaml`
  apiVersion: source.toolkit.fluxcd.io/v1
  kind: GitRepository
  metadata:
    name: flux-system
    namespace: flux-system
  spec:
    interval: 1m
    url: ssh://git@github.com/example/fleet
`;

/** A PersistentVolumeClaim whose access mode is `mode` (line 8, column 7). */
const claim = (mode: string): string => yaml`
  apiVersion: v1
  kind: PersistentVolumeClaim
  metadata:
    name: data
    namespace: apps
  spec:
    accessModes:
      - ${mode}
    resources:
      requests:
        storage: 1Gi
`;

/** A Deployment with `replicas` on line 7 (column 13) and an env value on line 19 (column 22). */
const deployment = (replicas: string, envValue = 'info'): string => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    namespace: apps
  spec:
    replicas: ${replicas}
    selector:
      matchLabels: {app: web}
    template:
      metadata:
        labels: {app: web}
      spec:
        containers:
          - name: web
            image: nginx:1.27.3
            env:
              - name: LOG_LEVEL
                value: ${envValue}
`;

const clusterVars = (values: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-vars\n  namespace: flux-system\ndata:\n${values}`;

new RuleTester().run(rule, {
  valid: [
    {
      name: 'a default in an enum field is the value once substitution runs',
      files: {
        'clusters/source.yaml': source,
        'clusters/apps.yaml': kustomization('apps', './apps', ['substitute:', '  CLUSTER: homelab']),
        'apps/claim.yaml': claim('${ACCESS_MODE:=ReadWriteOnce}'),
      },
    },
    {
      name: 'a variable from postBuild.substitute becomes an integer',
      files: {
        'clusters/source.yaml': source,
        'clusters/apps.yaml': kustomization('apps', './apps', ['substitute:', '  REPLICAS: "2"']),
        'apps/web.yaml': deployment('${REPLICAS}'),
      },
    },
    {
      name: 'variables from a substituteFrom ConfigMap, and a quote variable keeping a number a string',
      files: {
        'clusters/source.yaml': source,
        'clusters/apps.yaml': kustomization('apps', './apps', ['substitute:', `  quote: '"'`, 'substituteFrom:', '  - kind: ConfigMap', '    name: cluster-vars']),
        'clusters/vars.yaml': clusterVars('  REPLICAS: "3"\n  LOG_LEVEL: "2"\n'),
        'apps/web.yaml': deployment('${REPLICAS}', '${quote}${LOG_LEVEL}${quote}'),
      },
    },
    {
      name: 'a variable from a SOPS Secret has an unknown value and the field is not checked',
      files: {
        'clusters/source.yaml': source,
        'clusters/apps.yaml': kustomization('apps', './apps', ['substituteFrom:', '  - kind: Secret', '    name: cluster-secrets']),
        'clusters/secrets.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
            name: cluster-secrets
            namespace: flux-system
          stringData:
            REPLICAS: ENC[AES256_GCM,data:Tg==,iv:2BvF0L5Bd0Ke4aAqaSElJ1fOlHBp8mQ6Zb4eJp3Cm2Y=,tag:hS0xw2zVw2hhjJnvfSEvNw==,type:str]
          sops:
            age: []
            lastmodified: "2024-05-01T10:00:00Z"
            mac: ENC[AES256_GCM,data:xx,iv:xx,tag:xx,type:str]
            version: 3.8.1
        `,
        'apps/web.yaml': deployment('${REPLICAS}'),
      },
    },
    {
      name: 'ConfigMaps of two clusters that disagree leave the value unknown',
      files: {
        'clusters/source.yaml': source,
        'clusters/prod/apps.yaml': kustomization('apps', './apps', ['substituteFrom:', '  - kind: ConfigMap', '    name: cluster-vars']),
        'clusters/prod/vars.yaml': clusterVars('  ACCESS_MODE: ReadWriteMany\n'),
        'clusters/staging/vars.yaml': clusterVars('  ACCESS_MODE: ReadWriteSometimes\n'),
        'apps/claim.yaml': claim('${ACCESS_MODE}'),
      },
    },
    {
      name: 'a parent patch that may add postBuild to the child Kustomization leaves the values unknown',
      files: {
        'clusters/source.yaml': source,
        'clusters/apps.yaml': kustomization('cluster-apps', './clusters/apps').replace(
          'spec:\n',
          'spec:\n  patches:\n    - target: {group: kustomize.toolkit.fluxcd.io, kind: Kustomization}\n      patch: |\n        - op: add\n          path: /spec/postBuild\n          value: {substituteFrom: [{kind: Secret, name: cluster-secrets}]}\n',
        ),
        'clusters/apps/web.yaml': kustomization('web', './apps'),
        'apps/web.yaml': deployment('${REPLICAS}'),
      },
    },
    {
      name: 'an object that no Flux Kustomization applies has its expressions skipped',
      files: {
        'deploy/kustomization.yaml': 'resources:\n  - web.yaml\n',
        'deploy/web.yaml': deployment('${REPLICAS}'),
      },
    },
  ],
  invalid: [
    {
      name: 'a known wrong value is reported at the field that holds the expression',
      files: {
        'clusters/source.yaml': source,
        'clusters/apps.yaml': kustomization('apps', './apps', ['substitute:', '  ACCESS_MODE: ReadWriteSometimes']),
        'apps/claim.yaml': claim('${ACCESS_MODE}'),
      },
      errors: [
        {
          messageId: 'substituted',
          data: {
            kustomizations: 'Kustomization flux-system/apps',
            problem: 'Value of spec.accessModes[0] must be one of: ReadOnlyMany, ReadWriteMany, ReadWriteOnce, ReadWriteOncePod',
          },
          file: 'apps/claim.yaml',
          line: 8,
          column: 7,
          endLine: 8,
          endColumn: 21,
        },
      ],
    },
    {
      name: 'a number substituted into a string field is parsed as a number',
      files: {
        'clusters/source.yaml': source,
        'clusters/apps.yaml': kustomization('apps', './apps', ['substitute:', '  LOG_LEVEL: "2"']),
        'apps/web.yaml': deployment('1', '${LOG_LEVEL}'),
      },
      errors: [
        {
          messageId: 'substituted',
          data: {
            kustomizations: 'Kustomization flux-system/apps',
            problem: 'Expected a string at spec.template.spec.containers[0].env[0].value, found a number',
          },
          file: 'apps/web.yaml',
          line: 19,
          column: 22,
          endLine: 19,
          endColumn: 34,
        },
      ],
    },
    {
      name: 'without any variable substitution does not run and the expression is applied as written',
      files: {
        'clusters/source.yaml': source,
        'clusters/apps.yaml': kustomization('apps', './apps', ['substituteFrom:', '  - kind: ConfigMap', '    name: cluster-vars', '    optional: true']),
        'apps/claim.yaml': claim('${ACCESS_MODE:=ReadWriteOnce}'),
      },
      errors: [
        {
          messageId: 'notSubstituted',
          data: {
            kustomizations: 'Kustomization flux-system/apps',
            problem: 'Value of spec.accessModes[0] must be one of: ReadOnlyMany, ReadWriteMany, ReadWriteOnce, ReadWriteOncePod',
          },
          file: 'apps/claim.yaml',
          line: 8,
          column: 7,
          endLine: 8,
          endColumn: 36,
        },
      ],
    },
    {
      name: 'an object applied by two Kustomizations with different wrong values is reported once',
      files: {
        'clusters/source.yaml': source,
        'clusters/prod.yaml': kustomization('apps-prod', './apps', ['substitute:', '  REPLICAS: two']),
        'clusters/staging.yaml': kustomization('apps-staging', './apps', ['substitute:', '  REPLICAS: three']),
        'clusters/dev.yaml': kustomization('apps-dev', './apps', ['substitute:', '  REPLICAS: "1"']),
        'apps/web.yaml': deployment('${REPLICAS}'),
      },
      errors: [
        {
          messageId: 'substituted',
          data: {
            kustomizations: 'Kustomizations flux-system/apps-prod and flux-system/apps-staging',
            problem: 'Expected an integer at spec.replicas, found a string',
          },
          file: 'apps/web.yaml',
          line: 7,
          column: 13,
          endLine: 7,
          endColumn: 24,
        },
      ],
    },
    {
      name: 'an escaped expression stays literal after substitution',
      files: {
        'clusters/source.yaml': source,
        'clusters/apps.yaml': kustomization('apps', './apps', ['substitute:', '  ACCESS_MODE: ReadWriteOnce']),
        'apps/claim.yaml': claim('$${ACCESS_MODE}'),
      },
      errors: [
        {
          messageId: 'substituted',
          data: {
            kustomizations: 'Kustomization flux-system/apps',
            problem: 'Value of spec.accessModes[0] must be one of: ReadOnlyMany, ReadWriteMany, ReadWriteOnce, ReadWriteOncePod',
          },
          file: 'apps/claim.yaml',
          line: 8,
          column: 7,
          endLine: 8,
          endColumn: 22,
        },
      ],
    },
    {
      name: 'an object marked substitute disabled is applied as written',
      files: {
        'clusters/source.yaml': source,
        'clusters/apps.yaml': kustomization('apps', './apps', ['substitute:', '  REPLICAS: "2"']),
        'apps/web.yaml': deployment('${REPLICAS}').replace('  namespace: apps\n', '  namespace: apps\n  labels:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\n'),
      },
      errors: [
        {
          messageId: 'notSubstituted',
          data: { kustomizations: 'Kustomization flux-system/apps', problem: 'Expected an integer at spec.replicas, found a string' },
          file: 'apps/web.yaml',
          line: 9,
          column: 13,
          endLine: 9,
          endColumn: 24,
        },
      ],
    },
  ],
});

describe('schema-valid substitution notes', () => {
  it('counts fields of objects no Flux Kustomization applies in one note', async () => {
    const result = await lintExample(rule, {
      files: {
        'deploy/kustomization.yaml': 'resources:\n  - web.yaml\n  - claim.yaml\n',
        'deploy/web.yaml': deployment('${REPLICAS}'),
        'deploy/claim.yaml': claim('${ACCESS_MODE:=ReadWriteOnce}'),
      },
    });
    expect(result.findings).toEqual([]);
    expect(result.notes.map((note) => note.message)).toEqual([
      'schema-valid: 2 fields holding ${…} in objects that no linted Flux Kustomization applies were not checked: post-build substitution sets their values, and the Kustomization that would define them is not in the linted roots',
    ]);
  });

  it('counts fields whose variables have unknown values in one note', async () => {
    const result = await lintExample(rule, {
      files: {
        'clusters/source.yaml': source,
        'clusters/apps.yaml': kustomization('apps', './apps', ['substituteFrom:', '  - kind: ConfigMap', '    name: cluster-vars', '  - kind: Secret', '    name: cluster-secrets']),
        'clusters/vars.yaml': clusterVars('  REPLICAS: "2"\n'),
        // SOPS-encrypted in a real repository: its values are never known.
        'clusters/secrets.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: cluster-secrets\n  namespace: flux-system\nstringData:\n  ACCESS_MODE: ReadWriteOnce\n',
        'apps/claim.yaml': claim('${ACCESS_MODE}'),
        'apps/web.yaml': deployment('${REPLICAS}', '${LOG_LEVEL:=info}'),
      },
    });
    expect(result.findings).toEqual([]);
    expect(result.notes.map((note) => note.message)).toContain(
      'schema-valid: 1 field holding ${…} was not checked after post-build substitution: the value is not known from the linted roots (a variable from a Secret or from a source outside the roots, ConfigMaps that differ between clusters, a patch that may change postBuild, or an expression the linter does not evaluate)',
    );
  });
});
