import type { YamlPath } from '../model/finding.js';
import type { ConfigData, KustomizeNode, Resource, Root, RootFiles, SourceFile } from '../model/workspace.js';
import type { Model } from '../model/model.js';
import { push } from '../engine/collections.js';
import { asArray, asRecord, asString, getIn } from '../engine/values.js';
import { qualified } from './describe.js';
import {
  GENERATED_SOURCE_KINDS, HELM_GROUP, KUSTOMIZE_GROUP, SOURCE_GROUP, SOURCE_KINDS, TERRAFORM_GROUP, groupOfKind,
} from './kinds.js';
import { linkGitRepositories } from './repos.js';
import { hasUnknownSync } from './synthesized.js';
import { fluxDir, generatedBuild, hasKustomizationFile, includeAt, kustomizeBuild, sourceIgnoreMatcher, type Build } from './tree.js';
import type {
  DataLookup, FluxGraph, FluxHelmRelease, FluxKustomization, FluxPathConsumer, FluxRef, FluxSource, FluxTerraform, PathTarget, RepoLink,
} from './types.js';

/** Namespaces match when equal, or when either is unknown (an object without one, linted alone). */
export function namespaceMatches(candidate: string | undefined, wanted: string | undefined): boolean {
  return candidate === undefined || wanted === undefined || candidate === wanted;
}

/**
 * A reference mapping (`{kind?, name, namespace?, apiVersion?}`) at `path`, if it has a name.
 * `resolvedNamespace` is read when used, so it follows later namespace passes.
 */
export function refAt(resource: Resource, path: YamlPath, kind: { fallback?: string; fixed?: string } = {}): FluxRef | undefined {
  const value = asRecord(getIn(resource.value, path));
  const name = asString(value?.name);
  if (!value || name === undefined) return undefined;
  return new Ref(kind.fixed ?? asString(value.kind) ?? kind.fallback ?? '', name, asString(value.namespace), asString(value.apiVersion), path, resource);
}

/**
 * A class, not an object literal with a getter: a literal with an accessor of its own is kept
 * as a dictionary with a closure and context each (several hundred bytes, thousands a run).
 */
class Ref implements FluxRef {
  kind: string;
  name: string;
  namespace: string | undefined;
  apiVersion: string | undefined;
  path: YamlPath;
  readonly #holder: Resource;

  constructor(kind: string, name: string, namespace: string | undefined, apiVersion: string | undefined, path: YamlPath, holder: Resource) {
    this.kind = kind;
    this.name = name;
    this.namespace = namespace;
    this.apiVersion = apiVersion;
    this.path = path;
    this.#holder = holder;
  }

  get resolvedNamespace(): string | undefined {
    return this.namespace ?? this.#holder.appliedNamespace;
  }
}

function dependsOnRefs(resource: Resource): FluxRef[] {
  const refs: FluxRef[] = [];
  asArray(getIn(resource.value, ['spec', 'dependsOn'])).forEach((_, index) => {
    // dependsOn entries name objects of the same kind as the one holding them.
    const ref = refAt(resource, ['spec', 'dependsOn', index], { fixed: resource.kind });
    if (ref) refs.push(ref);
  });
  return refs;
}

/** The build of an applied Kustomization names the copy that was built; rules hold the copy its parent applied. */
function identityOf(resource: Resource): string {
  return `${resource.appliedNamespace ?? ''}/${resource.name}`;
}

/**
 * `make` of each item, in order, pushed to `out`. The per-object loops of buildFluxGraph are functions of their
 * own (this one, indexKustomizations): buildFluxGraph runs once per lint, and without loops of
 * its own it stays out of the language server's first compilations (~250 ms of TurboFan a
 * compilation, on its other core). Pushed by a loop, not made by `map`: an inlined `map` makes a
 * holey list, the interpreter a packed one, and the rules' loops over `graph.kustomizations`
 * were thrown away when the kind changed.
 */
function eachOf<T, U>(items: readonly T[], make: (item: T) => U, out: U[] = []): U[] {
  for (let index = 0; index < items.length; index++) out.push(make(items[index]!));
  return out;
}

function indexKustomizations(kustomizations: readonly FluxKustomization[]): {
  byFile: Map<SourceFile, FluxKustomization[]>;
  byResource: Map<Resource, FluxKustomization>;
  byIdentity: Map<string, FluxKustomization>;
  anchored: Set<Root>;
} {
  const byFile = new Map<SourceFile, FluxKustomization[]>();
  const byResource = new Map<Resource, FluxKustomization>();
  const byIdentity = new Map<string, FluxKustomization>();
  // Roots whose objects are known to reach a cluster through a linted Flux Kustomization, or
  // that hold Flux Kustomizations themselves (cluster repos): references from them are checked.
  const anchored = new Set<Root>();
  for (let at = 0; at < kustomizations.length; at++) {
    const kustomization = kustomizations[at]!;
    byResource.set(kustomization.resource, kustomization);
    const identity = identityOf(kustomization.resource);
    if (!byIdentity.has(identity)) byIdentity.set(identity, kustomization);
    anchored.add(kustomization.resource.file.root);
    const { files } = kustomization;
    for (let index = 0; index < files.length; index++) {
      push(byFile, files[index]!, kustomization);
      anchored.add(files[index]!.root);
    }
  }
  return { byFile, byResource, byIdentity, anchored };
}

/** Build the graph from the model as it is now (namespaces included). */
export function buildFluxGraph(model: Model): FluxGraph {
  const treeOf = (root: Root): RootFiles => model.rootFiles(root);

  const named = (kind: string, name: string): Resource[] => {
    const group = groupOfKind(kind);
    return model.find(group === undefined ? { kind, name } : { kind, name, group });
  };
  const resolve = (kind: string, name: string, namespace: string | undefined): Resource[] => {
    const all = named(kind, name);
    // Every object matches a reference without a namespace (a fresh list: callers may keep it).
    if (namespace === undefined) return all.slice();
    // Exact namespace matches first, so consumers pick the object the controller would; then
    // the objects without one. One pass, lists of their length (no filters and spread).
    const exact: Resource[] = [];
    let unknown: Resource[] | undefined;
    for (let index = 0; index < all.length; index++) {
      const resource = all[index]!;
      if (resource.appliedNamespace === namespace) exact.push(resource);
      else if (resource.appliedNamespace === undefined) (unknown ??= []).push(resource);
    }
    return unknown === undefined ? exact : exact.concat(unknown);
  };

  const sources: FluxSource[] = [];
  const sourceByResource = new Map<Resource, FluxSource>();
  const gitLinks = linkGitRepositories(model.ofKind('GitRepository', SOURCE_GROUP), model.roots);
  for (const kind of SOURCE_KINDS) {
    eachOf(model.ofKind(kind, SOURCE_GROUP), (resource): FluxSource => {
      const url = asString(getIn(resource.value, ['spec', kind === 'Bucket' ? 'endpoint' : 'url']));
      const link: RepoLink = gitLinks.get(resource) ?? { status: 'external', kind };
      if (link.status === 'linked' && link.note !== undefined) model.note({ message: link.note, file: resource.file.absPath });
      const source: FluxSource = { resource, kind, url, link };
      sourceByResource.set(resource, source);
      return source;
    }, sources);
  }

  const ignoreCache = new Map<string, (relative: string) => boolean>();
  const ignoredFor = (tree: RootFiles, source: FluxSource | undefined): ((relative: string) => boolean) => {
    const key = `${tree.root.dir}\0${source ? `${source.resource.file.absPath}#${source.resource.docIndex}` : ''}`;
    let matcher = ignoreCache.get(key);
    if (!matcher) ignoreCache.set(key, (matcher = sourceIgnoreMatcher(tree, source?.kind === 'GitRepository' ? source.resource : undefined)));
    return matcher;
  };

  const consumer = (resource: Resource): FluxPathConsumer => {
    const sourceRef = refAt(resource, ['spec', 'sourceRef']);
    let source: FluxSource | undefined;
    let link: RepoLink = { status: 'noSource' };
    if (sourceRef) {
      // Several clusters may each hold a flux-system source: the referrer's own repository's comes first.
      const candidates = resolve(sourceRef.kind, sourceRef.name, sourceRef.resolvedNamespace).filter((r) => sourceByResource.has(r));
      const candidate = candidates.find((r) => r.file.root === resource.file.root) ?? candidates[0];
      source = candidate ? sourceByResource.get(candidate) : undefined;
      if (source) link = source.link;
      else if (GENERATED_SOURCE_KINDS.has(sourceRef.kind)) link = { status: 'external', kind: sourceRef.kind };
    }
    const written = getIn(resource.value, ['spec', 'path']);
    const writtenPath = typeof written === 'string' ? written : undefined;
    let dir = fluxDir(writtenPath);
    // A path inside a `spec.include` destination reads the included repository's files.
    const include = source && dir !== undefined ? includedAt(source, dir) : undefined;
    if (include) {
      link = include.link;
      dir = include.dir;
    }
    const path: PathTarget = { written: writtenPath, dir, status: undefined };
    if (link.status === 'linked') {
      const tree = treeOf(link.root);
      path.status = dir === undefined ? 'outside' : tree.dirs.has(dir) ? 'directory' : tree.files.has(dir) ? 'file' : 'missing';
    }
    const entry: FluxPathConsumer = { resource, sourceRef, source, link, path, dependsOn: dependsOnRefs(resource) };
    if (include?.source) entry.includedFrom = include.source;
    return entry;
  };

  /**
   * `spec.include` of a GitRepository (reference §4): the included GitRepository's files from
   * `fromPath` (default its root) are copied to `toPath` (default its name) of the artifact.
   * For a path at or below a `toPath`: where it leads in the included repository.
   */
  const includedAt = (source: FluxSource, dir: string): { link: RepoLink; dir: string; source?: FluxSource } | undefined => {
    if (source.kind !== 'GitRepository') return undefined;
    const best = includeAt(source.resource, dir);
    if (!best) return undefined;
    const target = best.dir;
    const where = `the paths under ${best.to} of its artifact hold the files of GitRepository ${best.name} (spec.include)`;
    // Included repositories are looked up in the including GitRepository's namespace.
    const candidate = resolve('GitRepository', best.name, source.resource.appliedNamespace).find((r) => sourceByResource.has(r));
    const included = candidate ? sourceByResource.get(candidate) : undefined;
    if (!included) return { link: { status: 'unlinked', reason: `${where}, which is not among the linted objects` }, dir: target };
    if (included.link.status === 'linked') return { link: included.link, dir: target, source: included };
    const reason = included.link.status === 'unlinked' ? included.link.reason : 'it is not a git repository';
    return { link: { status: 'unlinked', reason: `${where}, and ${reason}` }, dir: target, source: included };
  };

  // One kustomize build per kustomization and run: the Kustomizations' entries and rules (`kustomizeBuild`) share them.
  const buildCache = new Map<KustomizeNode, Build>();
  const buildOf = (node: KustomizeNode): Build => {
    let build = buildCache.get(node);
    if (!build) buildCache.set(node, (build = kustomizeBuild(node, model.kustomize, treeOf(node.file.root))));
    return build;
  };

  const kustomizationEntry = (resource: Resource): FluxKustomization => {
    const base = consumer(resource);
    const decryption = asRecord(getIn(resource.value, ['spec', 'decryption']));
    // Fields written out, not spread from `base`: a spread followed by more fields makes V8 build
    // the object's shape anew each time (~5 KB an object, in code not yet optimised).
    const entry: FluxKustomization = {
      resource: base.resource,
      sourceRef: base.sourceRef,
      source: base.source,
      link: base.link,
      path: base.path,
      dependsOn: base.dependsOn,
      targetNamespace: asString(getIn(resource.value, ['spec', 'targetNamespace'])),
      kustomization: undefined,
      known: false,
      files: [],
      resources: [],
      repeats: [],
      scanned: [],
      excluded: () => false,
      decrypts: asString(decryption?.provider) === 'sops',
      postBuild: asRecord(getIn(resource.value, ['spec', 'postBuild'])) !== undefined,
    };
    if (base.includedFrom) entry.includedFrom = base.includedFrom;
    const { link, path } = base;
    if (link.status !== 'linked' || path.status !== 'directory' || path.dir === undefined) return entry;
    const tree = treeOf(link.root);
    entry.excluded = ignoredFor(tree, base.includedFrom ?? base.source);
    let build: Build | undefined;
    if (hasKustomizationFile(tree, path.dir)) {
      entry.kustomization = model.kustomize.at(link.root, path.dir);
      if (entry.kustomization) build = buildOf(entry.kustomization);
    } else {
      build = generatedBuild(path.dir, model.kustomize, tree, entry.excluded);
    }
    if (!build) return entry;
    entry.known = true;
    entry.repeats = build.repeats;
    entry.scanned = build.scanned;
    // What the build applies, after every transform; a Kustomization that is not itself applied has none.
    const applied = model.applied.buildOf(resource);
    entry.files = applied ? applied.resourceFiles : [];
    entry.resources = applied ? applied.objects : [];
    return entry;
  };
  const kustomizations = eachOf(model.ofKind('Kustomization', KUSTOMIZE_GROUP), kustomizationEntry);

  const terraforms = eachOf(model.ofKind('Terraform', TERRAFORM_GROUP), (resource): FluxTerraform => {
    const base = consumer(resource);
    let hasTerraformFiles = false;
    if (base.link.status === 'linked' && base.path.status === 'directory' && base.path.dir !== undefined) {
      hasTerraformFiles = (treeOf(base.link.root).filesIn.get(base.path.dir) ?? []).some((file) => /\.tf(\.json)?$/.test(file.path));
    }
    return { ...base, hasTerraformFiles };
  });

  const helmReleases = eachOf(model.ofKind('HelmRelease', HELM_GROUP), (resource): FluxHelmRelease => ({
    resource,
    chartSourceRef: refAt(resource, ['spec', 'chart', 'spec', 'sourceRef']),
    chartRef: refAt(resource, ['spec', 'chartRef']),
    dependsOn: dependsOnRefs(resource),
  }));

  const { byFile, byResource, byIdentity, anchored } = indexKustomizations(kustomizations);
  // Kustomizations whose objects are unknown: their repo is not linted, or not in git. One
  // whose source or path does not resolve applies nothing (and is reported for that).
  const opaque = kustomizations.filter((k) => !k.known && (k.link.status === 'unlinked' || k.link.status === 'external'));

  let unknownSyncCreator: { resource: Resource | undefined } | undefined;
  const graph: FluxGraph = {
    sources,
    kustomizations,
    helmReleases,
    terraforms,
    appliedBy(resource) {
      // An applied copy comes from exactly one build; a written resource from every build reading its file.
      const build = resource.applied?.build;
      if (!build) return byFile.get(resource.file) ?? [];
      const kustomization = byResource.get(build) ?? byIdentity.get(identityOf(build));
      return kustomization ? [kustomization] : [];
    },
    appliedByFile: (file) => byFile.get(file) ?? [],
    kustomizationOf: (resource) => byResource.get(resource),
    sourceOf: (resource) => sourceByResource.get(resource),
    resolve,
    named,
    data(kind, name, namespace): DataLookup {
      // One pass: asked once per reference.
      const all = model.configData.named(kind, name);
      const matches: ConfigData[] = [];
      const elsewhere: ConfigData[] = [];
      for (let index = 0; index < all.length; index++) {
        const data = all[index]!;
        if (namespaceMatches(data.namespace, namespace)) matches.push(data);
        else elsewhere.push(data);
      }
      return { matches, elsewhere };
    },
    gap(referrer, namespace) {
      const root = referrer.file.root;
      if (!anchored.has(root)) {
        return `References from ${root.name} to objects that are not in it were not checked: no linted Flux Kustomization applies its files. Lint it together with the repository that deploys it.`;
      }
      for (const kustomization of opaque) {
        if (kustomization.targetNamespace !== undefined && namespace !== undefined && kustomization.targetNamespace !== namespace) continue;
        const where = kustomization.targetNamespace ?? 'any namespace';
        return `References to objects in ${namespace ?? 'an unknown namespace'} were only checked against the linted roots: Kustomization ${qualified(kustomization.resource.appliedNamespace, kustomization.resource.name)} applies objects to ${where} from a source that is not linted.`;
      }
      // A flux-instance release whose instance.sync is not known creates a source and a Kustomization nobody can name.
      unknownSyncCreator ??= { resource: model.resources.find(hasUnknownSync) };
      const creator = unknownSyncCreator.resource;
      if (creator) {
        return `References to objects in ${namespace ?? 'an unknown namespace'} were only checked against the linted roots: HelmRelease ${qualified(creator.appliedNamespace, creator.name)} creates a sync source and Kustomization from values that are not known.`;
      }
      return undefined;
    },
    kustomizeBuild: buildOf,
    entryAt(root, relative) {
      const tree = treeOf(root);
      return tree.files.has(relative) ? 'file' : tree.dirs.has(relative) ? 'directory' : undefined;
    },
    linkNote(consumerEntry) {
      const { link, source } = consumerEntry;
      if (!source || link.status === 'linked' || link.status === 'noSource') return undefined;
      const id = `${source.kind} ${qualified(source.resource.appliedNamespace, source.resource.name)}`;
      if (link.status === 'unlinked') {
        const advice = link.advice ?? 'Lint that repository together with this one, or map it with `repos:` in .gitops-lint.yaml.';
        return `${id}: ${link.reason}, so the paths and objects its Kustomizations and Terraforms use were not checked. ${advice}`;
      }
      return `${id} is not a git repository, so the paths and objects its Kustomizations and Terraforms use were not checked.`;
    },
  };
  return graph;
}
