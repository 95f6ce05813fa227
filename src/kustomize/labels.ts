/**
 * kustomize `commonLabels`, `labels` and `commonAnnotations` (LabelTransformer,
 * AnnotationsTransformer with the built-in field specs of commonlabels.go and
 * commonannotations.go), for the kinds below:
 * - `metadata.labels`/`metadata.annotations` of every object;
 * - templates (`commonLabels`, `commonAnnotations`, `labels` with `includeTemplates` or
 *   `includeSelectors`): pod templates of Deployment, ReplicaSet, DaemonSet, StatefulSet,
 *   Job, ReplicationController, CronJob (and its job template), StatefulSet
 *   `volumeClaimTemplates` (labels only);
 * - selectors (`commonLabels`, `labels` with `includeSelectors`): Service `spec.selector`,
 *   ReplicationController `spec.selector`, `spec.selector.matchLabels` of Deployment,
 *   ReplicaSet, DaemonSet, StatefulSet (created), of Job, CronJob, PodDisruptionBudget and
 *   NetworkPolicy `podSelector` (only when present).
 * Left out: other kinds' field specs (e.g. NetworkPolicy ingress/egress peers, pod affinity
 * selectors). Each value locates to its key in the kustomization.
 */
import { childLocation, type Location } from './origin.js';
import { currentId, getPath, isMap, notePatched, setIn, type KResource, type Value } from './resource.js';

export interface LabelEntry {
  pairs: Value;
  /** The entry (`commonLabels`, `labels[i]`, `commonAnnotations`); values locate to `pairs` keys. */
  at: Location;
  selectors: boolean;
  templates: boolean;
}

type Path = Array<string | number>;

const WORKLOADS = new Set(['apps/Deployment', 'apps/ReplicaSet', 'apps/DaemonSet', 'apps/StatefulSet', 'batch/Job', '/ReplicationController']);

/** Template metadata paths (labels: also volumeClaimTemplates, handled apart). */
function templatePaths(groupKind: string): Path[] {
  if (WORKLOADS.has(groupKind)) return [['spec', 'template', 'metadata']];
  if (groupKind === 'batch/CronJob') return [['spec', 'jobTemplate', 'metadata'], ['spec', 'jobTemplate', 'spec', 'template', 'metadata']];
  return [];
}

/** Selector maps: [path, create when missing]. */
function selectorPaths(groupKind: string): Array<[Path, boolean]> {
  switch (groupKind) {
    case '/Service':
    case '/ReplicationController':
      return [[['spec', 'selector'], true]];
    case 'apps/Deployment':
    case 'apps/ReplicaSet':
    case 'apps/DaemonSet':
    case 'apps/StatefulSet':
      return [[['spec', 'selector', 'matchLabels'], true]];
    case 'batch/Job':
      return [[['spec', 'selector', 'matchLabels'], false]];
    case 'batch/CronJob':
      return [[['spec', 'jobTemplate', 'spec', 'selector', 'matchLabels'], false]];
    case 'policy/PodDisruptionBudget':
      return [[['spec', 'selector', 'matchLabels'], false]];
    case 'networking.k8s.io/NetworkPolicy':
      return [[['spec', 'podSelector', 'matchLabels'], false]];
    default:
      return [];
  }
}

function setPairs(res: KResource, path: Path, entry: LabelEntry, pairsAt: Location): boolean {
  let changed = false;
  for (const [key, value] of Object.entries(entry.pairs)) {
    const text = value === null || value === undefined ? '' : String(value);
    if (getPath(res.value, [...path, key]) === text) continue;
    setIn(res, [...path, key], text, childLocation(pairsAt, key));
    changed = true;
  }
  return changed;
}

function apply(resources: readonly KResource[], entry: LabelEntry, field: 'labels' | 'annotations'): void {
  // `labels[i]` keeps its pairs under `pairs`; `commonLabels`/`commonAnnotations` are the pairs.
  const pairsAt = typeof entry.at.path[entry.at.path.length - 1] === 'number' ? childLocation(entry.at, 'pairs') : entry.at;
  for (const res of resources) {
    const id = currentId(res);
    const groupKind = `${id.group}/${id.kind}`;
    let changed = setPairs(res, ['metadata', field], entry, pairsAt);
    if (entry.templates) {
      for (const path of templatePaths(groupKind)) changed = setPairs(res, [...path, field], entry, pairsAt) || changed;
      if (field === 'labels' && groupKind === 'apps/StatefulSet') {
        const claims = getPath(res.value, ['spec', 'volumeClaimTemplates']);
        if (Array.isArray(claims)) claims.forEach((_, index) => (changed = setPairs(res, ['spec', 'volumeClaimTemplates', index, 'metadata', 'labels'], entry, pairsAt) || changed));
      }
    }
    if (field === 'labels' && entry.selectors) {
      for (const [path, create] of selectorPaths(groupKind)) {
        if (!create && !isMap(getPath(res.value, path))) continue;
        changed = setPairs(res, path, entry, pairsAt) || changed;
      }
    }
    if (changed) notePatched(res, entry.at);
  }
}

export function applyLabels(resources: readonly KResource[], entry: LabelEntry): void {
  apply(resources, entry, 'labels');
}

export function applyAnnotations(resources: readonly KResource[], entry: LabelEntry): void {
  apply(resources, entry, 'annotations');
}
