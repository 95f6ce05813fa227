/**
 * The Flux version a repository runs, as far as git says: the `flux bootstrap`/`flux install`
 * manifest (`gotk-components.yaml`), a FluxInstance's `spec.distribution.version`, the values
 * of the flux-instance chart (FLUX-LAYOUTS §5), or the tag of the `flux-manifests` OCI artifact a
 * Flux Kustomization applies (Flux managing itself from the release's install manifests). Read
 * once per model; rules ask per object.
 */
import semver from 'semver';
import { asRecord, asString, getIn } from '../engine/values.js';
import type { Resource, Root, SourceFile } from '../model/workspace.js';
import type { Model } from '../model/model.js';
import { HELM_GROUP, KUSTOMIZE_GROUP, SOURCE_GROUP } from './kinds.js';
import { namespaceMatches, refAt } from './graph.js';
import type { FluxKustomization } from './types.js';

/** Newest Flux minor release in FLUX-LAYOUTS §8. Ranges may resolve to later ones, which serve no removed API again. */
export const LATEST_KNOWN_MINOR = 9;
/** Minor versions a range is tried against: the known releases and some later ones. */
const CANDIDATE_MINORS = Array.from({ length: 100 }, (_, minor) => minor);

export interface FluxVersion {
  /** As written, without a leading `v`: `2.7.1`, `2.x`, `>=2.5.0`. */
  text: string;
  /** An exact version (`2.7.1`) rather than a range (`2.x`). */
  exact: boolean;
  /** The file it was read from. */
  file: SourceFile;
  /** What in that file says it, for messages: `FluxInstance flux`; empty for a `gotk-components.yaml`. */
  via: string;
}

/** Whether a Flux version (or range) serves an API that Flux `2.<removedMinor>` removed. */
export type Serving =
  /** Every version it admits still serves it. */
  | 'served'
  /** No version it admits serves it. */
  | 'removed'
  /** A range whose newest releases (the ones the operator picks) no longer serve it. */
  | 'removedInLatest';

const GOTK_COMPONENTS = /(^|\/)gotk-components\.ya?ml$/;
const HEADER = /^#\s*Flux Version:\s*(\S+)\s*$/m;

/** A written version or range as semver reads it; `undefined` when it is not a Flux 2 one. */
function parse(written: string): { text: string; exact: boolean; range: semver.Range } | undefined {
  const trimmed = written.trim();
  // Masterminds semver (flux-operator) joins constraints with commas; node-semver with spaces.
  const normalised = trimmed.replace(/\s*,\s*/g, ' ');
  const exact = semver.valid(normalised, { loose: true });
  if (exact !== null) {
    if (semver.major(exact) !== 2) return undefined;
    return { text: exact, exact: true, range: new semver.Range(exact) };
  }
  const range = semver.validRange(normalised, { loose: true }) === null ? undefined : new semver.Range(normalised, { loose: true });
  if (!range || !CANDIDATE_MINORS.some((minor) => admits(range, minor))) return undefined;
  return { text: trimmed.replace(/^v(?=\d)/, ''), exact: false, range };
}

/** Whether a range admits some release of Flux `2.<minor>`. */
function admits(range: semver.Range, minor: number): boolean {
  return [0, 1, 9, 99].some((patch) => range.test(`2.${minor}.${patch}`));
}

/** Whether `version` serves an API removed in Flux `2.<removedMinor>`. */
export function serving(version: FluxVersion, removedMinor: number): Serving {
  const parsed = parse(version.text);
  if (!parsed) return 'served';
  const minors = CANDIDATE_MINORS.filter((minor) => admits(parsed.range, minor));
  if (minors.every((minor) => minor < removedMinor)) return 'served';
  if (minors.every((minor) => minor >= removedMinor)) return 'removed';
  return 'removedInLatest';
}

function version(written: unknown, file: SourceFile, via: string): FluxVersion | undefined {
  const text = asString(written);
  const parsed = text === undefined ? undefined : parse(text);
  return parsed ? { text: parsed.text, exact: parsed.exact, file, via } : undefined;
}

/** Where `flux install` manifests say their version: the header comment, else the objects' labels. */
function fromComponents(model: Model, file: SourceFile): FluxVersion | undefined {
  const header = file.text === undefined ? undefined : HEADER.exec(file.text.slice(0, 2000));
  const fromHeader = header ? version(header[1], file, '') : undefined;
  if (fromHeader) return fromHeader;
  for (const resource of model.resourcesIn(file)) {
    const labels = asRecord(getIn(resource.value, ['metadata', 'labels']));
    const found = version(labels?.['app.kubernetes.io/version'], file, '');
    if (found && asString(labels?.['app.kubernetes.io/part-of']) === 'flux') return found;
  }
  return undefined;
}

/** Every document as written (the version is a fact of the files, whether or not a build applies them). */
function written(model: Model): Resource[] {
  return model.files.flatMap((file) => model.resourcesIn(file));
}

function isFluxInstanceChart(release: Resource, ociRepositories: readonly Resource[]): boolean {
  if (asString(getIn(release.value, ['spec', 'chart', 'spec', 'chart'])) === 'flux-instance') return true;
  const chartRef = refAt(release, ['spec', 'chartRef']);
  if (!chartRef || chartRef.kind !== 'OCIRepository') return false;
  const namespace = chartRef.resolvedNamespace;
  return ociRepositories.some(
    (source) =>
      source.name === chartRef.name &&
      (namespace === undefined || source.appliedNamespace === undefined || source.appliedNamespace === namespace) &&
      /\/flux-instance\/?$/.test(asString(getIn(source.value, ['spec', 'url'])) ?? ''),
  );
}

/** The flux-instance chart's version: `instance.distribution.version`, default `2.x` unless values come from elsewhere too. */
function fromChart(release: Resource): FluxVersion | undefined {
  const written = getIn(release.value, ['spec', 'values', 'instance', 'distribution', 'version']);
  if (written !== undefined) return version(written, release.file, `flux-instance HelmRelease ${release.name}`);
  // valuesFrom may set it from a ConfigMap or Secret: unknown then.
  if (getIn(release.value, ['spec', 'valuesFrom']) !== undefined) return undefined;
  return version('2.x', release.file, `the flux-instance chart's default, HelmRelease ${release.name}`);
}

/** `oci://ghcr.io/fluxcd/flux-manifests`, or a mirror of it: the install manifests of the release its tag names. */
const FLUX_MANIFESTS_URL = /^oci:\/\/.+\/flux-manifests\/?$/;

/**
 * An OCIRepository of the `flux-manifests` artifact that a Flux Kustomization applies: its
 * `ref.tag` (exact) or `ref.semver` (a range) is the running version. A digest says nothing.
 */
function fromFluxManifests(source: Resource, kustomizations: readonly Resource[]): FluxVersion | undefined {
  if (!FLUX_MANIFESTS_URL.test(asString(getIn(source.value, ['spec', 'url'])) ?? '')) return undefined;
  const applied = kustomizations.some((kustomization) => {
    const ref = refAt(kustomization, ['spec', 'sourceRef']);
    return ref?.kind === 'OCIRepository' && ref.name === source.name && namespaceMatches(source.appliedNamespace, ref.resolvedNamespace);
  });
  if (!applied) return undefined;
  const ref = asRecord(getIn(source.value, ['spec', 'ref']));
  if (ref?.digest !== undefined) return undefined;
  return version(ref?.tag ?? ref?.semver, source.file, `OCIRepository ${source.name}`);
}

interface VersionIndex {
  all: FluxVersion[];
  byRoot: Map<Root, FluxVersion[]>;
  byTop: Map<FluxKustomization, FluxVersion[]>;
  top(kustomization: FluxKustomization): FluxKustomization;
}

const indexes = new WeakMap<Model, VersionIndex>();

function add<K>(map: Map<K, FluxVersion[]>, key: K, value: FluxVersion): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.some((known) => known.text === value.text)) list.push(value);
}

function buildIndex(model: Model): VersionIndex {
  const graph = model.flux;
  const tops = new Map<FluxKustomization, FluxKustomization>();
  // The outermost Kustomization that applies this one: one per cluster (as duplicate-resource reads it).
  const top = (kustomization: FluxKustomization): FluxKustomization => {
    const known = tops.get(kustomization);
    if (known) return known;
    let current = kustomization;
    const seen = new Set([current]);
    for (let parent = graph.appliedBy(current.resource)[0]; parent && !seen.has(parent); parent = graph.appliedBy(current.resource)[0]) {
      seen.add(parent);
      current = parent;
    }
    tops.set(kustomization, current);
    return current;
  };
  const all: FluxVersion[] = [];
  for (const file of model.files) {
    if (!GOTK_COMPONENTS.test(file.path)) continue;
    const found = fromComponents(model, file);
    if (found) all.push(found);
  }
  const documents = written(model);
  for (const instance of documents) {
    if (instance.kind !== 'FluxInstance' || !instance.group.endsWith('controlplane.io')) continue;
    const found = version(getIn(instance.value, ['spec', 'distribution', 'version']), instance.file, `FluxInstance ${instance.name}`);
    if (found) all.push(found);
  }
  const ociRepositories = documents.filter((resource) => resource.kind === 'OCIRepository' && resource.group === SOURCE_GROUP);
  const kustomizations = documents.filter((resource) => resource.kind === 'Kustomization' && resource.group === KUSTOMIZE_GROUP);
  for (const source of ociRepositories) {
    const found = fromFluxManifests(source, kustomizations);
    if (found) all.push(found);
  }
  for (const release of documents) {
    if (release.kind !== 'HelmRelease' || release.group !== HELM_GROUP || !isFluxInstanceChart(release, ociRepositories)) continue;
    const found = fromChart(release);
    if (found) all.push(found);
  }
  const byRoot = new Map<Root, FluxVersion[]>();
  const byTop = new Map<FluxKustomization, FluxVersion[]>();
  for (const found of all) {
    add(byRoot, found.file.root, found);
    for (const kustomization of graph.appliedByFile(found.file)) add(byTop, top(kustomization), found);
  }
  return { all, byRoot, byTop, top };
}

/**
 * The Flux versions of the cluster(s) an object reaches: the versions applied by the same
 * top-level Kustomization as the object; else those of the repos holding the Kustomizations
 * that apply it; else those of its own repo. Empty when git does not say.
 */
export function fluxVersionsFor(model: Model, resource: Resource): FluxVersion[] {
  let index = indexes.get(model);
  if (!index) indexes.set(model, (index = buildIndex(model)));
  if (index.all.length === 0) return [];
  const tops = [...new Set(model.flux.appliedBy(resource).map(index.top))];
  const byCluster = unique(tops.flatMap((top) => index.byTop.get(top) ?? []));
  if (byCluster.length > 0) return byCluster;
  const clusterRoots = [...new Set(tops.map((top) => top.resource.file.root))];
  const byClusterRoot = unique(clusterRoots.flatMap((root) => index.byRoot.get(root) ?? []));
  if (byClusterRoot.length > 0) return byClusterRoot;
  return index.byRoot.get(resource.file.root) ?? [];
}

/** Where a version was read, for messages: `FluxInstance flux in clusters/prod/flux.yaml`. */
export function describeVersionSource(version: FluxVersion, from: Root): string {
  const path = version.file.root === from ? version.file.path : `${version.file.root.name}/${version.file.path}`;
  return version.via === '' ? path : `${version.via} in ${path}`;
}

function unique(versions: FluxVersion[]): FluxVersion[] {
  return versions.filter((version, i) => versions.findIndex((other) => other.text === version.text) === i);
}
