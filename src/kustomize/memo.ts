/**
 * Kustomize builds kept between lint runs of a long-running caller (the language server), so
 * that an edit rebuilds only the builds that read the edited file.
 *
 * A build is a function of what it asks its host (files, folders, cluster scope) and of its
 * options. Each build remembered here carries the host calls it made and their answers; it is
 * reused only when every call, asked again of this run's host, gets the same answer (the same
 * `SourceFile` objects: a file whose content changed is a new object) and when the Flux
 * overrides point at the same places. Anything else builds again.
 */
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
  ): BuildResult {
    this.used.add(key);
    const locations = locationsOf(flux);
    const entry = this.entries.get(key);
    if (
      entry &&
      sameLocations(entry.locations, locations) &&
      entry.calls.every((call) => (call.method === 'isClusterScoped' && host.isClusterScoped === entry.isClusterScoped) || sameAnswer(ask(host, call), call.result)) &&
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
    this.entries.set(key, { output, calls, locations, excluded, isClusterScoped: host.isClusterScoped });
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
