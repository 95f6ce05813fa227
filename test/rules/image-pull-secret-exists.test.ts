import rule from '../../rules/image-pull-secret-exists.js';
import { RuleTester, yaml } from '../../src/testing/index.js';

/** The Flux Kustomization that applies ./apps into lotus-lake. */
const flux = yaml`
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
      name: flux-system
`;

const cronJob = yaml`
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
            imagePullSecrets:
              - name: ghcr-pull
            containers:
              - name: compact
                image: ghcr.io/matta-kelly/lotus-lake:a8e5a37
`;

const serviceAccount = yaml`
  apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: dagster
  imagePullSecrets:
    - name: ghcr-pull
`;

const pullSecret = (namespace: string) => yaml`
  apiVersion: v1
  kind: Secret
  metadata:
    name: ghcr-pull
    namespace: ${namespace}
  type: kubernetes.io/dockerconfigjson
  data:
    .dockerconfigjson: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]
  sops:
    mac: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]
`;

new RuleTester().run(rule, {
  valid: [
    {
      name: 'pod and ServiceAccount pull Secrets in the namespace they are applied to',
      files: { 'clusters/flux.yaml': flux, 'apps/compaction.yaml': cronJob, 'apps/sa.yaml': serviceAccount, 'apps/pull.yaml': pullSecret('lotus-lake') },
    },
    {
      name: 'a pull Secret declared in externalSecrets for the namespace',
      files: {
        '.gitops-lint.yaml': 'externalSecrets:\n  - name: ghcr-pull\n    namespace: lotus-lake\n',
        'clusters/flux.yaml': flux,
        'apps/compaction.yaml': cronJob,
      },
    },
    {
      name: 'a pull Secret that a Kyverno generate rule clones into every namespace',
      files: {
        'clusters/flux.yaml': flux,
        'apps/compaction.yaml': cronJob,
        'clusters/kyverno.yaml': yaml`
          apiVersion: kyverno.io/v1
          kind: ClusterPolicy
          metadata:
            name: sync-ghcr-pull
          spec:
            generateExisting: true
            rules:
              - name: clone-pull-secret
                match:
                  any:
                    - resources:
                        kinds: [Namespace]
                generate:
                  apiVersion: v1
                  kind: Secret
                  name: ghcr-pull
                  namespace: "{{request.object.metadata.name}}"
                  synchronize: true
                  clone:
                    namespace: flux-system
                    name: ghcr-pull
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'a pod pull Secret that does not exist, and a ServiceAccount pull Secret in another namespace',
      files: { 'clusters/flux.yaml': flux, 'apps/compaction.yaml': cronJob, 'apps/sa.yaml': serviceAccount.replace('ghcr-pull', 'dagster-pull'), 'clusters/pull.yaml': pullSecret('flux-system').replace('ghcr-pull', 'dagster-pull') },
      errors: [
        {
          messageId: 'missing',
          data: {
            name: 'ghcr-pull', where: 'namespace lotus-lake', declare: 'with namespace: lotus-lake', referrer: 'CronJob lotus-lake/raw-compaction',
            effect: 'the kubelet pulls without it, so pulls of private images fail',
          },
          file: 'apps/compaction.yaml', line: 13, column: 21, endLine: 13, endColumn: 30,
        },
        {
          messageId: 'otherNamespace',
          data: {
            name: 'dagster-pull', found: 'flux-system', namespace: 'lotus-lake', referrer: 'ServiceAccount lotus-lake/dagster',
            effect: 'the kubelet pulls without it, so pulls of private images fail', scope: 'a pod reads Secrets and ConfigMaps only from its own namespace',
          },
          file: 'apps/sa.yaml', line: 6, column: 11, endLine: 6, endColumn: 23,
        },
      ],
    },
    {
      name: 'a FluxInstance imagePullSecret for the controller images that does not exist in its namespace',
      files: {
        'clusters/flux.yaml': flux,
        'clusters/flux-instance.yaml': yaml`
          apiVersion: fluxcd.controlplane.io/v1
          kind: FluxInstance
          metadata:
            name: flux
            namespace: flux-system
          spec:
            distribution:
              version: "2.x"
              registry: ghcr.io/controlplaneio-fluxcd/distroless
              imagePullSecret: enterprise-pull
        `,
      },
      errors: [
        {
          messageId: 'missing',
          data: {
            name: 'enterprise-pull', where: 'namespace flux-system', declare: 'with namespace: flux-system', referrer: 'FluxInstance flux-system/flux',
            effect: 'the kubelet pulls the Flux controller images without it, so pulls from a private registry fail',
          },
          file: 'clusters/flux-instance.yaml', line: 10, column: 22, endLine: 10, endColumn: 37,
        },
      ],
    },
  ],
});
