import type { Document, LineCounter } from 'yaml';
import type { RootInfo, YamlPath } from './finding.js';
import type { ResolvedConfig } from '../config/types.js';

/** A place in a file: a document and a path inside it. */
export interface Location {
  file: SourceFile;
  docIndex: number;
  path: YamlPath;
}

/** A workspace root as the model sees it. */
export interface Root extends RootInfo {
  /**
   * Root-relative paths of files tracked by git (the index in `--staged` mode), or `null`
   * when the root is not a git work tree.
   */
  tracked: ReadonlySet<string> | null;
  /** Tracked files that the repository's own ignore rules (`.gitignore` etc.) ignore. */
  trackedIgnored: ReadonlySet<string>;
  config: ResolvedConfig;
  /**
   * The branch the work tree has checked out; when HEAD is detached (CI), the default branch.
   * `undefined` when not a git work tree or unknown.
   */
  branch?: string;
  /** The repository's default branch (`origin/HEAD`, else `main`, else `master`), when known. */
  defaultBranch?: string;
  /**
   * Root-relative paths that exist but were not read, each with a run note saying why: folders
   * that cannot be read, symlinks that point outside the root. What names them is not "missing".
   */
  unread?: ReadonlySet<string>;
}

export type FileFormat = 'yaml' | 'json' | 'other';

/** One parsed YAML (or JSON) document of a file. */
export interface ParsedDocument {
  index: number;
  /** The `yaml` AST with node ranges and comments (built on first use). */
  readonly doc: Document.Parsed;
  /** Plain JS value of the document (computed once, on first use). */
  readonly value: unknown;
  /**
   * What `offsetsOfPath(doc, text, path, key)` gives, found without building `doc` when that
   * is certain (see src/yaml/value-positions.ts); undefined otherwise.
   */
  offsets?(path: YamlPath, key?: boolean): readonly [number, number] | undefined;
}

export interface SourceFile {
  root: Root;
  /** Root-relative path with forward slashes. */
  path: string;
  absPath: string;
  format: FileFormat;
  /**
   * File content, or `undefined` when the file was not read (binary, too large, unreadable,
   * or a format the linter does not parse); a note says why.
   */
  text: string | undefined;
  /** Parsed documents (YAML and JSON files only). */
  documents: ParsedDocument[];
  /** Line offsets of `text` (computed on first use). */
  readonly lineCounter: LineCounter;
  /** True when reporting is wanted for this file (all files, unless a file list restricts it). */
  reported: boolean;
  /** Problems found while reading or parsing (syntax errors, duplicate keys, alias limits). */
  problems: FileProblem[];
}

export interface FileProblem {
  code: string;
  message: string;
  /** Character offsets into `text` (end exclusive). */
  offsets: readonly [number, number];
}

/** A Kubernetes-style object: a YAML document with `apiVersion` and `kind`. */
export interface Resource {
  file: SourceFile;
  docIndex: number;
  /** The `yaml` AST of the document (built on first use). */
  readonly doc: Document.Parsed;
  apiVersion: string;
  /** API group (`''` for the core group). */
  group: string;
  version: string;
  kind: string;
  name: string;
  /** `metadata.namespace` as written. */
  namespace: string | undefined;
  /**
   * Namespace the object gets when applied: after kustomize `namespace:` of the
   * kustomizations that include it and Flux `targetNamespace`. Falls back to the written one.
   */
  appliedNamespace: string | undefined;
  /** True when the document has a top-level `sops` mapping (SOPS-encrypted). */
  encrypted: boolean;
  /** Plain JS value of the document. */
  readonly value: Record<string, unknown>;
  /** Value at a path, or `undefined`. */
  get(path: YamlPath): unknown;
  /** Set on an applied object: how the written document became what the cluster gets. */
  applied?: AppliedInfo;
  /**
   * Set on objects no file declares but that a controller creates from one (a FluxInstance's
   * sync source) or that the config declares (`externalSources`): what created it. `file` and
   * `docIndex` are then the creator's, and `value` is marked with where it was declared.
   */
  synthetic?: string;
}

/**
 * How an applied object came to be: the document it was written as, the build that applies
 * it, and where each of its values was written (a patched value points into the patch).
 */
export interface AppliedInfo {
  /** The document as written (its resource in `model.written`). */
  written: Resource;
  /**
   * The Flux Kustomization (itself an applied object) whose build applies this copy;
   * `undefined` for a root without Flux entry points, whose trees count as applied as
   * kustomize builds them.
   */
  build: Resource | undefined;
  /** Where the value at `path` was written. */
  locate(path: YamlPath): Location;
  /** Patches and transformer entries that changed the object. */
  patchedBy: readonly Location[];
  /**
   * True when what applies the object is not known (a root whose Flux entry point is not in
   * git): it is taken as written, though its unknown applier may patch it.
   */
  assumed?: boolean;
}

/**
 * Whether a file's objects reach a cluster: *applied* (in some build), *not applied* (in no
 * build, or left out of its source's artifact, in a root that has Flux entry points).
 */
export type AppliedStatus = 'applied' | 'not-applied';

export interface ImageRef {
  /** Repository name as written (registry and path), without tag or digest. */
  name: string;
  tag?: string;
  digest?: string;
}

/** A kustomize `images:` entry that changed a container's image. */
export interface ImageOverride {
  kustomization: SourceFile;
  /** Index of the entry in the kustomization's `images` list. */
  index: number;
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  tagSuffix?: string;
}

export interface EnvEntry {
  name: string;
  /** Literal value, when set with `value:` (or a map-form env in Helm values). */
  value?: string;
  hasValue: boolean;
  secretKeyRef?: { name: string; key: string; optional: boolean };
  configMapKeyRef?: { name: string; key: string; optional: boolean };
  /** Other `valueFrom` kinds (fieldRef, resourceFieldRef, ...). */
  otherSource?: string;
  /** Path of the entry (list item, or map key for map-form env). */
  path: YamlPath;
}

export interface EnvSource {
  kind: 'Secret' | 'ConfigMap';
  name: string;
  optional: boolean;
  prefix?: string;
  via: 'envFrom' | 'envSecrets' | 'envConfigMaps';
  path: YamlPath;
}

export interface Container {
  resource: Resource;
  origin: 'podSpec' | 'helmValues';
  /** Path of the container object (pod spec) or of the values object holding `image`. */
  path: YamlPath;
  /** Container `name`, or the values object's `name` field. */
  name: string | undefined;
  /** Dotted values path for Helm values containers, e.g. `dagster-user-deployments.deployments[0]`. */
  valuesPath?: string;
  /** Namespace the workload runs in. */
  namespace: string | undefined;
  image: {
    /** Image string as written (for a mapping: `repository[:tag][@digest]`). */
    written: string | undefined;
    /** Path of the `image` node (string) or mapping. */
    path: YamlPath;
    /** Path of the tag: the `image` string, or the mapping's `tag` (or `image` when absent). */
    tagPath: YamlPath;
    /** Image after kustomize `images:` transformers. */
    effective: ImageRef | undefined;
    overrides: ImageOverride[];
  };
  pullPolicy: {
    /** Effective policy: explicit, or Kubernetes' default for pod specs; undefined for Helm values without one. */
    value: string | undefined;
    explicit: boolean;
    path: YamlPath | undefined;
  };
  env: EnvEntry[];
  /** Path of the `env` node, when present. */
  envPath: YamlPath | undefined;
  envFrom: EnvSource[];
}

/**
 * A Secret or ConfigMap the cluster will have, with the key names visible in git: from a
 * manifest (SOPS included), a CloudNativePG Cluster, a kustomize generator, config
 * `externalSecrets`, or a controller that writes it from another object (`flux bootstrap`'s
 * `flux-system` Secret named by GitRepository flux-system/flux-system, Cluster API
 * `<cluster>-kubeconfig`, tofu-controller
 * `writeOutputsToSecret`, SealedSecret, ExternalSecret, cert-manager Certificate).
 */
export interface ConfigData {
  kind: 'Secret' | 'ConfigMap';
  name: string;
  namespace: string | undefined;
  keys: ReadonlySet<string>;
  origin: 'manifest' | 'cnpg' | 'external' | 'generator' | 'controller';
  /**
   * False when the key names cannot be known (an external Secret without `keys`, an env file,
   * an ExternalSecret with `dataFrom` or a template, a Terraform without listed outputs).
   */
  keysKnown: boolean;
  /** The manifest, for `cnpg` the Cluster, for `controller` the object the controller turns into it; none for `generator` and `external`. */
  resource?: Resource;
  encrypted: boolean;
}

/** One `resources:`/`components:` entry of a kustomization file. */
export interface KustomizeEntry {
  field: 'resources' | 'components';
  index: number;
  value: string;
  /** Root-relative resolved path (file or directory), or undefined for remote targets. */
  target: string | undefined;
  kind: 'file' | 'directory' | 'remote' | 'missing';
}

export interface KustomizeNode {
  file: SourceFile;
  /** The kustomization document as a resource-like view (apiVersion/kind may be absent on disk). */
  docIndex: number;
  /** Root-relative directory of the kustomization file. */
  dir: string;
  namespace: string | undefined;
  entries: KustomizeEntry[];
  images: ImageOverride[];
  /** Manifest files included directly (resources entries that are files). */
  files: SourceFile[];
  /** Kustomizations included through directory entries. */
  children: KustomizeNode[];
  /** Kustomizations that include this one. */
  parents: KustomizeNode[];
}

export interface KustomizeIndex {
  nodes: KustomizeNode[];
  /** The kustomization in a directory (root-relative), if any. */
  at(root: Root, dir: string): KustomizeNode | undefined;
  /** Kustomizations that list this file directly in `resources`. */
  owners(file: SourceFile): KustomizeNode[];
  /** Owners and their ancestors, innermost first (the order kustomize applies transformers). */
  chain(file: SourceFile): KustomizeNode[];
}

export interface ConfigDataIndex {
  all: ConfigData[];
  /** Every object with this kind and name, in any namespace, in the order of `all`. */
  named(kind: 'Secret' | 'ConfigMap', name: string): readonly ConfigData[];
  /** The object in this namespace (an external Secret without namespace matches any; any namespace when `undefined`). */
  find(kind: 'Secret' | 'ConfigMap', name: string, namespace: string | undefined): ConfigData | undefined;
}

/** The files of one root, indexed by path and by folder. Built once per run, with the model. */
export interface RootFiles {
  root: Root;
  /** Files by root-relative path. */
  files: ReadonlyMap<string, SourceFile>;
  /** Every folder that holds a file (directly or below), `''` being the root. */
  dirs: ReadonlySet<string>;
  /** Files directly in a folder, in path order. */
  filesIn: ReadonlyMap<string, readonly SourceFile[]>;
  /** Folders directly in a folder, in path order. */
  dirsIn: ReadonlyMap<string, readonly string[]>;
}
