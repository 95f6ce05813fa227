import { describeNamespace, describeObject, qualified } from '../src/flux/describe.js';
import type { FluxRef } from '../src/flux/types.js';
import { defineRule } from '../src/model/rule.js';
import type { Resource } from '../src/model/workspace.js';

interface Edge {
  from: Resource;
  ref: FluxRef;
  to: Resource;
}

const FLUX = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: ssh://git@github.com/matta-kelly/lotus-lake
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

const RELEASES = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cube
  namespace: lotus-lake
spec:
  interval: 30m
  chart:
    spec:
      chart: app-template
      sourceRef:
        kind: HelmRepository
        name: bjw-s
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cube-refresh-worker
  namespace: lotus-lake
spec:
  interval: 30m
  dependsOn:
    - name: DEPENDENCY
  chart:
    spec:
      chart: app-template
      sourceRef:
        kind: HelmRepository
        name: bjw-s
`;

/** Strongly connected components of the dependency graph (Tarjan), in discovery order. */
function cycles(nodes: readonly Resource[], edges: ReadonlyMap<Resource, Edge[]>): Resource[][] {
  const index = new Map<Resource, number>();
  const low = new Map<Resource, number>();
  const stack: Resource[] = [];
  const onStack = new Set<Resource>();
  const out: Resource[][] = [];
  let counter = 0;
  const visit = (node: Resource): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const { to } of edges.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) as number, low.get(to) as number));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) as number, index.get(to) as number));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: Resource[] = [];
    let member: Resource | undefined;
    do {
      member = stack.pop() as Resource;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    const selfLoop = (edges.get(node) ?? []).some((edge) => edge.to === node);
    if (component.length > 1 || selfLoop) out.push(component);
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return out;
}

/** One cycle through `start` inside its component: the edges followed, in order. */
function cycleFrom(start: Resource, members: ReadonlySet<Resource>, edges: ReadonlyMap<Resource, Edge[]>): Edge[] {
  const previous = new Map<Resource, Edge>();
  const queue: Resource[] = [start];
  while (queue.length > 0) {
    const node = queue.shift() as Resource;
    for (const edge of edges.get(node) ?? []) {
      if (!members.has(edge.to)) continue;
      if (edge.to === start) {
        const path = [edge];
        let back = previous.get(node);
        while (back) {
          path.unshift(back);
          back = previous.get(back.from);
        }
        return path;
      }
      if (!previous.has(edge.to) && edge.to !== start) {
        previous.set(edge.to, edge);
        queue.push(edge.to);
      }
    }
  }
  return [];
}

export default defineRule<'missing' | 'otherNamespace' | 'defaultNamespace' | 'cycle'>({
  meta: {
    id: 'flux-depends-on',
    description: 'Require dependsOn entries of Kustomizations, HelmReleases and Terraforms to name existing objects without cycles',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      missing: 'Dependency {{kind}} {{name}} does not exist in {{where}}: Flux waits for it forever and never reconciles {{referrer}}. Fix the name (was it renamed?) or remove the entry.',
      otherNamespace: 'Dependency {{kind}} {{name}} is in namespace {{found}}, not in {{namespace}} named here: Flux waits for an object that never appears, so {{referrer}} never reconciles. Set namespace: {{found}}.',
      defaultNamespace:
        'Dependency {{kind}} {{name}} is in namespace {{found}}, but an entry without namespace looks in {{namespace}}, the namespace of {{referrer}}: Flux waits forever. Add namespace: {{found}}.',
      cycle: 'The dependsOn entries form a cycle ({{cycle}}): each object waits for the next one to be ready, so none of them ever reconciles. Remove one of these dependencies.',
    },
    docs: {
      rationale:
        'Flux starts a Kustomization, HelmRelease or Terraform only once everything in its `dependsOn` is ready. An entry that names an object that does not exist — typically one that was renamed — or that sits in another namespace than the one Flux looks in (the dependent\'s own namespace when `namespace` is omitted) blocks the dependent forever, and a cycle blocks every member. Kustomizations depend on Kustomizations, HelmReleases on HelmReleases and Terraforms on Terraforms. Namespaces are the applied ones, after kustomize `namespace:` and Flux `targetNamespace`. Each cycle is reported once, on the first member\'s entry.',
      incorrect: [
        { title: 'Depending on the old name of a renamed release', files: { 'clusters/flux.yaml': FLUX, 'deploy/cube.yaml': RELEASES.replace('DEPENDENCY', 'cube-api') } },
        {
          title: 'Two Kustomizations waiting for each other',
          files: {
            'clusters/apps.yaml':
              'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: infrastructure\n  namespace: flux-system\nspec:\n  interval: 1h\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  dependsOn:\n    - name: apps\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 1h\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  dependsOn:\n    - name: infrastructure\n',
          },
        },
      ],
      correct: [{ files: { 'clusters/flux.yaml': FLUX, 'deploy/cube.yaml': RELEASES.replace('DEPENDENCY', 'cube') } }],
    },
  },
  check(ctx) {
    const graph = ctx.model.flux;
    const consumers = [...graph.kustomizations, ...graph.helmReleases, ...graph.terraforms];
    const edges = new Map<Resource, Edge[]>();
    for (const { resource, dependsOn } of consumers) {
      const referrer = describeObject(resource);
      for (const ref of dependsOn) {
        const namespace = ref.resolvedNamespace;
        const target = graph.resolve(ref.kind, ref.name, namespace)[0];
        if (target) {
          const list = edges.get(resource) ?? [];
          list.push({ from: resource, ref, to: target });
          edges.set(resource, list);
          continue;
        }
        const gap = graph.gap(resource, namespace);
        if (gap) {
          ctx.model.note({ message: gap, file: resource.file.absPath });
          continue;
        }
        const elsewhere = graph.named(ref.kind, ref.name)[0];
        if (elsewhere?.appliedNamespace !== undefined && namespace !== undefined) {
          const data = { referrer, kind: ref.kind, name: ref.name, namespace, found: elsewhere.appliedNamespace };
          if (ref.namespace === undefined) ctx.report({ resource, path: [...ref.path, 'name'], messageId: 'defaultNamespace', data });
          else ctx.report({ resource, path: [...ref.path, 'namespace'], messageId: 'otherNamespace', data });
          continue;
        }
        const where = namespace === undefined ? 'the linted repositories' : describeNamespace(namespace);
        ctx.report({ resource, path: [...ref.path, 'name'], messageId: 'missing', data: { referrer, kind: ref.kind, name: ref.name, where } });
      }
    }
    const order = consumers.map((consumer) => consumer.resource);
    for (const component of cycles(order, edges)) {
      const members = new Set(component);
      const first = order.find((resource) => members.has(resource)) as Resource;
      const path = cycleFrom(first, members, edges);
      const [edge] = path;
      if (!edge) continue;
      const names = [first, ...path.map((step) => step.to)].map((resource) => qualified(resource.appliedNamespace, resource.name));
      ctx.report({ resource: first, path: [...edge.ref.path, 'name'], messageId: 'cycle', data: { cycle: names.join(' → ') } });
    }
  },
});
