/**
 * A kustomize build in TypeScript: the objects `kustomize build` (and kustomize-controller,
 * with Flux's generated or rewritten root kustomization) would output, each value keeping
 * where it was written (origin.ts).
 *
 * Order within one kustomization (FLUX-LAYOUTS §1, kustomize kusttarget.go): resources
 * (files, `*List` items, directories built recursively), generators, components (run in
 * this accumulator), then `patchesStrategicMerge`, `patches`, `namespace`, `namePrefix`,
 * `nameSuffix`, labels, annotations, `patchesJson6902`, `replicas`, `images`. Once at the end
 * of the whole build: generator hash suffixes, then name-reference fix-ups.
 *
 * Whatever kustomize rejects becomes a BuildProblem at the entry causing it; a build never
 * throws. Parsed values are never mutated.
 */
import type { YamlPath } from '../model/finding.js';
import type { SourceFile } from '../model/workspace.js';
import { isRemoteTarget } from './tree.js';
import { resolvePath } from '../engine/collections.js';
import type { BuildContext, BuildProblem, KustomizeHost } from './context.js';
import { applyGenerators, finishGenerated, type GeneratorEntry } from './generators.js';
import { applyImages, type ImageEntry } from './images.js';
import { applyAnnotations, applyLabels, type LabelEntry } from './labels.js';
import { applyNameAffix } from './name-affix.js';
import { fixNameReferences, parseNameReferences, type NameReferenceConfig } from './name-references.js';
import { applyNamespace } from './namespace.js';
import { locate, type Location } from './origin.js';
import { applyPatchEntry, patchEntries, type PatchEntry } from './patches.js';
import { applyReplicas, type ReplicaEntry } from './replicas.js';
import { currentId, describeId, isMap, newResource, type KResource, type Value } from './resource.js';
import { parseTarget } from './select.js';

export { isNote, type BuildProblem, type BuildProblemCode, type KustomizeHost } from './context.js';

/** A Flux Kustomization's spec as it rewrites the root kustomization (FLUX-LAYOUTS §1 "spec → root file"). */
export interface FluxOverrides {
  /** `targetNamespace`: replaces the root's `namespace`. */
  namespace?: string;
  namePrefix?: string;
  nameSuffix?: string;
  /** Where `targetNamespace`, `namePrefix`, `nameSuffix` were written (values they set locate there). */
  at?: { namespace?: Location; namePrefix?: Location; nameSuffix?: Location };
  /** Appended after the root's `patches`; `at` is the `spec.patches` item. */
  patches?: Array<{ patch: string; target?: Record<string, unknown>; at: Location }>;
  /** Merged into the root's `images` by `name`. */
  images?: Array<{ entry: Record<string, unknown>; at: Location }>;
  /** Appended to the root's `components` (paths relative to the root kustomization's directory). */
  components?: Array<{ path: string; at: Location }>;
}

export interface BuildOptions {
  flux?: FluxOverrides;
  /**
   * Files left out of Flux's generated root kustomization (used when `dir` has no
   * kustomization file: .yaml/.yml files are scanned recursively, a subdirectory with a
   * kustomization file is a directory resource).
   */
  generated?: { exclude(path: string): boolean };
}

export interface AppliedDocument {
  /** The object after every transform (parsed values are never mutated). */
  value: Record<string, unknown>;
  /** Where the object was written. */
  written: { file: SourceFile; docIndex: number };
  /** Where the value at `path` was written. */
  locate(path: YamlPath): Location;
  /** Patches and transformer entries that changed it. */
  patchedBy: Location[];
  /** Kustomization and Component files it passed through, innermost first. */
  via: SourceFile[];
  /**
   * True when the final name cannot be known: a generated ConfigMap/Secret with an input
   * that cannot be read (missing, not text, SOPS-encrypted), whose hash suffix is unknown.
   * `metadata.name` then holds the name without the suffix.
   */
  nameUnknown: boolean;
}

export interface BuildResult {
  objects: AppliedDocument[];
  problems: BuildProblem[];
  /** Files whose documents became objects. */
  resourceFiles: SourceFile[];
  /** Files read as patches (not resources). */
  patchFiles: SourceFile[];
  /** Kustomization and Component files read. */
  kustomizations: SourceFile[];
}

/** Fields of a kustomization file kustomize knows (api/types/kustomization.go). */
const KNOWN_FIELDS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'resources',
  'bases',
  'components',
  'crds',
  'configurations',
  'generators',
  'transformers',
  'validators',
  'namespace',
  'namePrefix',
  'nameSuffix',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'images',
  'imageTags',
  'replicas',
  'replacements',
  'vars',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
  'helmCharts',
  'helmGlobals',
  'helmChartInflationGenerator',
  'openapi',
  'buildMetadata',
  'sortOptions',
]);

/** Fields this build does not emulate: the objects are built without them, with a problem `unsupported`. */
const UNSUPPORTED_FIELDS = ['replacements', 'vars', 'helmCharts', 'helmChartInflationGenerator', 'generators', 'transformers', 'validators', 'crds', 'openapi', 'buildMetadata'];

/** Top-level keys of a kustomize transformer config file (`configurations:`, builtinconfig.TransformerConfig). */
const CONFIG_KEYS = new Set(['namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'templateLabels', 'commonAnnotations', 'nameReference', 'varReference', 'images', 'replicas']);

/** A kustomization/Component document or a kustomize config document: not an object. */
function isKustomizeDocument(value: Value): boolean {
  if (typeof value.apiVersion === 'string' && value.apiVersion.startsWith('kustomize.config.k8s.io/')) return true;
  if (value.kind !== undefined) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => CONFIG_KEYS.has(key));
}

type Entry = { value: string; at: Location };

/** Fields read as image entries and as generators (made once, not a list per kustomization file). */
const IMAGE_FIELDS = ['images', 'imageTags'] as const;
const GENERATOR_FIELDS = ['configMapGenerator', 'secretGenerator'] as const;

/** One kustomization (or Component, or Flux's generated root) read into the fields the build uses. */
interface Spec {
  file: SourceFile | undefined;
  dir: string;
  isComponent: boolean;
  resources: Entry[];
  components: Entry[];
  generators: GeneratorEntry[];
  namespace?: { value: string; at: Location | undefined };
  namePrefix?: { value: string; at: Location | undefined };
  nameSuffix?: { value: string; at: Location | undefined };
  patches: { strategicMerge: PatchEntry[]; patches: PatchEntry[]; json6902: PatchEntry[] };
  labels: LabelEntry[];
  annotations: LabelEntry[];
  replicas: ReplicaEntry[];
  images: ImageEntry[];
}

interface State extends BuildContext {
  problems: BuildProblem[];
  /** `nameReference` entries of every `configurations:` file read. */
  nameReferences: NameReferenceConfig[];
  /** Directories being built (cycle detection). */
  stack: string[];
  generated: BuildOptions['generated'];
}

function emptySpec(file: SourceFile | undefined, dir: string): Spec {
  return { file, dir, isComponent: false, resources: [], components: [], generators: [], patches: { strategicMerge: [], patches: [], json6902: [] }, labels: [], annotations: [], replicas: [], images: [] };
}

function firstDocument(file: SourceFile): { value: unknown; index: number } | undefined {
  const document = file.documents.find((candidate) => candidate.value !== null && candidate.value !== undefined);
  return document ? { value: document.value, index: document.index } : undefined;
}

/** Read a kustomization file; `root` files are lenient as Flux rewrites them (unknown fields dropped, empty allowed). */
function readSpec(state: State, file: SourceFile, dir: string, root: boolean): Spec | undefined {
  state.kustomizations.add(file);
  const spec = emptySpec(file, dir);
  const document = firstDocument(file);
  const at = (...path: Array<string | number>): Location => ({ file, docIndex: document?.index ?? 0, path });
  if (file.problems.length > 0) {
    state.problem('invalid-kustomization', `${file.path} does not parse: ${file.problems[0]!.message}`, at());
    return undefined;
  }
  if (!document) {
    if (!root) state.problem('invalid-kustomization', `kustomization file ${file.path} is empty`, at());
    return root ? spec : undefined;
  }
  if (!isMap(document.value)) {
    state.problem('invalid-kustomization', `kustomization file ${file.path} is not a mapping`, at());
    return undefined;
  }
  const value = document.value;
  spec.isComponent = value.kind === 'Component';
  if (!root) {
    for (const key of Object.keys(value)) {
      if (!KNOWN_FIELDS.has(key)) state.problem('invalid-kustomization', `invalid Kustomization: json: unknown field "${key}"`, at(key));
    }
  }
  // Indexed loops here and below: a for-of makes an iterator and a result per step until V8
  // optimises the function, and this runs once per kustomization file, unoptimised.
  for (let index = 0; index < UNSUPPORTED_FIELDS.length; index++) {
    const field = UNSUPPORTED_FIELDS[index]!;
    if (value[field] !== undefined && value[field] !== null) state.problem('unsupported', `kustomize "${field}" is not emulated: the objects are built without it`, at(field));
  }
  if (Array.isArray(value.configurations)) {
    value.configurations.forEach((entry, index) => typeof entry === 'string' && readConfiguration(state, dir, entry, at('configurations', index)));
  }
  // The string entries of a list field, appended to `into` (no list per entry, as flatMap made).
  const docIndex = document.index;
  const strings = (field: string, into: Entry[]): Entry[] => {
    const list = value[field];
    if (!Array.isArray(list)) return into;
    for (let index = 0; index < list.length; index++) {
      const entry: unknown = list[index];
      if (typeof entry === 'string') into.push({ value: entry, at: { file, docIndex, path: [field, index] } });
    }
    return into;
  };
  spec.resources = strings('bases', strings('resources', []));
  spec.components = strings('components', []);
  if (typeof value.namespace === 'string' && value.namespace !== '') spec.namespace = { value: value.namespace, at: at('namespace') };
  if (typeof value.namePrefix === 'string' && value.namePrefix !== '') spec.namePrefix = { value: value.namePrefix, at: at('namePrefix') };
  if (typeof value.nameSuffix === 'string' && value.nameSuffix !== '') spec.nameSuffix = { value: value.nameSuffix, at: at('nameSuffix') };
  spec.patches = patchEntries(value, file, document.index);
  // kustomize reads label and annotation values as strings: `true` or `1` unquoted are rejected.
  const pairs = (raw: unknown, path: Array<string | number>): raw is Value => {
    if (!isMap(raw)) return false;
    for (const [key, pairValue] of Object.entries(raw)) {
      if (typeof pairValue !== 'string') state.problem('invalid-kustomization', `invalid Kustomization: the value of "${key}" must be a string (quote it)`, at(...path, key));
    }
    return true;
  };
  if (pairs(value.commonLabels, ['commonLabels'])) spec.labels.push({ pairs: value.commonLabels, at: at('commonLabels'), selectors: true, templates: true });
  if (Array.isArray(value.labels)) {
    value.labels.forEach((raw, index) => {
      if (!isMap(raw) || !pairs(raw.pairs, ['labels', index, 'pairs'])) return;
      spec.labels.push({ pairs: raw.pairs, at: at('labels', index), selectors: raw.includeSelectors === true, templates: raw.includeTemplates === true || raw.includeSelectors === true });
    });
  }
  if (pairs(value.commonAnnotations, ['commonAnnotations'])) spec.annotations.push({ pairs: value.commonAnnotations, at: at('commonAnnotations'), selectors: false, templates: true });
  if (Array.isArray(value.replicas)) value.replicas.forEach((raw, index) => isMap(raw) && spec.replicas.push({ entry: raw, at: at('replicas', index) }));
  for (let slot = 0; slot < IMAGE_FIELDS.length; slot++) {
    const field = IMAGE_FIELDS[slot]!;
    const list = value[field];
    if (Array.isArray(list)) list.forEach((raw, index) => isMap(raw) && spec.images.push({ entry: raw, at: at(field, index) }));
  }
  const options = isMap(value.generatorOptions) ? { value: value.generatorOptions, at: at('generatorOptions') } : undefined;
  for (let slot = 0; slot < GENERATOR_FIELDS.length; slot++) {
    const field = GENERATOR_FIELDS[slot]!;
    const list = value[field];
    if (Array.isArray(list)) list.forEach((raw, index) => isMap(raw) && spec.generators.push({ kind: field === 'configMapGenerator' ? 'ConfigMap' : 'Secret', entry: raw, at: at(field, index), options }));
  }
  return spec;
}

/**
 * A `configurations:` file: its `nameReference` entries join the build's name references
 * (kustomize merges the transformer configs of every kustomization); other sections are not
 * emulated.
 */
function readConfiguration(state: State, dir: string, entry: string, at: Location): void {
  const target = resolvePath(dir, entry);
  const file = target === undefined ? undefined : state.host.file(target);
  if (!file) {
    state.problem(target === undefined ? 'outside-root' : 'missing-file', `configurations file "${entry}" not found`, at);
    return;
  }
  for (const document of file.documents) {
    if (!isMap(document.value)) continue;
    for (const key of Object.keys(document.value)) {
      if (key === 'nameReference') state.nameReferences.push(...parseNameReferences(document.value.nameReference));
      else state.problem('unsupported', `kustomize configurations "${key}" is not emulated: the objects are built without it`, { file, docIndex: document.index, path: [key] });
    }
  }
}

/** Apply a Flux Kustomization's spec to the root kustomization (FLUX-LAYOUTS §1 "spec → root file"). */
function applyOverrides(spec: Spec, flux: FluxOverrides): void {
  if (flux.namespace) spec.namespace = { value: flux.namespace, at: flux.at?.namespace };
  if (flux.namePrefix) spec.namePrefix = { value: flux.namePrefix, at: flux.at?.namePrefix };
  if (flux.nameSuffix) spec.nameSuffix = { value: flux.nameSuffix, at: flux.at?.nameSuffix };
  for (const patch of flux.patches ?? []) {
    spec.patches.patches.push({ patch: patch.patch, target: parseTarget(patch.target), at: patch.at, field: 'patches' });
  }
  for (const image of flux.images ?? []) {
    const index = spec.images.findIndex((existing) => existing.entry.name === image.entry.name);
    if (index < 0) {
      spec.images.push({ entry: image.entry, at: image.at });
      continue;
    }
    // `newName` overrides; `newTag` and `digest` replace together (kustomize-controller ≥ 1.9.4).
    const merged: Value = { ...spec.images[index]!.entry };
    if (image.entry.newName !== undefined) merged.newName = image.entry.newName;
    if (image.entry.newTag !== undefined || image.entry.digest !== undefined) {
      delete merged.newTag;
      delete merged.digest;
      if (image.entry.newTag !== undefined) merged.newTag = image.entry.newTag;
      if (image.entry.digest !== undefined) merged.digest = image.entry.digest;
    }
    spec.images[index] = { entry: merged, at: image.at };
  }
  for (const component of flux.components ?? []) spec.components.push({ value: component.path, at: component.at });
}

/**
 * The id an object is appended under (kustomize `ResMap.Append`): group/version/kind, the
 * effective namespace and the name, read straight from its value (what `currentId` and
 * `effectiveNamespace` give, without their objects and the apiVersion joined again).
 */
function idKey(state: State, res: KResource): string {
  const value = res.value;
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
  const kind = typeof value.kind === 'string' ? value.kind : '';
  const metadata = isMap(value.metadata) ? value.metadata : undefined;
  const name = metadata !== undefined && typeof metadata.name === 'string' ? metadata.name : '';
  const written = metadata !== undefined && typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
  const slash = apiVersion.indexOf('/');
  // `${group}/${version}` is the apiVersion itself, or `/${version}` without a group; a
  // leading slash ("/v1") is an empty group, looked up as its version alone.
  const groupVersion = slash < 0 ? `/${apiVersion}` : apiVersion;
  const lookup = slash === 0 ? apiVersion.slice(1) : apiVersion;
  const namespace = state.host.isClusterScoped(lookup, kind) === true ? '' : (written ?? 'default');
  return `${groupVersion}/${kind}|${namespace}|${name}`;
}

/** Append objects, rejecting an id already present (kustomize `ResMap.Append`); each batch comes with the entry it is reported at. */
function append(state: State, resmap: KResource[], batches: ReadonlyArray<{ added: readonly KResource[]; at: Location }>): void {
  // Two ids can only be the same where the names are: objects are kept by name, and the ids of
  // a name are made only when a second object has it (most names are unique in a build, and
  // each id was a string made and hashed per object).
  const byName = new Map<string, KResource | Set<string>>();
  const isNew = (res: KResource): boolean => {
    const name = nameOf(res);
    const seen = byName.get(name);
    if (seen === undefined) {
      byName.set(name, res);
      return true;
    }
    const ids = seen instanceof Set ? seen : new Set([idKey(state, seen)]);
    if (ids !== seen) byName.set(name, ids);
    const key = idKey(state, res);
    if (ids.has(key)) return false;
    ids.add(key);
    return true;
  };
  for (let index = 0; index < resmap.length; index++) isNew(resmap[index]!);
  // Indexed loops: a for-of allocates an iterator result per step until the code is optimized,
  // and most of a run's code never is.
  for (let batch = 0; batch < batches.length; batch++) {
    const { added, at } = batches[batch]!;
    for (let index = 0; index < added.length; index++) {
      const res = added[index]!;
      if (!isNew(res)) state.problem('duplicate-id', `may not add resource with an already registered id: ${describeId(currentId(res))}`, at);
      else resmap.push(res);
    }
  }
}

/** `metadata.name` as idKey reads it. */
function nameOf(res: KResource): string {
  const metadata = res.value.metadata;
  return isMap(metadata) && typeof metadata.name === 'string' ? metadata.name : '';
}

/** The objects of one manifest file (`*List` items expanded; empty documents skipped). */
function loadFile(state: State, file: SourceFile, entryAt: Location): KResource[] {
  state.resourceFiles.add(file);
  const out: KResource[] = [];
  if (file.problems.length > 0) {
    state.problem('invalid-yaml', `${file.path} does not parse: ${file.problems[0]!.message}`, entryAt);
    return out;
  }
  if (file.text === undefined) {
    state.problem('unknown-input', `${file.path} was not read, so its objects are unknown`, entryAt);
    return out;
  }
  for (let index = 0; index < file.documents.length; index++) {
    const document = file.documents[index]!;
    const value = document.value;
    if (value === null || value === undefined) continue;
    const at: Location = { file, docIndex: document.index, path: [] };
    if (!isMap(value)) {
      state.problem('invalid-object', `${file.path}: a document is not a Kubernetes object`, at);
      continue;
    }
    // kustomize skips empty documents, `{}` included.
    if (isKustomizeDocument(value) || (value.kind === undefined && Object.keys(value).length === 0)) continue;
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
      value.items.forEach((item, index) => {
        const itemAt = locate(value, at, ['items', index]);
        if (!isMap(item) || typeof item.kind !== 'string') state.problem('invalid-object', `${file.path}: item ${index} of the list is not a Kubernetes object`, itemAt);
        else out.push(newResource(item, itemAt));
      });
      continue;
    }
    const name = isMap(value.metadata) ? value.metadata.name : undefined;
    if (typeof value.kind !== 'string' || value.kind === '' || typeof name !== 'string' || name === '') {
      state.problem('invalid-object', `${file.path}: missing Resource metadata (kind and metadata.name are required)`, at);
      continue;
    }
    out.push(newResource(value, at));
  }
  return out;
}

/** Objects of a `resources` entry: a file, a directory with a kustomization, or a remote base (not built). */
function loadEntry(state: State, spec: Spec, entry: Entry): KResource[] {
  if (isRemoteTarget(entry.value)) {
    state.problem('remote', `remote resource "${entry.value}" is not built`, entry.at);
    return [];
  }
  const target = resolvePath(spec.dir, entry.value);
  if (target === undefined) {
    state.problem('outside-root', `"${entry.value}" is outside the source`, entry.at);
    return [];
  }
  const file = state.host.file(target);
  if (file) return loadFile(state, file, entry.at);
  if (!state.host.isDirectory(target)) {
    state.problem('missing-file', `accumulating resources: "${entry.value}" is neither a file nor a directory`, entry.at);
    return [];
  }
  const kustomization = state.host.kustomizationFile(target);
  if (!kustomization) {
    state.problem('missing-kustomization', `unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory "${target || '.'}"`, entry.at);
    return [];
  }
  return buildDirectory(state, target, kustomization, entry.at, false);
}

/** Build a directory with a kustomization file into its own accumulator. */
function buildDirectory(state: State, dir: string, file: SourceFile, entryAt: Location | undefined, root: boolean, flux?: FluxOverrides): KResource[] {
  if (state.stack.includes(dir)) {
    if (entryAt) state.problem('cycle', `cycle detected: "${dir}" includes itself`, entryAt);
    return [];
  }
  const spec = readSpec(state, file, dir, root);
  if (!spec) return [];
  // A Component may be built on its own (kustomize builds a Component root); only including one as a resource fails.
  if (spec.isComponent && !root) {
    state.problem('component-as-resource', `expected kind != 'Component' for path "${dir || '.'}"`, entryAt ?? { file, docIndex: 0, path: ['kind'] });
    return [];
  }
  if (flux) applyOverrides(spec, flux);
  state.stack.push(dir);
  const resmap: KResource[] = [];
  const result = accumulate(state, spec, resmap);
  state.stack.pop();
  // concat: a list of its length (a push onto an empty list makes room for 17 files).
  for (let index = 0; index < result.length; index++) result[index]!.via = result[index]!.via.concat(file);
  return result;
}

/** Run one kustomization or Component on an accumulator; returns the objects after it. */
function accumulate(state: State, spec: Spec, resmap: KResource[]): KResource[] {
  append(state, resmap, spec.resources.map((entry) => ({ added: loadEntry(state, spec, entry), at: entry.at })));
  resmap = applyGenerators(state, spec.dir, resmap, spec.generators);
  // Indexed loops: a for-of makes an iterator per loop (and a result per step) until V8
  // optimises the function, and most builds run this once per kustomization, unoptimised.
  const { components, labels, annotations, replicas, images } = spec;
  const { strategicMerge, patches, json6902 } = spec.patches;
  for (let index = 0; index < components.length; index++) resmap = runComponent(state, spec, components[index]!, resmap);
  for (let index = 0; index < strategicMerge.length; index++) resmap = applyPatchEntry(state, spec.dir, resmap, strategicMerge[index]!);
  for (let index = 0; index < patches.length; index++) resmap = applyPatchEntry(state, spec.dir, resmap, patches[index]!);
  if (spec.namespace) applyNamespace(resmap, spec.namespace.value, spec.namespace.at, state.host);
  if (spec.namePrefix) applyNameAffix(resmap, { prefix: spec.namePrefix.value }, spec.namePrefix.at);
  if (spec.nameSuffix) applyNameAffix(resmap, { suffix: spec.nameSuffix.value }, spec.nameSuffix.at);
  for (let index = 0; index < labels.length; index++) applyLabels(resmap, labels[index]!);
  for (let index = 0; index < annotations.length; index++) applyAnnotations(resmap, annotations[index]!);
  for (let index = 0; index < json6902.length; index++) resmap = applyPatchEntry(state, spec.dir, resmap, json6902[index]!);
  for (let index = 0; index < replicas.length; index++) applyReplicas(resmap, replicas[index]!);
  for (let index = 0; index < images.length; index++) applyImages(resmap, images[index]!);
  return resmap;
}

/** A Component runs in the includer's accumulator (built once per includer). */
function runComponent(state: State, includer: Spec, entry: Entry, resmap: KResource[]): KResource[] {
  if (isRemoteTarget(entry.value)) {
    state.problem('remote', `remote component "${entry.value}" is not built`, entry.at);
    return resmap;
  }
  const dir = resolvePath(includer.dir, entry.value);
  if (dir === undefined) {
    state.problem('outside-root', `"${entry.value}" is outside the source`, entry.at);
    return resmap;
  }
  const file = state.host.kustomizationFile(dir);
  if (!file) {
    const message = state.host.file(dir) ? `component "${entry.value}" must be a directory` : `unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory "${dir || '.'}"`;
    state.problem('missing-kustomization', message, entry.at);
    return resmap;
  }
  if (state.stack.includes(dir)) {
    state.problem('cycle', `cycle detected: "${dir}" includes itself`, entry.at);
    return resmap;
  }
  const spec = readSpec(state, file, dir, false);
  if (!spec) return resmap;
  if (!spec.isComponent) {
    state.problem('kustomization-as-component', `expected kind 'Component' for path "${dir}"`, entry.at);
    return resmap;
  }
  const before = new Set(resmap);
  state.stack.push(dir);
  const result = accumulate(state, spec, resmap);
  state.stack.pop();
  for (const res of result) if (!before.has(res)) res.via = res.via.concat(file);
  return result;
}

/** Flux's generated root: .yaml/.yml files found recursively; a subdirectory with a kustomization is a directory resource. */
function generatedRoot(state: State, dir: string): KResource[] {
  const exclude = state.generated?.exclude ?? (() => false);
  const batches: Array<{ added: KResource[]; at: Location }> = [];
  const walk = (current: string): void => {
    for (const file of state.host.filesIn(current)) {
      if (!/\.ya?ml$/i.test(file.path) || exclude(file.path)) continue;
      const at: Location = { file, docIndex: 0, path: [] };
      batches.push({ added: loadFile(state, file, at), at });
    }
    for (const sub of state.host.dirsIn(current)) {
      if (exclude(sub)) continue;
      const kustomization = state.host.kustomizationFile(sub);
      if (kustomization) {
        const at: Location = { file: kustomization, docIndex: 0, path: [] };
        batches.push({ added: buildDirectory(state, sub, kustomization, at, false), at });
      } else walk(sub);
    }
  };
  walk(dir);
  const resmap: KResource[] = [];
  append(state, resmap, batches);
  return resmap;
}

/**
 * Build the kustomization in `dir` (root-relative), or Flux's generated one when `dir` has
 * no kustomization file, with the Flux Kustomization's overrides applied to the root.
 */
export function buildKustomization(host: KustomizeHost, dir: string, options: BuildOptions = {}): BuildResult {
  dir = resolvePath('', dir) ?? dir;
  const state = newState(host, options);
  try {
    return build(state, dir, options);
  } catch (error) {
    // A bug here must not stop the lint run: report it where the build starts, with no objects.
    const at = host.kustomizationFile(dir) ?? host.filesIn(dir)[0];
    const problems: BuildProblem[] = at ? [{ code: 'internal-error', message: `the kustomize build failed: ${error instanceof Error ? error.message : String(error)}`, at: { file: at, docIndex: 0, path: [] } }] : [];
    return { objects: [], problems, resourceFiles: [], patchFiles: [], kustomizations: [] };
  }
}

function newState(host: KustomizeHost, options: BuildOptions): State {
  return {
    host,
    problems: [],
    problem(code, message, at) {
      // A Component included twice is read twice: report its problems once.
      const same = (other: BuildProblem): boolean => other.code === code && other.message === message && other.at.file === at.file && other.at.docIndex === at.docIndex && other.at.path.join('\0') === at.path.join('\0');
      if (!this.problems.some(same)) this.problems.push({ code, message, at });
    },
    resourceFiles: new Set(),
    patchFiles: new Set(),
    kustomizations: new Set(),
    stack: [],
    nameReferences: [],
    generated: options.generated,
  };
}

function build(state: State, dir: string, options: BuildOptions): BuildResult {
  const host = state.host;
  let resmap: KResource[];
  const file = host.kustomizationFile(dir);
  if (file) {
    resmap = buildDirectory(state, dir, file, undefined, true, options.flux);
  } else {
    resmap = generatedRoot(state, dir);
    if (options.flux) {
      const spec = emptySpec(undefined, dir);
      applyOverrides(spec, options.flux);
      state.stack.push(dir);
      resmap = accumulate(state, spec, resmap);
      state.stack.pop();
    }
  }
  finishGenerated(resmap);
  fixNameReferences(resmap, state.nameReferences, (apiVersion, kind) => host.isClusterScoped(apiVersion, kind));
  // A patch file is not a resource, even when another entry lists it as one.
  const patchFiles = [...state.patchFiles];
  return {
    objects: resmap.map(toApplied),
    problems: state.problems,
    resourceFiles: [...state.resourceFiles],
    patchFiles,
    kustomizations: [...state.kustomizations],
  };
}

/** A class, so that thousands of objects share one `locate` rather than a closure each. */
class BuiltDocument implements AppliedDocument {
  value: Record<string, unknown>;
  written: { file: SourceFile; docIndex: number };
  patchedBy: Location[];
  via: SourceFile[];
  nameUnknown: boolean;
  private readonly at: Location;
  constructor(res: KResource) {
    this.value = res.value;
    this.written = res.written;
    this.patchedBy = res.patchedBy;
    this.via = res.via;
    this.nameUnknown = res.nameUnknown;
    this.at = res.at;
  }

  locate(path: YamlPath): Location {
    return locate(this.value, this.at, path);
  }
}

function toApplied(res: KResource): AppliedDocument {
  return new BuiltDocument(res);
}
