/**
 * kustomize `replicas:` (ReplicaCountTransformer): `spec.replicas` of the Deployments,
 * ReplicationControllers, ReplicaSets and StatefulSets that have (or had) the entry's name.
 */
import type { Location } from './origin.js';
import { currentId, notePatched, setIn, type KResource, type Value } from './resource.js';

export interface ReplicaEntry {
  entry: Value;
  at: Location;
}

const KINDS = new Set(['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet']);

export function applyReplicas(resources: readonly KResource[], { entry, at }: ReplicaEntry): void {
  if (typeof entry.name !== 'string' || typeof entry.count !== 'number') return;
  for (const res of resources) {
    const id = currentId(res);
    if (!KINDS.has(id.kind)) continue;
    if (![res.orgId.name, ...res.previousNames, id.name].includes(entry.name)) continue;
    setIn(res, ['spec', 'replicas'], entry.count, { ...at, path: [...at.path, 'count'] });
    notePatched(res, at);
  }
}
