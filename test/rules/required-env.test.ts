import { describe, expect, it } from 'vitest';
import rule from '../../rules/required-env.js';
import { lintExample, RuleTester, yaml } from '../../src/testing/index.js';

/** The seed's five variables for the Dagster user deployment, as examples/ declares them. */
const SEED_CONFIG = yaml`
  rules:
    required-env:
      - error
      - workloads:
          - kind: HelmRelease
            name: dagster
            namespace: lotus-lake
            container: lotus-lake
            env:
              - name: DUCKLAKE_DB_HOST
                value: true
              - name: DUCKLAKE_DB_PASSWORD
                secret: ducklake-db-app
              - S3_ENDPOINT
              - name: S3_ACCESS_KEY_ID
                secret: lotus-lake-terraform-vars
              - name: S3_SECRET_ACCESS_KEY
                secret: lotus-lake-terraform-vars
`;

const DATABASE = yaml`
  apiVersion: postgresql.cnpg.io/v1
  kind: Cluster
  metadata:
    name: ducklake-db
    namespace: lotus-lake
  spec:
    instances: 1
`;

const TERRAFORM_VARS = yaml`
  apiVersion: v1
  kind: Secret
  metadata:
    name: lotus-lake-terraform-vars
    namespace: lotus-lake
  stringData:
    S3_ACCESS_KEY_ID: ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]
    S3_SECRET_ACCESS_KEY: ENC[AES256_GCM,data:cXV4,iv:YmFy,tag:YmF6,type:str]
  sops:
    age:
      - recipient: age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq
    lastmodified: "2025-01-01T00:00:00Z"
    mac: ENC[AES256_GCM,data:bWFj,iv:YmFy,tag:YmF6,type:str]
    version: 3.9.0
`;


/** A Deployment loading Secret api-db with envFrom, and the ExternalSecret that writes api-db with one key. */
const EXTERNAL_SECRET_WORKLOAD = (secretKey: string): string => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: api
  spec:
    template:
      spec:
        containers:
          - name: api
            image: ghcr.io/acme/api:1.0.0
            envFrom:
              - secretRef:
                  name: api-db
  ---
  apiVersion: external-secrets.io/v1
  kind: ExternalSecret
  metadata:
    name: api-db
  spec:
    secretStoreRef:
      kind: ClusterSecretStore
      name: vault
    target:
      name: api-db
    data:
      - secretKey: ${secretKey}
        remoteRef:
          key: api/db
`;
const API_DEPLOYMENT_CONFIG = yaml`
  rules:
    required-env:
      - error
      - workloads:
          - kind: Deployment
            name: api
            env:
              - DATABASE_URL
              - name: LOG_LEVEL
                value: true
`;

new RuleTester().run(rule, {
  valid: [
    {
      name: 'the seed: five variables from values, the CloudNativePG Secret and the SOPS Secret in the cluster repo',
      roots: {
        'lotus-lake': {
          '.gitops-lint.yaml': SEED_CONFIG,
          'deploy/dagster/database.yaml': DATABASE,
          'deploy/dagster/release.yaml': yaml`
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata:
              name: dagster
              namespace: lotus-lake
            spec:
              values:
                dagster-user-deployments:
                  deployments:
                    - name: lotus-lake
                      image:
                        repository: ghcr.io/matta-kelly/lotus-lake
                        tag: 3f2a9c1
                        pullPolicy: IfNotPresent
                      env:
                        - name: DUCKLAKE_DB_HOST
                          value: ducklake-db-rw.lotus-lake.svc
                        - name: DUCKLAKE_DB_PASSWORD
                          valueFrom:
                            secretKeyRef:
                              name: ducklake-db-app
                              key: password
                        - name: S3_ENDPOINT
                          value: http://seaweedfs-s3.seaweedfs:8333
                      envSecrets:
                        - name: lotus-lake-terraform-vars
          `,
        },
        'h-kube': { 'cluster/namespaces/lotus-lake/lotus-lake-secrets.yaml': TERRAFORM_VARS },
      },
    },
    {
      name: 'Dagster map-form env counts as literal values, envConfigMaps and a prefixed envFrom count by key',
      options: {
        workloads: [
          { kind: 'HelmRelease', name: 'dagster', container: 'dagster-user-deployments.deployments[0]', env: [{ name: 'DUCKLAKE_DB_HOST', value: true }, { name: 'S3_REGION', value: true }] },
          { kind: 'Deployment', name: 'api', namespace: 'apps', container: 'api', env: [{ name: 'APP_TOKEN', secret: 'api-secrets' }] },
        ],
      },
      files: {
        'deploy/release.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: dagster
            namespace: flux-system
          spec:
            targetNamespace: lotus-lake
            values:
              dagster-user-deployments:
                deployments:
                  - name: lotus-lake
                    image:
                      repository: ghcr.io/matta-kelly/lotus-lake
                      tag: 3f2a9c1
                    env:
                      DUCKLAKE_DB_HOST: ducklake-db-rw
                    envConfigMaps:
                      - name: s3-settings
        `,
        'deploy/settings.yaml': yaml`
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: s3-settings
            namespace: lotus-lake
          data:
            S3_REGION: eu-central-1
        `,
        'apps/api.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: api
            namespace: apps
          spec:
            template:
              spec:
                containers:
                  - name: api
                    image: ghcr.io/acme/api:1.0.0
                    envFrom:
                      - prefix: APP_
                        secretRef:
                          name: api-secrets
          ---
          apiVersion: v1
          kind: Secret
          metadata:
            name: api-secrets
            namespace: apps
          stringData:
            TOKEN: ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]
        `,
      },
    },
    {
      name: 'an external Secret without known keys counts as providing the variable',
      files: {
        '.gitops-lint.yaml': yaml`
          externalSecrets:
            - lotus-lake-terraform-vars
          rules:
            required-env:
              - error
              - workloads:
                  - kind: Deployment
                    name: api
                    env:
                      - name: S3_SECRET_ACCESS_KEY
                        secret: lotus-lake-terraform-vars
        `,
        'apps/api.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: api
          spec:
            template:
              spec:
                containers:
                  - name: api
                    image: ghcr.io/acme/api:1.0.0
                    envFrom:
                      - secretRef:
                          name: lotus-lake-terraform-vars
        `,
      },
    },
    {
      name: 'without configuration nothing is required',
      files: {
        'apps/api.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: api
          spec:
            template:
              spec:
                containers:
                  - name: api
                    image: ghcr.io/acme/api:1.0.0
        `,
      },
    },
    {
      name: 'a source that is not in the linted roots is not reported',
      files: {
        '.gitops-lint.yaml': API_DEPLOYMENT_CONFIG,
        'apps/api.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: api
          spec:
            template:
              spec:
                initContainers:
                  - name: migrate
                    image: ghcr.io/acme/migrate:1.0.0
                containers:
                  - name: api
                    image: ghcr.io/acme/api:1.0.0
                    env:
                      - name: LOG_LEVEL
                        valueFrom:
                          configMapKeyRef:
                            name: api-settings
                            key: level
                    envFrom:
                      - secretRef:
                          name: api-database
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'the seed without the database password, and a Secret lacking a key',
      roots: {
        'lotus-lake': {
          '.gitops-lint.yaml': SEED_CONFIG,
          'deploy/dagster/database.yaml': DATABASE,
          'deploy/dagster/release.yaml': yaml`
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata:
              name: dagster
              namespace: lotus-lake
            spec:
              values:
                dagster-user-deployments:
                  deployments:
                    - name: lotus-lake
                      image:
                        repository: ghcr.io/matta-kelly/lotus-lake
                        tag: 3f2a9c1
                        pullPolicy: IfNotPresent
                      env:
                        - name: DUCKLAKE_DB_HOST
                          value: ducklake-db-rw.lotus-lake.svc
                        - name: S3_ENDPOINT
                          value: http://seaweedfs-s3.seaweedfs:8333
                      envSecrets:
                        - name: lotus-lake-terraform-vars
          `,
        },
        'h-kube': {
          'cluster/namespaces/lotus-lake/lotus-lake-secrets.yaml': yaml`
            apiVersion: v1
            kind: Secret
            metadata:
              name: lotus-lake-terraform-vars
              namespace: lotus-lake
            stringData:
              S3_ACCESS_KEY_ID: ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]
          `,
        },
      },
      errors: [
        {
          messageId: 'missingFromSecret',
          data: { container: 'lotus-lake', workload: 'HelmRelease dagster', variable: 'DUCKLAKE_DB_PASSWORD', secret: 'ducklake-db-app' },
          root: 'lotus-lake', file: 'deploy/dagster/release.yaml', line: 15, column: 11, endLine: 15, endColumn: 14,
        },
        {
          messageId: 'missingFromSecret',
          data: { container: 'lotus-lake', workload: 'HelmRelease dagster', variable: 'S3_SECRET_ACCESS_KEY', secret: 'lotus-lake-terraform-vars' },
          root: 'lotus-lake', file: 'deploy/dagster/release.yaml', line: 15, column: 11, endLine: 15, endColumn: 14,
        },
      ],
    },
    {
      name: 'a literal where a Secret is required, and a secretKeyRef to another Secret',
      options: {
        workloads: [
          { kind: 'Deployment', name: 'api', container: 'api', env: [{ name: 'DB_PASSWORD', secret: 'ducklake-db-app' }, { name: 'DB_USER', secret: 'ducklake-db-app' }] },
        ],
      },
      files: {
        'apps/api.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: api
          spec:
            template:
              spec:
                containers:
                  - name: api
                    image: ghcr.io/acme/api:1.0.0
                    env:
                      - name: DB_USER
                        valueFrom:
                          secretKeyRef:
                            name: ducklake-db-superuser
                            key: username
                      - name: DB_PASSWORD
                        value: hunter2
        `,
      },
      errors: [
        {
          messageId: 'wrongSource',
          data: { variable: 'DB_USER', container: 'api', workload: 'Deployment api', actual: 'Secret ducklake-db-superuser', expected: 'from Secret ducklake-db-app' },
          file: 'apps/api.yaml', line: 12, column: 15, endLine: 12, endColumn: 28,
        },
        {
          messageId: 'wrongSource',
          data: { variable: 'DB_PASSWORD', container: 'api', workload: 'Deployment api', actual: 'a literal value', expected: 'from Secret ducklake-db-app' },
          file: 'apps/api.yaml', line: 17, column: 15, endLine: 17, endColumn: 32,
        },
      ],
    },
    {
      name: 'a value required as a literal comes from a Secret through envSecrets',
      options: { workloads: [{ kind: 'HelmRelease', name: 'dagster', container: 'lotus-lake', env: [{ name: 'S3_ENDPOINT', value: true }] }] },
      files: {
        'deploy/release.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: dagster
          spec:
            values:
              dagster-user-deployments:
                deployments:
                  - name: lotus-lake
                    image:
                      repository: ghcr.io/matta-kelly/lotus-lake
                      tag: 3f2a9c1
                    envSecrets:
                      - name: lotus-lake-terraform-vars
          ---
          apiVersion: v1
          kind: Secret
          metadata:
            name: lotus-lake-terraform-vars
          stringData:
            S3_ENDPOINT: http://seaweedfs-s3.seaweedfs:8333
        `,
      },
      errors: [
        {
          messageId: 'wrongSource',
          data: { variable: 'S3_ENDPOINT', container: 'lotus-lake', workload: 'HelmRelease dagster', actual: 'Secret lotus-lake-terraform-vars (through envSecrets)', expected: 'as a literal value or from a ConfigMap' },
          file: 'deploy/release.yaml', line: 14, column: 15, endLine: 14, endColumn: 46,
        },
      ],
    },
    {
      name: 'a container without env, selected by values path, and an explicit entry that beats envFrom',
      options: {
        workloads: [
          { kind: 'HelmRelease', name: 'dagster', container: 'dagsterDaemon', env: ['DAGSTER_HOME'] },
          { kind: 'CronJob', name: 'backup', env: [{ name: 'AWS_SECRET_ACCESS_KEY', secret: 'backup-s3' }] },
        ],
      },
      files: {
        'deploy/release.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: dagster
          spec:
            values:
              dagsterDaemon:
                image:
                  repository: docker.io/dagster/dagster-celery-k8s
                  tag: 1.9.3
        `,
        'jobs/backup.yaml': yaml`
          apiVersion: batch/v1
          kind: CronJob
          metadata:
            name: backup
          spec:
            jobTemplate:
              spec:
                template:
                  spec:
                    containers:
                      - name: backup
                        image: ghcr.io/acme/backup:1.4.0
                        envFrom:
                          - secretRef:
                              name: backup-s3
                        env:
                          - name: AWS_SECRET_ACCESS_KEY
                            value: ""
          ---
          apiVersion: v1
          kind: Secret
          metadata:
            name: backup-s3
          stringData:
            AWS_SECRET_ACCESS_KEY: ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]
        `,
      },
      errors: [
        {
          messageId: 'missing',
          data: { container: 'dagsterDaemon', workload: 'HelmRelease dagster', variable: 'DAGSTER_HOME' },
          file: 'deploy/release.yaml', line: 7, column: 5, endLine: 7, endColumn: 18,
        },
        {
          messageId: 'wrongSource',
          data: { variable: 'AWS_SECRET_ACCESS_KEY', container: 'backup', workload: 'CronJob backup', actual: 'a literal value', expected: 'from Secret backup-s3' },
          file: 'jobs/backup.yaml', line: 17, column: 19, endLine: 17, endColumn: 46,
        },
      ],
    },
    {
      name: 'every container of a Deployment without env, a value from the wrong prefix, and a missing literal',
      files: {
        '.gitops-lint.yaml': API_DEPLOYMENT_CONFIG,
        'apps/api.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: api
          spec:
            template:
              spec:
                containers:
                  - name: api
                    image: ghcr.io/acme/api:1.0.0
                    envFrom:
                      - prefix: API_
                        configMapRef:
                          name: api-settings
                  - image: ghcr.io/acme/proxy:1.0.0
                    name: proxy
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: api-settings
          data:
            DATABASE_URL: postgres://ducklake-db-rw:5432/app
            LOG_LEVEL: info
        `,
      },
      errors: [
        {
          messageId: 'missing',
          data: { container: 'api', workload: 'Deployment api', variable: 'DATABASE_URL' },
          file: 'apps/api.yaml', line: 9, column: 11, endLine: 9, endColumn: 20,
        },
        {
          messageId: 'missingValue',
          data: { container: 'api', workload: 'Deployment api', variable: 'LOG_LEVEL' },
          file: 'apps/api.yaml', line: 9, column: 11, endLine: 9, endColumn: 20,
        },
        {
          messageId: 'missing',
          data: { container: 'proxy', workload: 'Deployment api', variable: 'DATABASE_URL' },
          file: 'apps/api.yaml', line: 15, column: 11, endLine: 15, endColumn: 42,
        },
        {
          messageId: 'missingValue',
          data: { container: 'proxy', workload: 'Deployment api', variable: 'LOG_LEVEL' },
          file: 'apps/api.yaml', line: 15, column: 11, endLine: 15, endColumn: 42,
        },
      ],
    },
    {
      name: 'a container name that the workload does not have',
      options: { workloads: [{ kind: 'HelmRelease', name: 'dagster', namespace: 'lotus-lake', container: 'lotus_lake', env: ['S3_ENDPOINT'] }] },
      files: {
        'deploy/release.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            namespace: lotus-lake
            name: dagster
          spec:
            values:
              dagster-user-deployments:
                deployments:
                  - name: lotus-lake
                    image:
                      repository: ghcr.io/matta-kelly/lotus-lake
                      tag: 3f2a9c1
        `,
      },
      errors: [
        {
          messageId: 'containerNotFound',
          data: { workload: 'HelmRelease dagster', container: 'lotus_lake' },
          file: 'deploy/release.yaml', line: 5, column: 9, endLine: 5, endColumn: 16,
        },
      ],
    },
    {
      // Fix: model.configData now holds the Secrets controllers write, as the Flux graph's lookup does.
      name: 'a Secret an ExternalSecret writes is checked by its keys, as secret-ref-exists sees it',
      options: { workloads: [{ kind: 'Deployment', name: 'api', env: [{ name: 'DB_PASSWORD', secret: 'api-db' }] }] },
      files: { 'apps/api.yaml': EXTERNAL_SECRET_WORKLOAD('DB_USER') },
      errors: [
        {
          messageId: 'missingFromSecret',
          data: { container: 'api', workload: 'Deployment api', variable: 'DB_PASSWORD', secret: 'api-db' },
          file: 'apps/api.yaml', line: 9, column: 11, endLine: 9, endColumn: 20,
        },
      ],
    },
  ],
});

describe('required-env notes', () => {
  it('notes a workload that is not in the linted roots and a source that is not either', async () => {
    const result = await lintExample(rule, {
      options: {
        workloads: [
          { kind: 'Deployment', name: 'missing', env: ['A'] },
          { kind: 'Deployment', name: 'api', namespace: 'apps', env: [{ name: 'DB_PASSWORD', secret: 'api-database' }] },
        ],
      },
      files: {
        'apps/api.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: api
            namespace: apps
          spec:
            template:
              spec:
                containers:
                  - name: api
                    image: ghcr.io/acme/api:1.0.0
                    envFrom:
                      - secretRef:
                          name: api-database
        `,
      },
    });
    expect(result.findings).toEqual([]);
    expect(result.notes.map((note) => note.message)).toEqual([
      'required-env: no Deployment missing in the linted roots; its required variables were not checked.',
      'required-env: DB_PASSWORD of container api (Deployment api) may come from Secret api-database, which is not in the linted roots; not checked.',
    ]);
  });
});

describe('required-env and controller-written Secrets', () => {
  it('takes a key of a Secret an ExternalSecret writes as provided, without a note', async () => {
    const result = await lintExample(rule, {
      options: { workloads: [{ kind: 'Deployment', name: 'api', env: [{ name: 'DB_PASSWORD', secret: 'api-db' }] }] },
      files: { 'apps/api.yaml': EXTERNAL_SECRET_WORKLOAD('DB_PASSWORD') },
    });
    expect(result.findings).toEqual([]);
    expect(result.notes).toEqual([]);
  });
});
