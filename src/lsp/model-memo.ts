/**
 * Parts of the model kept between the language server's runs, so that an edit rebuilds what
 * the edited file feeds and hands back the same objects for the rest.
 *
 * Each part is a function of inputs compared by identity (an unchanged file is the same
 * `SourceFile`, an unchanged kustomize build the same output, see `BuildMemo`): it is reused
 * only when every input is the very object of the run that made it, and it is put back in the
 * state a fresh build gives it (what later steps of a build set on it is reset). Whatever else
 * is made again. A run therefore gives what a whole run gives, object for object in value,
 * while unchanged files cost a lookup instead of a new resource, copy and container each.
 * (What other modules remember about a resource must hold for every run it is handed to: the
 * one mark that depends on other objects, `hasUnknownSync`, keeps a resource from reuse.)
 */
import { hasUnknownSync } from '../flux/synthesized.js';
import type { AppliedDocument } from '../kustomize/build.js';
import type { Container, ImageOverride, Resource, SourceFile } from '../model/workspace.js';

interface ObjectsEntry {
  build: Resource | undefined;
  written: ReadonlyArray<Resource | undefined>;
  objects: Resource[];
  /** The run that last handed these objects out: a run gets them at most once (two builds of one output are two sets of copies). */
  run: number;
}

interface ContainersEntry {
  namespace: string | undefined;
  applied: boolean;
  overrides: readonly ImageOverride[];
  containers: Container[];
}

/**
 * A resource that a run marked (a flux-instance release whose sync it could not read, from
 * the other objects of that run) is not handed to another run: a fresh one is unmarked.
 */
function marked(resources: readonly Resource[]): boolean {
  // A loop, not `some` (see sameItems).
  for (let index = 0; index < resources.length; index++) if (hasUnknownSync(resources[index]!)) return true;
  return false;
}

/** The overrides of what is no workload: one frozen empty list, not one per resource and run. */
const NO_OVERRIDES: ImageOverride[] = Object.freeze([]) as unknown as ImageOverride[];

/**
 * Whether two lists hold the same items. A loop, not `every`: the lists come from code at
 * every tier (an array V8's optimizing compiler makes with an inlined `map` is holey, the
 * interpreter's packed) and some are frozen, and an inlined `every` is bound to one of those
 * shapes: another one threw its caller's optimized code away, edit after edit.
 */
function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

export class ModelMemo {
  private run = 0;
  private readonly written = new WeakMap<SourceFile, Resource[]>();
  private readonly objects = new WeakMap<readonly AppliedDocument[], ObjectsEntry[]>();
  private readonly copies = new WeakMap<Resource, { build: Resource | undefined; copy: Resource; run: number }>();
  private readonly containers = new WeakMap<Resource, ContainersEntry>();
  /** Parts reused and made in the last run, for tests and profiling. */
  readonly stats = { reused: 0, made: 0 };

  /** Start a model build: what it gets from here is handed out once. */
  startRun(): void {
    this.run++;
    this.stats.reused = 0;
    this.stats.made = 0;
  }

  /**
   * The written resources of a file's documents (`make` builds them). A file whose content
   * did not change is the same `SourceFile`, so its resources are the same: they get back the
   * namespace as written, which the model then moves as kustomize does, as for new ones.
   */
  resourcesOf(file: SourceFile, make: (file: SourceFile) => Resource[]): Resource[] {
    const kept = this.written.get(file);
    if (kept && !marked(kept)) {
      this.stats.reused++;
      for (let index = 0; index < kept.length; index++) kept[index]!.appliedNamespace = kept[index]!.namespace;
      return kept;
    }
    this.stats.made++;
    const made = make(file);
    this.written.set(file, made);
    return made;
  }

  /**
   * The applied copies of a kustomize build's documents for `build` (the Flux Kustomization
   * that applies them; `written` are the documents' resources, as `make` gets them): the
   * copies of the last run when the build's output, `build` and every written resource are
   * the same objects, reset to what `make` gives (`applied.build` is `build`, not assumed).
   */
  appliedObjects(documents: readonly AppliedDocument[], build: Resource | undefined, written: ReadonlyArray<Resource | undefined>, make: () => Resource[]): Resource[] {
    // The entries of the last two runs, and among them one for this build not handed out in this run (loops: see sameItems).
    const earlier = this.objects.get(documents);
    const entries: ObjectsEntry[] = [];
    let entry: ObjectsEntry | undefined;
    if (earlier !== undefined) {
      for (let at = 0; at < earlier.length; at++) {
        const candidate = earlier[at]!;
        if (candidate.run < this.run - 1) continue;
        entries.push(candidate);
        if (entry === undefined && candidate.run !== this.run && candidate.build === build && sameItems(candidate.written, written)) entry = candidate;
      }
    }
    if (entry && !marked(entry.objects)) {
      entry.run = this.run;
      this.stats.reused++;
      for (const object of entry.objects) {
        if (!object.applied) continue;
        object.applied.build = build;
        object.applied.assumed = undefined;
      }
      this.objects.set(documents, entries);
      return entry.objects;
    }
    this.stats.made++;
    const objects = make();
    entries.push({ build, written, objects, run: this.run });
    this.objects.set(documents, entries);
    return objects;
  }

  /** A written resource applied as written (`make` copies it): the copy of the last run, reset, once per run. */
  writtenCopy(resource: Resource, build: Resource | undefined, make: () => Resource): Resource {
    const kept = this.copies.get(resource);
    // A copy carries the applied namespace its written resource had (a kustomization above the file may have changed it since).
    if (kept && kept.run === this.run - 1 && kept.build === build && kept.copy.appliedNamespace === resource.appliedNamespace && kept.copy.applied && !hasUnknownSync(kept.copy)) {
      kept.run = this.run;
      this.stats.reused++;
      kept.copy.applied.build = build;
      kept.copy.applied.assumed = undefined;
      return kept.copy;
    }
    this.stats.made++;
    const copy = make();
    this.copies.set(resource, { build, copy, run: this.run });
    return copy;
  }

  /**
   * The containers of each resource, in order (`extract` finds them in a list of resources,
   * with the kustomize image overrides `overridesFor` gives a workload): a resource's
   * containers of an earlier run when its namespace and overrides are the same.
   */
  containersOf(
    resources: readonly Resource[],
    isWorkload: (resource: Resource) => boolean,
    overridesFor: (resource: Resource) => ImageOverride[],
    extract: (resources: readonly Resource[], overridesFor: (resource: Resource) => ImageOverride[]) => Container[],
  ): Container[] {
    const out: Container[] = [];
    for (let at = 0; at < resources.length; at++) {
      const resource = resources[at]!;
      const overrides = isWorkload(resource) ? overridesFor(resource) : NO_OVERRIDES;
      const kept = this.containers.get(resource);
      if (kept && kept.namespace === resource.appliedNamespace && kept.applied === (resource.applied !== undefined) && sameItems(kept.overrides, overrides)) {
        for (let index = 0; index < kept.containers.length; index++) out.push(kept.containers[index]!);
        continue;
      }
      const containers = extract([resource], () => overrides);
      this.containers.set(resource, { namespace: resource.appliedNamespace, applied: resource.applied !== undefined, overrides, containers });
      for (const container of containers) out.push(container);
    }
    return out;
  }
}
