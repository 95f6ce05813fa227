/**
 * Re-linting after an edit (the language server). A rule whose meta says `dependsOn: 'file'`
 * judges each file by that file alone (its text, parse and written resources) and its config:
 * it is re-run on the files whose content changed only, and the reports it made on every
 * other file in an earlier run are handed to the engine again, through the same path as new
 * ones (level, position, fingerprint, masking, suppressions are all worked out afresh). Rules
 * without it judge the whole workspace and run on every file, every time.
 *
 * A file is unchanged when the run gets the very `SourceFile` object of the earlier run (the
 * language server's `LoadCache` gives a file whose content did not change the parse it had)
 * and its written resources have the applied namespaces they had (a kustomization.yaml above
 * it can change those).
 * Another config, other rule options or other roots re-check every file.
 *
 * Such a rule may also look other files up by path (`model.fileAt`: the `.sops.yaml` that
 * covers a file): every lookup is kept with its answer, and when one answers otherwise in a
 * later run (that `.sops.yaml` was edited, created or deleted) nothing kept is trusted and the
 * rule checks every file again.
 *
 * A rule that declares `file` but reaches beyond the checked files (another file, applied
 * objects, a note about another file) is caught: its run on the changed files is thrown
 * away, it is run on the whole workspace, and never again incrementally.
 */
import type { RunNote } from '../model/finding.js';
import type { Model } from '../model/model.js';
import type { Report, Rule, RuleContext } from '../model/rule.js';
import type { Resource, Root, SourceFile } from '../model/workspace.js';

type AnyRule = Rule<string, never>;

/** A report kept for a later run: a written resource is named by its document, since the next model makes new resource objects. */
type Kept = { report: Report<string>; docIndex?: number };

interface FileEntry {
  reports: Kept[];
  notes: RunNote[];
}

/**
 * A file as the per-file rules last judged it, shared by all of them: what they reported on
 * it, by rule (`entries[slot]`, see `IncrementalLint.slots`), for this very `SourceFile` with
 * this `reported` flag and these applied namespaces. When either differs, all are dropped.
 */
interface FileRecord {
  file: SourceFile;
  reported: boolean;
  /** The applied namespaces of the file's written resources, in order (see sameNamespaces). */
  namespaces: Array<string | undefined>;
  entries: Array<FileEntry | undefined>;
}

interface RuleState {
  configs: readonly unknown[];
  options: string;
  /** Files looked up by path in the runs that made the kept entries: root folder and path → the file found. */
  lookups: Map<string, { dir: string; path: string; found: SourceFile | undefined }>;
}

/** Thrown by the restricted model when a `dependsOn: 'file'` rule reads beyond its files. */
class OutsideFile extends Error {}

/** The members of the model a `dependsOn: 'file'` rule may read, restricted to `files`. */
const ALLOWED = new Set<PropertyKey>(['roots', 'files', 'written', 'resourcesIn', 'resourceAt', 'fileAt', 'note']);

type Lookups = RuleState['lookups'];

function fileView(model: Model, files: readonly SourceFile[], note: (note: RunNote) => void, lookups: Lookups): Model {
  const checked = new Set(files);
  const own = (file: SourceFile): SourceFile => {
    if (!checked.has(file)) throw new OutsideFile(`read ${file.path}`);
    return file;
  };
  const members: Partial<Model> = {
    roots: model.roots,
    files: [...files],
    written: files.flatMap((file) => model.resourcesIn(file)),
    resourcesIn: (file) => model.resourcesIn(own(file)),
    resourceAt: (file, docIndex) => model.resourceAt(own(file), docIndex),
    fileAt: (root, path) => {
      const found = model.fileAt(root, path);
      lookups.set(`${root.dir}\0${path}`, { dir: root.dir, path, found });
      return found;
    },
    note,
  };
  return new Proxy(members as Model, {
    get(target, property, receiver) {
      if (!ALLOWED.has(property)) throw new OutsideFile(`read model.${String(property)}`);
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

/**
 * What the language server keeps between runs for `dependsOn: 'file'` rules: by rule, the
 * reports and notes of every file of the last run. Pass the same object to every `lint` run
 * (`LintOptions.incremental`); one run at a time.
 */
export class IncrementalLint {
  private readonly rules = new Map<string, RuleState>();
  /** Each rule's place in `FileRecord.entries`. */
  private readonly slots = new Map<string, number>();
  /** The records of the files of the last run, by file. */
  private records = new Map<SourceFile, FileRecord>();
  /** This run's records, in file order, once per model (the first per-file rule of a run makes them). */
  private readonly aligned = new WeakMap<Model, { files: readonly SourceFile[]; records: FileRecord[] }>();
  /** Rules caught reading beyond their files: always run whole. */
  private readonly whole = new Set<string>();
  /** What the last `check` of each rule did, for tests and profiling. */
  readonly last = new Map<string, { checked: number; kept: number }>();

  /**
   * Run `rule` (its meta says `dependsOn: 'file'`) for this run's `files`: on the changed ones,
   * with the earlier reports of the others given to `ctx.report` again, in file order.
   */
  check(rule: AnyRule, ctx: RuleContext<string, never>, files: readonly SourceFile[], roots: readonly Root[]): void {
    const id = rule.meta.id;
    if (this.whole.has(id)) {
      this.runWhole(rule, ctx, files);
      return;
    }
    const configs = roots.flatMap((root) => [root.dir, root.config]);
    const options = JSON.stringify(ctx.options) ?? '';
    const earlier = this.rules.get(id);
    const valid =
      earlier !== undefined &&
      earlier.options === options &&
      earlier.configs.length === configs.length &&
      earlier.configs.every((item, index) => item === configs[index]) &&
      sameLookups(earlier.lookups, ctx.model, roots);
    // Kept lookups stay; this run's are added (a failed run drops the whole state).
    const lookups: Lookups = valid ? earlier.lookups : new Map();
    let slot = this.slots.get(id);
    if (slot === undefined) this.slots.set(id, (slot = this.slots.size));
    const records = this.recordsFor(ctx.model, files);
    const changed: SourceFile[] = [];
    /** Where the changed files are in `records`, in order. */
    const changedAt: number[] = [];
    for (let at = 0; at < records.length; at++) {
      const record = records[at]!;
      if (valid && record.entries[slot] !== undefined) continue;
      changed.push(record.file);
      changedAt.push(at);
    }

    const fresh = new Map<SourceFile, FileEntry>(changed.map((file) => [file, { reports: [], notes: [] }]));
    const byPath = new Map(changed.map((file) => [file.absPath, file]));
    try {
      const model = fileView(
        ctx.model,
        changed,
        (note) => {
          const file = note.file === undefined ? undefined : byPath.get(note.file);
          if (!file) throw new OutsideFile(`a note about ${note.file ?? 'no file'}`);
          fresh.get(file)?.notes.push(note);
        },
        lookups,
      );
      rule.check({
        options: ctx.options,
        model,
        report: (report) => {
          const kept = keep(report, ctx.model);
          const file = 'resource' in report ? report.resource.file : report.file;
          const entry = fresh.get(file);
          if (!entry || !kept) throw new OutsideFile(`a report on ${file.path}`);
          entry.reports.push(kept);
        },
      });
    } catch (error) {
      if (!(error instanceof OutsideFile)) throw error;
      // Declared per file but it is not: correct results first, so the whole workspace, from now on.
      this.whole.add(id);
      this.runWhole(rule, ctx, files);
      return;
    }

    const notes: RunNote[] = [];
    const reports: Array<Report<string>> = [];
    let kept = 0;
    let next = 0;
    for (let at = 0; at < records.length; at++) {
      const record = records[at]!;
      // The changed files are the ones at `changedAt`, in order: no lookup per file.
      const made = changedAt[next] === at ? fresh.get(record.file) : undefined;
      if (made) {
        next++;
        record.entries[slot] = made;
      } else kept++;
      const entry = made ?? record.entries[slot];
      if (!entry || (entry.notes.length === 0 && entry.reports.length === 0)) continue;
      for (const note of entry.notes) notes.push(note);
      for (const item of entry.reports) {
        const report = restore(item, record.file, ctx.model);
        if (!report) {
          // Cannot happen for an unchanged parse; if it did, nothing kept is trusted.
          this.runWhole(rule, ctx, files);
          return;
        }
        reports.push(report);
      }
    }
    for (const note of notes) ctx.model.note(note);
    for (const report of reports) ctx.report(report);
    this.rules.set(id, { configs, options, lookups });
    this.last.set(id, { checked: changed.length, kept });
  }

  /**
   * The records of `files`, in order: the last run's for a file that is the same object with
   * the same `reported` flag and applied namespaces, a new one (nothing kept) otherwise.
   */
  private recordsFor(model: Model, files: readonly SourceFile[]): FileRecord[] {
    const known = this.aligned.get(model);
    if (known && known.files === files) return known.records;
    const records: FileRecord[] = [];
    const next = new Map<SourceFile, FileRecord>();
    for (let at = 0; at < files.length; at++) {
      const file = files[at]!;
      const resources = model.resourcesIn(file);
      let record = this.records.get(file);
      if (!record || record.reported !== file.reported || !sameNamespaces(record, resources)) {
        record = { file, reported: file.reported, namespaces: resources.map((resource) => resource.appliedNamespace), entries: [] };
      }
      records.push(record);
      next.set(file, record);
    }
    this.records = next;
    this.aligned.set(model, { files, records });
    return records;
  }

  /** Run `rule` on the whole workspace, keeping nothing of it for the next run. */
  private runWhole(rule: AnyRule, ctx: RuleContext<string, never>, files: readonly SourceFile[]): void {
    this.rules.delete(rule.meta.id);
    this.last.set(rule.meta.id, { checked: files.length, kept: 0 });
    rule.check(ctx);
  }
}

/**
 * The one part of a written resource that other files decide: the namespace its kustomization
 * tree gives it (the SOPS rules name a Secret by it in their notes). A file whose resources got
 * another one, because a kustomization.yaml above it changed, is checked again.
 */
function sameNamespaces(record: FileRecord, resources: readonly Resource[]): boolean {
  const { namespaces } = record;
  if (namespaces.length !== resources.length) return false;
  for (let at = 0; at < resources.length; at++) if (resources[at]!.appliedNamespace !== namespaces[at]) return false;
  return true;
}

/** Whether every lookup by path of the kept entries finds the same file in this run (a root that is gone finds nothing). */
function sameLookups(lookups: Lookups, model: Model, roots: readonly Root[]): boolean {
  const byDir = new Map(roots.map((root) => [root.dir, root]));
  for (const { dir, path, found } of lookups.values()) {
    const root = byDir.get(dir);
    if ((root === undefined ? undefined : model.fileAt(root, path)) !== found) return false;
  }
  return true;
}

/** A report as kept: a written resource by its document (undefined for anything else, such as an applied copy). */
function keep(report: Report<string>, model: Model): Kept | undefined {
  if (!('resource' in report)) return { report };
  const { resource } = report;
  if (model.resourceAt(resource.file, resource.docIndex) !== resource) return undefined;
  return { report, docIndex: resource.docIndex };
}

/** A kept report for this run: its written resource is this run's object for the same document. */
function restore(kept: Kept, file: SourceFile, model: Model): Report<string> | undefined {
  if (kept.docIndex === undefined) return kept.report;
  const resource = model.resourceAt(file, kept.docIndex);
  // The same parse makes the same documents into resources: never missing for an unchanged file.
  if (!resource) return undefined;
  return { ...kept.report, resource } as Report<string>;
}
