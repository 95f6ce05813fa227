import rule from '../../rules/flux-substitution.js';
import { RuleTester, yaml } from '../../src/testing/index.js';

/** h-kube: the app repo Kustomization substituting from cluster-vars in its own namespace. */
const clusterRepo = (clusterVars = 'CLUSTER_DOMAIN: homelab.example.net\n  S3_ENDPOINT: http://seaweedfs-s3.seaweedfs.svc.cluster.local:8333') => ({
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
      postBuild:
        substituteFrom:
          - kind: ConfigMap
            name: cluster-vars
  `,
  'cluster/namespaces/lotus-lake/cluster-vars.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-vars\n  namespace: lotus-lake\ndata:\n  ${clusterVars}\n`,
});

const database = (destination: string) => yaml`
  # Postgres catalog for DuckLake.
  apiVersion: postgresql.cnpg.io/v1
  kind: Cluster
  metadata:
    name: ducklake-db
  spec:
    instances: 2
    storage:
      size: 5Gi
    backup:
      barmanObjectStore:
        destinationPath: ${destination}
        endpointURL: \${S3_ENDPOINT}
`;

const bootstrap = (postBuild: string) => yaml`
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
    name: apps
    namespace: flux-system
  spec:
    interval: 10m
    prune: true
    path: ./apps
    sourceRef:
      kind: GitRepository
      name: flux-system${postBuild}
`;

const ingress = (annotations = '') => yaml`
  apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata:
    name: dagster${annotations}
  spec:
    rules:
      - host: dagster.\${CLUSTER_DOMAIN}
`;

new RuleTester().run(rule, {
  valid: [
    {
      name: 'variables defined by the cluster-vars ConfigMap in the Kustomization namespace',
      roots: { 'lotus-lake': { 'deploy/database.yaml': database('s3://cnpg-backups/ducklake-db') }, 'h-kube': clusterRepo() },
    },
    {
      name: 'defaults, escapes, shell variables and objects that opt out',
      files: {
        'clusters/flux.yaml': bootstrap('\n    postBuild:\n      substitute:\n        CLUSTER_NAME: homelab'),
        'apps/job.yaml': yaml`
          apiVersion: batch/v1
          kind: Job
          metadata:
            name: report
          spec:
            template:
              spec:
                containers:
                  - name: report
                    image: ghcr.io/matta-kelly/lotus-lake:a8e5a37
                    args: ["\${REGION:=eu-west-1}", "\${BUCKET:-backups}", "$\${LITERAL}", "$HOME", "\${CLUSTER_NAME,,}"]
        `,
        'apps/ingress.yaml': ingress('\n    annotations:\n      kustomize.toolkit.fluxcd.io/substitute: disabled'),
      },
    },
    {
      name: 'no substitution runs: no postBuild, or only an optional source that is missing',
      files: {
        'clusters/flux.yaml': bootstrap('\n    postBuild:\n      substituteFrom:\n        - kind: ConfigMap\n          name: absent\n          optional: true'),
        'apps/ingress.yaml': ingress(),
        'other/flux.yaml': bootstrap('').replace('./apps', './other').replace('name: apps', 'name: other'),
        'other/ingress.yaml': ingress(),
      },
    },
    {
      name: 'variables from a Secret whose keys are unknown are not guessed',
      files: {
        '.gitops-lint.yaml': 'externalSecrets:\n  - name: cluster-secrets\n    namespace: flux-system\n',
        'clusters/flux.yaml': bootstrap('\n    postBuild:\n      substituteFrom:\n        - kind: Secret\n          name: cluster-secrets'),
        'apps/ingress.yaml': ingress(),
      },
    },
    {
      name: 'the cluster repo linted alone: objects of the app repo are not known',
      files: clusterRepo('S3_ENDPOINT: http://seaweedfs-s3.seaweedfs.svc.cluster.local:8333'),
    },
  ],
  invalid: [
    {
      name: 'an undefined variable in the app repo, substituted by a cluster repo Kustomization',
      roots: { 'lotus-lake': { 'deploy/database.yaml': database('s3://${BACKUP_BUCKET}/ducklake-db') }, 'h-kube': clusterRepo() },
      errors: [
        {
          messageId: 'undefinedVariable',
          data: { expression: '${BACKUP_BUCKET}', name: 'BACKUP_BUCKET', kustomization: 'lotus-lake/lotus-lake-deploy', withDefault: '${BACKUP_BUCKET:=value}' },
          root: 'lotus-lake', file: 'deploy/database.yaml', line: 12, column: 24, endLine: 12, endColumn: 57,
        },
      ],
    },
    {
      name: 'substituteFrom and inline keys that are not variable names',
      roots: {
        'lotus-lake': { 'deploy/database.yaml': database('s3://cnpg-backups/ducklake-db') },
        'h-kube': clusterRepo('S3_ENDPOINT: http://seaweedfs-s3.seaweedfs.svc.cluster.local:8333\n  db-password: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]'),
      },
      errors: [
        {
          messageId: 'invalidName',
          data: { key: 'db-password', kind: 'ConfigMap', name: 'cluster-vars', kustomization: 'lotus-lake/lotus-lake-deploy' },
          root: 'h-kube', file: 'cluster/namespaces/lotus-lake/cluster-vars.yaml', line: 8, column: 3, endLine: 8, endColumn: 14,
        },
      ],
    },
    {
      name: 'an inline key that is not a variable name, an undefined variable in a key, value-reading operators, and the wrong case of the opt-out',
      files: {
        'clusters/flux.yaml': bootstrap('\n    postBuild:\n      substituteStrategy: Always\n      substitute:\n        cluster.name: homelab'),
        'apps/settings.yaml': yaml`
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: settings
            labels:
              kustomize.toolkit.fluxcd.io/substitute: Disabled
          data:
            \${TENANT}_url: "https://\${#TENANT}.example.net/\${TENANT^^}"
        `,
      },
      errors: [
        {
          messageId: 'undefinedVariable',
          data: { expression: '${TENANT}', name: 'TENANT', kustomization: 'flux-system/apps', withDefault: '${TENANT:=value}' },
          file: 'apps/settings.yaml', line: 8, column: 3, endLine: 8, endColumn: 16,
        },
        {
          messageId: 'undefinedVariable',
          data: { expression: '${#TENANT}', name: 'TENANT', kustomization: 'flux-system/apps', withDefault: '${TENANT:=value}' },
          file: 'apps/settings.yaml', line: 8, column: 18, endLine: 8, endColumn: 62,
        },
        {
          messageId: 'undefinedVariable',
          data: { expression: '${TENANT^^}', name: 'TENANT', kustomization: 'flux-system/apps', withDefault: '${TENANT:=value}' },
          file: 'apps/settings.yaml', line: 8, column: 18, endLine: 8, endColumn: 62,
        },
        {
          messageId: 'invalidInlineName',
          data: { key: 'cluster.name' },
          file: 'clusters/flux.yaml', line: 25, column: 7, endLine: 25, endColumn: 19,
        },
      ],
    },
  ],
});
