/**
 * Flux objects no file declares: the source and Kustomization the Flux Operator creates from a
 * FluxInstance's `spec.sync` (or the flux-instance chart's `instance.sync` values), and the
 * sources the config's `externalSources` says exist in the cluster (reference §5). They are
 * model resources like the others, marked `synthetic`, so references to them resolve and the
 * Flux graph follows them into the linted roots.
 */
import path from 'node:path';
import { parseAllDocuments, type Document } from 'yaml';
import type { ExternalSource } from '../config/types.js';
import type { YamlPath } from '../model/finding.js';
import type { Resource, Root, SourceFile } from '../model/workspace.js';
import { fileTextAt, locate, markKey, markNode, type Location } from '../kustomize/origin.js';
import { asArray, asRecord, asString, getIn } from '../engine/values.js';
import { loadSourceFile } from '../workspace/source-file.js';
import { qualified } from './describe.js';
import { applyInstancePatches } from './instance-patches.js';
import { HELM_GROUP, KUSTOMIZE_GROUP, SOURCE_GROUP } from './kinds.js';

export const OPERATOR_GROUP = 'fluxcd.controlplane.io';

const SYNC_KINDS = new Set(['GitRepository', 'OCIRepository', 'Bucket']);

/** The name sync objects have while their namespace is not known: the Flux Operator's usual namespace. */
const PROVISIONAL_NAME = 'flux-system';

/** Sync objects live in their creator's namespace, and are named after it unless `sync.name` says otherwise. */
const creators = new WeakMap<Resource, { namespace: () => string | undefined; name: string | undefined }>();

/** A synthesized object: it sits (for positions) where `at` says it was declared. */
function syntheticResource(file: SourceFile, docIndex: number, value: Record<string, unknown>, at: Location, synthetic: string): Resource {
  markNode(value, at);
  const metadata = asRecord(value.metadata) ?? {};
  const apiVersion = asString(value.apiVersion) ?? '';
  const slash = apiVersion.indexOf('/');
  const namespace = asString(metadata.namespace);
  return {
    file,
    docIndex,
    get doc() {
      // A config file outside the linted files has no documents; positions then fall back.
      return file.documents[docIndex]?.doc as Document.Parsed;
    },
    apiVersion,
    group: apiVersion.slice(0, slash),
    version: apiVersion.slice(slash + 1),
    kind: asString(value.kind) ?? '',
    name: asString(metadata.name) ?? '',
    namespace,
    appliedNamespace: namespace,
    encrypted: false,
    value,
    get: (at) => getIn(value, at),
    synthetic,
  };
}

/**
 * The source and Kustomization of a sync block (FluxInstance `spec.sync`, flux-instance chart
 * `instance.sync`), as the operator writes them (FO internal/builder/templates.go): both named
 * `sync.name` or the namespace's name, the Kustomization applying `sync.path` every 10m with
 * prune.
 */
function syncObjects(
  owner: Resource,
  values: ValuesView,
  syncPath: YamlPath,
  patchesPath: YamlPath,
  namespaceOf: () => string | undefined,
  creator: string,
  note: (message: string) => void,
  defaultKind?: string,
): Resource[] {
  // The creator's namespace may be known only once Flux targetNamespace is applied: until then
  // the objects have none (they match references from any namespace) and the usual name.
  const namespace = namespaceOf();
  const sync = asRecord(getIn(values.root, syncPath));
  if (!sync) return [];
  const kind = asString(sync.kind) ?? defaultKind;
  if (kind === undefined || !SYNC_KINDS.has(kind)) return [];
  const fixedName = asString(sync.name) || undefined;
  const name = fixedName ?? namespace ?? PROVISIONAL_NAME;
  const at = (key?: string): Location => values.at(key === undefined ? syncPath : [...syncPath, key]);
  const url = asString(sync.url);
  const ref = asString(sync.ref);
  const sourceSpec: Record<string, unknown> = { interval: asString(sync.interval) ?? '1m' };
  if (kind === 'Bucket') {
    if (ref !== undefined) sourceSpec.bucketName = ref;
    if (url !== undefined) sourceSpec.endpoint = url;
  } else {
    if (url !== undefined) sourceSpec.url = url;
    if (ref !== undefined) {
      const refValue = kind === 'GitRepository' ? { name: ref } : { tag: ref };
      sourceSpec.ref = refValue;
      markNode(refValue, at('ref'));
    }
  }
  for (const key of ['url', 'interval']) if (sync[key] !== undefined) markKey(sourceSpec, kind === 'Bucket' && key === 'url' ? 'endpoint' : key, at(key));
  if (kind === 'Bucket' && ref !== undefined) markKey(sourceSpec, 'bucketName', at('ref'));
  const provider = asString(sync.provider);
  if (provider) {
    sourceSpec.provider = provider;
    markKey(sourceSpec, 'provider', at('provider'));
  }
  const pullSecret = asString(sync.pullSecret);
  if (pullSecret) {
    const secretRef = { name: pullSecret };
    sourceSpec.secretRef = secretRef;
    markNode(secretRef, at('pullSecret'));
  }
  const metadata: Record<string, unknown> = namespace === undefined ? { name } : { name, namespace };
  const sourceValue = { apiVersion: `${SOURCE_GROUP}/v1`, kind, metadata, spec: sourceSpec };
  const patches = getIn(values.root, patchesPath);
  const patchesAt = values.at(patchesPath);
  const sourcePatched = applyInstancePatches(sourceValue, { group: SOURCE_GROUP, version: 'v1', kind, name }, patches, patchesAt);
  if ('unknown' in sourcePatched) note(`${creator}: ${sourcePatched.unknown}, so its ${kind} ${qualified(namespace, name)} is checked as generated, without that patch.`);
  const source = syntheticResource(owner.file, owner.docIndex, sourceValue, at(), creator);

  const sourceRef = { kind, name };
  const kustomizationSpec: Record<string, unknown> = { interval: '10m', prune: true, sourceRef };
  const syncPathValue = asString(sync.path);
  if (syncPathValue !== undefined) {
    kustomizationSpec.path = syncPathValue;
    markKey(kustomizationSpec, 'path', at('path'));
  }
  const kustomizationValue = { apiVersion: `${KUSTOMIZE_GROUP}/v1`, kind: 'Kustomization', metadata: { ...metadata }, spec: kustomizationSpec };
  const patched = applyInstancePatches(kustomizationValue, { group: KUSTOMIZE_GROUP, version: 'v1', kind: 'Kustomization', name }, patches, patchesAt);
  creators.set(source, { namespace: namespaceOf, name: fixedName });
  if ('unknown' in patched) {
    // Its decryption, substitution or path may be patched: judging the unpatched one could be wrong.
    note(`${creator}: ${patched.unknown}, so the files its Kustomization ${qualified(namespace, name)} applies were not checked.`);
    return [source];
  }
  const kustomization = syntheticResource(owner.file, owner.docIndex, kustomizationValue, at(), creator);
  creators.set(kustomization, { namespace: namespaceOf, name: fixedName });
  return [source, kustomization];
}

/**
 * After Flux `targetNamespace` moved their creators, move the sync objects along (renaming
 * those named after the namespace). True when something moved. With `final`, objects whose
 * namespace is still unknown lose their provisional name: nothing can name them.
 */
export function followCreators(resources: readonly Resource[], final = false): boolean {
  let moved = false;
  for (const resource of resources) {
    const creator = creators.get(resource);
    if (!creator) continue;
    const namespace = creator.namespace();
    if (namespace === undefined) {
      if (final && creator.name === undefined && resource.name !== '') {
        rename(resource, '');
        moved = true;
      }
      continue;
    }
    if (namespace === resource.appliedNamespace) continue;
    resource.namespace = resource.appliedNamespace = namespace;
    const metadata = asRecord(resource.value.metadata);
    if (metadata) metadata.namespace = namespace;
    if (creator.name === undefined) rename(resource, namespace);
    moved = true;
  }
  return moved;
}

function rename(resource: Resource, name: string): void {
  resource.name = name;
  const metadata = asRecord(resource.value.metadata);
  if (metadata) metadata.name = name;
  const sourceRef = asRecord(getIn(resource.value, ['spec', 'sourceRef']));
  if (sourceRef) sourceRef.name = name;
}

/** A HelmRelease installing the flux-instance chart: by chart name, or a chartRef to an OCIRepository of it. */
function isFluxInstanceRelease(release: Resource, ociUrl: (name: string, namespace: string | undefined) => string | undefined): boolean {
  if (asString(release.get(['spec', 'chart', 'spec', 'chart'])) === 'flux-instance') return true;
  const chartRef = asRecord(release.get(['spec', 'chartRef']));
  if (!chartRef || asString(chartRef.kind) !== 'OCIRepository') return false;
  const name = asString(chartRef.name);
  if (name === undefined) return false;
  const url = ociUrl(name, asString(chartRef.namespace) ?? release.appliedNamespace);
  return url !== undefined && /\/flux-instance\/?$/.test(url.replace(/[:@][^/:@]*$/, ''));
}

/** Creators whose sync block is not known (values from a Secret): they apply unknown objects from an unknown source. */
const unknownSync = new WeakSet<Resource>();

/** True for a flux-instance HelmRelease whose `instance.sync` could not be read, so its sync objects were not created. */
export function hasUnknownSync(resource: Resource): boolean {
  return unknownSync.has(resource);
}

/** Values a sync block is read from, and where each of them was written. */
interface ValuesView {
  root: unknown;
  at(path: YamlPath): Location;
}

function locateIn(resource: Resource, path: YamlPath): Location {
  return resource.applied?.locate(path) ?? { file: resource.file, docIndex: resource.docIndex, path };
}

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A copy of `value` whose nodes and scalars are marked with `where` their path was written. */
function copyMarked(value: unknown, where: (path: YamlPath) => Location, path: YamlPath): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const copy = (Array.isArray(value) ? [] : {}) as Record<string | number, unknown>;
  markNode(copy, where(path));
  for (const [key, child] of Object.entries(value)) {
    const childKey = Array.isArray(value) ? Number(key) : key;
    copy[childKey] = copyMarked(child, where, [...path, childKey]);
    markKey(copy, childKey, where([...path, childKey]));
  }
  return copy;
}

/** Helm's MergeMaps (fluxcd/pkg chartutil): mappings merge key by key, anything else from `source` replaces. */
function mergeMarked(target: Record<string, unknown>, source: unknown, where: (path: YamlPath) => Location, path: YamlPath = []): void {
  if (!isMapping(source)) return;
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isMapping(existing) && isMapping(value)) mergeMarked(existing, value, where, [...path, key]);
    else {
      target[key] = copyMarked(value, where, [...path, key]);
      markKey(target, key, where([...path, key]));
    }
  }
}

/** A `--set` path (`a.b.c`, `\.` escaping a dot); `undefined` for list indexes, which are not followed here. */
function setPath(targetPath: string): string[] | undefined {
  if (/[[\]]/.test(targetPath)) return undefined;
  const segments = targetPath.split(/(?<!\\)\./).map((segment) => segment.replace(/\\\./g, '.'));
  return segments.some((segment) => segment === '') ? undefined : segments;
}

/** A `--set` value as helm's strvals.ParseInto types it (quoted: a string, kept as written). */
function setValue(text: string): unknown {
  if (/^(['"]).*\1$/s.test(text)) return text.slice(1, -1);
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null') return null;
  if (/^-?(0|[1-9][0-9]*)$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
  return text;
}

/** The chart values a path changes overlap the sync block when one is a prefix of the other. */
function touchesSync(path: readonly string[]): boolean {
  return [['instance', 'sync'], ['instance', 'kustomize', 'patches']].some((sync) => path.every((segment, index) => index >= sync.length || segment === sync[index]));
}

/**
 * A HelmRelease's values as helm-controller merges them (fluxcd/pkg chartutil
 * ChartValuesFromReferences): `valuesFrom` in order (a ConfigMap or Secret in the release's
 * namespace, key `valuesKey` or `values.yaml`; with `targetPath`, `spec.values` merged first
 * and the key's flat value set at that path), then `spec.values`. ConfigMaps are looked up
 * among `objects` (the build that applies the release); a generated ConfigMap's value is read
 * from its input file, so positions land there. `unknown` lists the entries not known that
 * may change the sync block.
 */
function releaseValues(release: Resource, objects: readonly Resource[]): { values: ValuesView; unreadable: string[]; unknown: boolean } {
  const result: Record<string, unknown> = {};
  const rootAt = locateIn(release, ['spec', 'values']);
  markNode(result, rootAt);
  const inline = release.get(['spec', 'values']);
  const inlineAt = (path: YamlPath): Location => locateIn(release, ['spec', 'values', ...path]);
  const unreadable: string[] = [];
  let unknown = false;
  asArray(release.get(['spec', 'valuesFrom'])).forEach((raw, index) => {
    const entry = asRecord(raw);
    if (!entry) return;
    const kind = asString(entry.kind);
    const name = asString(entry.name) ?? '';
    const key = asString(entry.valuesKey) ?? 'values.yaml';
    const targetPath = asString(entry.targetPath);
    const path = targetPath === undefined ? [] : setPath(targetPath);
    const label = `valuesFrom[${index}] ${kind ?? '?'} ${name}${key === 'values.yaml' ? '' : ` key ${key}`}`;
    const cannot = (why: string): void => {
      unreadable.push(`${label} (${why})`);
      if (path === undefined || touchesSync(path)) unknown = true;
    };
    if (kind === 'Secret') return cannot('Secret values are not known');
    if (kind !== 'ConfigMap') return cannot('not a ConfigMap');
    if (path === undefined) return cannot(`targetPath ${targetPath} is not followed`);
    const configMap = objects.find(
      (object) => object.kind === 'ConfigMap' && object.group === '' && object.name === name && (object.appliedNamespace === undefined || release.appliedNamespace === undefined || object.appliedNamespace === release.appliedNamespace),
    );
    if (!configMap) return cannot(`${entry.optional === true ? 'optional, ' : ''}not applied by the same build`);
    const data = asString(asRecord(configMap.get(['data']))?.[key]);
    if (data === undefined) return cannot(`no data key ${key}`);
    const dataAt = locateIn(configMap, ['data', key]);
    const text = fileTextAt(dataAt);
    if (text && text.file === undefined) return cannot('its generator input is not readable');
    if (path.length > 0) {
      // An unquoted value with commas is several `--set` assignments: helm-controller fails on it.
      if (data.includes(',') && !/^(['"]).*\1$/s.test(data)) return cannot('its value has commas, which --set parsing splits');
      mergeMarked(result, inline, inlineAt);
      let node = result;
      for (const segment of path.slice(0, -1)) {
        if (!isMapping(node[segment])) {
          node[segment] = {};
          markNode(node[segment] as object, dataAt);
        }
        node = node[segment] as Record<string, unknown>;
      }
      node[path[path.length - 1]!] = setValue(data);
      markKey(node, path[path.length - 1]!, dataAt);
      return;
    }
    // The values file as a generator read it (its parsed document, for positions), else the data text.
    const document = text?.file?.documents[0];
    if (document) return mergeMarked(result, document.value, (at) => ({ file: text!.file!, docIndex: document.index, path: at }));
    let parsed: unknown;
    try {
      parsed = parseAllDocuments(data, { logLevel: 'error' })[0]?.toJS();
    } catch {
      return cannot('not valid YAML');
    }
    mergeMarked(result, parsed, () => dataAt);
  });
  mergeMarked(result, inline, inlineAt);
  return { values: { root: { spec: { values: result } }, at: (path) => locate(result, rootAt, path.slice(2)) }, unreadable, unknown };
}

/**
 * The objects the Flux Operator creates from FluxInstances and flux-instance HelmReleases.
 * A release's `valuesFrom` ConfigMaps are looked up among `resources` when `valuesFrom` is set
 * (the objects of the build that applies it); without it such a release is left to that build.
 */
export function synthesizeSyncObjects(resources: readonly Resource[], note: (message: string, file: string) => void = () => {}, options: { valuesFrom?: boolean } = {}): Resource[] {
  const out: Resource[] = [];
  const ociRepositories = resources.filter((resource) => resource.kind === 'OCIRepository' && resource.group === SOURCE_GROUP);
  const ociUrl = (name: string, namespace: string | undefined): string | undefined =>
    asString(ociRepositories.find((resource) => resource.name === name && (namespace === undefined || resource.appliedNamespace === namespace))?.get(['spec', 'url']));
  for (const resource of resources) {
    if (resource.kind === 'FluxInstance' && resource.group === OPERATOR_GROUP) {
      const creator = `FluxInstance ${qualified(resource.appliedNamespace, resource.name)}`;
      const say = (message: string): void => note(message, resource.file.absPath);
      const values: ValuesView = { root: resource.value, at: (path) => ({ file: resource.file, docIndex: resource.docIndex, path }) };
      out.push(...syncObjects(resource, values, ['spec', 'sync'], ['spec', 'kustomize', 'patches'], () => resource.appliedNamespace, creator, say));
    } else if (resource.kind === 'HelmRelease' && resource.group === HELM_GROUP && isFluxInstanceRelease(resource, ociUrl)) {
      const creator = `HelmRelease ${qualified(resource.appliedNamespace, resource.name)} (flux-instance chart)`;
      const say = (message: string): void => note(message, resource.file.absPath);
      const hasValuesFrom = asArray(resource.get(['spec', 'valuesFrom'])).length > 0;
      if (hasValuesFrom && !options.valuesFrom) continue;
      const { values, unreadable, unknown } = releaseValues(resource, resources);
      if (unreadable.length > 0) {
        say(
          `${creator}: values from ${unreadable.join(', ')} cannot be read, ${unknown ? 'so its instance.sync is not known: the sync source and Kustomization it creates were not modeled.' : 'but they do not set instance.sync.'}`,
        );
      }
      if (unknown) {
        unknownSync.add(resource);
        continue;
      }
      // The chart emits the sync block only when instance.sync.url is set.
      if (asString(getIn(values.root, ['spec', 'values', 'instance', 'sync', 'url'])) === undefined) continue;
      // The FluxInstance goes to the release's target namespace (else the release's own).
      const namespaceOf = (): string | undefined => asString(resource.get(['spec', 'targetNamespace'])) ?? resource.appliedNamespace;
      out.push(...syncObjects(resource, values, ['spec', 'values', 'instance', 'sync'], ['spec', 'values', 'instance', 'kustomize', 'patches'], namespaceOf, creator, say, 'GitRepository'));
    }
  }
  return out;
}

/**
 * Config `externalSources` as source objects, placed on their entry in the config file when
 * that file is among the linted files (else on a file with no text: no position).
 */
export function synthesizeExternalSources(roots: readonly Root[], fileAt: (absPath: string) => SourceFile | undefined): Resource[] {
  const out: Resource[] = [];
  const seen = new Set<string>();
  for (const root of roots) {
    for (const entry of root.config.externalSources) {
      const key = `${entry.kind}\0${entry.namespace}\0${entry.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(externalSource(root, entry, fileAt));
    }
  }
  return out;
}

function externalSource(root: Root, entry: ExternalSource, fileAt: (absPath: string) => SourceFile | undefined): Resource {
  const declared = entry.declaredIn;
  const configPath = declared?.file ?? root.config.file ?? path.join(root.dir, '.gitops-lint.yaml');
  const file = fileAt(configPath) ?? loadSourceFile(root, path.relative(root.dir, configPath).split(path.sep).join('/'), configPath, undefined).file;
  const spec: Record<string, unknown> = {};
  if (entry.url !== undefined) spec[entry.kind === 'Bucket' ? 'endpoint' : 'url'] = entry.url;
  if (entry.branch !== undefined || entry.tag !== undefined) {
    spec.ref = { ...(entry.branch === undefined ? {} : { branch: entry.branch }), ...(entry.tag === undefined ? {} : { tag: entry.tag }) };
  }
  const value = { apiVersion: `${SOURCE_GROUP}/v1`, kind: entry.kind, metadata: { name: entry.name, namespace: entry.namespace }, spec };
  const at: Location = { file, docIndex: 0, path: declared ? ['externalSources', declared.index] : [] };
  return syntheticResource(file, 0, value, at, `externalSources in ${path.basename(configPath)}`);
}

/**
 * What `flux bootstrap` creates when the repository holds only its placeholder: a
 * `<cluster>/flux-system/gotk-sync.yaml` without objects ("generated automatically by flux
 * bootstrap", as Flux's example repositories commit it). Bootstrap writes a GitRepository
 * `flux-system/flux-system` fetching this repository and a Kustomization `flux-system/flux-system`
 * applying `./<cluster>` (FLUX-LAYOUTS §5), both placed on the placeholder.
 */
export function synthesizeBootstrap(files: readonly SourceFile[], hasResources: (file: SourceFile) => boolean): Resource[] {
  const out: Resource[] = [];
  for (const file of files) {
    const match = /^(?:(.*)\/)?flux-system\/gotk-sync\.ya?ml$/.exec(file.path);
    if (!match || hasResources(file) || file.text === undefined) continue;
    const cluster = match[1] ?? '';
    const at: Location = { file, docIndex: 0, path: [] };
    const creator = `flux bootstrap (placeholder ${file.path})`;
    const metadata = { name: 'flux-system', namespace: 'flux-system' };
    out.push(
      syntheticResource(file, 0, { apiVersion: `${SOURCE_GROUP}/v1`, kind: 'GitRepository', metadata: { ...metadata }, spec: { interval: '1m0s', ref: { branch: 'main' }, secretRef: { name: 'flux-system' } } }, at, creator),
      syntheticResource(
        file,
        0,
        { apiVersion: `${KUSTOMIZE_GROUP}/v1`, kind: 'Kustomization', metadata: { ...metadata }, spec: { interval: '10m0s', path: `./${cluster}`, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } } },
        at,
        creator,
      ),
    );
  }
  return out;
}
