/**
 * The Flux graph: sources, the repo root each GitRepository fetches, Kustomizations with the
 * objects each one applies, HelmReleases and tofu-controller Terraforms. Built once per run,
 * lazily, from the model; read-only for rules.
 */
import type { YamlPath } from '../model/finding.js';
import type { ConfigData, KustomizeEntry, KustomizeNode, Resource, Root, SourceFile } from '../model/workspace.js';
import type { FluxSourceKind } from './kinds.js';

export type { FluxSourceKind };

/** A reference to another object written in a spec (`sourceRef`, `dependsOn[]`, ...). */
export interface FluxRef {
  /** `kind` as written (`''` when absent). */
  kind: string;
  name: string;
  /** `namespace` as written. */
  namespace: string | undefined;
  /**
   * The namespace the controller looks in: the written one, else the applied namespace of the
   * object holding the reference (reference §1.6). `undefined` when neither is known.
   */
  readonly resolvedNamespace: string | undefined;
  apiVersion: string | undefined;
  /** Path of the reference mapping inside the referring object. */
  path: YamlPath;
}

/** What a source's contents are, as far as the linted roots tell. */
export type RepoLink =
  /** A GitRepository that fetches one of the linted roots (`note`: how a `repos:` entry was not used). */
  | { status: 'linked'; root: Root; via: 'config' | 'url' | 'bootstrap'; note?: string }
  /**
   * A GitRepository whose repository is not among the linted roots, or that fetches another
   * ref of a linted root than the checkout (`advice` then says how to lint that tree).
   */
  | { status: 'unlinked'; reason: string; advice?: string }
  /** An OCIRepository or Bucket: its contents are not in any git root. */
  | { status: 'external'; kind: string }
  /** The source reference does not resolve. */
  | { status: 'noSource' };

export interface FluxSource {
  resource: Resource;
  kind: FluxSourceKind;
  /** `spec.url` (GitRepository, OCIRepository, HelmRepository) or `spec.endpoint` (Bucket). */
  url: string | undefined;
  link: RepoLink;
}

/** Where a `path` field of a Kustomization or Terraform leads in its source's root. */
export interface PathTarget {
  /** `spec.path` as written (`undefined` when absent: the artifact root). */
  written: string | undefined;
  /** Root-relative directory (`''` for the root); `undefined` when the path leaves the root. */
  dir: string | undefined;
  /** Set when the source is linked: what is at `dir`. */
  status: 'directory' | 'file' | 'missing' | 'outside' | undefined;
}

/** Something that fetches a source and reads a path in it: a Kustomization or a Terraform. */
export interface FluxPathConsumer {
  resource: Resource;
  sourceRef: FluxRef | undefined;
  /** The resolved source, when the reference resolves. */
  source: FluxSource | undefined;
  /** Where the path leads: the source's link, or, inside a `spec.include` destination, the included source's. */
  link: RepoLink;
  /** The GitRepository whose files are at the path, when it is another source's `spec.include`. */
  includedFrom?: FluxSource;
  /** `dir` is relative to the root of `link` (the included repository's, for an include). */
  path: PathTarget;
  dependsOn: FluxRef[];
}

/** A kustomization entry that includes a file or folder already included in the same build. */
export interface RepeatedInclusion {
  node: KustomizeNode;
  entry: KustomizeEntry;
}

export interface FluxKustomization extends FluxPathConsumer {
  targetNamespace: string | undefined;
  /** The kustomization file at the path; when absent, Flux generates one (reference §2.3). */
  kustomization: KustomizeNode | undefined;
  /**
   * True when the applied files are known: the source is linked and the path is a folder.
   * When false, `files` and `resources` are empty and checks that need them are skipped.
   */
  known: boolean;
  /** Files whose objects this Kustomization applies, in build order. */
  files: SourceFile[];
  /** Objects this Kustomization applies, in build order. */
  resources: Resource[];
  /**
   * Files Flux lists itself in the kustomization it generates when the path has none: every
   * `.yaml`/`.yml` the scan finds outside folders with their own kustomization file.
   */
  scanned: SourceFile[];
  /** Entries that include a file or folder a second time in this build. */
  repeats: RepeatedInclusion[];
  /** True for root-relative paths the source leaves out of its artifact (`.sourceignore`, reference §1.2). */
  excluded: (relative: string) => boolean;
  /** True when `spec.decryption.provider` is `sops`. */
  decrypts: boolean;
  /** True when `spec.postBuild` is set. */
  postBuild: boolean;
}

export interface FluxTerraform extends FluxPathConsumer {
  /** True when the path folder holds at least one `.tf` or `.tf.json` file (only when linked). */
  hasTerraformFiles: boolean;
}

export interface FluxHelmRelease {
  resource: Resource;
  /** `spec.chart.spec.sourceRef`. */
  chartSourceRef: FluxRef | undefined;
  /** `spec.chartRef`. */
  chartRef: FluxRef | undefined;
  dependsOn: FluxRef[];
}

/** Candidates for a Secret/ConfigMap reference, from `model.configData` (the one index of them). */
export interface DataLookup {
  /** Objects with that kind and name whose namespace matches (or is unknown). */
  matches: ConfigData[];
  /** Objects with that kind and name in other namespaces. */
  elsewhere: ConfigData[];
}

export interface FluxGraph {
  sources: FluxSource[];
  kustomizations: FluxKustomization[];
  helmReleases: FluxHelmRelease[];
  terraforms: FluxTerraform[];
  /** The Flux Kustomizations that apply this object (several when paths overlap). */
  appliedBy(resource: Resource): FluxKustomization[];
  /** The Flux Kustomizations that apply this file. */
  appliedByFile(file: SourceFile): FluxKustomization[];
  /** The graph entry of a Kustomization resource. */
  kustomizationOf(resource: Resource): FluxKustomization | undefined;
  /** The source entry of a source resource. */
  sourceOf(resource: Resource): FluxSource | undefined;
  /**
   * Objects of `kind` (in its Flux API group when it has one) named `name` whose applied
   * namespace matches `namespace`; an unknown namespace on either side matches.
   */
  resolve(kind: string, name: string, namespace: string | undefined): Resource[];
  /** Like `resolve`, but in any namespace. */
  named(kind: string, name: string): Resource[];
  /** Secrets and ConfigMaps the cluster will have, by kind, name and namespace. */
  data(kind: 'Secret' | 'ConfigMap', name: string, namespace: string | undefined): DataLookup;
  /**
   * When a missing reference target from `referrer` into `namespace` may come from a repo that
   * is not linted, the note to add instead of reporting; `undefined` when the linted roots
   * hold everything that namespace gets.
   */
  gap(referrer: Resource, namespace: string | undefined): string | undefined;
  /** The files a `kustomize build` of this kustomization reads, and entries that include something twice. */
  kustomizeBuild(node: KustomizeNode): { files: SourceFile[]; repeats: RepeatedInclusion[] };
  /** What a root-relative path is in a root: a file, a folder (holding files), or nothing. */
  entryAt(root: Root, relative: string): 'file' | 'directory' | undefined;
  /** A note explaining why a consumer's path could not be checked, or `undefined` when it could. */
  linkNote(consumer: FluxPathConsumer): string | undefined;
}
