import { describeNamespace, describeObject, movedBy, qualified } from '../src/flux/describe.js';
import { ACCEPTED_SOURCE_KINDS, GENERATED_SOURCE_KINDS } from '../src/flux/kinds.js';
import type { FluxRef } from '../src/flux/types.js';
import { defineRule, type RuleContext } from '../src/model/rule.js';
import type { Resource } from '../src/model/workspace.js';

type MessageId = 'missing' | 'otherNamespace' | 'defaultNamespace' | 'movedByTargetNamespace' | 'wrongKind' | 'invalidKind';

const HELM_RELEASE = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cube
spec:
  interval: 30m
  chart:
    spec:
      chart: app-template
      version: "3.7.3"
      sourceRef:
        kind: HelmRepository
        name: bjw-s
`;

const CLUSTER_REPO = {
  '.gitops-lint.yaml': 'repos:\n  lotus-lake: ../lotus-lake\n',
  'infrastructure/repositories.yaml':
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: bjw-s\n  namespace: flux-system\nspec:\n  interval: 12h\n  url: https://bjw-s-labs.github.io/helm-charts\n',
  'namespaces/lotus-lake.yaml':
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: lotus-lake\n  namespace: lotus-lake\nspec:\n  interval: 5m\n  url: https://github.com/matta-kelly/lotus-lake\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: lotus-lake-deploy\n  namespace: lotus-lake\nspec:\n  interval: 10m\n  prune: true\n  path: ./deploy\n  targetNamespace: lotus-lake\n  sourceRef:\n    kind: GitRepository\n    name: lotus-lake\n',
};

export default defineRule<MessageId>({
  meta: {
    id: 'flux-source-ref',
    description: 'Require Flux source references to name an existing source of an accepted kind in the namespace Flux looks in',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      missing: 'No {{kind}} named {{name}} exists in {{where}}: {{referrer}} cannot get its source and never becomes ready. Fix the reference or add the {{kind}}.',
      otherNamespace:
        'Source {{kind}} {{name}} is in namespace {{found}}, not in {{namespace}} named by this reference: {{referrer}} cannot get its source. Set the reference namespace to {{found}}.',
      defaultNamespace:
        'Source {{kind}} {{name}} is in namespace {{found}}, but a reference without namespace looks in the namespace of the object holding it ({{namespace}}): {{referrer}} cannot get its source. Add namespace: {{found}} to the reference.',
      movedByTargetNamespace:
        'Source {{kind}} {{name}} is applied to namespace {{found}} by the targetNamespace of Kustomization {{kustomization}}, but this reference looks in {{namespace}}: targetNamespace moves objects and never rewrites namespaces written in specs. Set the reference namespace to {{found}}, or drop it if both objects move together.',
      wrongKind: 'There is no {{kind}} named {{name}} in {{where}}, but there is a {{found}}: Flux looks sources up by kind and name. Set kind: {{found}}.',
      invalidKind: 'A {{referrer}} cannot take a {{kind}} in {{field}}: it accepts {{accepted}}. Point the reference at a source of one of those kinds.',
    },
    docs: {
      rationale:
        'A Kustomization, HelmRelease or Terraform whose source reference does not resolve never reconciles, and the only trace is a condition in the cluster. Flux resolves a reference by kind, name and namespace, and a reference without `namespace` means the namespace of the object holding it, after kustomize `namespace:` and Flux `targetNamespace` moved that object. `targetNamespace` never rewrites namespaces written inside specs, so a HelmRelease applied by a Kustomization with `targetNamespace` whose chart `sourceRef` names `flux-system` keeps looking there, while a HelmRepository applied next to it moves away. The rule resolves Kustomization `sourceRef`, HelmRelease `chart.spec.sourceRef` and `chartRef`, and Terraform `sourceRef` against every linted root. When the referring object lives in a repository no linted Flux Kustomization applies (an app repo linted alone), a missing source is not reported and a note says so.',
      incorrect: [
        {
          title: 'The chart source is in flux-system, but the reference looks in the release namespace',
          roots: { 'lotus-lake': { 'deploy/release.yaml': HELM_RELEASE }, 'h-kube': CLUSTER_REPO },
        },
        {
          title: 'A Kustomization whose GitRepository is misspelt',
          files: {
            'clusters/apps.yaml':
              'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: lotus-lake\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: https://github.com/matta-kelly/lotus-lake\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: lotus_lake\n',
          },
        },
      ],
      correct: [
        {
          title: 'The reference names the namespace of the shared HelmRepository',
          roots: {
            'lotus-lake': { 'deploy/release.yaml': HELM_RELEASE.replace('name: bjw-s\n', 'name: bjw-s\n        namespace: flux-system\n') },
            'h-kube': CLUSTER_REPO,
          },
        },
        {
          title: 'The app repo linted alone: the source in the cluster repo is not checked',
          files: { 'deploy/release.yaml': HELM_RELEASE.replace('name: bjw-s\n', 'name: bjw-s\n        namespace: flux-system\n') },
        },
      ],
    },
  },
  check(ctx) {
    const graph = ctx.model.flux;
    for (const kustomization of graph.kustomizations) {
      checkRef(ctx, kustomization.resource, kustomization.sourceRef, ACCEPTED_SOURCE_KINDS.kustomization, 'spec.sourceRef');
    }
    for (const release of graph.helmReleases) {
      checkRef(ctx, release.resource, release.chartSourceRef, ACCEPTED_SOURCE_KINDS.helmChart, 'spec.chart.spec.sourceRef');
      checkRef(ctx, release.resource, release.chartRef, ACCEPTED_SOURCE_KINDS.helmChartRef, 'spec.chartRef');
    }
    for (const terraform of graph.terraforms) {
      checkRef(ctx, terraform.resource, terraform.sourceRef, ACCEPTED_SOURCE_KINDS.terraform, 'spec.sourceRef');
    }
  },
});

function checkRef(ctx: RuleContext<MessageId>, resource: Resource, ref: FluxRef | undefined, accepted: readonly string[], field: string): void {
  // A reference without kind is a schema error, reported elsewhere.
  if (!ref || ref.kind === '') return;
  const graph = ctx.model.flux;
  const referrer = describeObject(resource);
  const namespace = ref.resolvedNamespace;
  const where = namespace === undefined ? 'the linted repositories' : describeNamespace(namespace);
  if (!accepted.includes(ref.kind)) {
    ctx.report({ resource, path: [...ref.path, 'kind'], messageId: 'invalidKind', data: { referrer: resource.kind, kind: ref.kind, field, accepted: accepted.join(', ') } });
    return;
  }
  if (GENERATED_SOURCE_KINDS.has(ref.kind) || graph.resolve(ref.kind, ref.name, namespace).length > 0) return;
  // The source may come from a repository that is not linted: say so instead of guessing.
  const gap = graph.gap(resource, namespace);
  if (gap) {
    ctx.model.note({ message: gap, file: resource.file.absPath });
    return;
  }

  const elsewhere = graph.named(ref.kind, ref.name)[0];
  if (elsewhere && elsewhere.appliedNamespace !== undefined && namespace !== undefined) {
    const data = { kind: ref.kind, name: ref.name, found: elsewhere.appliedNamespace, namespace, referrer };
    const mover = movedBy(graph, elsewhere);
    const path = ref.namespace === undefined ? [...ref.path, 'name'] : [...ref.path, 'namespace'];
    if (mover) {
      const kustomization = qualified(mover.resource.appliedNamespace, mover.resource.name);
      ctx.report({ resource, path, messageId: 'movedByTargetNamespace', data: { ...data, kustomization } });
    } else {
      ctx.report({ resource, path, messageId: ref.namespace === undefined ? 'defaultNamespace' : 'otherNamespace', data });
    }
    return;
  }
  const otherKind = accepted.find((kind) => kind !== ref.kind && graph.resolve(kind, ref.name, namespace).length > 0);
  if (otherKind) {
    ctx.report({ resource, path: [...ref.path, 'kind'], messageId: 'wrongKind', data: { kind: ref.kind, name: ref.name, where, found: otherKind } });
    return;
  }
  ctx.report({ resource, path: [...ref.path, 'name'], messageId: 'missing', data: { kind: ref.kind, name: ref.name, where, referrer } });
}
