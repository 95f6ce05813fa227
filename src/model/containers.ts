import type { YamlPath } from './finding.js';
import type { Container, EnvEntry, EnvSource, ImageOverride, Resource } from './workspace.js';
import { applyImageOverrides, defaultPullPolicy, formatImageRef, parseImageRef } from '../engine/images.js';
import { asRecord, asScalarString, asString, getIn } from '../engine/values.js';

/** Where each workload kind keeps its pod spec (reference §8). */
const POD_SPEC_PATHS: Record<string, YamlPath> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  PodTemplate: ['template', 'spec'],
};

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'];

/** Path of the pod spec in a workload of the core, `apps` or `batch` group; `undefined` for other objects. */
export function podSpecPath(resource: Resource): YamlPath | undefined {
  const specPath = Object.hasOwn(POD_SPEC_PATHS, resource.kind) ? POD_SPEC_PATHS[resource.kind] : undefined;
  return specPath && (resource.group === '' || resource.group === 'apps' || resource.group === 'batch') ? specPath : undefined;
}

/** Every container of every workload and every image-bearing object in HelmRelease values. */
export function extractContainers(resources: readonly Resource[], overridesFor: (resource: Resource) => ImageOverride[]): Container[] {
  const containers: Container[] = [];
  for (let resourceIndex = 0; resourceIndex < resources.length; resourceIndex++) {
    const resource = resources[resourceIndex]!;
    const specPath = podSpecPath(resource);
    if (specPath) {
      podSpecContainers(resource, specPath, overridesFor(resource), containers);
    } else if (resource.kind === 'HelmRelease' && resource.group === 'helm.toolkit.fluxcd.io') {
      const values = getIn(resource.value, ['spec', 'values']);
      const namespace = asString(getIn(resource.value, ['spec', 'targetNamespace'])) ?? resource.appliedNamespace;
      walkValues(resource, values, ['spec', 'values'], namespace, containers);
    }
  }
  return containers;
}

function podSpecContainers(resource: Resource, specPath: YamlPath, overrides: ImageOverride[], out: Container[]): void {
  const spec = asRecord(getIn(resource.value, specPath));
  if (!spec) return;
  for (let listIndex = 0; listIndex < CONTAINER_LISTS.length; listIndex++) {
    const list = CONTAINER_LISTS[listIndex]!;
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    for (let index = 0; index < items.length; index++) {
      const item = asRecord(items[index]);
      if (!item) continue;
      const path: YamlPath = specPath.concat(list, index);
      const imagePath: YamlPath = path.concat('image');
      const image = asScalarString(item.image);
      const written = writtenImage(resource, imagePath, image);
      // An applied object's image is final; the overrides found again from what was written say which entries set it.
      const transformed = written === undefined ? undefined : applyImageOverrides(written, overrides);
      const effective = resource.applied && image !== undefined ? parseImageRef(image) : transformed?.ref;
      const explicitPolicy = asString(item.imagePullPolicy);
      out.push({
        resource,
        origin: 'podSpec',
        path,
        name: asString(item.name),
        namespace: resource.appliedNamespace,
        image: {
          written,
          path: imagePath,
          tagPath: imagePath.slice(),
          effective,
          overrides: transformed?.applied ?? [],
        },
        pullPolicy: {
          value: explicitPolicy ?? (effective ? defaultPullPolicy(effective) : undefined),
          explicit: explicitPolicy !== undefined,
          path: explicitPolicy !== undefined ? path.concat('imagePullPolicy') : undefined,
        },
        env: envEntries(item.env, path),
        envPath: item.env !== undefined ? path.concat('env') : undefined,
        envFrom: envFromSources(item, path),
      });
    }
  }
}

/**
 * The image as written, before kustomize's `images:` changed it: the written document's value
 * when the applied value comes from that document, else (set by a patch) the applied one.
 */
function writtenImage(resource: Resource, path: YamlPath, applied: string | undefined): string | undefined {
  const info = resource.applied;
  if (!info || applied === undefined) return applied;
  // The container decides: kustomize's images transformer points the image itself at its entry.
  const container = info.locate(path.slice(0, -1));
  if (container.file !== info.written.file || container.docIndex !== info.written.docIndex) return applied;
  return asScalarString(getIn(info.written.value, container.path.concat(path[path.length - 1]!))) ?? applied;
}

/**
 * Helm values: any object with an `image` string (with its sibling `tag`, when the string has
 * none: charts join them as `image:tag`), or an `image` mapping with `repository`.
 *
 * `path` is one array, pushed and popped along the walk: a copy (and the dotted values path)
 * is made only for an object that holds an image.
 */
function walkValues(resource: Resource, value: unknown, path: Array<string | number>, namespace: string | undefined, out: Container[]): void {
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      walkValues(resource, value[index], path, namespace, out);
      path.pop();
    }
    return;
  }
  const object = asRecord(value);
  if (!object) return;
  // Most objects of a values tree hold no image: they are told apart here, without a call.
  const image = object.image;
  if (typeof image === 'string' || (typeof image === 'object' && image !== null && typeof (image as Record<string, unknown>).repository === 'string')) {
    const container = valuesContainer(resource, object, path, namespace);
    if (container) out.push(container);
  }
  const keys = Object.keys(object);
  for (let keyIndex = 0; keyIndex < keys.length; keyIndex++) {
    const key = keys[keyIndex]!;
    const child = object[key];
    if (key === 'image' || typeof child !== 'object' || child === null) continue;
    path.push(key);
    walkValues(resource, child, path, namespace, out);
    path.pop();
  }
}

/** The values path of a place under `spec.values` as Helm users write it: `image.tag`, `containers[0].image`. */
function dottedValuesPath(path: YamlPath): string {
  let dotted = '';
  for (let index = 2; index < path.length; index++) {
    const segment = path[index]!;
    dotted = typeof segment === 'number' ? `${dotted}[${segment}]` : dotted === '' ? segment : `${dotted}.${segment}`;
  }
  return dotted;
}

function valuesContainer(resource: Resource, object: Record<string, unknown>, walked: YamlPath, namespace: string | undefined): Container | undefined {
  const image = object.image;
  const mapping = asRecord(image);
  // Most objects of a values tree hold no image: nothing is made for them.
  if (typeof image !== 'string' && typeof mapping?.repository !== 'string') return undefined;
  const path = walked.slice();
  let written: string | undefined;
  let tagPath: YamlPath = path.concat('image');
  let policyPath: YamlPath | undefined;
  let policy: string | undefined;
  if (typeof image === 'string') {
    written = image;
    const siblingTag = asScalarString(object.tag);
    if (siblingTag !== undefined && siblingTag !== '' && parseImageRef(image).tag === undefined && !image.includes('@')) {
      written = `${image}:${siblingTag}`;
      tagPath = path.concat('tag');
      policy = asString(object.pullPolicy);
      if (policy !== undefined) policyPath = path.concat('pullPolicy');
    }
  } else if (mapping && typeof mapping.repository === 'string') {
    const tag = asScalarString(mapping.tag);
    const digest = asString(mapping.digest);
    written = `${mapping.repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
    if (mapping.tag !== undefined) tagPath = path.concat('image', 'tag');
    policy = asString(mapping.pullPolicy);
    if (policy !== undefined) policyPath = path.concat('image', 'pullPolicy');
  } else {
    return undefined;
  }
  if (policy === undefined && typeof object.imagePullPolicy === 'string') {
    policy = object.imagePullPolicy;
    policyPath = path.concat('imagePullPolicy');
  }
  const ref = parseImageRef(written);
  return {
    resource,
    origin: 'helmValues',
    path,
    name: asString(object.name),
    valuesPath: dottedValuesPath(path),
    namespace,
    image: { written: formatImageRef(ref), path: path.concat('image'), tagPath, effective: ref, overrides: [] },
    // A chart's default policy is unknown, so no default is assumed here.
    pullPolicy: { value: policy, explicit: policy !== undefined, path: policyPath },
    env: envEntries(object.env, path),
    envPath: object.env !== undefined ? path.concat('env') : undefined,
    envFrom: envFromSources(object, path),
  };
}

/** `env` (at `parent`'s `env`) as a list of EnvVar, or (Helm charts such as Dagster) a map of name to value. */
function envEntries(env: unknown, parent: YamlPath): EnvEntry[] {
  if (Array.isArray(env)) {
    const entries: EnvEntry[] = [];
    for (let index = 0; index < env.length; index++) {
      const item = asRecord(env[index]);
      const name = asString(item?.name);
      if (!item || name === undefined) continue;
      const entry: EnvEntry = { name, hasValue: 'value' in item, path: parent.concat('env', index) };
      const literal = asScalarString(item.value);
      if (literal !== undefined) entry.value = literal;
      const valueFrom = asRecord(item.valueFrom);
      if (valueFrom) {
        const secret = asRecord(valueFrom.secretKeyRef);
        const configMap = asRecord(valueFrom.configMapKeyRef);
        if (secret) entry.secretKeyRef = keyRef(secret);
        else if (configMap) entry.configMapKeyRef = keyRef(configMap);
        else entry.otherSource = Object.keys(valueFrom)[0] ?? 'valueFrom';
      }
      entries.push(entry);
    }
    return entries;
  }
  const map = asRecord(env);
  if (!map) return [];
  return Object.keys(map).map((name) => {
    const entry: EnvEntry = { name, hasValue: true, path: parent.concat('env', name) };
    const literal = asScalarString(map[name]);
    if (literal !== undefined) entry.value = literal;
    return entry;
  });
}

function keyRef(ref: Record<string, unknown>): { name: string; key: string; optional: boolean } {
  return { name: asString(ref.name) ?? '', key: asScalarString(ref.key) ?? '', optional: ref.optional === true };
}

/** Dagster-style lists of Secret and ConfigMap names whose keys become environment variables. */
const NAME_LISTS = [['envSecrets', 'Secret'], ['envConfigMaps', 'ConfigMap']] as const;

function envFromSources(object: Record<string, unknown>, path: YamlPath): EnvSource[] {
  const sources: EnvSource[] = [];
  const envFrom = object.envFrom;
  if (Array.isArray(envFrom)) {
    for (let index = 0; index < envFrom.length; index++) {
      const item = asRecord(envFrom[index]);
      if (!item) continue;
      const secret = asRecord(item.secretRef);
      const configMap = asRecord(item.configMapRef);
      const ref = secret ?? configMap;
      const name = asString(ref?.name);
      if (!ref || name === undefined) continue;
      const source: EnvSource = { kind: secret ? 'Secret' : 'ConfigMap', name, optional: ref.optional === true, via: 'envFrom', path: path.concat('envFrom', index) };
      const prefix = asString(item.prefix);
      if (prefix !== undefined) source.prefix = prefix;
      sources.push(source);
    }
  }
  // Indexed, without destructuring: run for every container, mostly before V8 optimises it,
  // where each step and each destructured pair would make iterator objects.
  for (let which = 0; which < NAME_LISTS.length; which++) {
    const field = NAME_LISTS[which]![0];
    const kind = NAME_LISTS[which]![1];
    const list = object[field];
    if (!Array.isArray(list)) continue;
    for (let index = 0; index < list.length; index++) {
      const raw = list[index];
      // Current Dagster charts take `- name: x`; very old ones took plain strings.
      const name = typeof raw === 'string' ? raw : asString(asRecord(raw)?.name);
      if (name === undefined) continue;
      sources.push({ kind, name, optional: asRecord(raw)?.optional === true, via: field, path: path.concat(field, index) });
    }
  }
  return sources;
}
