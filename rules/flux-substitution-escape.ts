import { qualified } from '../src/flux/describe.js';
import { kustomizationVariables, scanSubstitutions, mayHoldDollar, stringsWithDollar, substitutionDisabled, substitutionRuns } from '../src/flux/substitution.js';
import { defineRule } from '../src/model/rule.js';

const KUSTOMIZATION = `apiVersion: source.toolkit.fluxcd.io/v1
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
    name: flux-system
  postBuild:
    substitute:
      CLUSTER_NAME: homelab
`;

const JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: compaction
  namespace: lotus-lake
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: compact
          image: ghcr.io/matta-kelly/lotus-lake:a8e5a37
          env:
            - name: TABLE
              value: raw_orders
          args: ["compact", "--table", "ARG"]
`;

export default defineRule<'collapsedEscape'>({
  meta: {
    id: 'flux-substitution-escape',
    description: 'Disallow $$ escapes that Flux post-build substitution collapses to a single $',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'warning',
    recommended: true,
    messages: {
      collapsedEscape:
        'Post-build substitution of Kustomization {{kustomization}} turns $$ into $, so this value does not reach the cluster as written: a Kubernetes $$(VAR) escape becomes a $(VAR) reference and a shell $$ becomes $. Write $$$$ to keep $$, or mark the object kustomize.toolkit.fluxcd.io/substitute: disabled.',
    },
    docs: {
      rationale:
        'Flux\'s post-build substitution treats `$$` as an escape and turns every `$$` into `$` — not only before `{`. Kubernetes uses the same `$$` to escape its own `$(VAR)` references in `command`, `args` and `env`, and shell snippets use `$$` for the process id, so a manifest that is correct for `kubectl apply` silently changes meaning once a Flux Kustomization with `postBuild` applies it. The rule reports runs of two or three `$` (not before `{`) in objects applied by a Kustomization whose substitution runs; four `$` survive as two and are taken as deliberate. Objects labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled` are skipped.',
      incorrect: [{ title: "Kubernetes' escape in args", files: { 'clusters/apps.yaml': KUSTOMIZATION, 'apps/job.yaml': JOB.replace('ARG', () => '$$(TABLE)') } }],
      correct: [
        { title: 'An escape written for Flux', files: { 'clusters/apps.yaml': KUSTOMIZATION, 'apps/job.yaml': JOB.replace('ARG', () => '$$$$(TABLE)') } },
        { title: 'A Kubernetes reference', files: { 'clusters/apps.yaml': KUSTOMIZATION, 'apps/job.yaml': JOB.replace('ARG', () => '$(TABLE)') } },
      ],
    },
  },
  check(ctx) {
    const graph = ctx.model.flux;
    for (const kustomization of graph.kustomizations) {
      if (!kustomization.known || !kustomization.postBuild) continue;
      if (!substitutionRuns(kustomization, kustomizationVariables(kustomization, graph))) continue;
      const name = qualified(kustomization.resource.appliedNamespace, kustomization.resource.name);
      for (const applied of kustomization.resources) {
        if (!mayHoldDollar(applied) || substitutionDisabled(applied)) continue;
        for (const node of stringsWithDollar(applied.value)) {
          if (scanSubstitutions(node.text).collapsingEscapes === 0) continue;
          ctx.report({ resource: applied, path: node.path, key: node.key, messageId: 'collapsedEscape', data: { kustomization: name } });
        }
      }
    }
  },
});
