/**
 * The applied objects: what each Flux Kustomization's build applies, after every kustomize and
 * Flux transform (FLUX-LAYOUTS.md §1), found by following Flux from its entry points.
 *
 * Entry points, per root:
 * - a Flux Kustomization whose own build applies it (what `flux bootstrap` commits), and the
 *   Kustomizations made from a FluxInstance's sync (synthetic resources);
 * - in a root that holds Flux Kustomizations but that no entry point reaches, the
 *   Kustomizations no other one applies: something outside git applied them (a note says so);
 * - a root with no Flux Kustomization that nothing reaches (an app repo linted alone, a plain
 *   kustomize repo) counts everything as applied: each top kustomization tree as kustomize
 *   builds it, and every other file as written.
 * From there every applied Flux Kustomization is built as Flux builds it — its source's
 * checkout, its path, its spec (`targetNamespace`, prefix/suffix, `patches`, `images`,
 * `components`) — and the Flux Kustomizations among the objects, as their parents patched
 * them, are built in turn.
 */
import type { RunNote } from '../model/finding.js';
import type { AppliedStatus, KustomizeIndex, Resource, Root, RootFiles, SourceFile } from '../model/workspace.js';
import { buildKustomization, type AppliedDocument, type FluxOverrides, type KustomizeHost } from '../kustomize/build.js';
import type { Location } from '../kustomize/origin.js';
import { asArray, asRecord, asString, getIn } from '../engine/values.js';
import { KUSTOMIZE_GROUP, SOURCE_GROUP, SOURCE_KINDS } from '../flux/kinds.js';
import { linkGitRepositories, linkGitRepository } from '../flux/repos.js';
import { synthesizeSyncObjects } from '../flux/synthesized.js';
import type { RepoLink } from '../flux/types.js';
import { fluxDir, hasKustomizationFile, includeAt, sourceIgnoreMatcher } from '../flux/tree.js';
import { hostFromRootFiles } from '../kustomize/host.js';
import type { BuildMemo } from '../kustomize/memo.js';
import type { ModelMemo } from '../lsp/model-memo.js';
import { dirOf } from '../engine/collections.js';
import { reuse } from '../engine/reuse.js';
import { patchPathsOf } from '../kustomize/tree.js';
import type { AppliedBuild, AppliedModel, AppliedProblem } from './types.js';
import { appliedResource, asWrittenCopy } from './resource.js';

export interface AppliedInput {
  roots: readonly Root[];
  written: readonly Resource[];
  /** Objects no file declares (FluxInstance sync objects, config externalSources), as the written creators give them. */
  synthetic: readonly Resource[];
  rootFiles(root: Root): RootFiles;
  kustomize: KustomizeIndex;
  resourceAt(file: SourceFile, docIndex: number): Resource | undefined;
  isClusterScoped(apiVersion: string, kind: string): boolean | undefined;
  note(note: RunNote): void;
  /** Builds of earlier runs, reused when what they read is unchanged (the language server). */
  memo?: BuildMemo;
  /** Applied copies of earlier runs, reused when their build output, Kustomization and written resources are the same objects. */
  modelMemo?: ModelMemo;
}

export interface AppliedResult {
  model: AppliedModel;
  resources: Resource[];
  copies: Map<Resource, Resource[]>;
  status(file: SourceFile): AppliedStatus;
}

/** Bounds a chain of Kustomizations that apply each other (each one is built once anyway). */
const MAX_BUILDS = 10_000;

/** Passes of the whole build while sync objects move (written → found by a build → placed by the sync's own build). */
const MAX_SYNC_PASSES = 3;

/** Objects the Flux Operator turns into a sync source and Kustomization. */
/** A FluxInstance, or a HelmRelease that may install the flux-instance chart (by name, or any chartRef: its OCIRepository decides). */
function isSyncCreator(resource: Resource): boolean {
  if (resource.kind === 'FluxInstance' && resource.group === 'fluxcd.controlplane.io') return true;
  if (resource.kind !== 'HelmRelease' || resource.group !== 'helm.toolkit.fluxcd.io') return false;
  return resource.get(['spec', 'chart', 'spec', 'chart']) === 'flux-instance' || resource.get(['spec', 'chartRef']) !== undefined;
}

function isFluxKustomization(resource: Resource): boolean {
  return resource.kind === 'Kustomization' && resource.group === KUSTOMIZE_GROUP;
}

function identity(resource: Resource): string {
  return `${resource.group}/${resource.kind}/${resource.appliedNamespace ?? ''}/${resource.name}`;
}

/**
 * The applied objects of the roots. A FluxInstance whose namespace a build sets (or moves)
 * creates its sync objects in that namespace: when the objects made from the creators as
 * written differ from the ones their applied copies make, the build runs again from those.
 */
export function buildApplied(input: AppliedInput): AppliedResult {
  const sameCreator = (a: Resource, b: Resource): boolean => a.file === b.file && a.docIndex === b.docIndex && a.kind === b.kind;
  let synthetic = input.synthetic;
  // Only the last pass's notes stand: an earlier pass may have lacked the entry point.
  const pass = (next: AppliedInput): { result: ReturnType<typeof buildOnce>; notes: RunNote[] } => {
    const notes: RunNote[] = [];
    // Every field written out, not spread: the shape of a spread copy depends on how the caller
    // made its object (interpreted or optimized), and every closure of buildOnce reads `input`.
    const once: AppliedInput = {
      roots: next.roots,
      written: next.written,
      synthetic: next.synthetic,
      rootFiles: next.rootFiles,
      kustomize: next.kustomize,
      resourceAt: next.resourceAt,
      isClusterScoped: next.isClusterScoped,
      note: (note) => notes.push(note),
      memo: next.memo,
      modelMemo: next.modelMemo,
    };
    return { result: buildOnce(once), notes };
  };
  let { result, notes } = pass(input);
  // A creator whose sync only its build knows (a release's valuesFrom ConfigMap) is an entry point from the next pass,
  // and one the entry point's build then places in a namespace moves once more.
  for (let count = 0; count < MAX_SYNC_PASSES; count++) {
    const moved = result.createdBySync.filter((created) => {
      const written = synthetic.filter((other) => sameCreator(other, created));
      return written.length === 0 || written.some((other) => identity(other) !== identity(created));
    });
    if (moved.length === 0) break;
    // One object per creator and kind: the one a Flux build placed in a namespace, else the last.
    const chosen = new Map<string, Resource>();
    for (const created of moved) {
      const key = `${created.file.absPath}#${created.docIndex}#${created.kind}`;
      const previous = chosen.get(key);
      if (!previous || previous.appliedNamespace === undefined || created.appliedNamespace !== undefined) chosen.set(key, created);
    }
    synthetic = [...synthetic.filter((written) => !moved.some((created) => sameCreator(written, created))), ...chosen.values()];
    ({ result, notes } = pass({ ...input, synthetic }));
  }
  for (const note of notes) input.note(note);
  return result;
}

function buildOnce(input: AppliedInput): AppliedResult & { createdBySync: Resource[] } {
  const hosts = new Map<Root, KustomizeHost>();
  const hostOf = (root: Root): KustomizeHost => {
    let host = hosts.get(root);
    if (!host) hosts.set(root, (host = hostFromRootFiles(input.rootFiles(root), input.isClusterScoped)));
    return host;
  };

  const isSource = (resource: Resource): boolean => resource.group === SOURCE_GROUP && (SOURCE_KINDS as readonly string[]).includes(resource.kind);
  const writtenSources = [...input.written, ...input.synthetic].filter(isSource);
  // Which checkout each GitRepository fetches is decided over all of them (branches, repos:).
  const links = linkGitRepositories(writtenSources.filter((source) => source.kind === 'GitRepository'), input.roots);
  const linkOf = (source: Resource): RepoLink => links.get(source.applied?.written ?? source) ?? linkGitRepository(source, input.roots);
  const appliedSources: Resource[] = [];
  const ignoreCache = new Map<string, (relative: string) => boolean>();
  const buildCache = new Map<string, ReturnType<typeof buildKustomization>>();

  /** Where a Flux Kustomization's path leads: a root and a folder in it, when its source is a linted checkout. */
  // Sources a cluster's own builds apply come first: two clusters' bootstraps both hold flux-system/flux-system.
  const sourceCluster = new Map<Resource, string>();
  let currentCluster: string | undefined;
  const findSource = (name: string, namespace: string | undefined, root?: Root): Resource | undefined => {
    const matches = (source: Resource): boolean =>
      source.kind === 'GitRepository' && source.name === name && (namespace === undefined || source.appliedNamespace === undefined || source.appliedNamespace === namespace);
    const own = currentCluster === undefined ? undefined : appliedSources.find((source) => sourceCluster.get(source) === currentCluster && matches(source));
    const sameRoot = root === undefined ? undefined : appliedSources.find((source) => source.file.root === root && matches(source)) ?? writtenSources.find((source) => source.file.root === root && matches(source));
    return own ?? sameRoot ?? appliedSources.find(matches) ?? writtenSources.find(matches);
  };

  const targetOf = (kustomization: Resource): { root: Root; dir: string; source: Resource | undefined } | undefined => {
    const ref = asRecord(getIn(kustomization.value, ['spec', 'sourceRef']));
    const name = asString(ref?.name);
    const kind = asString(ref?.kind) ?? 'GitRepository';
    if (!ref || name === undefined || kind !== 'GitRepository') return undefined;
    // Applied objects carry their final namespace; written ones the namespace kustomize gives them.
    const namespace = asString(ref.namespace) ?? kustomization.appliedNamespace;
    let source = findSource(name, namespace, kustomization.file.root);
    if (!source) return undefined;
    let dir = fluxDir(asString(getIn(kustomization.value, ['spec', 'path'])));
    if (dir === undefined) return undefined;
    // A path inside a `spec.include` destination reads the included repository's files.
    const include = includeAt(source, dir);
    if (include) {
      source = findSource(include.name, source.appliedNamespace);
      if (!source) return undefined;
      dir = include.dir;
    }
    const link = linkOf(source);
    if (link.status !== 'linked' || !input.rootFiles(link.root).dirs.has(dir)) return undefined;
    return { root: link.root, dir, source };
  };

  const excludedBy = (root: Root, source: Resource | undefined): ((relative: string) => boolean) => {
    const key = `${root.dir}\0${source ? `${source.file.absPath}#${source.docIndex}` : ''}`;
    let matcher = ignoreCache.get(key);
    if (!matcher) ignoreCache.set(key, (matcher = sourceIgnoreMatcher(input.rootFiles(root), source)));
    return matcher;
  };

  const builds: AppliedBuild[] = [];
  const buildByKustomization = new Map<Resource, AppliedBuild>();
  const resources: Resource[] = [];
  const copies = new Map<Resource, Resource[]>();
  const touched = new Set<SourceFile>();

  const record = (build: AppliedBuild): void => {
    builds.push(build);
    for (const files of [build.resourceFiles, build.patchFiles, build.kustomizations]) for (let index = 0; index < files.length; index++) touched.add(files[index]!);
    for (let index = 0; index < build.objects.length; index++) {
      const object = build.objects[index]!;
      resources.push(object);
      const written = object.applied?.written;
      if (written) {
        const list = copies.get(written);
        if (list) list.push(object);
        else copies.set(written, [object]);
      }
    }
  };

  const objectsOf = (documents: readonly AppliedDocument[], build: Resource | undefined): Resource[] => {
    // Loops, not `map`: an inlined `map` makes holey arrays, the interpreter's packed ones, and
    // the code that later reads them was thrown away for the other kind (the language server's first edits).
    const written: Array<Resource | undefined> = [];
    for (let index = 0; index < documents.length; index++) written.push(input.resourceAt(documents[index]!.written.file, documents[index]!.written.docIndex));
    const make = (): Resource[] => {
      const objects: Resource[] = [];
      for (let index = 0; index < documents.length; index++) objects.push(appliedResource(documents[index]!, written[index], build));
      return objects;
    };
    return input.modelMemo ? input.modelMemo.appliedObjects(documents, build, written, make) : make();
  };
  /** Kustomize's build of `dir`, through the memo when there is one (`key` names what else decides it). */
  const memoBuild = (key: string, root: Root, dir: string, flux: FluxOverrides | undefined, exclude: ((relative: string) => boolean) | undefined): ReturnType<typeof buildKustomization> => {
    const options = (generatedExclude: ((relative: string) => boolean) | undefined) => ({ ...(flux ? { flux } : {}), ...(generatedExclude ? { generated: { exclude: generatedExclude } } : {}) });
    if (!input.memo) return buildKustomization(hostOf(root), dir, options(exclude));
    // The host answers from the root's file index: the memo checks a build against what changed in it.
    return input.memo.build(key, hostOf(root), flux, (host, recorded) => buildKustomization(host, dir, options(recorded)), exclude, input.rootFiles(root));
  };

  /** Build a Flux Kustomization as Flux would; `undefined` when its source or path is not known. */
  /** kustomize's output for a Flux Kustomization as Flux would build it (cached by what decides it). */
  const rawBuild = (kustomization: Resource) => {
    const target = targetOf(kustomization);
    if (!target) return undefined;
    const overrides = fluxOverrides(kustomization);
    const generated = !hasKustomizationFile(input.rootFiles(target.root), target.dir);
    const key = `${target.root.dir}\0${target.dir}\0${target.source ? `${target.source.file.absPath}#${target.source.docIndex}` : ''}\0${overrides.key}`;
    let output = buildCache.get(key);
    if (!output) {
      const exclude = excludedBy(target.root, target.source);
      const flux = overrides.flux;
      // A generated kustomization also depends on the source's ignore rules: the memo keeps its answers.
      output = memoBuild(`flux\0${key}\0${generated}`, target.root, target.dir, flux, generated ? exclude : undefined);
      buildCache.set(key, output);
    }
    return { target, generated, output };
  };

  /** Build a Flux Kustomization as Flux would; `undefined` when its source or path is not known. */
  const fluxBuild = (kustomization: Resource): AppliedBuild | undefined => {
    const raw = rawBuild(kustomization);
    if (!raw) return undefined;
    const { target, generated, output } = raw;
    return {
      kustomization,
      root: target.root,
      dir: target.dir,
      generated,
      objects: objectsOf(output.objects, kustomization),
      resourceFiles: output.resourceFiles,
      patchFiles: output.patchFiles,
      kustomizations: output.kustomizations,
      problems: output.problems as AppliedProblem[],
    };
  };

  const createdBySync: Resource[] = [];
  /** Objects Flux creates outside git, once per identity: applied objects that no build yields. */
  const added: Resource[] = [];
  const addSynthetic = (resource: Resource): Resource | undefined => {
    // A creator whose namespace only Flux gives yields objects without one at first: the same objects.
    // Two clusters' creators (two bootstrap placeholders) both make flux-system/flux-system: keep both.
    const same = (other: Resource): boolean =>
      other.file === resource.file && other.docIndex === resource.docIndex &&
      other.group === resource.group && other.kind === resource.kind && other.name === resource.name &&
      (other.appliedNamespace === undefined || resource.appliedNamespace === undefined || other.appliedNamespace === resource.appliedNamespace);
    if (added.some(same)) return undefined;
    added.push(resource);
    const copy = resource.applied ? resource : asWrittenCopy(resource, undefined);
    resources.push(copy);
    if (isSource(copy)) appliedSources.push(copy);
    return copy;
  };

  /**
   * A FluxInstance (or flux-instance HelmRelease) a build applies creates its sync objects, in its applied namespace.
   * The chart's OCIRepository may come from this build or another one; a release's valuesFrom ConfigMaps come from this build.
   * Returns the created Kustomizations, to build.
   */
  const synthesizeFrom = (build: AppliedBuild): Resource[] => {
    const creators = build.objects.filter(isSyncCreator);
    const madeBySync =
      creators.length === 0
        ? []
        : synthesizeSyncObjects(
            [...creators, ...build.objects.filter((object) => object.kind === 'ConfigMap' || object.kind === 'Secret'), ...appliedSources.filter((source) => source.kind === 'OCIRepository')],
            (message, file) => input.note({ message, file }),
            { valuesFrom: true },
          );
    const kustomizations: Resource[] = [];
    for (const created of madeBySync) {
      createdBySync.push(created);
      const copy = addSynthetic(created);
      if (copy && isFluxKustomization(copy)) kustomizations.push(copy);
    }
    return kustomizations;
  };

  // Each entry point is one cluster: two clusters' bootstraps are both flux-system/flux-system.
  const done = new Set<string>();
  let count = 0;
  /** Build Kustomizations, then the Flux Kustomizations their builds apply, until none is new. */
  const follow = (start: ReadonlyArray<{ kustomization: Resource; cluster: string }>): void => {
    const queue = [...start];
    while (queue.length > 0) {
      if (count >= MAX_BUILDS) {
        input.note({ message: `More than ${MAX_BUILDS} Flux Kustomizations apply each other: the rest were not built, and what they apply was not checked.` });
        return;
      }
      const { kustomization, cluster } = queue.shift()!;
      currentCluster = cluster;
      const id = `${cluster}\0${identity(kustomization)}`;
      if (done.has(id)) continue;
      done.add(id);
      count++;
      const build = fluxBuild(kustomization);
      if (!build) continue;
      // The copy of a Kustomization in its own build (what bootstrap commits) is the one rules see.
      const written = kustomization.applied?.written ?? kustomization;
      // Its own copy has its identity; a copy that a transform moved or renamed is another Kustomization.
      const self = build.objects.find((object) => isFluxKustomization(object) && object.applied?.written === written && identity(object) === identity(kustomization));
      const objects = build.objects;
      if (self) {
        build.kustomization = self;
        for (let index = 0; index < objects.length; index++) {
          const applied = objects[index]!.applied;
          if (applied) applied.build = self;
        }
        buildByKustomization.set(self, build);
      }
      buildByKustomization.set(kustomization, build);
      record(build);
      // Indexed: a for-of makes an iterator result per step until V8 optimises the loop.
      for (let index = 0; index < objects.length; index++) {
        const object = objects[index]!;
        if (object.group === SOURCE_GROUP) {
          appliedSources.push(object);
          sourceCluster.set(object, cluster);
        }
        if (isFluxKustomization(object) && object !== self) queue.push({ kustomization: object, cluster });
      }
      for (const copy of synthesizeFrom(build)) queue.push({ kustomization: copy, cluster });
    }
  };
  const clusterOf = (resource: Resource): string => `${resource.file.absPath}#${resource.docIndex}`;

  const fluxKustomizations = input.written.filter(isFluxKustomization);
  // What each written Kustomization would apply, to find the ones that apply themselves.
  const { selfApplied, includedByOther, readByTrials } = trialBuilds(fluxKustomizations, rawBuild, input.resourceAt);
  const start: Array<{ kustomization: Resource; cluster: string }> = [];
  // A Kustomization that a parent applies is the parent's child, even when its path holds its own file.
  for (const kustomization of selfApplied) if (!includedByOther.has(kustomization)) start.push({ kustomization, cluster: clusterOf(kustomization) });
  for (const resource of input.synthetic) {
    const copy = addSynthetic(resource);
    if (copy && isFluxKustomization(copy)) start.push({ kustomization: copy, cluster: clusterOf(resource) });
  }
  follow(start);

  // Roots Flux reaches from an entry point; the rest of a reached root is not applied.
  const reached = rootsOf(touched);
  const assumed = fluxKustomizations.filter((kustomization) => !reached.has(kustomization.file.root) && !includedByOther.has(kustomization) && kustomization.synthetic === undefined);
  // Whatever applied the top Kustomizations (a sync path outside git) applied their folders:
  // each folder is built as Flux builds a path, once, the outermost when folders nest.
  const folders = new Map<Root, string[]>();
  for (const kustomization of assumed) {
    const dir = dirOf(kustomization.file.path);
    const list = folders.get(kustomization.file.root) ?? [];
    if (!list.includes(dir)) list.push(dir);
    folders.set(kustomization.file.root, list);
  }
  const assumedEntries: Resource[] = [];
  for (const [root, dirs] of folders) {
    const ignored = excludedBy(root, undefined);
    // Folders a source would leave out of its artifact (an ignored archive) are no sync path.
    const outermost = dirs.filter((dir) => (dir === '' || !ignored(`${dir}/`)) && !dirs.some((other) => other !== dir && (other === '' || dir.startsWith(`${other}/`))));
    if (outermost.length === 0) continue;
    const shown = (list: readonly string[]): string => `${list.slice(0, 5).join(', ')}${list.length > 5 ? ` and ${list.length - 5} more` : ''}`;
    input.note({
      message: `${root.name} has no Flux entry point in git (flux bootstrap's gotk-sync.yaml, a FluxInstance sync from a linted source, or config externalSources), so the folders of its top Kustomizations were taken as applied, as written: ${shown(outermost.map((dir) => (dir === '' ? '.' : dir)))}.`,
    });
    for (const dir of outermost) {
      const generated = !hasKustomizationFile(input.rootFiles(root), dir);
      // What the Kustomizations found there apply is theirs to build, as their parents patch them.
      const tree = input.rootFiles(root);
      const exclude = (relative: string): boolean => {
        const file = tree.files.get(relative);
        return ignored(relative) || (file !== undefined && readByTrials.has(file) && !assumed.some((kustomization) => kustomization.file === file));
      };
      const output = memoBuild(`assumed\0${root.dir}\0${dir}\0${generated}`, root, dir, undefined, generated ? exclude : undefined);
      const build: AppliedBuild = {
        kustomization: undefined,
        root,
        dir,
        generated,
        objects: objectsOf(output.objects, undefined),
        resourceFiles: output.resourceFiles,
        patchFiles: output.patchFiles,
        kustomizations: output.kustomizations,
        problems: output.problems as AppliedProblem[],
      };
      // Whatever applies this folder is not in git, and may patch what it applies.
      for (const object of build.objects) if (object.applied) object.applied.assumed = true;
      record(build);
      for (const object of build.objects) {
        if (object.group === SOURCE_GROUP) appliedSources.push(object);
        if (isFluxKustomization(object)) assumedEntries.push(object);
      }
      // A sync created from here (a flux-instance release whose values only the build knows) is an entry point of the next pass.
      assumedEntries.push(...synthesizeFrom(build));
    }
  }
  follow(assumedEntries.map((kustomization) => ({ kustomization, cluster: `root:${kustomization.file.root.dir}` })));

  // Roots Flux reaches from entry points in git: what no build reads there is not applied.
  const assumedRoots = new Set(folders.keys());
  const entryRoots = rootsOf(touched);
  for (const root of assumedRoots) entryRoots.delete(root);

  // The other roots: no Flux Kustomization (applied as kustomize builds them), or Flux
  // Kustomizations whose entry point is not in git. There, what no known build reads may still
  // be applied (by hand, by the unknown sync path): it counts as applied as written, unless
  // source-controller's ignore rules would leave it out of any artifact.
  for (const root of input.roots) {
    if (entryRoots.has(root)) continue;
    const read = new Set<SourceFile>([...touched].filter((file) => file.root === root));
    if (!assumedRoots.has(root)) {
      for (const node of input.kustomize.nodes) {
        if (node.file.root !== root || node.parents.length > 0) continue;
        const output = memoBuild(`tree\0${root.dir}\0${node.dir}`, root, node.dir, undefined, undefined);
        record({
          kustomization: undefined,
          root,
          dir: node.dir,
          generated: false,
          objects: objectsOf(output.objects, undefined),
          resourceFiles: output.resourceFiles,
          patchFiles: output.patchFiles,
          kustomizations: output.kustomizations,
          problems: output.problems as AppliedProblem[],
        });
        for (const file of [...output.resourceFiles, ...output.patchFiles, ...output.kustomizations]) read.add(file);
      }
    }
    const uncovered = assumedRoots.has(root);
    const excluded = uncovered ? excludedBy(root, undefined) : () => false;
    // A file some kustomization uses as a patch is never an object of its own, and a file under
    // the path of a Flux Kustomization whose build is known, that the build leaves out, is not applied.
    const patches = patchFilesOf(input.kustomize, root);
    const fluxPaths = builds.filter((build) => build.kustomization !== undefined && build.root === root).map((build) => build.dir);
    const fluxPrefixes = fluxPaths.map((dir) => (dir === '' ? '' : `${dir}/`));
    const underFluxPath = (file: SourceFile): boolean => {
      for (let at = 0; at < fluxPrefixes.length; at++) if (file.path.startsWith(fluxPrefixes[at]!)) return true;
      return false;
    };
    addUnread(input, root, (resource) => !read.has(resource.file) && !excluded(resource.file.path) && !patches.has(resource.file.path) && !underFluxPath(resource.file), uncovered, resources, copies, touched);
  }

  const model: AppliedModel = {
    builds,
    buildOf: (kustomization) => buildByKustomization.get(kustomization),
    entryRoots,
  };
  return {
    model,
    resources,
    copies,
    status: (file) => {
      if (touched.has(file)) return 'applied';
      if (entryRoots.has(file.root)) return 'not-applied';
      // A root whose entry point is not in git: what its source would leave out is never applied.
      return assumedRoots.has(file.root) && excludedBy(file.root, undefined)(file.path) ? 'not-applied' : 'applied';
    },
    createdBySync,
  };
}

/**
 * What each written Flux Kustomization's own trial build applies: the ones that apply
 * themselves, the ones another one applies, and the files the trials read. Its own function
 * (as the other per-object loops of a build): `buildOnce` runs once per lint, and with no loop
 * of its own it stays out of the optimizing compiler's way in the language server, where a
 * compilation of the whole of it (~6 KB of bytecode) was the largest of an edit's first ones.
 */
function trialBuilds(
  fluxKustomizations: readonly Resource[],
  rawBuild: (kustomization: Resource) => { output: ReturnType<typeof buildKustomization> } | undefined,
  resourceAt: AppliedInput['resourceAt'],
): { selfApplied: Resource[]; includedByOther: Set<Resource>; readByTrials: Set<SourceFile> } {
  const selfApplied: Resource[] = [];
  const includedByOther = new Set<Resource>();
  const readByTrials = new Set<SourceFile>();
  for (let at = 0; at < fluxKustomizations.length; at++) {
    const kustomization = fluxKustomizations[at]!;
    const trial = rawBuild(kustomization);
    if (!trial) continue;
    const { resourceFiles, objects } = trial.output;
    for (let index = 0; index < resourceFiles.length; index++) readByTrials.add(resourceFiles[index]!);
    for (let index = 0; index < objects.length; index++) {
      const document = objects[index]!;
      const written = resourceAt(document.written.file, document.written.docIndex);
      if (!written || !isFluxKustomization(written)) continue;
      if (written !== kustomization) includedByOther.add(written);
      else if (!selfApplied.includes(kustomization)) selfApplied.push(kustomization);
    }
  }
  return { selfApplied, includedByOther, readByTrials };
}

/** The roots of these files. */
function rootsOf(files: ReadonlySet<SourceFile>): Set<Root> {
  const roots = new Set<Root>();
  for (const file of files) roots.add(file.root);
  return roots;
}

/** Each written resource of `root` that `unread` accepts counts as applied as written (see `buildOnce`). */
function addUnread(
  input: AppliedInput,
  root: Root,
  unread: (resource: Resource) => boolean,
  uncovered: boolean,
  resources: Resource[],
  copies: Map<Resource, Resource[]>,
  touched: Set<SourceFile>,
): void {
  const { written, modelMemo } = input;
  for (let at = 0; at < written.length; at++) {
    const resource = written[at]!;
    if (resource.file.root !== root || resource.synthetic !== undefined || !unread(resource)) continue;
    const copy = modelMemo ? modelMemo.writtenCopy(resource, undefined, () => asWrittenCopy(resource, undefined)) : asWrittenCopy(resource, undefined);
    if (uncovered && copy.applied) copy.applied.assumed = true;
    resources.push(copy);
    const list = copies.get(resource);
    if (list) list.push(copy);
    else copies.set(resource, [copy]);
    touched.add(resource.file);
  }
}

/** Root-relative paths of the files a root's kustomizations (and Components) use as patches. */
function patchFilesOf(kustomize: KustomizeIndex, root: Root): Set<string> {
  return new Set(kustomize.nodes.filter((node) => node.file.root === root).flatMap(patchPathsOf));
}

/**
 * `fluxOverrides` of each Kustomization object, for the language server's next run (see
 * `reuse`): they are read from the object alone (its value and where its fields are), which an
 * object handed to another run keeps.
 */
const overridesOf = new WeakMap<Resource, { flux: FluxOverrides; key: string }>();

function fluxOverrides(kustomization: Resource): { flux: FluxOverrides; key: string } {
  if (!reuse.enabled) return readOverrides(kustomization);
  let overrides = overridesOf.get(kustomization);
  if (!overrides) overridesOf.set(kustomization, (overrides = readOverrides(kustomization)));
  return overrides;
}

/** The parts of a Flux Kustomization's spec that Flux writes into the root kustomization (FLUX-LAYOUTS §1). */
function readOverrides(kustomization: Resource): { flux: FluxOverrides; key: string } {
  const spec = asRecord(kustomization.value.spec) ?? {};
  const at = (path: (string | number)[]): Location =>
    kustomization.applied?.locate(['spec', ...path]) ?? { file: kustomization.file, docIndex: kustomization.docIndex, path: ['spec', ...path] };
  const flux: FluxOverrides = {};
  const targetNamespace = asString(spec.targetNamespace);
  const namePrefix = asString(spec.namePrefix);
  const nameSuffix = asString(spec.nameSuffix);
  if (targetNamespace !== undefined) flux.namespace = targetNamespace;
  if (namePrefix !== undefined) flux.namePrefix = namePrefix;
  if (nameSuffix !== undefined) flux.nameSuffix = nameSuffix;
  const patches = asArray(spec.patches).flatMap((raw, index) => {
    const entry = asRecord(raw);
    const patch = asString(entry?.patch);
    if (!entry || patch === undefined) return [];
    const target = asRecord(entry.target);
    return [{ patch, ...(target ? { target } : {}), at: at(['patches', index, 'patch']) }];
  });
  if (patches.length > 0) flux.patches = patches;
  const images = asArray(spec.images).flatMap((raw, index) => {
    const entry = asRecord(raw);
    return entry ? [{ entry, at: at(['images', index]) }] : [];
  });
  if (images.length > 0) flux.images = images;
  const components = asArray(spec.components).flatMap((raw, index) => (typeof raw === 'string' ? [{ path: raw, at: at(['components', index]) }] : []));
  if (components.length > 0) flux.components = components;
  const key = JSON.stringify([targetNamespace, namePrefix, nameSuffix, spec.patches, spec.images, spec.components]);
  return { flux, key };
}
