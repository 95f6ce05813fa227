/**
 * Name-reference fix-ups, run once at the end of a build (kustomize `FixBackReferences`):
 * a reference to an object of the build that was renamed (prefix, suffix, generator hash)
 * is rewritten to the object's final name. Covered references (a subset of kustomize's
 * api/internal/konfig/builtinpluginconsts/namereference.go, checked with `kubectl kustomize`):
 * - ConfigMap: env `valueFrom.configMapKeyRef`, `envFrom[].configMapRef`, volumes `configMap`
 *   and projected `configMap` in the pod specs of workload kinds;
 * - Secret: the same with `secretKeyRef`/`secretRef`/`secret.secretName`/projected `secret`,
 *   `imagePullSecrets`, Ingress `tls[].secretName`;
 * - ServiceAccount: `serviceAccountName` of pod specs, (Cluster)RoleBinding subjects;
 * - PersistentVolumeClaim: volumes `persistentVolumeClaim.claimName`;
 * - Service: Ingress backends, StatefulSet `serviceName`;
 * - Role/ClusterRole: (Cluster)RoleBinding `roleRef`;
 * - Secret: ServiceAccount `imagePullSecrets` (not `secrets`); StorageClass: PVC
 *   `storageClassName`; PriorityClass: pod specs' `priorityClassName`; the HPA
 *   `scaleTargetRef`; Service: webhook configurations' `clientConfig.service`.
 * A reference matches an object of that kind that had this name (any of its names) and that
 * the referrer can reach: a namespaced referrer reaches cluster-scoped objects and those of
 * its namespace (a RoleBinding also its subjects' namespaces); of several, the one in the
 * referrer's namespace. Not covered: the
 * deprecated `serviceAccount` field (kustomize leaves it too), other kinds' references (e.g.
 * HelmRelease `valuesFrom`, which kustomize leaves as well) unless a `configurations:` file
 * declares them with `nameReference` (the usual Flux kustomizeconfig.yaml).
 */
import { POD_SPEC_PATHS } from './merge-keys.js';
import { currentId, getPath, isMap, setIn, type KResource } from './resource.js';

type Path = Array<string | number>;

interface Reference {
  kind: string;
  path: Path;
  name: string;
  /** API group of the referenced kind (default: core, rbac for roles). */
  group?: string;
  /** A subject's `namespace` (path and value): it must match, and is set to the object's. */
  namespace?: { path: Path; value: string | undefined };
}

function containersOf(spec: Record<string, unknown>): Array<{ key: string; index: number; container: Record<string, unknown> }> {
  const out: Array<{ key: string; index: number; container: Record<string, unknown> }> = [];
  for (const key of ['containers', 'initContainers', 'ephemeralContainers']) {
    const list = spec[key];
    if (Array.isArray(list)) list.forEach((container, index) => isMap(container) && out.push({ key, index, container }));
  }
  return out;
}

function podSpecReferences(spec: Record<string, unknown>, base: Path, out: Reference[]): void {
  const add = (kind: string, path: Path, value: unknown): void => {
    if (typeof value === 'string') out.push({ kind, path, name: value });
  };
  add('ServiceAccount', [...base, 'serviceAccountName'], spec.serviceAccountName);
  if (typeof spec.priorityClassName === 'string') out.push({ kind: 'PriorityClass', group: 'scheduling.k8s.io', path: [...base, 'priorityClassName'], name: spec.priorityClassName });
  if (Array.isArray(spec.imagePullSecrets)) spec.imagePullSecrets.forEach((entry, index) => isMap(entry) && add('Secret', [...base, 'imagePullSecrets', index, 'name'], entry.name));
  for (const { key, index, container } of containersOf(spec)) {
    const at: Path = [...base, key, index];
    if (Array.isArray(container.env)) {
      container.env.forEach((env, envIndex) => {
        const from = isMap(env) && isMap(env.valueFrom) ? env.valueFrom : undefined;
        if (!from) return;
        if (isMap(from.configMapKeyRef)) add('ConfigMap', [...at, 'env', envIndex, 'valueFrom', 'configMapKeyRef', 'name'], from.configMapKeyRef.name);
        if (isMap(from.secretKeyRef)) add('Secret', [...at, 'env', envIndex, 'valueFrom', 'secretKeyRef', 'name'], from.secretKeyRef.name);
      });
    }
    if (Array.isArray(container.envFrom)) {
      container.envFrom.forEach((source, sourceIndex) => {
        if (!isMap(source)) return;
        if (isMap(source.configMapRef)) add('ConfigMap', [...at, 'envFrom', sourceIndex, 'configMapRef', 'name'], source.configMapRef.name);
        if (isMap(source.secretRef)) add('Secret', [...at, 'envFrom', sourceIndex, 'secretRef', 'name'], source.secretRef.name);
      });
    }
  }
  if (Array.isArray(spec.volumes)) {
    spec.volumes.forEach((volume, index) => {
      if (!isMap(volume)) return;
      const at: Path = [...base, 'volumes', index];
      if (isMap(volume.configMap)) add('ConfigMap', [...at, 'configMap', 'name'], volume.configMap.name);
      if (isMap(volume.secret)) add('Secret', [...at, 'secret', 'secretName'], volume.secret.secretName);
      if (isMap(volume.persistentVolumeClaim)) add('PersistentVolumeClaim', [...at, 'persistentVolumeClaim', 'claimName'], volume.persistentVolumeClaim.claimName);
      const sources = isMap(volume.projected) ? volume.projected.sources : undefined;
      if (Array.isArray(sources)) {
        sources.forEach((source, sourceIndex) => {
          if (!isMap(source)) return;
          if (isMap(source.configMap)) add('ConfigMap', [...at, 'projected', 'sources', sourceIndex, 'configMap', 'name'], source.configMap.name);
          if (isMap(source.secret)) add('Secret', [...at, 'projected', 'sources', sourceIndex, 'secret', 'name'], source.secret.name);
        });
      }
    });
  }
}

function ingressBackend(backend: unknown, path: Path, out: Reference[]): void {
  const service = isMap(backend) && isMap(backend.service) ? backend.service : undefined;
  if (service && typeof service.name === 'string') out.push({ kind: 'Service', path: [...path, 'service', 'name'], name: service.name });
  if (isMap(backend) && typeof backend.serviceName === 'string') out.push({ kind: 'Service', path: [...path, 'serviceName'], name: backend.serviceName });
}

/** The references an object holds to other objects by name. */
export function referencesOf(res: KResource): Reference[] {
  const id = currentId(res);
  const value = res.value;
  const out: Reference[] = [];
  const podSpecPath = POD_SPEC_PATHS[`${id.group}/${id.kind}`];
  if (podSpecPath) {
    const spec = getPath(value, podSpecPath);
    if (isMap(spec)) podSpecReferences(spec, podSpecPath, out);
  }
  if (id.group === 'apps' && id.kind === 'StatefulSet' && typeof getPath(value, ['spec', 'serviceName']) === 'string') {
    out.push({ kind: 'Service', path: ['spec', 'serviceName'], name: getPath(value, ['spec', 'serviceName']) as string });
  }
  if ((id.group === 'networking.k8s.io' || id.group === 'extensions') && id.kind === 'Ingress' && isMap(value.spec)) {
    const spec = value.spec;
    ingressBackend(spec.defaultBackend, ['spec', 'defaultBackend'], out);
    ingressBackend(spec.backend, ['spec', 'backend'], out);
    if (Array.isArray(spec.tls)) spec.tls.forEach((tls, index) => isMap(tls) && typeof tls.secretName === 'string' && out.push({ kind: 'Secret', path: ['spec', 'tls', index, 'secretName'], name: tls.secretName }));
    if (Array.isArray(spec.rules)) {
      spec.rules.forEach((rule, ruleIndex) => {
        const paths = isMap(rule) && isMap(rule.http) ? rule.http.paths : undefined;
        if (Array.isArray(paths)) paths.forEach((entry, pathIndex) => isMap(entry) && ingressBackend(entry.backend, ['spec', 'rules', ruleIndex, 'http', 'paths', pathIndex, 'backend'], out));
      });
    }
  }
  if (id.group === 'autoscaling' && id.kind === 'HorizontalPodAutoscaler' && isMap(getPath(value, ['spec', 'scaleTargetRef']))) {
    const ref = getPath(value, ['spec', 'scaleTargetRef']) as Record<string, unknown>;
    if (typeof ref.name === 'string' && typeof ref.kind === 'string') out.push({ kind: ref.kind, group: typeof ref.apiVersion === 'string' && ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '', path: ['spec', 'scaleTargetRef', 'name'], name: ref.name });
  }
  if (id.group === '' && id.kind === 'ServiceAccount' && Array.isArray(value.imagePullSecrets)) {
    value.imagePullSecrets.forEach((entry, index) => isMap(entry) && typeof entry.name === 'string' && out.push({ kind: 'Secret', path: ['imagePullSecrets', index, 'name'], name: entry.name }));
  }
  if (id.group === '' && id.kind === 'PersistentVolumeClaim' && typeof getPath(value, ['spec', 'storageClassName']) === 'string') {
    out.push({ kind: 'StorageClass', group: 'storage.k8s.io', path: ['spec', 'storageClassName'], name: getPath(value, ['spec', 'storageClassName']) as string });
  }
  if (id.group === 'admissionregistration.k8s.io' && (id.kind === 'ValidatingWebhookConfiguration' || id.kind === 'MutatingWebhookConfiguration') && Array.isArray(value.webhooks)) {
    value.webhooks.forEach((webhook, index) => {
      const service = isMap(webhook) && isMap(webhook.clientConfig) && isMap(webhook.clientConfig.service) ? webhook.clientConfig.service : undefined;
      if (service && typeof service.name === 'string') out.push({ kind: 'Service', path: ['webhooks', index, 'clientConfig', 'service', 'name'], name: service.name, namespace: { path: ['webhooks', index, 'clientConfig', 'service', 'namespace'], value: typeof service.namespace === 'string' ? service.namespace : undefined } });
    });
  }
  if (id.group === 'rbac.authorization.k8s.io' && (id.kind === 'RoleBinding' || id.kind === 'ClusterRoleBinding')) {
    if (Array.isArray(value.subjects)) {
      value.subjects.forEach((subject, index) => {
        if (isMap(subject) && subject.kind === 'ServiceAccount' && typeof subject.name === 'string') {
          const namespace = typeof subject.namespace === 'string' ? subject.namespace : undefined;
          out.push({ kind: 'ServiceAccount', path: ['subjects', index, 'name'], name: subject.name, namespace: { path: ['subjects', index, 'namespace'], value: namespace } });
        }
      });
    }
    const roleRef = value.roleRef;
    if (isMap(roleRef) && typeof roleRef.name === 'string' && (roleRef.kind === 'Role' || roleRef.kind === 'ClusterRole')) out.push({ kind: roleRef.kind, path: ['roleRef', 'name'], name: roleRef.name });
  }
  return out;
}

/**
 * A `nameReference` entry of a kustomize `configurations:` file: objects of `kind` (and
 * `group`/`version` when given) are referenced by name at each field spec's `path` (segments
 * separated by `/`, lists traversed) in objects of the field spec's kind.
 */
export interface NameReferenceConfig {
  kind: string;
  group?: string;
  version?: string;
  fieldSpecs: Array<{ path: string; kind?: string; group?: string; version?: string }>;
}

/** Read the `nameReference` entries of a configurations document. */
export function parseNameReferences(raw: unknown): NameReferenceConfig[] {
  if (!Array.isArray(raw)) return [];
  const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  return raw.flatMap((entry) => {
    if (!isMap(entry) || !str(entry.kind) || !Array.isArray(entry.fieldSpecs)) return [];
    const fieldSpecs = entry.fieldSpecs.flatMap((spec) => (isMap(spec) && str(spec.path) ? [{ path: str(spec.path)!, kind: str(spec.kind), group: str(spec.group), version: str(spec.version) }] : []));
    return [{ kind: str(entry.kind)!, group: str(entry.group), version: str(entry.version), fieldSpecs }];
  });
}

/** The string values at a field-spec path (`a/b[]/c`), lists traversed. */
function valuesAtPath(value: unknown, segments: readonly string[], path: Path, out: Array<{ path: Path; name: string }>): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => valuesAtPath(item, segments, [...path, index], out));
    return;
  }
  if (segments.length === 0) {
    if (typeof value === 'string') out.push({ path, name: value });
    return;
  }
  if (!isMap(value)) return;
  const segment = segments[0]!.replace(/\[\]$/, '');
  if (segment in value) valuesAtPath(value[segment], segments.slice(1), [...path, segment], out);
}

function configuredReferences(res: KResource, configs: readonly NameReferenceConfig[]): Reference[] {
  const id = currentId(res);
  const out: Reference[] = [];
  for (const config of configs) {
    for (const spec of config.fieldSpecs) {
      if ((spec.kind && spec.kind !== id.kind) || (spec.group !== undefined && spec.group !== id.group) || (spec.version && spec.version !== id.version)) continue;
      const found: Array<{ path: Path; name: string }> = [];
      valuesAtPath(res.value, spec.path.split('/').filter((segment) => segment !== ''), [], found);
      for (const { path, name } of found) out.push({ kind: config.kind, group: config.group, path, name });
    }
  }
  return out;
}

type ScopeOf = (apiVersion: string, kind: string) => boolean | undefined;

/** Namespaces named by a (Cluster)RoleBinding's subjects. */
function subjectNamespaces(res: KResource): string[] {
  const id = currentId(res);
  if (id.group !== 'rbac.authorization.k8s.io' || (id.kind !== 'RoleBinding' && id.kind !== 'ClusterRoleBinding') || !Array.isArray(res.value.subjects)) return [];
  return res.value.subjects.flatMap((subject) => (isMap(subject) && typeof subject.namespace === 'string' ? [subject.namespace] : []));
}

/** Rewrite references to renamed objects of the build to their final names. */
const NAMESPACED_REFERRERS: ReadonlySet<string> = new Set([
  'RoleBinding', 'ClusterRoleBinding', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'APIService', 'CustomResourceDefinition',
]);

export function fixNameReferences(resources: readonly KResource[], configs: readonly NameReferenceConfig[] = [], isClusterScoped: ScopeOf = () => undefined): void {
  // Nothing was renamed or moved: every reference already names what it meant.
  if (!resources.some((res) => res.previousNames.length > 0 || res.previousNamespaces.length > 0)) return;
  const clusterScoped = (res: KResource): boolean => {
    const id = currentId(res);
    return isClusterScoped(id.group ? `${id.group}/${id.version}` : id.version, id.kind) === true;
  };
  // Made when the first reference is looked at: a build that only moved objects has none to fix.
  let byKindIndex: Map<string, KResource[]> | undefined;
  const ofKind = (kind: string): KResource[] => {
    if (!byKindIndex) {
      byKindIndex = new Map();
      for (const res of resources) {
        const id = currentId(res);
        const list = byKindIndex.get(id.kind) ?? [];
        list.push(res);
        byKindIndex.set(id.kind, list);
      }
    }
    return byKindIndex.get(kind) ?? [];
  };
  // With no object renamed, only references that carry a namespace can change: binding
  // subjects and service references of webhooks, APIServices and CRD conversion webhooks.
  const renamed = configs.length > 0 || resources.some((res) => res.previousNames.length > 0);
  // Indexed: a for-of makes an iterator result per step until V8 optimises the loop.
  for (let position = 0; position < resources.length; position++) {
    const referrer = resources[position]!;
    if (!renamed && !NAMESPACED_REFERRERS.has(typeof referrer.value.kind === 'string' ? referrer.value.kind : '')) continue;
    const namespace = currentId(referrer).namespace;
    // kustomize `SubsetThatCouldBeReferencedByResource`: a namespaced object refers to objects of
    // its own namespace (a RoleBinding also to those of its subjects) or cluster-scoped ones.
    const reachable = new Set([namespace ?? 'default', ...subjectNamespaces(referrer)]);
    const inScope = (res: KResource): boolean => clusterScoped(referrer) || clusterScoped(res) || reachable.has(currentId(res).namespace ?? 'default');
    for (const reference of [...referencesOf(referrer), ...configuredReferences(referrer, configs)]) {
      const group = reference.group ?? (reference.kind === 'Role' || reference.kind === 'ClusterRole' ? 'rbac.authorization.k8s.io' : '');
      const candidates = ofKind(reference.kind).filter((res) => {
        if (res === referrer || currentId(res).group !== group || !inScope(res)) return false;
        const names = [res.orgId.name, ...res.previousNames];
        if (!names.includes(reference.name)) return false;
        const written = reference.namespace?.value;
        return written === undefined || [res.orgId.namespace, ...res.previousNamespaces, currentId(res).namespace].some((ns) => (ns ?? 'default') === written);
      });
      const sameNamespace = candidates.filter((res) => currentId(res).namespace === namespace);
      const chosen = sameNamespace.length === 1 ? sameNamespace[0] : candidates.length === 1 ? candidates[0] : undefined;
      if (!chosen) continue;
      const final = currentId(chosen);
      if (final.name !== reference.name) setIn(referrer, reference.path, final.name, undefined);
      // kustomize also points a subject or webhook service at the object's namespace (renamed or not).
      if (reference.namespace && final.namespace !== undefined && reference.namespace.value !== final.namespace) setIn(referrer, reference.namespace.path, final.namespace, undefined);
    }
  }
}
