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

export interface NamespaceContext {
  isClusterScoped(apiVersion: string, kind: string): boolean | undefined;
}

export function applyNamespace(resources: readonly KResource[], namespace: string, at: Location | undefined, context: NamespaceContext): void {
  for (const res of resources) {
    const id = currentId(res);
    const apiVersion = id.group ? `${id.group}/${id.version}` : id.version;
    let changed = false;
    const set = (path: Array<string | number>): void => {
      if (getPath(res.value, path) === namespace) return;
      if (path[0] === 'metadata') res.previousNamespaces.push(id.namespace);
      setIn(res, path, namespace, at);
      changed = true;
    };
    if (apiVersion === 'v1' && id.kind === 'Namespace') {
      if (id.name !== namespace) {
        res.previousNames.push(id.name);
        setIn(res, ['metadata', 'name'], namespace, at);
        changed = true;
      }
    } else if (context.isClusterScoped(apiVersion, id.kind) !== true) {
      set(['metadata', 'namespace']);
    }
    if (id.group === 'rbac.authorization.k8s.io' && (id.kind === 'RoleBinding' || id.kind === 'ClusterRoleBinding')) {
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
    if (id.group === 'apiregistration.k8s.io' && id.kind === 'APIService' && isMap(getPath(res.value, ['spec', 'service']))) {
      set(['spec', 'service', 'namespace']);
    }
    const webhookService = ['spec', 'conversion', 'webhook', 'clientConfig', 'service'];
    if (id.group === 'apiextensions.k8s.io' && id.kind === 'CustomResourceDefinition' && isMap(getPath(res.value, webhookService))) {
      set([...webhookService, 'namespace']);
    }
    if (changed && at) notePatched(res, at);
  }
}
