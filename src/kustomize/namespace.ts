/**
 * kustomize `namespace:` (and Flux `targetNamespace`), after api/filters/namespace and the
 * built-in namespace field specs (FLUX-LAYOUTS §1, checked against `kubectl kustomize`):
 * - `metadata.namespace` is set on every object not known to be cluster-scoped (an unknown
 *   kind gets it too);
 * - a `v1` `Namespace` object is renamed to the namespace;
 * - RoleBinding/ClusterRoleBinding subjects named `default` (any kind) get the namespace;
 * - `APIService.spec.service.namespace` and a CRD's conversion webhook service namespace too.
 */
import type { Location } from './origin.js';
import { currentId, getPath, isMap, notePatched, setIn, type KResource } from './resource.js';

/** Kinds with a field spec besides `metadata.namespace` (or renamed): they take the full pass. */
const SPECIAL_KINDS = new Set(['Namespace', 'RoleBinding', 'ClusterRoleBinding', 'APIService', 'CustomResourceDefinition']);

/** The path of the common case, made once (`setIn` only reads it). */
const METADATA_NAMESPACE = ['metadata', 'namespace'] as const;

export interface NamespaceContext {
  isClusterScoped(apiVersion: string, kind: string): boolean | undefined;
}

export function applyNamespace(resources: readonly KResource[], namespace: string, at: Location | undefined, context: NamespaceContext): void {
  // Indexed: a for-of makes an iterator result per step until V8 optimises the loop.
  for (let position = 0; position < resources.length; position++) {
    const res = resources[position]!;
    const value = res.value;
    const kind = typeof value.kind === 'string' ? value.kind : '';
    const rawApiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
    // Split and joined again as kustomize's ResId does ("/v1" is "v1").
    const slash = rawApiVersion.indexOf('/');
    const apiVersion = slash === 0 ? rawApiVersion.slice(1) : rawApiVersion;
    // The common case first: a namespaced object of a kind no other field spec names.
    if (!SPECIAL_KINDS.has(kind)) {
      const metadata = value.metadata;
      const current = isMap(metadata) ? metadata.namespace : undefined;
      if (current === namespace || context.isClusterScoped(apiVersion, kind) === true) continue;
      // concat: a list of its length (a push onto an empty list makes room for 17).
      res.previousNamespaces = res.previousNamespaces.concat(typeof current === 'string' && current !== '' ? current : undefined);
      setIn(res, METADATA_NAMESPACE, namespace, at);
      if (at) notePatched(res, at);
      continue;
    }
    const group = slash < 0 ? '' : rawApiVersion.slice(0, slash);
    const id = currentId(res);
    let changed = false;
    const set = (path: Array<string | number>): void => {
      if (getPath(res.value, path) === namespace) return;
      if (path[0] === 'metadata') res.previousNamespaces = res.previousNamespaces.concat(id.namespace);
      setIn(res, path, namespace, at);
      changed = true;
    };
    if (apiVersion === 'v1' && id.kind === 'Namespace') {
      if (id.name !== namespace) {
        res.previousNames = res.previousNames.concat(id.name);
        setIn(res, ['metadata', 'name'], namespace, at);
        changed = true;
      }
    } else if (context.isClusterScoped(apiVersion, id.kind) !== true) {
      set(['metadata', 'namespace']);
    }
    if (group === 'rbac.authorization.k8s.io' && (id.kind === 'RoleBinding' || id.kind === 'ClusterRoleBinding')) {
      const subjects = getPath(res.value, ['subjects']);
      if (Array.isArray(subjects)) {
        subjects.forEach((subject, index) => {
          if (isMap(subject) && subject.name === 'default' && subject.namespace !== namespace) {
            setIn(res, ['subjects', index, 'namespace'], namespace, at);
            changed = true;
          }
        });
      }
    }
    if (group === 'apiregistration.k8s.io' && id.kind === 'APIService' && isMap(getPath(res.value, ['spec', 'service']))) {
      set(['spec', 'service', 'namespace']);
    }
    const webhookService = ['spec', 'conversion', 'webhook', 'clientConfig', 'service'];
    if (group === 'apiextensions.k8s.io' && id.kind === 'CustomResourceDefinition' && isMap(getPath(res.value, webhookService))) {
      set([...webhookService, 'namespace']);
    }
    if (changed && at) notePatched(res, at);
  }
}
