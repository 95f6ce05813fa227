import type { AppliedModel } from '../applied/types.js';
import type { FluxGraph } from '../flux/types.js';
import type { RunNote } from './finding.js';
import type { AppliedStatus, ConfigDataIndex, Container, KustomizeIndex, Resource, Root, RootFiles, SourceFile } from './workspace.js';

/**
 * Everything rules can read. Built once per run; read-only.
 *
 * Two views of the objects: `written` holds one resource per document as the files have it
 * (repository rules: plaintext secrets, SOPS format, tracked files); `resources` holds the
 * objects as Flux applies them, after every kustomize and Flux transform, one per applied
 * copy (cluster rules: schema, references, duplicates, substitution). `ofKind`, `find`,
 * `containers`, `configData` and `flux` read applied objects.
 */
export interface Model {
  roots: Root[];
  files: SourceFile[];
  /** Applied objects. */
  resources: Resource[];
  /** One resource per document of every file, as written. */
  written: Resource[];
  /** Applied objects of a kind (optionally of one API group). Indexed once. */
  ofKind(kind: string, group?: string): Resource[];
  /** Applied objects with this kind and name, in this namespace when given. */
  find(ref: { kind: string; name: string; namespace?: string; group?: string }): Resource[];
  fileAt(root: Root, path: string): SourceFile | undefined;
  /** The files of a root by path and by folder. */
  rootFiles(root: Root): RootFiles;
  /** Written resources made from a file's documents, in document order. Indexed once. */
  resourcesIn(file: SourceFile): Resource[];
  /** The written resource made from one document of a file, if it is one. */
  resourceAt(file: SourceFile, docIndex: number): Resource | undefined;
  /** The applied copies of a written resource (none when no build applies it). */
  copiesOf(written: Resource): readonly Resource[];
  /** Whether a file's objects reach a cluster. */
  appliedStatus(file: SourceFile): AppliedStatus;
  /** Written resources of this kind and name that no build applies (to say why a reference dangles). */
  unapplied(kind: string, name: string): Resource[];
  /** The builds that made the applied objects. */
  readonly applied: AppliedModel;
  readonly kustomize: KustomizeIndex;
  readonly containers: Container[];
  /**
   * Containers of every written resource, applied or not (repository rules): the applied
   * containers, plus those of documents no build applies.
   */
  readonly writtenContainers: Container[];
  readonly configData: ConfigDataIndex;
  /** Flux sources, Kustomizations with what they apply, HelmReleases, Terraforms (built on first use). */
  readonly flux: FluxGraph;
  /** Add a run note (e.g. a skipped check). Deduplicated by message. */
  note(note: RunNote): void;
}
