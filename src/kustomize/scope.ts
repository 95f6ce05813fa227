/**
 * Built-in cluster-scoped kinds, for hosts that know no better (kustomize itself only skips
 * kinds its embedded Kubernetes schema knows as cluster-scoped: kyaml openapi
 * `IsCertainlyClusterScoped`). `undefined` for any other group, so CRD kinds get a namespace
 * as kustomize gives them one.
 */
const CLUSTER_SCOPED_BY_GROUP: Record<string, ReadonlySet<string>> = {
  '': new Set(['Namespace', 'Node', 'PersistentVolume', 'ComponentStatus']),
  'rbac.authorization.k8s.io': new Set(['ClusterRole', 'ClusterRoleBinding']),
  'apiextensions.k8s.io': new Set(['CustomResourceDefinition']),
  'apiregistration.k8s.io': new Set(['APIService']),
  'storage.k8s.io': new Set(['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment']),
  'scheduling.k8s.io': new Set(['PriorityClass']),
  'networking.k8s.io': new Set(['IngressClass']),
  'admissionregistration.k8s.io': new Set(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']),
  'certificates.k8s.io': new Set(['CertificateSigningRequest']),
  'node.k8s.io': new Set(['RuntimeClass']),
  'policy': new Set(['PodSecurityPolicy']),
  'flowcontrol.apiserver.k8s.io': new Set(['FlowSchema', 'PriorityLevelConfiguration']),
};

/** Namespaced built-in groups (any kind of them not listed above is namespaced). */
const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'node.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'certificates.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io']);

/** The same as a Map: a lookup by a group made at run time needs no internalized key. */
const CLUSTER_SCOPED = new Map(Object.entries(CLUSTER_SCOPED_BY_GROUP));

/**
 * The group of each apiVersion asked about, cut once: a build asks for every object, a few
 * times, and a run has a few apiVersions. Bounded for a repository with very many.
 */
const groups = new Map<string, string>();
const MAX_GROUPS = 512;

function groupOf(apiVersion: string): string {
  let group = groups.get(apiVersion);
  if (group === undefined) {
    const slash = apiVersion.indexOf('/');
    group = slash < 0 ? '' : apiVersion.slice(0, slash);
    if (groups.size < MAX_GROUPS) groups.set(apiVersion, group);
  }
  return group;
}

export function builtInClusterScoped(apiVersion: string, kind: string): boolean | undefined {
  const group = groupOf(apiVersion);
  if (CLUSTER_SCOPED.get(group)?.has(kind)) return true;
  return BUILT_IN_GROUPS.has(group) ? false : undefined;
}
