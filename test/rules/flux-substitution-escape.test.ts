import rule from '../../rules/flux-substitution-escape.js';
import { RuleTester, yaml } from '../../src/testing/index.js';

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

const substitute = '\n    postBuild:\n      substitute:\n        CLUSTER_NAME: homelab';

// Built by concatenation: `$$` in a template literal or a String.replace pattern is not literal.
const job = (args: string, metadata = '') =>
  'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: compaction' + metadata + '\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: compact\n          image: ghcr.io/matta-kelly/lotus-lake:a8e5a37\n          env:\n            - name: TABLE\n              value: raw_orders\n          args: ' + args + '\n';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'escapes written for Flux, a Flux escape of an expression, and a Kubernetes reference',
      files: { 'clusters/flux.yaml': bootstrap(substitute), 'apps/job.yaml': job('["$$$$(TABLE)", "$${NOT_A_VARIABLE}", "$(TABLE)"]') },
    },
    {
      name: 'no postBuild, so nothing is substituted',
      files: { 'clusters/flux.yaml': bootstrap(''), 'apps/job.yaml': job('["$$(TABLE)"]') },
    },
    {
      name: 'an object that opts out of substitution',
      files: { 'clusters/flux.yaml': bootstrap(substitute), 'apps/job.yaml': job('["$$(TABLE)"]', '\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled') },
    },
  ],
  invalid: [
    {
      name: "Kubernetes' escape in args and a shell $$ in the same Job",
      files: { 'clusters/flux.yaml': bootstrap(substitute), 'apps/job.yaml': job('["compact", "--table", "$$(TABLE)", "--lock", "/tmp/lock.$$$"]') },
      errors: [
        { messageId: 'collapsedEscape', data: { kustomization: 'flux-system/apps' }, file: 'apps/job.yaml', line: 15, column: 40, endLine: 15, endColumn: 51 },
        { messageId: 'collapsedEscape', data: { kustomization: 'flux-system/apps' }, file: 'apps/job.yaml', line: 15, column: 63, endLine: 15, endColumn: 78 },
      ],
    },
  ],
});
