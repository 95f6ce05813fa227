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
});
