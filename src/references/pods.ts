/** References a pod resolves: env, envFrom, volumes and imagePullSecrets (and a ServiceAccount's). */
import { podSpecPath } from '../model/containers.js';
import { asRecord, asScalarString, asString } from '../engine/values.js';
import type { YamlPath } from '../model/finding.js';
import type { Container, Resource } from '../model/workspace.js';
import type { Model } from '../model/model.js';
import { POD_SCOPE, type DataRef } from './types.js';

const POD_EFFECT = 'the container does not start';
const VOLUME_EFFECT = 'the pod does not start (its volume cannot be mounted)';
const PULL_EFFECT = 'the kubelet pulls without it, so pulls of private images fail';

/** A name as the consumer sees it, or `undefined` to skip the reference (the resolver notes why). */
export type NameResolver = (referrer: Resource, raw: string, origin: Container['origin'] | 'manifest') => string | undefined;

const KEY_REFS = [['secretKeyRef', 'Secret'], ['configMapKeyRef', 'ConfigMap']] as const;

/** `secretKeyRef`/`configMapKeyRef`, `envFrom` and Dagster-style `envSecrets`/`envConfigMaps` of each container. */
export function containerRefs(containers: readonly Container[], resolveName: NameResolver): DataRef[] {
  const refs: DataRef[] = [];
  // Indexed loops: thousands of containers, mostly before V8 optimises this, where a for-of loop makes an iterator result per step.
  for (let containerIndex = 0; containerIndex < containers.length; containerIndex++) {
    const container = containers[containerIndex]!;
    const referrer = container.resource;
    const namespace = container.namespace;
    // Written out rather than spread from a common part: thousands of containers, most with a reference or two.
    for (let entryIndex = 0; entryIndex < container.env.length; entryIndex++) {
      const entry = container.env[entryIndex]!;
      // Most entries are literal values.
      if (!entry.secretKeyRef && !entry.configMapKeyRef) continue;
      for (let which = 0; which < KEY_REFS.length; which++) {
        const field = KEY_REFS[which]![0];
        const kind = KEY_REFS[which]![1];
        const ref = entry[field];
        if (!ref || ref.name === '') continue;
        const name = resolveName(referrer, ref.name, container.origin);
        if (name === undefined) continue;
        refs.push({
          referrer, namespace, effect: POD_EFFECT, scope: POD_SCOPE, optionalKey: true,
          kind, name, path: entry.path.concat('valueFrom', field, 'name'), key: { name: ref.key, path: entry.path.concat('valueFrom', field, 'key') }, optional: ref.optional,
        });
      }
    }
    for (let sourceIndex = 0; sourceIndex < container.envFrom.length; sourceIndex++) {
      const source = container.envFrom[sourceIndex]!;
      const field = source.kind === 'Secret' ? 'secretRef' : 'configMapRef';
      const path = source.via === 'envFrom' ? source.path.concat(field, 'name') : typeof referrer.get(source.path) === 'string' ? source.path : source.path.concat('name');
      const name = resolveName(referrer, source.name, container.origin);
      if (name === undefined) continue;
      refs.push({ referrer, namespace, effect: POD_EFFECT, scope: POD_SCOPE, optionalKey: true, kind: source.kind, name, path, optional: source.optional });
    }
  }
  return refs;
}

/**
 * One volume source (`secret`, `configMap`, or a `projected` source), added to `refs`: the object,
 * then each key listed in its `items` (each must exist unless the volume is optional).
 */
function volumeSourceRefs(resource: Resource, namespace: string | undefined, source: Record<string, unknown>, path: YamlPath, kind: 'Secret' | 'ConfigMap', nameField: string, resolveName: NameResolver, refs: DataRef[]): void {
  const raw = asString(source[nameField]);
  if (raw === undefined || raw === '') return;
  const name = resolveName(resource, raw, 'manifest');
  if (name === undefined) return;
  const namePath = path.concat(nameField);
  const optional = source.optional === true;
  refs.push({ referrer: resource, kind, name, namespace, path: namePath, optional, optionalKey: true, effect: VOLUME_EFFECT, scope: POD_SCOPE });
  // Written out rather than spread from the object's reference: one literal shape, no copy per key.
  const items = source.items;
  if (!Array.isArray(items)) return;
  for (let index = 0; index < items.length; index++) {
    const key = asScalarString(asRecord(items[index])?.key);
    if (key === undefined) continue;
    refs.push({
      referrer: resource, kind, name, namespace, path: namePath, optional, optionalKey: true, effect: VOLUME_EFFECT, scope: POD_SCOPE,
      key: { name: key, path: path.concat('items', index, 'key') }, keyOnly: true,
    });
  }
}

/** `secret`, `configMap` and `projected` volumes, and `imagePullSecrets`, of every pod spec. */
export function podSpecRefs(model: Model, resolveName: NameResolver): DataRef[] {
  const refs: DataRef[] = [];
  // Indexed loops: thousands of resources, mostly before V8 optimises this (no iterator results, closures or path spreads).
  const resources = model.resources;
  for (let resourceIndex = 0; resourceIndex < resources.length; resourceIndex++) podSpecRefsOf(resources[resourceIndex]!, resolveName, refs);
  serviceAccountRefs(model, resolveName, refs);
  return refs;
}

/** The references of one resource's pod spec (none when it has none), added to `refs`. */
export function podSpecRefsOf(resource: Resource, resolveName: NameResolver, refs: DataRef[]): void {
  const specPath = podSpecPath(resource);
  const spec = specPath ? asRecord(resource.get(specPath)) : undefined;
  if (!specPath || !spec) return;
  const namespace = resource.appliedNamespace;
  const volumes = spec.volumes;
  const volumeCount = Array.isArray(volumes) ? volumes.length : 0;
  for (let index = 0; index < volumeCount; index++) {
    const volume = asRecord((volumes as unknown[])[index]);
    if (!volume) continue;
    const path = specPath.concat('volumes', index);
    const secret = asRecord(volume.secret);
    if (secret) volumeSourceRefs(resource, namespace, secret, path.concat('secret'), 'Secret', 'secretName', resolveName, refs);
    const configMap = asRecord(volume.configMap);
    if (configMap) volumeSourceRefs(resource, namespace, configMap, path.concat('configMap'), 'ConfigMap', 'name', resolveName, refs);
    const sources = asRecord(volume.projected)?.sources;
    if (!Array.isArray(sources)) continue;
    for (let sourceIndex = 0; sourceIndex < sources.length; sourceIndex++) {
      const projected = asRecord(sources[sourceIndex]);
      const sourcePath = path.concat('projected', 'sources', sourceIndex);
      const projectedSecret = asRecord(projected?.secret);
      if (projectedSecret) volumeSourceRefs(resource, namespace, projectedSecret, sourcePath.concat('secret'), 'Secret', 'name', resolveName, refs);
      const projectedConfigMap = asRecord(projected?.configMap);
      if (projectedConfigMap) volumeSourceRefs(resource, namespace, projectedConfigMap, sourcePath.concat('configMap'), 'ConfigMap', 'name', resolveName, refs);
    }
  }
  pullSecretRefs(resource, spec, specPath, resolveName, refs);
}

/** `imagePullSecrets` of every ServiceAccount, added to `refs`. */
export function serviceAccountRefs(model: Model, resolveName: NameResolver, refs: DataRef[]): void {
  for (const account of model.ofKind('ServiceAccount', '')) {
    pullSecretRefs(account, account.value, [], resolveName, refs);
  }
}

/** `imagePullSecrets` of a pod spec or ServiceAccount, added to `refs` (most have none: nothing is made for them). */
function pullSecretRefs(resource: Resource, holder: Record<string, unknown>, path: YamlPath, resolveName: NameResolver, refs: DataRef[]): void {
  const secrets = holder.imagePullSecrets;
  if (!Array.isArray(secrets)) return;
  for (let index = 0; index < secrets.length; index++) {
    const written = asString(asRecord(secrets[index])?.name);
    if (written === undefined || written === '') continue;
    const name = resolveName(resource, written, 'manifest');
    if (name === undefined) continue;
    refs.push({
      referrer: resource, kind: 'Secret', name, namespace: resource.appliedNamespace, path: path.concat('imagePullSecrets', index, 'name'),
      optional: false, optionalKey: false, pullSecret: true, effect: PULL_EFFECT, scope: POD_SCOPE,
    });
  }
}
