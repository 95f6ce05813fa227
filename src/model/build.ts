import type { Document } from 'yaml';
import type { RunNote } from './finding.js';
import type { Model } from './model.js';
import type { ConfigDataIndex, Container, ImageOverride, KustomizeIndex, ParsedDocument, Resource, Root, RootFiles, SourceFile } from './workspace.js';
import { buildFluxGraph } from '../flux/graph.js';
import { buildApplied } from '../applied/build.js';
import { builtInClusterScoped } from '../kustomize/scope.js';
import { synthesizeBootstrap, synthesizeExternalSources, synthesizeSyncObjects } from '../flux/synthesized.js';
import type { FluxGraph } from '../flux/types.js';
import { isKustomizationFile } from '../workspace/source-file.js';
import { compareStrings, dirOf, push } from '../engine/collections.js';
import { extractContainers, podSpecPath } from './containers.js';
import { buildConfigDataIndex } from './config-data.js';
import { buildKustomizeIndex, kustomizeNamespace } from '../kustomize/tree.js';
import { asRecord, asString } from '../engine/values.js';
import { ResourceObject } from './resource-object.js';
import type { BuildMemo } from '../kustomize/memo.js';
import type { ModelMemo } from '../lsp/model-memo.js';

/** Kinds kustomize knows to be cluster-scoped: its namespace transformer leaves them alone. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass',
  'PriorityClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService', 'Node',
  'RuntimeClass', 'IngressClass', 'CSIDriver', 'VolumeSnapshotClass', 'ClusterIssuer',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/** Documents of kustomization files configure kustomize; they are not applied to the cluster. */
function isKustomizeConfig(file: SourceFile, value: Record<string, unknown>): boolean {
  const apiVersion = asString(value.apiVersion) ?? '';
  return isKustomizationFile(file.path) || apiVersion.startsWith('kustomize.config.k8s.io/');
}

/**
 * A document as written. `applied` and `synthetic` are never set on written resources
 * (declared only, no own fields).
 */
class WrittenResource extends ResourceObject {
  declare applied?: Resource['applied'];
  declare synthetic?: string;
  constructor(
    file: SourceFile,
    docIndex: number,
    apiVersion: string,
    kind: string,
    name: string,
    namespace: string | undefined,
    appliedNamespace: string | undefined,
    encrypted: boolean,
    value: Record<string, unknown>,
    private readonly parsed: ParsedDocument,
  ) {
    super(file, docIndex, apiVersion, kind, name, namespace, appliedNamespace, encrypted, value);
  }

  get doc(): Document.Parsed {
    return this.parsed.doc;
  }
}

function makeResource(file: SourceFile, docIndex: number): Resource | undefined {
  const parsed = file.documents[docIndex];
  const value = asRecord(parsed?.value);
  if (!parsed || !value) return undefined;
  const apiVersion = asString(value.apiVersion);
  const kind = asString(value.kind);
  if (apiVersion === undefined || kind === undefined || isKustomizeConfig(file, value)) return undefined;
  const metadata = asRecord(value.metadata) ?? {};
  const namespace = asString(metadata.namespace);
  return new WrittenResource(file, docIndex, apiVersion, kind, asString(metadata.name) ?? '', namespace, namespace, asRecord(value.sops) !== undefined, value, parsed);
}

/**
 * The resource made from a document, found in its file's list (in document order) by binary
 * search: a file with thousands of documents costs no more per document, and no index beside
 * the list is kept for each file.
 */
function atDocument(ofFile: readonly Resource[] | undefined, docIndex: number): Resource | undefined {
  if (!ofFile) return undefined;
  let low = 0;
  let high = ofFile.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = ofFile[middle]!;
    if (found.docIndex === docIndex) return found;
    if (found.docIndex < docIndex) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}

function indexByKindName(index: Map<string, Map<string, Resource[]>>, resource: Resource): void {
  let byName = index.get(resource.kind);
  if (!byName) index.set(resource.kind, (byName = new Map()));
  push(byName, resource.name, resource);
}

/** The written resources of a file's documents, in document order. */
function resourcesOf(file: SourceFile): Resource[] {
  const made: Resource[] = [];
  for (let index = 0; index < file.documents.length; index++) {
    const resource = makeResource(file, index);
    if (resource) made.push(resource);
  }
  return made;
}

interface MutableRootFiles extends RootFiles {
  files: Map<string, SourceFile>;
  dirs: Set<string>;
  filesIn: Map<string, SourceFile[]>;
  dirsIn: Map<string, string[]>;
}

function emptyRootFiles(root: Root): MutableRootFiles {
  return { root, files: new Map(), dirs: new Set(['']), filesIn: new Map(), dirsIn: new Map() };
}

/** Index every root's files by path and by folder, once. */
function indexRootFiles(roots: readonly Root[], files: readonly SourceFile[]): Map<Root, RootFiles> {
  const byRoot = new Map<Root, MutableRootFiles>(roots.map((root) => [root, emptyRootFiles(root)]));
  for (let at = 0; at < files.length; at++) {
    const file = files[at]!;
    let index = byRoot.get(file.root);
    if (!index) byRoot.set(file.root, (index = emptyRootFiles(file.root)));
    index.files.set(file.path, file);
    const folder = dirOf(file.path);
    push(index.filesIn, folder, file);
    for (let dir = folder; dir !== '' && !index.dirs.has(dir); dir = dirOf(dir)) {
      index.dirs.add(dir);
      push(index.dirsIn, dirOf(dir), dir);
    }
  }
  for (const index of byRoot.values()) {
    for (const list of index.dirsIn.values()) list.sort(compareStrings);
    for (const list of index.filesIn.values()) list.sort((a, b) => compareStrings(a.path, b.path));
  }
  return byRoot;
}

/** Build the read-only model rules see. Expensive views (containers, config data) are lazy. */
/**
 * @param options.buildMemo Kustomize builds of earlier runs to reuse where what they read is unchanged.
 * @param options.modelMemo Resources, applied copies and containers of earlier runs to reuse where what made them is unchanged.
 */
export function buildModel(roots: Root[], files: SourceFile[], notes: RunNote[], options: { buildMemo?: BuildMemo; modelMemo?: ModelMemo } = {}): Model {
  const memo = options.modelMemo;
  memo?.startRun();
  const written: Resource[] = [];
  // A file's resources in document order (made in that order, or kept in it by the memo).
  const byFile = new Map<SourceFile, Resource[]>();
  for (let at = 0; at < files.length; at++) {
    const file = files[at]!;
    if (memo) {
      const kept = memo.resourcesOf(file, resourcesOf);
      if (kept.length === 0) continue;
      byFile.set(file, kept);
      for (let index = 0; index < kept.length; index++) written.push(kept[index]!);
      continue;
    }
    let ofFile: Resource[] | undefined;
    for (let index = 0; index < file.documents.length; index++) {
      const resource = makeResource(file, index);
      if (!resource) continue;
      written.push(resource);
      // A literal of one: most files hold one object (a push onto an empty list makes room for 17).
      if (!ofFile) byFile.set(file, (ofFile = [resource]));
      else ofFile.push(resource);
    }
  }

  const rootFilesMap = indexRootFiles(roots, files);
  const rootFiles = (root: Root): RootFiles => {
    let index = rootFilesMap.get(root);
    if (!index) rootFilesMap.set(root, (index = emptyRootFiles(root)));
    return index;
  };
  const kustomize: KustomizeIndex = buildKustomizeIndex(files, rootFiles);
  // Written resources get the namespace their kustomization trees give them (no Flux transform).
  for (let at = 0; at < written.length; at++) {
    const resource = written[at]!;
    const namespace = kustomizeNamespace(kustomize.chain(resource.file));
    if (namespace === undefined) continue;
    if (resource.kind === 'Namespace') continue;
    if (!isClusterScoped(resource.kind)) resource.appliedNamespace = namespace;
  }
  const resourceAt = (file: SourceFile, docIndex: number): Resource | undefined => atDocument(byFile.get(file), docIndex);

  const noteMessages = new Set(notes.map((note) => note.message));
  const note = (runNote: RunNote): void => {
    if (noteMessages.has(runNote.message)) return;
    noteMessages.add(runNote.message);
    notes.push(runNote);
  };
  // Objects Flux creates outside git: the FluxInstance sync (from the creators as written; the
  // applied creators are synthesized again in the build) and config externalSources.
  // Made when a config names an external source's file (a lookup by path), not for every run.
  let filesByPath: Map<string, SourceFile> | undefined;
  const synthetic = [
    ...synthesizeSyncObjects(written, (message, file) => note({ message, file })),
    ...synthesizeExternalSources(roots, (absPath) => (filesByPath ??= new Map(files.map((file) => [file.absPath, file]))).get(absPath)),
    ...synthesizeBootstrap(files, (file) => (byFile.get(file) ?? []).length > 0),
  ];
  const applied = buildApplied({
    roots,
    written,
    synthetic,
    rootFiles,
    kustomize,
    resourceAt,
    // What kustomize itself knows to be cluster-scoped (its embedded schema): it gives every other kind a namespace.
    isClusterScoped: builtInClusterScoped,
    note,
    // Fields, not spreads: one shape of this object whichever tier of V8 runs this (see buildApplied).
    memo: options.buildMemo,
    modelMemo: memo,
  });
  const resources = applied.resources;
  const byKind = new Map<string, Resource[]>();
  // By kind and name: a lookup per reference costs the matches, not every object of the kind.
  // Nested maps rather than a joined key: no string is made per object or per lookup.
  const byKindName = new Map<string, Map<string, Resource[]>>();
  for (let at = 0; at < resources.length; at++) {
    const resource = resources[at]!;
    push(byKind, resource.kind, resource);
    indexByKindName(byKindName, resource);
  }
  const writtenByKindName = new Map<string, Map<string, Resource[]>>();
  for (let at = 0; at < written.length; at++) indexByKindName(writtenByKindName, written[at]!);

  // The kustomize `images:` entries that apply to a file's objects, innermost first, once per file.
  const imagesByFile = new Map<SourceFile, ImageOverride[]>();
  const imagesOf = (file: SourceFile): ImageOverride[] => {
    let images = imagesByFile.get(file);
    if (!images) imagesByFile.set(file, (images = kustomize.chain(file).flatMap((node) => node.images)));
    return images;
  };
  const containersOf = (list: readonly Resource[], overridesFor: (resource: Resource) => ImageOverride[]): Container[] =>
    memo ? memo.containersOf(list, (resource) => podSpecPath(resource) !== undefined, overridesFor, extractContainers) : extractContainers(list, overridesFor);
  let containers: Container[] | undefined;
  let writtenContainers: Container[] | undefined;
  let configData: ConfigDataIndex | undefined;
  let flux: FluxGraph | undefined;
  const model: Model = {
    roots,
    files,
    resources,
    written,
    // Fresh lists (callers may keep or change them); a copy when nothing filters (one allocation of its length).
    ofKind: (kind, group) => {
      const all = byKind.get(kind) ?? [];
      return group === undefined ? all.slice() : all.filter((resource) => resource.group === group);
    },
    find: ({ kind, name, namespace, group }) => {
      const all = byKindName.get(kind)?.get(name) ?? [];
      if (namespace === undefined && group === undefined) return all.slice();
      return all.filter((resource) => (namespace === undefined || resource.appliedNamespace === namespace) && (group === undefined || resource.group === group));
    },
    fileAt: (root, path) => rootFilesMap.get(root)?.files.get(path),
    rootFiles,
    resourcesIn: (file) => byFile.get(file) ?? [],
    resourceAt,
    copiesOf: (resource) => applied.copies.get(resource) ?? [],
    appliedStatus: applied.status,
    unapplied: (kind, name) => (writtenByKindName.get(kind)?.get(name) ?? []).filter((resource) => !applied.copies.has(resource)),
    applied: applied.model,
    kustomize,
    get writtenContainers() {
      // Applied copies stand for the documents they were made from (a finding lands on the written
      // line either way); only documents no build applies are extracted again.
      writtenContainers ??= [
        ...model.containers,
        ...containersOf(
          written.filter((resource) => !applied.copies.has(resource)),
          (resource) => imagesOf(resource.file),
        ),
      ];
      return writtenContainers;
    },
    get containers() {
      // Images are final in applied objects; the chain's entries say which ones set them.
      containers ??= containersOf(resources, (resource) => imagesOf((resource.applied?.written ?? resource).file));
      return containers;
    },
    get configData() {
      configData ??= buildConfigDataIndex(
        resources,
        kustomize,
        roots.flatMap((root) => root.config.externalSecrets),
      );
      return configData;
    },
    get flux() {
      flux ??= buildFluxGraph(model);
      return flux;
    },
    note,
  };
  return model;
}
