/** Secret names written in HelmRelease values that the chart reads as-is. */
import { HELM_GROUP } from '../flux/kinds.js';
import { asRecord } from '../engine/values.js';
import type { YamlPath } from '../model/finding.js';
import type { Resource } from '../model/workspace.js';
import type { Model } from '../model/model.js';
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
  for (const resource of model.ofKind('HelmRelease', HELM_GROUP)) {
    const namespace = helmReleaseTarget(resource).namespace;
    walk(resource, resource.get(['spec', 'values']), ['spec', 'values'], (path, raw) => {
      const name = resolveName(resource, raw, 'helmValues');
      if (name === undefined) return;
      refs.push({
        referrer: resource, kind: 'Secret', name, namespace, path, optional: false, optionalKey: false,
        effect: "the chart's pods that read it do not start", scope: RELEASE_SCOPE,
      });
    });
  }
  return refs;
}

function walk(resource: Resource, value: unknown, path: YamlPath, found: (path: YamlPath, name: string) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(resource, item, [...path, index], found));
    return;
  }
  const object = asRecord(value);
  if (!object || object.enabled === false) return;
  for (const [key, child] of Object.entries(object)) {
    if (key === 'existingSecret' && typeof child === 'string' && child.trim() !== '') found([...path, key], child);
    else if (typeof child === 'object' && child !== null) walk(resource, child, [...path, key], found);
  }
}
