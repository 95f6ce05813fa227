import { describe, expect, it } from 'vitest';
import rule from '../../rules/no-plaintext-sensitive-env.js';
import { lintExample, RuleTester, yaml } from '../../src/testing/index.js';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'credentials from Secrets, references, substitutions, encrypted and empty values',
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
                      - name: DB_PASSWORD
                        valueFrom:
                          secretKeyRef:
                            name: ducklake-db-app
                            key: password
                      - name: AUTH_HEADER
                        value: Bearer $(API_TOKEN)
                      - name: S3_SECRET_ACCESS_KEY
                        value: \${S3_SECRET_ACCESS_KEY}
                      - name: API_TOKEN
                        value: ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]
                      - name: GITHUB_TOKEN
                        value: ""
                      - name: S3_ENDPOINT
                        value: http://seaweedfs-s3.seaweedfs:8333
        `,
      },
    },
    {
      name: 'booleans, numbers and plain URLs under sensitive-looking names',
      files: {
        'apps/auth.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: proxy
          spec:
            containers:
              - name: proxy
                image: ghcr.io/acme/proxy:1.0.0
                env:
                  - name: DISABLE_AUTH
                    value: "false"
                  - name: TOKEN_TTL_SECONDS
                    value: "3600"
                  - name: AUTH_URL
                    value: https://auth.example.com/realms/lotus
        `,
      },
    },
    {
      name: 'Helm values that refer to Secrets or hold no plaintext',
      files: {
        'apps/airbyte.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: airbyte
          spec:
            values:
              postgresql:
                auth:
                  existingSecret: airbyte-db
                  secretKeys:
                    adminPasswordKey: admin-password
                    userPasswordKey: password
                  password: \${AIRBYTE_DB_PASSWORD}
                  postgresPassword: ""
              minio:
                rootPassword: ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]
                auth:
                  enabled: true
              webapp:
                passwordSecretName: webapp-password
                passwordLength: 32
              dagster-user-deployments:
                deployments:
                  - name: lotus-lake
                    image:
                      repository: ghcr.io/matta-kelly/lotus-lake
                      tag: 3f2a9c1
                    env:
                      - name: DUCKLAKE_DB_PASSWORD
                        valueFrom:
                          secretKeyRef:
                            name: ducklake-db-app
                            key: password
                    envSecrets:
                      - name: lotus-lake-terraform-vars
        `,
      },
    },
    {
      name: 'names of Secrets and annotations under secret-looking keys (real Flux repositories)',
      files: {
        'apps/runner.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: home-ops-runner
          spec:
            values:
              githubConfigSecret: home-ops-runner-secret
              controller:
                annotations:
                  secret.reloader.stakater.com/reload: home-ops-runner-secret
              grafana:
                envFromSecret: grafana-env
                admin:
                  existingSecret: grafana-admin
                  passwordKey: admin-password
              cephBlockPools:
                - storageClass:
                    parameters:
                      csi.storage.k8s.io/provisioner-secret-name: rook-csi-rbd-provisioner
                      csi.storage.k8s.io/provisioner-secret-namespace: "{{ .Release.Namespace }}"
              tls:
                certificatesSecret: postgres-tls
                secretNamespace: cert-manager
        `,
      },
    },
    {
      name: 'references, durations and settings about credentials',
      files: {
        'apps/grafana.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: grafana
          spec:
            values:
              grafana.ini:
                auth.generic_oauth:
                  client_secret: $__file{/etc/secrets/oauth/client-secret}
                  token_url: https://id.example.com/oauth/token
              onepassword:
                token: op://Automation/1password connect/token
              vals:
                password: ref+vault://secret/db#/password
              session:
                tokenRefresh: 720h
              auth:
                passwordPolicy: strong
                createSecret: yes-please
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'a literal password in a Deployment',
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
                      - name: DB_PASSWORD
                        value: hunter2
        `,
      },
      errors: [
        {
          messageId: 'envLiteral',
          data: { variable: 'DB_PASSWORD', container: 'api' },
          file: 'apps/api.yaml', line: 13, column: 22, endLine: 13, endColumn: 29,
        },
      ],
    },
    {
      name: 'a plaintext chart password and a Dagster map-form env secret',
      files: {
        'deploy/release.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: dagster
          spec:
            values:
              postgresql:
                postgresqlPassword: test
              dagster-user-deployments:
                deployments:
                  - name: lotus-lake
                    image:
                      repository: ghcr.io/matta-kelly/lotus-lake
                      tag: 3f2a9c1
                    env:
                      S3_ENDPOINT: http://seaweedfs-s3.seaweedfs:8333
                      S3_SECRET_ACCESS_KEY: "c2VjcmV0LWtleQ"
        `,
      },
      errors: [
        {
          messageId: 'helmValue',
          data: { key: 'postgresql.postgresqlPassword', release: 'dagster' },
          file: 'deploy/release.yaml', line: 8, column: 27, endLine: 8, endColumn: 31,
        },
        {
          messageId: 'helmEnv',
          data: { variable: 'S3_SECRET_ACCESS_KEY', key: 'dagster-user-deployments.deployments[0].env.S3_SECRET_ACCESS_KEY', release: 'dagster' },
          file: 'deploy/release.yaml', line: 17, column: 35, endLine: 17, endColumn: 51,
        },
      ],
    },
    {
      name: 'an EnvVar list in values and a Dagster run launcher envVars string',
      files: {
        'deploy/release.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: dagster
          spec:
            values:
              dagsterWebserver:
                env:
                  - name: DAGSTER_CLOUD_API_TOKEN
                    value: user:abc123
              runLauncher:
                config:
                  k8sRunLauncher:
                    envVars:
                      - "DAGSTER_HOME=/opt/dagster/home"
                      - "SLACK_TOKEN=xoxb-123-456"
        `,
      },
      errors: [
        {
          messageId: 'helmEnv',
          data: { variable: 'DAGSTER_CLOUD_API_TOKEN', key: 'dagsterWebserver.env[0]', release: 'dagster' },
          file: 'deploy/release.yaml', line: 10, column: 18, endLine: 10, endColumn: 29,
        },
        {
          messageId: 'helmEnv',
          data: { variable: 'SLACK_TOKEN', key: 'runLauncher.config.k8sRunLauncher.envVars[1]', release: 'dagster' },
          file: 'deploy/release.yaml', line: 16, column: 15, endLine: 16, endColumn: 41,
        },
      ],
    },
    {
      name: 'an init container API key and a token in a URL query',
      files: {
        'jobs/sync.yaml': yaml`
          apiVersion: batch/v1
          kind: CronJob
          metadata:
            name: sync
          spec:
            schedule: "*/5 * * * *"
            jobTemplate:
              spec:
                template:
                  spec:
                    initContainers:
                      - name: fetch
                        image: ghcr.io/acme/fetch:1.0.0
                        env:
                          - { name: OPENAI_API_KEY, value: 'sk-proj-abc' }
                    containers:
                      - name: sync
                        image: ghcr.io/acme/sync:1.0.0
                        env:
                          - name: WEBHOOK_TOKEN
                            value: https://hooks.example.com/in?token=abc
        `,
      },
      errors: [
        {
          messageId: 'envLiteral',
          data: { variable: 'OPENAI_API_KEY', container: 'fetch' },
          file: 'jobs/sync.yaml', line: 15, column: 50, endLine: 15, endColumn: 63,
        },
        {
          messageId: 'envLiteral',
          data: { variable: 'WEBHOOK_TOKEN', container: 'sync' },
          file: 'jobs/sync.yaml', line: 21, column: 26, endLine: 21, endColumn: 64,
        },
      ],
    },
    {
      name: 'credentials that are common words: the Flux monitoring example and a MySQL root password',
      files: {
        'monitoring/kube-prometheus-stack.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: kube-prometheus-stack
          spec:
            values:
              grafana:
                adminPassword: flux
        `,
        'apps/mysql.yaml': yaml`
          apiVersion: apps/v1
          kind: StatefulSet
          metadata:
            name: mysql
          spec:
            template:
              spec:
                containers:
                  - name: mysql
                    image: mysql:8.4.0
                    env:
                      - name: MYSQL_ROOT_PASSWORD
                        value: password
                      - name: SECRET_KEY
                        value: django-insecure-abc
        `,
      },
      errors: [
        {
          messageId: 'envLiteral',
          data: { variable: 'MYSQL_ROOT_PASSWORD', container: 'mysql' },
          file: 'apps/mysql.yaml', line: 13, column: 22, endLine: 13, endColumn: 30,
        },
        {
          messageId: 'envLiteral',
          data: { variable: 'SECRET_KEY', container: 'mysql' },
          file: 'apps/mysql.yaml', line: 15, column: 22, endLine: 15, endColumn: 41,
        },
        {
          messageId: 'helmValue',
          data: { key: 'grafana.adminPassword', release: 'kube-prometheus-stack' },
          file: 'monitoring/kube-prometheus-stack.yaml', line: 8, column: 22, endLine: 8, endColumn: 26,
        },
      ],
    },
    {
      name: 'a Secret-name key that holds a credential, and an OAuth client secret shaped like a name',
      files: {
        'apps/oauth.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: oauth2-proxy
          spec:
            values:
              config:
                existingSecret: 0f2a9c1b8e7d6c5b4a3f2e1d
                clientSecret: grafana-oauth
        `,
      },
      errors: [
        {
          messageId: 'helmValue',
          data: { key: 'config.existingSecret', release: 'oauth2-proxy' },
          file: 'apps/oauth.yaml', line: 8, column: 23, endLine: 8, endColumn: 47,
        },
        {
          messageId: 'helmValue',
          data: { key: 'config.clientSecret', release: 'oauth2-proxy' },
          file: 'apps/oauth.yaml', line: 9, column: 21, endLine: 9, endColumn: 34,
        },
      ],
    },
  ],
});

describe('no-plaintext-sensitive-env output', () => {
  it('never contains the value, in messages or anywhere in the findings', async () => {
    const result = await lintExample(rule, {
      files: {
        'apps/api.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: api
          spec:
            containers:
              - name: api
                image: ghcr.io/acme/api:1.0.0
                env:
                  - name: DB_PASSWORD
                    value: hunter2-plaintext
          ---
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: airbyte
          spec:
            values:
              auth:
                password: admin-plaintext
        `,
      },
    });
    expect(result.findings.map((finding) => finding.messageId)).toEqual(['envLiteral', 'helmValue']);
    const serialized = JSON.stringify(result.findings);
    expect(serialized).not.toContain('hunter2-plaintext');
    expect(serialized).not.toContain('admin-plaintext');
  });

  it('masks a credential in the code frame under a name that was not masked before the credential judgement', async () => {
    const result = await lintExample(rule, {
      files: {
        'apps/web.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            containers:
              - name: web
                image: ghcr.io/acme/web:1.0.0
                env:
                  - name: SECRET_KEY
                    value: django-insecure-plaintext
        `,
      },
    });
    const [finding] = result.findings;
    expect(finding?.location.startLine).toBe(11);
    expect(result.sourceLines(finding!.location.root, finding!.location.file, 11, 11)).toEqual(['          value: ***']);
  });
});
