import rule from '../../rules/secret-ref-exists.js';
import { describe, expect, it } from 'vitest';
import { lintExample, RuleTester, yaml } from '../../src/testing/index.js';

/** h-kube: lotus-lake's GitRepository, the Kustomization applying ./deploy, and SOPS credentials. */
const clusterRepo = (deployExtra = '') => ({
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
        name: lotus-lake${deployExtra}
  `,
  'cluster/namespaces/lotus-lake/secrets.yaml': yaml`
    apiVersion: v1
    kind: Secret
    metadata:
        name: lotus-lake-terraform-vars
        namespace: lotus-lake
    type: Opaque
    stringData:
        S3_ACCESS_KEY_ID: ENC[AES256_GCM,data:bHhX2x9Q1XFmxVvQMO8KFdfjysoABg==,iv:iReO5zYsAUcfMt4BBcaTvignscCIpXqbZYSIgLihhCA=,tag:pFBTfiVGgLkLXcy/oe8glg==,type:str]
        S3_SECRET_ACCESS_KEY: ENC[AES256_GCM,data:jw+CtevDPsJMNTCIp+9zSHdkYovPNYqjmZAsgXI4DQ==,iv:2Ti/jMmCnSBspy+/iyg7+ICKQduaJSXgE8Xs7O1IxI8=,tag:x0p4HlUcj/H8AVBCGQSHRg==,type:str]
        airbyte_client_id: ENC[AES256_GCM,data:Trmy5SyJVTxAAu7hC5oawQ==,iv:8ehoDxtubu1dyuAKTG1NXVT5n1nMML+RSWBkMBekuE4=,tag:VNjR3knO7uxgBiNPKRG8dg==,type:str]
    sops:
        lastmodified: "2025-02-09T21:03:44Z"
        mac: ENC[AES256_GCM,data:BThk3TKHEf/MqApQe9ZwJZL1Icc=,iv:tmTUFilznmU6qedcXWFJ7qdNqWJwpVrFivU8Kzd0HpQ=,tag:vECU1E51M3l2r6p8UNO1lg==,type:str]
        encrypted_regex: ^(data|stringData)$
        version: 3.9.4
  `,
});

const job = (env: string) => yaml`
  # Nightly compaction of the raw DuckLake tables.
  apiVersion: batch/v1
  kind: CronJob
  metadata:
    name: raw-compaction
  spec:
    schedule: "0 4 * * *"
    jobTemplate:
      spec:
        template:
          spec:
            restartPolicy: OnFailure
            containers:
              - name: compact
                image: ghcr.io/matta-kelly/lotus-lake:a8e5a37
                env: ${env}
`;

const database = (name: string, extra = '') => yaml`
  apiVersion: postgresql.cnpg.io/v1
  kind: Cluster
  metadata:
    name: ${name}
  spec:
    instances: 2
    storage:
      size: 5Gi${extra}
`;

const dagsterRelease = (userDeployment: string, releaseExtra = '') => yaml`
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata:
    name: dagster
  spec:
    interval: 30m
    chart:
      spec:
        chart: dagster
        sourceRef:
          kind: HelmRepository
          name: dagster${releaseExtra}
    values:
      dagster-user-deployments:
        deployments:
          - name: lotus-lake
            image:
              repository: ghcr.io/matta-kelly/lotus-lake
              tag: "a8e5a37a0f7797e1465be66b5dbdb723a8089c09"${userDeployment}
`;

const fluxSystem = (extra: string) => yaml`
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
    targetNamespace: lotus-lake
    sourceRef:
      kind: GitRepository
      name: flux-system${extra}
`;

/** What `flux bootstrap` commits: GitRepository and Kustomization flux-system/flux-system. */
const gotkSync = yaml`
  apiVersion: source.toolkit.fluxcd.io/v1
  kind: GitRepository
  metadata:
    name: flux-system
    namespace: flux-system
  spec:
    interval: 1m0s
    ref:
      branch: main
    secretRef:
      name: flux-system
    url: ssh://git@github.com/matta-kelly/h-kube
  ---
  apiVersion: kustomize.toolkit.fluxcd.io/v1
  kind: Kustomization
  metadata:
    name: flux-system
    namespace: flux-system
  spec:
    interval: 10m0s
    path: ./clusters/homelab
    prune: true
    sourceRef:
      kind: GitRepository
      name: flux-system
`;

/** The seed's lotus-lake GitRepository, authenticated with the bootstrap Secret. */
const lotusLakeSource = (namespace: string) => yaml`
  apiVersion: source.toolkit.fluxcd.io/v1
  kind: GitRepository
  metadata:
    name: lotus-lake
    namespace: ${namespace}
  spec:
    interval: 5m
    url: ssh://git@github.com/matta-kelly/lotus-lake
    ref:
      branch: main
    secretRef:
      name: flux-system
`;

/** A Secret in flux-system with these (SOPS-encrypted) keys. */
const fluxSecret = (name: string, keys: string[]) =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: flux-system\nstringData:\n${keys.map((key) => `  ${key}: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]\n`).join('')}sops:\n  mac: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]\n`;

/** A Deployment of cube with these pod volumes. */
const cubeWithVolumes = (volumes: string) => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: cube
  spec:
    template:
      spec:
        containers:
          - name: cube
            image: ghcr.io/matta-kelly/lotus-lake-cube:2a51271
        volumes: ${volumes}
`;

/** A Grafana HelmRelease whose values name an existing Secret. */
const grafana = (existingSecret: string, specExtra = '') => yaml`
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata:
    name: grafana
  spec:
    interval: 30m${specExtra}
    chart:
      spec:
        chart: grafana
        sourceRef:
          kind: HelmRepository
          name: grafana
    values:
      admin:
        existingSecret: ${existingSecret}
`;

const externalSecret = (target: string) => yaml`
  apiVersion: external-secrets.io/v1
  kind: ExternalSecret
  metadata:
    name: grafana-admin
  spec:
    secretStoreRef:
      kind: ClusterSecretStore
      name: vault
    target:
      name: ${target}
    data:
      - secretKey: admin-password
        remoteRef:
          key: grafana
`;

/** A Cluster API Cluster in `fleet` and a Kustomization in `namespace` deploying to it. */
const capiFleet = (namespace: string) => yaml`
  apiVersion: cluster.x-k8s.io/v1beta1
  kind: Cluster
  metadata:
    name: staging
    namespace: fleet
  spec:
    controlPlaneRef:
      kind: KubeadmControlPlane
      name: staging
  ---
  apiVersion: kustomize.toolkit.fluxcd.io/v1
  kind: Kustomization
  metadata:
    name: staging-apps
    namespace: ${namespace}
  spec:
    interval: 10m
    prune: true
    path: ./staging
    sourceRef:
      kind: GitRepository
      name: flux-system
      namespace: flux-system
    kubeConfig:
      secretRef:
        name: staging-kubeconfig
`;

/** A wildcard certificate in cert-manager that Reflector copies into `namespaces`. */
const reflectedCertificate = (namespaces: string) => yaml`
  apiVersion: cert-manager.io/v1
  kind: Certificate
  metadata:
    name: wildcard
    namespace: cert-manager
  spec:
    secretName: wildcard-tls
    dnsNames: ["*.example.com"]
    issuerRef:
      kind: ClusterIssuer
      name: letsencrypt
    secretTemplate:
      annotations:
        reflector.v1.k8s.emberstack.com/reflection-allowed: "true"
        reflector.v1.k8s.emberstack.com/reflection-auto-enabled: "true"
        reflector.v1.k8s.emberstack.com/reflection-auto-namespaces: "${namespaces}"
`;

/** A Flux Operator FluxInstance syncing the cluster repo over SSH, and a Kustomization of it. */
const fluxInstance = yaml`
  apiVersion: fluxcd.controlplane.io/v1
  kind: FluxInstance
  metadata:
    name: flux
    namespace: flux-system
  spec:
    distribution:
      version: "2.x"
      registry: ghcr.io/fluxcd
      artifactPullSecret: flux-manifests-auth
    sync:
      kind: GitRepository
      url: ssh://git@github.com/matta-kelly/h-kube
      ref: refs/heads/main
      path: clusters/homelab
      pullSecret: h-kube-deploy-key
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
      name: flux-system
`;

new RuleTester().run(rule, {
  valid: [
    {
      name: 'a key present in a CNPG-generated Secret',
      roots: {
        'lotus-lake': {
          'deploy/database.yaml': database('ducklake-db'),
          'deploy/compaction.yaml': job('\n                - name: DUCKLAKE_DB_PASSWORD\n                  valueFrom:\n                    secretKeyRef: {name: ducklake-db-app, key: password}'),
        },
        'h-kube': clusterRepo(),
      },
    },
    {
      name: 'keys of a SOPS Secret in the cluster repo, read from HelmRelease values in the app repo',
      roots: {
        'lotus-lake': {
          'deploy/release.yaml': dagsterRelease(
            '\n            env:\n              - name: S3_ACCESS_KEY_ID\n                valueFrom:\n                  secretKeyRef:\n                    name: lotus-lake-terraform-vars\n                    key: S3_ACCESS_KEY_ID\n            envSecrets:\n              - name: lotus-lake-terraform-vars',
          ),
        },
        'h-kube': clusterRepo(),
      },
    },
    {
      name: 'the app repo linted alone: Secrets of the cluster repo are not reported',
      files: { 'deploy/compaction.yaml': job('\n                - name: S3_SECRET_KEY\n                  valueFrom:\n                    secretKeyRef: {name: lotus-lake-terraform-vars, key: S3_SECRET_KEY}') },
    },
    {
      name: 'optional references, externalSecrets from the config, and Secrets written by controllers',
      files: {
        '.gitops-lint.yaml': 'externalSecrets:\n  - name: sops-age\n    namespace: flux-system\n    keys: [age.agekey]\n  - ghcr-pull\n',
        'clusters/flux.yaml': fluxSystem('\n    decryption:\n      provider: sops\n      secretRef:\n        name: sops-age'),
        'apps/compaction.yaml': job(
          '\n                - name: OPTIONAL\n                  valueFrom:\n                    secretKeyRef: {name: absent, key: x, optional: true}\n                - name: PULL\n                  valueFrom:\n                    secretKeyRef: {name: ghcr-pull, key: anything}\n                - name: TOKEN\n                  valueFrom:\n                    secretKeyRef: {name: airbyte-outputs, key: api_token}\n                - name: TLS\n                  valueFrom:\n                    secretKeyRef: {name: cube-tls, key: tls.crt}',
        ),
        'apps/terraform.yaml': yaml`
          apiVersion: infra.contrib.fluxcd.io/v1alpha2
          kind: Terraform
          metadata:
            name: airbyte
          spec:
            interval: 10m
            writeOutputsToSecret:
              name: airbyte-outputs
              outputs: [workspace_id, token:api_token]
          ---
          apiVersion: cert-manager.io/v1
          kind: Certificate
          metadata:
            name: cube
          spec:
            secretName: cube-tls
        `,
      },
    },
    {
      name: 'substituteFrom and decryption read the Kustomization namespace, valuesFrom and varsFrom the object namespace',
      files: {
        'clusters/flux.yaml': fluxSystem('\n    decryption:\n      provider: sops\n      secretRef:\n        name: sops-age\n    postBuild:\n      substituteFrom:\n        - kind: ConfigMap\n          name: cluster-vars'),
        'clusters/vars.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-vars\n  namespace: flux-system\ndata:\n  CLUSTER_NAME: homelab\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: sops-age\n  namespace: flux-system\nstringData:\n  age.agekey: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]\n',
        'apps/values.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dagster-values\ndata:\n  values.yaml: |\n    telemetry:\n      enabled: false\n',
        'apps/release.yaml': dagsterRelease('', '\n    valuesFrom:\n      - kind: ConfigMap\n        name: dagster-values'),
        'apps/terraform.yaml': yaml`
          apiVersion: infra.contrib.fluxcd.io/v1alpha2
          kind: Terraform
          metadata:
            name: airbyte
          spec:
            interval: 10m
            varsFrom:
              - kind: ConfigMap
                name: dagster-values
                varsKeys: ["values.yaml:values_yaml"]
        `,
      },
    },
    {
      name: 'the seed: GitRepository lotus-lake in flux-system reads the bootstrap Secret flux-system',
      files: { 'clusters/homelab/flux-system/gotk-sync.yaml': gotkSync, 'clusters/homelab/lotus-lake-source.yaml': lotusLakeSource('flux-system') },
    },
    {
      name: 'source, kubeConfig, notification and image automation Secrets with the keys their controllers need',
      files: {
        'clusters/homelab/flux-system/gotk-sync.yaml': gotkSync,
        'clusters/homelab/secrets.yaml': [
          fluxSecret('deploy-key', ['identity', 'known_hosts']),
          fluxSecret('proxy', ['address']),
          fluxSecret('staging-kubeconfig', ['value.yaml']),
          fluxSecret('webhook-token', ['token']),
          fluxSecret('slack-url', ['address']),
          fluxSecret('ghcr-auth', ['.dockerconfigjson']),
        ].join('---\n'),
        'clusters/homelab/objects.yaml': yaml`
          apiVersion: source.toolkit.fluxcd.io/v1
          kind: GitRepository
          metadata:
            name: platform
            namespace: flux-system
          spec:
            interval: 5m
            url: ssh://git@github.com/matta-kelly/platform
            secretRef:
              name: deploy-key
            proxySecretRef:
              name: proxy
          ---
          apiVersion: kustomize.toolkit.fluxcd.io/v1
          kind: Kustomization
          metadata:
            name: staging
            namespace: flux-system
          spec:
            interval: 10m
            prune: true
            path: ./staging
            sourceRef:
              kind: GitRepository
              name: flux-system
            kubeConfig:
              secretRef:
                name: staging-kubeconfig
          ---
          apiVersion: notification.toolkit.fluxcd.io/v1
          kind: Receiver
          metadata:
            name: github
            namespace: flux-system
          spec:
            type: github
            resources:
              - kind: GitRepository
                name: flux-system
            secretRef:
              name: webhook-token
          ---
          apiVersion: notification.toolkit.fluxcd.io/v1beta3
          kind: Provider
          metadata:
            name: slack
            namespace: flux-system
          spec:
            type: slack
            secretRef:
              name: slack-url
          ---
          apiVersion: image.toolkit.fluxcd.io/v1
          kind: ImageRepository
          metadata:
            name: lotus-lake
            namespace: flux-system
          spec:
            image: ghcr.io/matta-kelly/lotus-lake
            interval: 5m
            secretRef:
              name: ghcr-auth
        `,
      },
    },
    {
      name: 'volumes of Secrets written by cert-manager, an ExternalSecret (its own name) and a SealedSecret, and an optional volume',
      files: {
        'clusters/flux.yaml': fluxSystem(''),
        'apps/cube.yaml': cubeWithVolumes(`
          - name: tls
            secret:
              secretName: cube-tls
              items:
                - key: tls.crt
                  path: tls.crt
          - name: api
            projected:
              sources:
                - secret:
                    name: cube-api
                - secret:
                    name: cube-sealed
                    items:
                      - key: CUBEJS_API_SECRET
                        path: api-secret
          - name: extra
            configMap:
              name: cube-extra
              optional: true
              items:
                - key: absent
                  path: absent`),
        'apps/secrets.yaml': yaml`
          apiVersion: cert-manager.io/v1
          kind: Certificate
          metadata:
            name: cube
          spec:
            secretName: cube-tls
            issuerRef:
              name: letsencrypt
          ---
          apiVersion: external-secrets.io/v1
          kind: ExternalSecret
          metadata:
            name: cube-api
          spec:
            secretStoreRef:
              name: vault
            dataFrom:
              - extract:
                  key: cube
          ---
          apiVersion: bitnami.com/v1alpha1
          kind: SealedSecret
          metadata:
            name: cube-sealed
          spec:
            encryptedData:
              CUBEJS_API_SECRET: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq
            template:
              metadata:
                name: ignored-by-the-controller
        `,
      },
    },
    {
      name: 'Helm values: existingSecret "{{ .Release.Name }}-secret" is the target of an ExternalSecret',
      files: { 'clusters/flux.yaml': fluxSystem(''), 'apps/grafana.yaml': grafana('"{{ .Release.Name }}-secret"'), 'apps/external.yaml': externalSecret('grafana-secret') },
    },
    {
      name: 'Helm values: a template with other expressions, a disabled subchart, and a Secret another release\'s chart may create are not checked',
      files: {
        'clusters/flux.yaml': fluxSystem(''),
        'apps/grafana.yaml': grafana('"{{ include \\"grafana.fullname\\" . }}-admin"') + yaml`
              postgresql:
                enabled: false
                auth:
                  existingSecret: grafana-postgresql
        `.replace(/^/gm, '    ').replace(/^ +$/gm, ''),
        'apps/postgresql.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: postgresql
          spec:
            interval: 30m
            chart:
              spec:
                chart: postgresql
                sourceRef:
                  kind: HelmRepository
                  name: bitnami
        `,
        'apps/compaction.yaml': job('\n                - name: PGPASSWORD\n                  valueFrom:\n                    secretKeyRef: {name: postgresql-auth, key: password}'),
      },
    },
    {
      name: 'a kubeConfig Secret that Cluster API writes for its Cluster, read from the same namespace',
      files: { 'clusters/homelab/flux-system/gotk-sync.yaml': gotkSync, 'clusters/homelab/fleet.yaml': capiFleet('fleet') },
    },
    {
      name: 'a volume of the CA Secret CloudNativePG creates for its Cluster',
      files: {
        'clusters/flux.yaml': fluxSystem(''),
        'apps/database.yaml': database('ducklake-db'),
        'apps/cube.yaml': cubeWithVolumes(`
          - name: pg-ca
            secret:
              secretName: ducklake-db-ca
              items:
                - key: ca.crt
                  path: ca.crt`),
      },
    },
    {
      name: 'Secrets that Reflector, kubernetes-replicator and a ClusterExternalSecret put into the pod namespace, and a replica Secret whose keys are not in git',
      files: {
        'clusters/flux.yaml': fluxSystem(''),
        'clusters/certificate.yaml': reflectedCertificate('monitoring,lotus-lake'),
        'clusters/replicated.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
            name: s3-credentials
            namespace: flux-system
            annotations:
              replicator.v1.mittwald.de/replicate-to: "lotus-.*"
          stringData:
            S3_ACCESS_KEY_ID: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]
          sops:
            mac: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]
          ---
          apiVersion: external-secrets.io/v1
          kind: ClusterExternalSecret
          metadata:
            name: ghcr-pull
          spec:
            namespaceSelectors:
              - matchLabels: {registry: ghcr}
            externalSecretSpec:
              secretStoreRef:
                kind: ClusterSecretStore
                name: vault
              dataFrom:
                - extract:
                    key: ghcr
        `,
        'apps/replica.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: smtp\n  annotations:\n    reflector.v1.k8s.emberstack.com/reflects: "mail/smtp"\n',
        'apps/cube.yaml': cubeWithVolumes(`
          - name: tls
            secret:
              secretName: wildcard-tls
          - name: creds
            projected:
              sources:
                - secret:
                    name: s3-credentials
                - secret:
                    name: ghcr-pull
                - secret:
                    name: smtp
                    items:
                      - key: password
                        path: smtp-password`),
      },
    },
    {
      name: 'FluxInstance: the sync pull Secret is created at bootstrap in its namespace (also for the flux-instance chart values), the artifact pull Secret is in git',
      files: {
        'clusters/homelab/flux-instance.yaml': fluxInstance,
        'clusters/homelab/secrets.yaml': fluxSecret('flux-manifests-auth', ['.dockerconfigjson']),
        'clusters/homelab/flux-instance-release.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: flux-instance
            namespace: flux-system
          spec:
            interval: 1h
            chartRef:
              kind: OCIRepository
              name: flux-instance
            values:
              instance:
                sync:
                  kind: GitRepository
                  url: ssh://git@github.com/matta-kelly/h-kube
                  path: clusters/homelab
                  pullSecret: h-kube-deploy-key
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'a secretKeyRef key missing from a SOPS Secret in the other repo',
      roots: {
        'lotus-lake': { 'deploy/compaction.yaml': job('\n                - name: S3_SECRET_KEY\n                  valueFrom:\n                    secretKeyRef: {name: lotus-lake-terraform-vars, key: S3_SECRET_KEY}') },
        'h-kube': clusterRepo(),
      },
      errors: [
        {
          messageId: 'missingKey',
          data: { kind: 'Secret', name: 'lotus-lake-terraform-vars', key: 'S3_SECRET_KEY', keys: 'S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, airbyte_client_id', effect: 'the container does not start', referrer: 'CronJob lotus-lake/raw-compaction' },
          root: 'lotus-lake', file: 'deploy/compaction.yaml', line: 19, column: 72, endLine: 19, endColumn: 85,
        },
      ],
    },
    {
      name: 'CloudNativePG Secrets that are not generated: superuser access off, and an owner Secret given',
      roots: {
        'lotus-lake': {
          'deploy/database.yaml': database('ducklake-db') + '---\n' + database('dagster-db', '\n    bootstrap:\n      initdb:\n        secret:\n          name: dagster-postgresql-secret'),
          'deploy/compaction.yaml': job(
            '\n                - name: PGPASSWORD\n                  valueFrom:\n                    secretKeyRef: {name: ducklake-db-superuser, key: password}\n                - name: DAGSTER_PG_PASSWORD\n                  valueFrom:\n                    secretKeyRef: {name: dagster-db-app, key: password}',
          ),
        },
        'h-kube': clusterRepo(),
      },
      errors: [
        {
          messageId: 'cnpgSuperuser',
          data: { kind: 'Secret', name: 'ducklake-db-superuser', cluster: 'ducklake-db', effect: 'the container does not start', referrer: 'CronJob lotus-lake/raw-compaction' },
          root: 'lotus-lake', file: 'deploy/compaction.yaml', line: 19, column: 40, endLine: 19, endColumn: 61,
        },
        {
          messageId: 'cnpgApp',
          data: { kind: 'Secret', name: 'dagster-db-app', cluster: 'dagster-db', secret: 'dagster-postgresql-secret', effect: 'the container does not start', referrer: 'CronJob lotus-lake/raw-compaction' },
          root: 'lotus-lake', file: 'deploy/compaction.yaml', line: 22, column: 40, endLine: 22, endColumn: 54,
        },
      ],
    },
    {
      name: 'substituteFrom and decryption look in the Kustomization namespace, not in targetNamespace',
      files: {
        'clusters/flux.yaml': fluxSystem('\n    decryption:\n      provider: sops\n      secretRef:\n        name: sops-age\n    postBuild:\n      substituteFrom:\n        - kind: ConfigMap\n          name: cluster-vars'),
        'apps/vars.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-vars\ndata:\n  CLUSTER_NAME: homelab\n',
      },
      errors: [
        {
          messageId: 'missing',
          data: { kind: 'Secret', name: 'sops-age', where: 'namespace flux-system', declare: 'with namespace: flux-system', referrer: 'Kustomization flux-system/apps', effect: 'Flux cannot decrypt the SOPS files it applies' },
          file: 'clusters/flux.yaml', line: 26, column: 13, endLine: 26, endColumn: 21,
        },
        {
          messageId: 'otherNamespace',
          data: {
            kind: 'ConfigMap', name: 'cluster-vars', found: 'lotus-lake', namespace: 'flux-system', referrer: 'Kustomization flux-system/apps', effect: 'the Kustomization fails to build',
            scope: "substituteFrom and decryption read from the Kustomization's own namespace, not from targetNamespace",
          },
          file: 'clusters/flux.yaml', line: 30, column: 15, endLine: 30, endColumn: 27,
        },
      ],
    },
    {
      name: 'a valuesFrom key, a varsKeys entry and a Dagster envSecrets name that do not exist',
      files: {
        'clusters/flux.yaml': fluxSystem(''),
        'apps/values.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dagster-values\ndata:\n  values.yml: "{}"\n',
        'apps/release.yaml': dagsterRelease('\n            envSecrets:\n              - name: dagster-s3', '\n    valuesFrom:\n      - kind: ConfigMap\n        name: dagster-values'),
        'apps/terraform.yaml': yaml`
          apiVersion: infra.contrib.fluxcd.io/v1alpha2
          kind: Terraform
          metadata:
            name: airbyte
          spec:
            interval: 10m
            varsFrom:
              - kind: ConfigMap
                name: dagster-values
                varsKeys:
                  - values.yml
                  - shopify_shop:shop
        `,
      },
      errors: [
        {
          messageId: 'missingKey',
          data: { kind: 'ConfigMap', name: 'dagster-values', key: 'values.yaml', keys: 'values.yml', effect: 'the Helm release fails', referrer: 'HelmRelease lotus-lake/dagster' },
          file: 'apps/release.yaml', line: 15, column: 13, endLine: 15, endColumn: 27,
        },
        {
          messageId: 'missing',
          data: { kind: 'Secret', name: 'dagster-s3', where: 'namespace lotus-lake', declare: 'with namespace: lotus-lake', effect: 'the container does not start', referrer: 'HelmRelease lotus-lake/dagster' },
          file: 'apps/release.yaml', line: 24, column: 21, endLine: 24, endColumn: 31,
        },
        {
          messageId: 'missingKey',
          data: { kind: 'ConfigMap', name: 'dagster-values', key: 'shopify_shop', keys: 'values.yml', effect: 'the variable is silently left empty or unset', referrer: 'Terraform lotus-lake/airbyte' },
          file: 'apps/terraform.yaml', line: 12, column: 11, endLine: 12, endColumn: 28,
        },
      ],
    },
    {
      name: 'configMapKeyRef, envFrom, envConfigMaps, Terraform runner env and backendConfigsFrom that do not resolve',
      files: {
        'clusters/flux.yaml': fluxSystem(''),
        'apps/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cube-config\ndata:\n  CUBEJS_DB_TYPE: duckdb\n',
        'apps/cube.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: cube
          spec:
            template:
              spec:
                containers:
                  - name: cube
                    image: ghcr.io/matta-kelly/lotus-lake-cube:2a51271
                    env:
                      - name: CUBEJS_DB_TYPE
                        valueFrom:
                          configMapKeyRef: {name: cube-config, key: DB_TYPE}
                    envFrom:
                      - configMapRef: {name: cube-config}
                      - secretRef: {name: cube-api}
        `,
        'apps/release.yaml': dagsterRelease('\n            envConfigMaps:\n              - name: dagster-env'),
        'apps/terraform.yaml': yaml`
          apiVersion: infra.contrib.fluxcd.io/v1alpha2
          kind: Terraform
          metadata:
            name: airbyte
          spec:
            interval: 10m
            backendConfigsFrom:
              - kind: Secret
                name: terraform-backend
            runnerPodTemplate:
              spec:
                env:
                  - name: TF_VAR_airbyte_url
                    valueFrom:
                      configMapKeyRef: {name: cube-config, key: AIRBYTE_URL}
        `,
      },
      errors: [
        {
          messageId: 'missingKey',
          data: { kind: 'ConfigMap', name: 'cube-config', key: 'DB_TYPE', keys: 'CUBEJS_DB_TYPE', effect: 'the container does not start', referrer: 'Deployment lotus-lake/cube' },
          file: 'apps/cube.yaml', line: 14, column: 59, endLine: 14, endColumn: 66,
        },
        {
          messageId: 'missing',
          data: { kind: 'Secret', name: 'cube-api', where: 'namespace lotus-lake', declare: 'with namespace: lotus-lake', effect: 'the container does not start', referrer: 'Deployment lotus-lake/cube' },
          file: 'apps/cube.yaml', line: 17, column: 33, endLine: 17, endColumn: 41,
        },
        {
          messageId: 'missingConfigMap',
          data: { kind: 'ConfigMap', name: 'dagster-env', where: 'namespace lotus-lake', effect: 'the container does not start', referrer: 'HelmRelease lotus-lake/dagster' },
          file: 'apps/release.yaml', line: 21, column: 21, endLine: 21, endColumn: 32,
        },
        {
          messageId: 'missing',
          data: { kind: 'Secret', name: 'terraform-backend', where: 'namespace lotus-lake', declare: 'with namespace: lotus-lake', effect: 'the Terraform backend cannot be configured', referrer: 'Terraform lotus-lake/airbyte' },
          file: 'apps/terraform.yaml', line: 9, column: 13, endLine: 9, endColumn: 30,
        },
        {
          messageId: 'missingKey',
          data: { kind: 'ConfigMap', name: 'cube-config', key: 'AIRBYTE_URL', keys: 'CUBEJS_DB_TYPE', effect: 'the runner pod does not start', referrer: 'Terraform lotus-lake/airbyte' },
          file: 'apps/terraform.yaml', line: 15, column: 55, endLine: 15, endColumn: 66,
        },
      ],
    },
    {
      name: 'a decryption Secret without an age key',
      files: {
        'clusters/flux.yaml': fluxSystem('\n    decryption:\n      provider: sops\n      secretRef:\n        name: sops-age'),
        'clusters/sops-age.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: sops-age\n  namespace: flux-system\nstringData:\n  identity: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]\n',
      },
      errors: [
        { messageId: 'noDecryptionKey', data: { name: 'sops-age', keys: 'identity' }, file: 'clusters/flux.yaml', line: 26, column: 13, endLine: 26, endColumn: 21 },
      ],
    },
    {
      name: 'the seed: GitRepository lotus-lake in namespace lotus-lake reads the bootstrap Secret, which exists only in flux-system',
      files: { 'clusters/homelab/flux-system/gotk-sync.yaml': gotkSync, 'clusters/homelab/lotus-lake-source.yaml': lotusLakeSource('lotus-lake') },
      errors: [
        {
          messageId: 'otherNamespace',
          data: {
            kind: 'Secret', name: 'flux-system', found: 'flux-system', namespace: 'lotus-lake', referrer: 'GitRepository lotus-lake/lotus-lake',
            effect: 'source-controller cannot fetch the GitRepository', scope: 'the controller reads it from the namespace of the object that references it',
          },
          file: 'clusters/homelab/lotus-lake-source.yaml', line: 12, column: 11, endLine: 12, endColumn: 22,
        },
      ],
    },
    {
      name: 'source Secrets: a missing certSecretRef, SSH keys and a proxy address that are not there, a verify Secret in another namespace',
      files: {
        'clusters/homelab/flux-system/gotk-sync.yaml': gotkSync,
        'clusters/homelab/secrets.yaml': [fluxSecret('deploy-key', ['username', 'password']), fluxSecret('proxy', ['url']), fluxSecret('cosign-pub', ['cosign.pub'])].join('---\n'),
        'clusters/homelab/sources.yaml': yaml`
          apiVersion: source.toolkit.fluxcd.io/v1
          kind: GitRepository
          metadata:
            name: platform
            namespace: flux-system
          spec:
            interval: 5m
            url: ssh://git@github.com/matta-kelly/platform
            secretRef:
              name: deploy-key
            proxySecretRef:
              name: proxy
          ---
          apiVersion: source.toolkit.fluxcd.io/v1
          kind: HelmRepository
          metadata:
            name: dagster
            namespace: flux-system
          spec:
            interval: 1h
            url: https://dagster-io.github.io/helm
            certSecretRef:
              name: dagster-ca
          ---
          apiVersion: source.toolkit.fluxcd.io/v1
          kind: OCIRepository
          metadata:
            name: podinfo
            namespace: apps
          spec:
            interval: 10m
            url: oci://ghcr.io/stefanprodan/manifests/podinfo
            verify:
              provider: cosign
              secretRef:
                name: cosign-pub
        `,
      },
      errors: [
        {
          messageId: 'missingRequiredKey',
          data: {
            kind: 'Secret', name: 'deploy-key', key: 'identity', keys: 'password, username', referrer: 'GitRepository flux-system/platform',
            reason: 'its ssh:// URL authenticates with this private key', effect: 'source-controller cannot fetch the GitRepository',
          },
          file: 'clusters/homelab/sources.yaml', line: 10, column: 11, endLine: 10, endColumn: 21,
        },
        {
          messageId: 'missingRequiredKey',
          data: {
            kind: 'Secret', name: 'deploy-key', key: 'known_hosts', keys: 'password, username', referrer: 'GitRepository flux-system/platform',
            reason: 'its ssh:// URL checks the server against these host keys', effect: 'source-controller cannot fetch the GitRepository',
          },
          file: 'clusters/homelab/sources.yaml', line: 10, column: 11, endLine: 10, endColumn: 21,
        },
        {
          messageId: 'missingRequiredKey',
          data: {
            kind: 'Secret', name: 'proxy', key: 'address', keys: 'url', referrer: 'GitRepository flux-system/platform',
            reason: 'it holds the proxy URL', effect: 'source-controller cannot fetch the GitRepository',
          },
          file: 'clusters/homelab/sources.yaml', line: 12, column: 11, endLine: 12, endColumn: 16,
        },
        {
          messageId: 'missing',
          data: {
            kind: 'Secret', name: 'dagster-ca', where: 'namespace flux-system', declare: 'with namespace: flux-system', referrer: 'HelmRepository flux-system/dagster',
            effect: 'source-controller cannot fetch the HelmRepository',
          },
          file: 'clusters/homelab/sources.yaml', line: 23, column: 11, endLine: 23, endColumn: 21,
        },
        {
          messageId: 'otherNamespace',
          data: {
            kind: 'Secret', name: 'cosign-pub', found: 'flux-system', namespace: 'apps', referrer: 'OCIRepository apps/podinfo',
            effect: 'source-controller cannot verify the OCIRepository, so it is not used', scope: 'the controller reads it from the namespace of the object that references it',
          },
          file: 'clusters/homelab/sources.yaml', line: 36, column: 13, endLine: 36, endColumn: 23,
        },
      ],
    },
    {
      name: 'kubeConfig Secrets without the key named, or without value or value.yaml',
      files: {
        'clusters/homelab/flux-system/gotk-sync.yaml': gotkSync,
        'clusters/homelab/secrets.yaml': fluxSecret('staging-kubeconfig', ['config']),
        'clusters/homelab/remote.yaml': yaml`
          apiVersion: kustomize.toolkit.fluxcd.io/v1
          kind: Kustomization
          metadata:
            name: staging
            namespace: flux-system
          spec:
            interval: 10m
            prune: true
            path: ./staging
            sourceRef:
              kind: GitRepository
              name: flux-system
            kubeConfig:
              secretRef:
                name: staging-kubeconfig
          ---
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: podinfo
            namespace: flux-system
          spec:
            interval: 30m
            chartRef:
              kind: OCIRepository
              name: podinfo
            kubeConfig:
              secretRef:
                name: staging-kubeconfig
                key: kubeconfig.yaml
        `,
      },
      errors: [
        {
          messageId: 'missingRequiredKey',
          data: {
            kind: 'Secret', name: 'staging-kubeconfig', key: 'value or value.yaml', keys: 'config', referrer: 'Kustomization flux-system/staging',
            reason: 'kubeConfig.secretRef sets no key, so the kubeconfig is read from value or value.yaml', effect: 'the controller cannot connect to the remote cluster',
          },
          file: 'clusters/homelab/remote.yaml', line: 15, column: 13, endLine: 15, endColumn: 31,
        },
        {
          messageId: 'missingKey',
          data: { kind: 'Secret', name: 'staging-kubeconfig', key: 'kubeconfig.yaml', keys: 'config', referrer: 'HelmRelease flux-system/podinfo', effect: 'the controller cannot connect to the remote cluster' },
          file: 'clusters/homelab/remote.yaml', line: 30, column: 12, endLine: 30, endColumn: 27,
        },
      ],
    },
    {
      name: 'notification and image automation Secrets: a missing Provider Secret, a Receiver token, an ImageRepository Secret in another namespace',
      files: {
        'clusters/homelab/flux-system/gotk-sync.yaml': gotkSync,
        'clusters/homelab/secrets.yaml': [fluxSecret('webhook-token', ['secret']), fluxSecret('ghcr-auth', ['.dockerconfigjson'])].join('---\n'),
        'clusters/homelab/notifications.yaml': yaml`
          apiVersion: notification.toolkit.fluxcd.io/v1beta3
          kind: Provider
          metadata:
            name: slack
            namespace: flux-system
          spec:
            type: slack
            secretRef:
              name: slack-url
          ---
          apiVersion: notification.toolkit.fluxcd.io/v1
          kind: Receiver
          metadata:
            name: github
            namespace: flux-system
          spec:
            type: github
            resources:
              - kind: GitRepository
                name: flux-system
            secretRef:
              name: webhook-token
          ---
          apiVersion: image.toolkit.fluxcd.io/v1
          kind: ImageRepository
          metadata:
            name: lotus-lake
            namespace: lotus-lake
          spec:
            image: ghcr.io/matta-kelly/lotus-lake
            interval: 5m
            secretRef:
              name: ghcr-auth
        `,
      },
      errors: [
        {
          messageId: 'missing',
          data: {
            kind: 'Secret', name: 'slack-url', where: 'namespace flux-system', declare: 'with namespace: flux-system', referrer: 'Provider flux-system/slack',
            effect: 'notification-controller cannot send alerts through this Provider',
          },
          file: 'clusters/homelab/notifications.yaml', line: 9, column: 11, endLine: 9, endColumn: 20,
        },
        {
          messageId: 'missingRequiredKey',
          data: {
            kind: 'Secret', name: 'webhook-token', key: 'token', keys: 'secret', referrer: 'Receiver flux-system/github',
            reason: 'it validates webhook calls with it', effect: 'the Receiver is not ready and its webhook rejects every call',
          },
          file: 'clusters/homelab/notifications.yaml', line: 22, column: 11, endLine: 22, endColumn: 24,
        },
        {
          messageId: 'otherNamespace',
          data: {
            kind: 'Secret', name: 'ghcr-auth', found: 'flux-system', namespace: 'lotus-lake', referrer: 'ImageRepository lotus-lake/lotus-lake',
            effect: 'image-reflector-controller cannot scan the registry', scope: 'the controller reads it from the namespace of the object that references it',
          },
          file: 'clusters/homelab/notifications.yaml', line: 33, column: 11, endLine: 33, endColumn: 20,
        },
      ],
    },
    {
      name: 'volumes: a missing Secret, a missing ConfigMap key, and a missing projected Secret',
      files: {
        'clusters/flux.yaml': fluxSystem(''),
        'apps/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cube-config\ndata:\n  cube.js: "{}"\n',
        'apps/cube.yaml': cubeWithVolumes(`
          - name: tls
            secret:
              secretName: cube-tls
          - name: config
            configMap:
              name: cube-config
              items:
                - key: schema.yml
                  path: schema.yml
          - name: api
            projected:
              sources:
                - configMap:
                    name: cube-config
                - secret:
                    name: cube-api`),
      },
      errors: [
        {
          messageId: 'missing',
          data: { kind: 'Secret', name: 'cube-tls', where: 'namespace lotus-lake', declare: 'with namespace: lotus-lake', referrer: 'Deployment lotus-lake/cube', effect: 'the pod does not start (its volume cannot be mounted)' },
          file: 'apps/cube.yaml', line: 14, column: 25, endLine: 14, endColumn: 33,
        },
        {
          messageId: 'missingKey',
          data: { kind: 'ConfigMap', name: 'cube-config', key: 'schema.yml', keys: 'cube.js', referrer: 'Deployment lotus-lake/cube', effect: 'the pod does not start (its volume cannot be mounted)' },
          file: 'apps/cube.yaml', line: 19, column: 22, endLine: 19, endColumn: 32,
        },
        {
          messageId: 'missing',
          data: { kind: 'Secret', name: 'cube-api', where: 'namespace lotus-lake', declare: 'with namespace: lotus-lake', referrer: 'Deployment lotus-lake/cube', effect: 'the pod does not start (its volume cannot be mounted)' },
          file: 'apps/cube.yaml', line: 27, column: 25, endLine: 27, endColumn: 33,
        },
      ],
    },
    {
      name: 'Helm values: existingSecret "{{ .Release.Name }}-secret" that no ExternalSecret writes, and one resolved with targetNamespace',
      files: {
        'clusters/flux.yaml': fluxSystem(''),
        'apps/grafana.yaml': grafana('"{{ .Release.Name }}-secret"') + '---\n' + grafana('"{{ .Release.Name }}-secret"', '\n    targetNamespace: monitoring').replace('name: grafana\n', 'name: grafana-ops\n'),
        'apps/external.yaml': externalSecret('grafana-admin'),
      },
      errors: [
        {
          messageId: 'missing',
          data: { kind: 'Secret', name: 'grafana-secret', where: 'namespace lotus-lake', declare: 'with namespace: lotus-lake', referrer: 'HelmRelease lotus-lake/grafana', effect: "the chart's pods that read it do not start" },
          file: 'apps/grafana.yaml', line: 15, column: 23, endLine: 15, endColumn: 51,
        },
        {
          messageId: 'missing',
          data: { kind: 'Secret', name: 'monitoring-grafana-ops-secret', where: 'namespace monitoring', declare: 'with namespace: monitoring', referrer: 'HelmRelease lotus-lake/grafana-ops', effect: "the chart's pods that read it do not start" },
          file: 'apps/grafana.yaml', line: 32, column: 23, endLine: 32, endColumn: 51,
        },
      ],
    },
    {
      name: 'a kubeConfig Secret written by Cluster API in the Cluster namespace, read from the Kustomization namespace',
      files: { 'clusters/homelab/flux-system/gotk-sync.yaml': gotkSync, 'clusters/homelab/fleet.yaml': capiFleet('flux-system') },
      errors: [
        {
          messageId: 'otherNamespace',
          data: {
            kind: 'Secret', name: 'staging-kubeconfig', found: 'fleet', namespace: 'flux-system', referrer: 'Kustomization flux-system/staging-apps',
            effect: 'the controller cannot connect to the remote cluster', scope: 'the controller reads it from the namespace of the object that references it',
          },
          file: 'clusters/homelab/fleet.yaml', line: 26, column: 13, endLine: 26, endColumn: 31,
        },
      ],
    },
    {
      name: 'a Secret that Reflector copies into other namespaces only, and one an ExternalSecret with creationPolicy None never writes',
      files: {
        'clusters/flux.yaml': fluxSystem(''),
        'clusters/certificate.yaml': reflectedCertificate('monitoring'),
        'apps/external.yaml': externalSecret('grafana-secret').replace('    name: grafana-secret', '    name: grafana-secret\n    creationPolicy: None'),
        'apps/cube.yaml': cubeWithVolumes(`
          - name: tls
            secret:
              secretName: wildcard-tls
          - name: grafana
            secret:
              secretName: grafana-secret`),
      },
      errors: [
        {
          messageId: 'otherNamespace',
          data: {
            kind: 'Secret', name: 'wildcard-tls', found: 'cert-manager', namespace: 'lotus-lake', referrer: 'Deployment lotus-lake/cube',
            effect: 'the pod does not start (its volume cannot be mounted)', scope: 'a pod reads Secrets and ConfigMaps only from its own namespace',
          },
          file: 'apps/cube.yaml', line: 14, column: 25, endLine: 14, endColumn: 37,
        },
        {
          messageId: 'missing',
          data: { kind: 'Secret', name: 'grafana-secret', where: 'namespace lotus-lake', declare: 'with namespace: lotus-lake', referrer: 'Deployment lotus-lake/cube', effect: 'the pod does not start (its volume cannot be mounted)' },
          file: 'apps/cube.yaml', line: 17, column: 25, endLine: 17, endColumn: 39,
        },
      ],
    },
    {
      name: 'FluxInstance: an artifact pull Secret that does not exist, and its sync pull Secret read by a GitRepository in another namespace',
      files: {
        'clusters/homelab/flux-instance.yaml': fluxInstance,
        'clusters/homelab/lotus-lake-source.yaml': lotusLakeSource('lotus-lake').replace('name: flux-system', 'name: h-kube-deploy-key'),
      },
      errors: [
        {
          messageId: 'missing',
          data: {
            kind: 'Secret', name: 'flux-manifests-auth', where: 'namespace flux-system', declare: 'with namespace: flux-system', referrer: 'FluxInstance flux-system/flux',
            effect: 'the Flux Operator cannot pull the distribution manifests',
          },
          file: 'clusters/homelab/flux-instance.yaml', line: 10, column: 25, endLine: 10, endColumn: 44,
        },
        {
          messageId: 'otherNamespace',
          data: {
            kind: 'Secret', name: 'h-kube-deploy-key', found: 'flux-system', namespace: 'lotus-lake', referrer: 'GitRepository lotus-lake/lotus-lake',
            effect: 'source-controller cannot fetch the GitRepository', scope: 'the controller reads it from the namespace of the object that references it',
          },
          file: 'clusters/homelab/lotus-lake-source.yaml', line: 12, column: 11, endLine: 12, endColumn: 28,
        },
      ],
    },
  ],
});

describe('secret-ref-exists and Secrets created outside git by nature', () => {
  it('notes a kubeConfig Secret that is nowhere in git instead of reporting it', async () => {
    const result = await lintExample(rule, {
      files: {
        'hub/tenants.yaml': yaml`
          apiVersion: kustomize.toolkit.fluxcd.io/v1
          kind: Kustomization
          metadata:
            name: tenants
            namespace: production
          spec:
            interval: 10m
            prune: true
            path: ./deploy
            sourceRef:
              kind: GitRepository
              name: flux-system
              namespace: flux-system
            kubeConfig:
              secretRef:
                name: cluster-kubeconfig
        `,
      },
    });
    expect(result.findings).toEqual([]);
    expect(result.notes.map((note) => note.message)).toContain(
      'Secret cluster-kubeconfig in namespace production (read by Kustomization production/tenants) was not checked: kubeconfig Secrets for remote clusters are created outside git (flux create secret, a script, Cluster API). Declare it in externalSecrets of .gitops-lint.yaml to check its keys.',
    );
  });

  // The entry point is found by kind, name and namespace among the objects of the Kustomization's own build.
  const decrypting = (name: string, path: string) => yaml`
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
      decryption:
        provider: sops
        secretRef:
          name: sops-age
  `;

  it('notes the decryption Secret of the Kustomization whose build applies itself (what bootstrap commits)', async () => {
    const result = await lintExample(rule, {
      files: {
        'clusters/homelab/flux-system/gotk-sync.yaml': `${gotkSync}  decryption:\n    provider: sops\n    secretRef:\n      name: sops-age\n`,
      },
    });
    expect(result.findings).toEqual([]);
    expect(result.notes.map((note) => note.message)).toContain(
      'Secret sops-age in namespace flux-system (read by Kustomization flux-system/flux-system) was not checked: the decryption key of the Kustomization that syncs the cluster is created at bootstrap, outside git. Declare it in externalSecrets of .gitops-lint.yaml to check its keys.',
    );
  });

  it('checks the decryption Secret of a Kustomization whose build holds one of its name in another namespace', async () => {
    const result = await lintExample(rule, {
      files: {
        'clusters/homelab/flux-system/gotk-sync.yaml': gotkSync,
        'clusters/homelab/apps.yaml': decrypting('apps', './apps'),
        'apps/apps.yaml': decrypting('apps', './tenants').replace('namespace: flux-system', 'namespace: tenants'),
      },
    });
    expect(result.notes.map((note) => note.message).filter((message) => message.includes('created at bootstrap'))).toEqual([]);
    // flux-system/apps is no entry point: its build applies tenants/apps, not itself.
    expect(result.findings.map((finding) => `${finding.location.file}:${finding.location.startLine}:${finding.location.startColumn} ${finding.messageId} ${finding.resource?.namespace}`)).toEqual([
      'apps/apps.yaml:16:13 missing tenants',
      'clusters/homelab/apps.yaml:16:13 missing flux-system',
    ]);
  });
});
