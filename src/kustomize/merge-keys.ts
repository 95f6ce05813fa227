/**
 * Strategic-merge keys of built-in kinds (`patchMergeKey` of k8s.io/api core/v1 and apps/v1
 * types): lists under these paths merge item by item; every other list is replaced. Kinds of
 * other API groups (CRDs) have no merge keys, so all their lists are replaced (kyaml
 * merge2 without a schema).
 */

const POD_SPEC_LISTS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  schedulingGates: 'name',
};

const CONTAINER_LISTS: Record<string, string> = {
  env: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  resizePolicy: 'resourceName',
};

/** Where the pod spec sits in each workload kind (group/kind). */
export const POD_SPEC_PATHS: Record<string, string[]> = {
  '/Pod': ['spec'],
  '/PodTemplate': ['template', 'spec'],
  '/ReplicationController': ['spec', 'template', 'spec'],
  'apps/Deployment': ['spec', 'template', 'spec'],
  'apps/StatefulSet': ['spec', 'template', 'spec'],
  'apps/DaemonSet': ['spec', 'template', 'spec'],
  'apps/ReplicaSet': ['spec', 'template', 'spec'],
  'batch/Job': ['spec', 'template', 'spec'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** API groups of the Kubernetes built-in types (known to kustomize's embedded schema). */
const BUILT_IN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'node.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'certificates.k8s.io',
  'events.k8s.io',
]);

/** Marker for lists of scalars that merge as sets (`patchStrategy: merge` without a key, e.g. finalizers). */
export const PRIMITIVE_SET = '$primitive';

export function isBuiltInGroup(group: string): boolean {
  return BUILT_IN_GROUPS.has(group);
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}

/**
 * The merge key of the list at `path` (field names only, no indices) in an object of this
 * group and kind, PRIMITIVE_SET for a list of scalars merged as a set, or `undefined` when the
 * list is replaced by a patch.
 */
export function mergeKeyOf(group: string, kind: string, path: readonly string[]): string | undefined {
  if (!BUILT_IN_GROUPS.has(group)) return undefined;
  if (path.length === 2 && path[0] === 'metadata' && path[1] === 'ownerReferences') return 'uid';
  if (path.length === 2 && path[0] === 'metadata' && path[1] === 'finalizers') return PRIMITIVE_SET;
  if (group === '' && kind === 'Service' && path.length === 2 && path[0] === 'spec' && path[1] === 'ports') return 'port';
  const podSpec = POD_SPEC_PATHS[`${group}/${kind}`];
  if (!podSpec || !startsWith(path, podSpec)) return undefined;
  const rest = path.slice(podSpec.length);
  if (rest.length === 1) return POD_SPEC_LISTS[rest[0]!];
  if (rest.length === 2 && ['containers', 'initContainers', 'ephemeralContainers'].includes(rest[0]!)) return CONTAINER_LISTS[rest[1]!];
  return undefined;
}
