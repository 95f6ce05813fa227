/**
 * Kustomize builds kept between lint runs of a long-running caller (the language server), so
 * that an edit rebuilds only the builds that read the edited file.
 *
 * A build is a function of what it asks its host (files, folders, cluster scope) and of its
 * options. Each build remembered here carries the host calls it made and their answers; it is
 * reused only when every call, asked again of this run's host, gets the same answer (the same
 * `SourceFile` objects: a file whose content changed is a new object) and when the Flux
 * overrides point at the same places. Anything else builds again.
 *
 * A caller whose host answers from a root's file index (`RootFiles`) passes that index: the
 * memo compares it with the index that last gave a build its answers (the last run's, for
 * most builds), path by path, once per pair of indexes, and a build is valid when none of
 * the files and folders it asked about is among those that changed (usually the one edited
 * file), instead of asking every call again (thousands on a
 * 2,000-file workspace, every edit). Calls that the index does not answer (`readText`, read
 * from disk; `isClusterScoped` through another function) are still asked again.
 */
import type { RootFiles, SourceFile } from '../model/workspace.js';
import type { BuildResult, FluxOverrides } from './build.js';
import type { KustomizeHost } from './context.js';
import type { Location } from './origin.js';

interface Call {
  method: keyof KustomizeHost;
  args: unknown[];
  result: unknown;
}

interface Entry {
  output: BuildResult;
  calls: Call[];
  locations: Location[];
  /** What the build asked of the `exclude` filter of a generated kustomization, and its answers. */
  excluded: Array<[string, boolean]>;
  /** The host's scope function: it answers from its arguments alone, so the same function gives the same answers. */
  isClusterScoped: KustomizeHost['isClusterScoped'];
  /**
   * With a file index: what the calls that it answers asked about (see `dependencies`), the
   * index (its `files`) that last gave those answers, and the other calls, to ask again.
   */
  indexed?: { seen: ReadonlyMap<string, SourceFile>; on: Set<string>; others: Call[] };
}

/** The parent folder of a root-relative path (`''` for the root). */
function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/**
 * What a call's answer depends on, as keys of `changedKeys`: `f` a path's file, `d` the files
 * directly in a folder, `x` whether a folder exists, `s` the folders directly in a folder.
 * `undefined` for a call the index does not answer.
 */
function dependencies(call: Call): string[] | undefined {
  const arg = call.args[0];
  if (typeof arg !== 'string') return undefined;
  switch (call.method) {
    case 'file':
      return [`f\0${arg}`];
    case 'kustomizationFile':
    case 'filesIn':
      return [`d\0${arg}`];
    case 'isDirectory':
      return [`x\0${arg}`];
    case 'dirsIn':
      return [`s\0${arg}`];
    default:
      return undefined;
  }
}

/**
 * The keys of `dependencies` whose answers may differ between two indexes of a root: a file
 * whose `SourceFile` changed changes its path's file and its folder's list; a file added or
 * removed also the folders above it, which may have appeared or gone.
 */
function changedKeys(before: ReadonlyMap<string, SourceFile>, after: ReadonlyMap<string, SourceFile>): Set<string> {
  const keys = new Set<string>();
  const changed = (path: string, moved: boolean) => {
    keys.add(`f\0${path}`);
    keys.add(`d\0${parentOf(path)}`);
    if (!moved) return;
    for (let dir = parentOf(path); ; dir = parentOf(dir)) {
      keys.add(`x\0${dir}`);
      keys.add(`s\0${dir}`);
      keys.add(`d\0${dir}`);
      if (dir === '') break;
      keys.add(`s\0${parentOf(dir)}`);
    }
  };
  for (const [path, file] of after) {
    const earlier = before.get(path);
    if (earlier !== file) changed(path, earlier === undefined);
  }
  for (const path of before.keys()) if (!after.has(path)) changed(path, true);
  return keys;
}

const METHODS: ReadonlyArray<keyof KustomizeHost> = ['file', 'isDirectory', 'kustomizationFile', 'filesIn', 'dirsIn', 'isClusterScoped', 'readText'];

function sameAnswer(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((item, index) => item === b[index]);
}

function locationsOf(flux: FluxOverrides | undefined): Location[] {
  if (!flux) return [];
  const at = flux.at ?? {};
  return [
    ...[at.namespace, at.namePrefix, at.nameSuffix].filter((location): location is Location => location !== undefined),
    ...(flux.patches ?? []).map((patch) => patch.at),
    ...(flux.images ?? []).map((image) => image.at),
    ...(flux.components ?? []).map((component) => component.at),
  ];
}

function sameLocations(a: readonly Location[], b: readonly Location[]): boolean {
  return (
    a.length === b.length &&
    a.every((location, index) => {
      const other = b[index];
      return other !== undefined && location.file === other.file && location.docIndex === other.docIndex && location.path.join('\0') === other.path.join('\0');
    })
  );
}

export class BuildMemo {
  private entries = new Map<string, Entry>();
  private used = new Set<string>();
  /** Builds reused and made, for tests and profiling. */
  readonly stats = { reused: 0, built: 0 };
  /** What changed from an earlier index to `current` (the index of the last call with one), by earlier index. */
  private changes: { current: ReadonlyMap<string, SourceFile> | undefined; since: Map<ReadonlyMap<string, SourceFile>, Set<string>> } = { current: undefined, since: new Map() };

  private changedSince(seen: ReadonlyMap<string, SourceFile>, current: ReadonlyMap<string, SourceFile>): Set<string> {
    if (this.changes.current !== current) this.changes = { current, since: new Map() };
    let keys = this.changes.since.get(seen);
    if (!keys) this.changes.since.set(seen, (keys = changedKeys(seen, current)));
    return keys;
  }

  private valid(entry: Entry, host: KustomizeHost, tree: RootFiles | undefined): boolean {
    const again = (call: Call) => (call.method === 'isClusterScoped' && host.isClusterScoped === entry.isClusterScoped) || sameAnswer(ask(host, call), call.result);
    const indexed = entry.indexed;
    if (!tree || !indexed) return entry.calls.every(again);
    if (indexed.seen !== tree.files) {
      // Most builds were last checked against the same index (the last run's): its changes are worked out once.
      for (const key of this.changedSince(indexed.seen, tree.files)) if (indexed.on.has(key)) return false;
    }
    if (!indexed.others.every(again)) return false;
    indexed.seen = tree.files;
    return true;
  }

  /**
   * The build for `key` (everything that decides it besides the host, the Flux overrides'
   * places and the `exclude` filter of a generated kustomization), reused when still valid,
   * else made by `build` with a host (and filter) that record their calls.
   */
  build(
    key: string,
    host: KustomizeHost,
    flux: FluxOverrides | undefined,
    build: (host: KustomizeHost, exclude?: (relative: string) => boolean) => BuildResult,
    exclude?: (relative: string) => boolean,
    /** The file index `host` answers from (`hostFromRootFiles`), if it does. */
    tree?: RootFiles,
  ): BuildResult {
    this.used.add(key);
    const locations = locationsOf(flux);
    const entry = this.entries.get(key);
    if (
      entry &&
      sameLocations(entry.locations, locations) &&
      this.valid(entry, host, tree) &&
      (exclude ? entry.excluded.every(([relative, answer]) => exclude(relative) === answer) : entry.excluded.length === 0)
    ) {
      this.stats.reused++;
      return entry.output;
    }
    this.stats.built++;
    const calls: Call[] = [];
    const recording = { ...host };
    for (const method of METHODS) {
      const original = host[method] as ((...args: unknown[]) => unknown) | undefined;
      if (typeof original !== 'function') continue;
      (recording as Record<string, unknown>)[method] = (...args: unknown[]) => {
        const result = original.apply(host, args);
        calls.push({ method, args, result });
        return result;
      };
    }
    const excluded: Array<[string, boolean]> = [];
    const recordingExclude =
      exclude &&
      ((relative: string): boolean => {
        const answer = exclude(relative);
        excluded.push([relative, answer]);
        return answer;
      });
    const output = build(recording, recordingExclude);
    const made: Entry = { output, calls, locations, excluded, isClusterScoped: host.isClusterScoped };
    if (tree) {
      const on = new Set<string>();
      const others: Call[] = [];
      for (const call of calls) {
        const keys = dependencies(call);
        if (keys) for (const item of keys) on.add(item);
        else others.push(call);
      }
      made.indexed = { seen: tree.files, on, others };
    }
    this.entries.set(key, made);
    return output;
  }

  /** Forget builds the last run did not ask for. */
  sweep(): void {
    for (const key of this.entries.keys()) if (!this.used.has(key)) this.entries.delete(key);
    this.used.clear();
  }
}

function ask(host: KustomizeHost, call: Call): unknown {
  const method = host[call.method] as ((...args: unknown[]) => unknown) | undefined;
  return typeof method === 'function' ? method.apply(host, call.args) : undefined;
}
