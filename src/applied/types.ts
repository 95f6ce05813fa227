/** The applied-object layer: what each Flux Kustomization's build applies. */
import type { Resource, Root, SourceFile } from '../model/workspace.js';
import type { Location } from '../kustomize/origin.js';

/** Something kustomize (or Flux around it) would refuse while building. */
export interface AppliedProblem {
  code: string;
  message: string;
  at: Location;
}

/** One build: a Flux Kustomization's, or a kustomization tree of a root without Flux entry points. */
export interface AppliedBuild {
  /** The Flux Kustomization (an applied object) whose build this is; `undefined` for a plain kustomize tree. */
  kustomization: Resource | undefined;
  root: Root;
  /** Root-relative folder built (`''` for the root). */
  dir: string;
  /** True when the folder has no kustomization file and Flux generates one. */
  generated: boolean;
  /** The objects it applies, in build order. */
  objects: Resource[];
  /** Files read as resources, patches, and kustomization/component files. */
  resourceFiles: SourceFile[];
  patchFiles: SourceFile[];
  kustomizations: SourceFile[];
  problems: AppliedProblem[];
}

export interface AppliedModel {
  builds: AppliedBuild[];
  /** The build of a Flux Kustomization (an applied object), when its source and path are known. */
  buildOf(kustomization: Resource): AppliedBuild | undefined;
  /** Roots whose objects reach the cluster only through Flux builds (they have Flux entry points). */
  entryRoots: ReadonlySet<Root>;
}
