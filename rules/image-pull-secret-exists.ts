import { checkReference } from '../src/references/check.js';
import { dataReferences } from '../src/references/index.js';
import { defineRule } from '../src/model/rule.js';

const FLUX = `apiVersion: source.toolkit.fluxcd.io/v1
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
  name: deploy
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./deploy
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: cube
  namespace: lotus-lake
spec:
  template:
    spec:
      imagePullSecrets:
        - name: ghcr-pull
      containers:
        - name: cube
          image: ghcr.io/matta-kelly/lotus-lake-cube:2a51271
`;

const PULL_SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: ghcr-pull
  namespace: lotus-lake
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]
sops:
  mac: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]
`;

export default defineRule<'missing' | 'otherNamespace'>({
  meta: {
    id: 'image-pull-secret-exists',
    description: 'Require the Secrets named in imagePullSecrets of pods and ServiceAccounts to exist in their namespace',
    scope: 'cluster',
    category: 'reliability',
    defaultLevel: 'warning',
    recommended: true,
    messages: {
      missing:
        'Image pull Secret {{name}} does not exist in {{where}}, where {{referrer}} reads it: {{effect}}. Add it (SOPS-encrypted), fix the name, or, if it is created outside git, list it in externalSecrets of .gitops-lint.yaml {{declare}}.',
      otherNamespace: 'Image pull Secret {{name}} is in namespace {{found}}, but {{referrer}} reads it from {{namespace}} ({{scope}}): {{effect}}. Create it in {{namespace}}.',
    },
    docs: {
      rationale:
        'When a Secret named in `imagePullSecrets` (of a pod template, of the ServiceAccount its pods run as, or a FluxInstance `distribution.imagePullSecret` for the Flux controllers) is missing, the kubelet logs a warning and pulls without it: public images still start, private ones fail with `ErrImagePull`. That is why this is a warning and not part of `secret-ref-exists`. The Secret is looked up in the pod\'s (or ServiceAccount\'s) applied namespace, among the manifests, generators, controller-created Secrets and `externalSecrets` of the config, as `secret-ref-exists` does.',
      incorrect: [
        {
          title: 'A pull Secret that exists only in another namespace',
          files: { 'clusters/flux.yaml': FLUX, 'deploy/cube.yaml': DEPLOYMENT, 'deploy/pull.yaml': PULL_SECRET.replace('namespace: lotus-lake', 'namespace: flux-system') },
        },
      ],
      correct: [
        {
          title: 'The pull Secret in the pod\'s namespace',
          files: { 'clusters/flux.yaml': FLUX, 'deploy/cube.yaml': DEPLOYMENT, 'deploy/pull.yaml': PULL_SECRET },
        },
      ],
      whenNotToUse: 'When every image comes from public registries and pull Secrets only raise rate limits.',
    },
  },
  check(ctx) {
    for (const ref of dataReferences(ctx.model)) {
      if (!ref.pullSecret) continue;
      for (const problem of checkReference(ctx.model, ref)) {
        if (problem.messageId === 'missing' || problem.messageId === 'otherNamespace') {
          ctx.report({ resource: ref.referrer, path: problem.path, messageId: problem.messageId, data: problem.data });
        }
      }
    }
  },
});
