import rule from '../../rules/flux-decryption-required.js';
import { RuleTester, yaml } from '../../src/testing/index.js';

const sopsSecret = (name: string, withMac = true) => yaml`
  # Edit with sops.
  apiVersion: v1
  kind: Secret
  metadata:
      name: ${name}
  type: Opaque
  stringData:
      ACCESS_KEY_ID: ENC[AES256_GCM,data:kGJhy/1drrG/LiCA4rckohoHq1vBYg==,iv:JNT8heHAc3F/wCT59M/pUle88EfyR/1pbn3wb5PdSqY=,tag:tZOMeFaxT6sc8tom1ohVOw==,type:str]
  sops:
      lastmodified: "2025-02-11T19:42:07Z"${withMac ? '\n      mac: ENC[AES256_GCM,data:3zYyrRdAQ4dPo5jjC==,iv:3ZNTPoaTGXxcrMG4Ix9MQK4aH4JoQQTn8pddIEA3WP0=,tag:dFqkzOErp7Ba3KMda9oOoQ==,type:str]' : ''}
      encrypted_regex: ^(data|stringData)$
      version: 3.9.4
`;

const bootstrap = (decryption: string) => yaml`
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
    path: ./clusters/homelab
    sourceRef:
      kind: GitRepository
      name: flux-system${decryption}
`;

// This template is indented two more columns than `bootstrap`.
const clusterRepo = (decryption: string) => ({
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
        name: lotus-lake${decryption.replace(/\n/g, '\n  ')}
  `,
});

const withDecryption = '\n    decryption:\n      provider: sops\n      secretRef:\n        name: sops-age';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'the Kustomization decrypts with sops',
      files: { 'clusters/homelab/flux-system/gotk-sync.yaml': bootstrap(withDecryption), 'clusters/homelab/alerting-secret.yaml': sopsSecret('discord-webhook') },
    },
    {
      name: 'the app repo Kustomization of the cluster repo decrypts',
      roots: { 'lotus-lake': { 'deploy/backup-secret.yaml': sopsSecret('cnpg-backup-s3') }, 'h-kube': clusterRepo(withDecryption) },
    },
    {
      name: 'an encrypted file no Flux Kustomization applies, and a sops block without MAC that Flux does not treat as encrypted',
      files: {
        'clusters/homelab/flux-system/gotk-sync.yaml': bootstrap(''),
        'clusters/homelab/broken-secret.yaml': sopsSecret('cnpg-backup-s3', false),
        'secrets/kustomization.yaml': 'resources:\n  - discord.yaml\n',
        'secrets/discord.yaml': sopsSecret('discord-webhook'),
      },
    },
  ],
  invalid: [
    {
      name: 'an encrypted Secret under the bootstrap Kustomization without decryption',
      files: { 'clusters/homelab/flux-system/gotk-sync.yaml': bootstrap(''), 'clusters/homelab/alerting-secret.yaml': sopsSecret('discord-webhook') },
      errors: [
        {
          messageId: 'noDecryption',
          data: { kind: 'Secret', kustomization: 'flux-system/flux-system' },
          file: 'clusters/homelab/alerting-secret.yaml', line: 9, column: 1, endLine: 9, endColumn: 5,
        },
      ],
    },
    {
      name: 'encrypted objects of the app repo applied by a cluster repo Kustomization without decryption',
      roots: {
        'lotus-lake': {
          'deploy/kustomization.yaml': 'resources:\n  - dagster/backup-secret.yaml\n  - cube/api-secret.yaml\n',
          'deploy/dagster/backup-secret.yaml': sopsSecret('cnpg-backup-s3'),
          'deploy/cube/api-secret.yaml': sopsSecret('cube-api').replace('kind: Secret', 'kind: ConfigMap'),
        },
        'h-kube': clusterRepo(''),
      },
      errors: [
        { messageId: 'noDecryption', data: { kind: 'ConfigMap', kustomization: 'lotus-lake/lotus-lake-deploy' }, root: 'lotus-lake', file: 'deploy/cube/api-secret.yaml', line: 9, column: 1, endLine: 9, endColumn: 5 },
        { messageId: 'noDecryption', data: { kind: 'Secret', kustomization: 'lotus-lake/lotus-lake-deploy' }, root: 'lotus-lake', file: 'deploy/dagster/backup-secret.yaml', line: 9, column: 1, endLine: 9, endColumn: 5 },
      ],
    },
    {
      name: 'a decryption provider other than sops',
      files: { 'clusters/homelab/flux-system/gotk-sync.yaml': bootstrap('\n    decryption:\n      provider: vault'), 'clusters/homelab/alerting-secret.yaml': sopsSecret('discord-webhook') },
      errors: [
        {
          messageId: 'wrongProvider',
          data: { kind: 'Secret', kustomization: 'flux-system/flux-system', provider: 'vault' },
          file: 'clusters/homelab/alerting-secret.yaml', line: 9, column: 1, endLine: 9, endColumn: 5,
        },
      ],
    },
  ],
});
