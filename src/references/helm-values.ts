/** Secret names written in HelmRelease values that the chart reads as-is. */
import { HELM_GROUP } from '../flux/kinds.js';
import { asRecord } from '../engine/values.js';
import type { YamlPath } from '../model/finding.js';
import type { Model } from '../model/model.js';
import type { Resource } from '../model/workspace.js';
import { helmReleaseTarget } from './helm-release.js';
import type { NameResolver } from './pods.js';
import type { DataRef } from './types.js';

const RELEASE_SCOPE = 'a chart reads an existing Secret from the namespace it installs into';

/**
 * `existingSecret: <name>` anywhere in `spec.values`: the convention (Bitnami, Grafana and
 * most community charts) for "use this Secret instead of creating one", which the chart's pods
 * then read. A subtree with `enabled: false` (a disabled subchart) is not read.
 */
export function helmValuesRefs(model: Model, resolveName: NameResolver): DataRef[] {
  const refs: DataRef[] = [];
  for (const resource of model.ofKind('HelmRelease', HELM_GROUP)) helmValuesRefsOf(resource, resolveName, refs);
  return refs;
}

/** The `existingSecret` references in one HelmRelease's values, added to `refs`. */
export function helmValuesRefsOf(resource: Resource, resolveName: NameResolver, refs: DataRef[]): void {
  const namespace = helmReleaseTarget(resource).namespace;
  walk(resource.get(['spec', 'values']), ['spec', 'values'], (path, raw) => {
    const name = resolveName(resource, raw, 'helmValues');
    if (name === undefined) return;
    refs.push({
      referrer: resource, kind: 'Secret', name, namespace, path, optional: false, optionalKey: false,
      effect: "the chart's pods that read it do not start", scope: RELEASE_SCOPE,
    });
  });
}

/** `path` is one array pushed and popped as the walk goes, copied for each name found. */
function walk(value: unknown, path: Array<string | number>, found: (path: YamlPath, name: string) => void): void {
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      walk(value[index], path, found);
      path.pop();
    }
    return;
  }
  const object = asRecord(value);
  if (!object || object.enabled === false) return;
  // Indexed: every mapping of every values tree, mostly before V8 optimises this, where for-of makes an iterator result per key.
  const keys = Object.keys(object);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    const child = object[key];
    if (key === 'existingSecret' && typeof child === 'string' && child.trim() !== '') found(path.concat(key), child);
    else if (typeof child === 'object' && child !== null) {
      path.push(key);
      walk(child, path, found);
      path.pop();
    }
  }
}
