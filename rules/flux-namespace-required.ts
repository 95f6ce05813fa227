import { qualified } from '../src/flux/describe.js';
import type { FluxKustomization } from '../src/flux/types.js';
import { isClusterScoped } from '../src/model/build.js';
import type { Resource } from '../src/model/workspace.js';
import { defineRule } from '../src/model/rule.js';
import { SchemaRegistry } from '../src/schema/index.js';

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
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./apps/podinfo
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: podinfo
spec:
  selector:
    app: podinfo
  ports:
    - port: 9898
`;


function describeKustomizations(kustomizations: readonly FluxKustomization[]): string {
  const names = [...new Set(kustomizations.map(({ resource }) => qualified(resource.appliedNamespace, resource.name)))].sort();
  return names.length === 1 ? `Kustomization ${names[0]}` : `Kustomizations ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export default defineRule<'noNamespace'>({
  meta: {
    id: 'flux-namespace-required',
    description: 'Require every namespaced object a Flux Kustomization applies to get a namespace',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      noNamespace:
        'Namespaced {{kind}} {{name}} gets no namespace from {{kustomizations}}: it has no metadata.namespace, no kustomization sets namespace: for it, and no spec.targetNamespace applies. Flux does not default the namespace (neither to the Kustomization\'s nor to default), so the server-side apply dry-run fails with "{{kind}}/{{name}} namespace not specified: the server could not find the requested resource" and the reconciliation stops. Set metadata.namespace, namespace: in the kustomization.yaml, or spec.targetNamespace on the Kustomization.',
    },
    docs: {
      rationale: [
        '`kubectl apply` puts an object without a namespace into the namespace of the current context. kustomize-controller does not: it applies with server-side apply and no default namespace, so a namespaced object that gets no namespace — not written in `metadata.namespace`, not set by a kustomize `namespace:`, not set by the Flux Kustomization\'s `spec.targetNamespace` — fails the dry-run with `<Kind>/<name> namespace not specified: the server could not find the requested resource` (fluxcd/pkg `ssa/errors`, seen in fluxcd/flux2#1939 and #4301), and the Kustomization does not become ready. The same manifests work with `kubectl apply -k`, which is why the mistake survives local testing.',
        'The rule judges objects applied by a Flux Kustomization in the linted repositories; objects nothing in them applies (a plain Kustomize repository applied with kubectl, an app repository linted alone) are not judged. Whether a kind is namespaced comes from the `CustomResourceDefinition`s in the linted repositories (`spec.scope`) and from the built-in Kubernetes, Flux and CloudNativePG kinds; objects of other kinds are skipped. An object that a kustomize or Flux patch mentioning a namespace may target is skipped with a note, since the patch may set it.',
      ].join('\n\n'),
      incorrect: [{ title: 'A Service in a folder with no kustomization.yaml and no targetNamespace', files: { 'clusters/homelab/flux-system/gotk-sync.yaml': FLUX, 'apps/podinfo/service.yaml': SERVICE } }],
      correct: [
        {
          title: 'The Kustomization sets targetNamespace',
          files: { 'clusters/homelab/flux-system/gotk-sync.yaml': FLUX.replace('  prune: true\n', '  prune: true\n  targetNamespace: podinfo\n'), 'apps/podinfo/service.yaml': SERVICE },
        },
        {
          title: 'A kustomization.yaml sets the namespace',
          files: {
            'clusters/homelab/flux-system/gotk-sync.yaml': FLUX,
            'apps/podinfo/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: podinfo\nresources:\n  - service.yaml\n',
            'apps/podinfo/service.yaml': SERVICE,
          },
        },
      ],
    },
  },
  check(ctx) {
    const { model } = ctx;
    const graph = model.flux;
    const registry = new SchemaRegistry();
    for (const crd of model.ofKind('CustomResourceDefinition', 'apiextensions.k8s.io')) registry.addCrd(crd.value);

    const judged = new Set<Resource>();
    for (const kustomization of graph.kustomizations) {
      for (const resource of kustomization.resources) {
        if (judged.has(resource)) continue;
        judged.add(resource);
        // A nameless object fails earlier, in kustomize; isClusterScoped is what the model's namespace passes leave alone.
        if (!resource.name || resource.appliedNamespace || isClusterScoped(resource.kind)) continue;
        if (registry.scope(resource.apiVersion, resource.kind) !== 'Namespaced') continue;
        const appliers = graph.appliedBy(resource);
        ctx.report({
          resource,
          path: ['metadata', 'name'],
          messageId: 'noNamespace',
          data: { kind: resource.kind, name: resource.name, kustomizations: describeKustomizations(appliers) },
        });
      }
    }
  },
});
