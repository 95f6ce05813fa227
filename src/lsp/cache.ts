import { loadRootConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import { reuse } from '../engine/reuse.js';
import { BuildMemo } from '../kustomize/memo.js';
import { ModelMemo } from './model-memo.js';
import type { SourceFile } from '../model/workspace.js';
import type { Discovery } from '../workspace/discover.js';
import { discoverFiles } from '../workspace/discover.js';
import { readGitFiles, type GitFiles } from '../workspace/git.js';
import { readContent, type LoadHooks } from '../workspace/load.js';
import { loadSourceFile, type LoadOutcome } from '../workspace/source-file.js';

type Content = Uint8Array | string | undefined;

function sameContent(a: Content, b: Content): boolean {
  if (a === b) return true;
  if (typeof a === 'string' || typeof b === 'string' || a === undefined || b === undefined) return false;
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}

/**
 * What the language server keeps between lint runs, so that an edit costs the edited file:
 * - file discovery and git's file lists, until `invalidate()` says files were created,
 *   deleted or ignored;
 * - the content read from disk of every file, until `invalidate()` names the file (the
 *   editor reported it changed, it was saved or closed): an edit reads nothing from disk;
 * - each root's resolved config, until any file changes on disk (a config may extend others);
 * - the `SourceFile` of every file whose content did not change, parse included: only the
 *   edited document is parsed again;
 * - the kustomize build of each Flux Kustomization, reused while every file it read is the
 *   same `SourceFile` (see `BuildMemo`): only the builds that read the edited file run again. The model treats files as read-only; the server runs
 *   one lint at a time, so a reused file is rebound to the run's root.
 */
export class LoadCache {
  private discoveries = new Map<string, { at: number; git: GitFiles | undefined; value: Promise<Discovery> }>();
  private gitFiles = new Map<string, { at: number; value: Promise<GitFiles | undefined> }>();
  private configs = new Map<string, { at: number; value: Promise<ResolvedConfig> }>();
  /** Entries carry the run that last used them (`run`): the others are dropped at `endRun()`, with no key or set entry per file and run. */
  private contents = new Map<string, { at: number; value: ReturnType<typeof readContent>; run: number }>();
  /** Parses by root folder, then by absolute path. */
  private parsed = new Map<string, Map<string, { content: Content; outcome: LoadOutcome; run: number }>>();
  private run = 0;
  /** Discovery, git and config entries the run asked for (by map): the others are dropped at `endRun()`. */
  private usedMemo = new Map<Map<string, unknown>, Set<string>>();

  /** Whether this run reads again what is older than `maxAgeMs` (see `beginRun`). */
  private refreshing = true;
  /** When the oldest entry still kept was read (`performance.now()`). */
  private oldest = Infinity;

  /**
   * @param maxAgeMs Discovery, git state and disk contents older than this are read again
   *   even without `invalidate()`, by a run that asks for it (`beginRun({ refresh: true })`):
   *   a safety net for changes nobody reported (a `git add`, a checkout in an editor that does
   *   not watch files).
   */
  constructor(private readonly maxAgeMs = 5000) {
    // Unchanged objects reach the next run: what was derived from one alone is kept by it.
    reuse.enabled = true;
  }

  /** True when some entry is older than `maxAgeMs`: a refreshing run would read it again. */
  refreshDue(): boolean {
    return performance.now() - this.oldest > this.maxAgeMs;
  }

  /**
   * Forget what may have changed on disk: the given files' contents, or every content when
   * no file is given; discovery and git state unless only contents changed.
   */
  invalidate(options: { files?: readonly string[]; discovery?: boolean } = {}): void {
    if (options.discovery ?? true) {
      this.discoveries.clear();
      this.gitFiles.clear();
    }
    if (options.files === undefined) this.contents.clear();
    else for (const file of options.files) this.contents.delete(file);
    if (options.files === undefined || options.files.length > 0 || (options.discovery ?? true)) this.configs.clear();
  }

  /**
   * Start a run: parses not used by the run are dropped at `endRun()`. With `refresh: false`
   * (a run for an edit, which must be quick) nothing is read again for its age alone; the
   * language server runs a refreshing one when the editor goes quiet (`refreshDue()`).
   */
  beginRun(options: { refresh?: boolean } = {}): void {
    this.run++;
    this.usedMemo = new Map([this.discoveries, this.gitFiles, this.configs].map((map) => [map as Map<string, unknown>, new Set<string>()]));
    this.refreshing = options.refresh ?? true;
  }

  private readonly buildMemo = new BuildMemo();
  private readonly modelMemo = new ModelMemo();

  endRun(): void {
    this.buildMemo.sweep();
    for (const [dir, byPath] of this.parsed) {
      for (const [key, entry] of byPath) if (entry.run !== this.run) byPath.delete(key);
      if (byPath.size === 0) this.parsed.delete(dir);
    }
    for (const [key, entry] of this.contents) if (entry.run !== this.run) this.contents.delete(key);
    // What the run did not ask for (a removed root, an old ignore list) is not kept to grow old.
    for (const [map, keys] of this.usedMemo) for (const key of map.keys()) if (!keys.has(key)) map.delete(key);
    let oldest = Infinity;
    for (const map of [this.discoveries, this.gitFiles, this.configs, this.contents] as Array<Map<string, { at: number }>>) {
      for (const entry of map.values()) oldest = Math.min(oldest, entry.at);
    }
    this.oldest = oldest;
  }

  private fresh(at: number): boolean {
    return !this.refreshing || performance.now() - at <= this.maxAgeMs;
  }

  /** A time for a new entry, which is then the oldest if nothing older is kept. */
  private stamp(): number {
    const at = performance.now();
    if (this.oldest === Infinity) this.oldest = at;
    return at;
  }

  private memo<T>(map: Map<string, { at: number; value: Promise<T> }>, key: string, read: () => Promise<T>): Promise<T> {
    this.usedMemo.get(map)?.add(key);
    const entry = map.get(key);
    if (entry && this.fresh(entry.at)) return entry.value;
    const value = read();
    map.set(key, { at: this.stamp(), value });
    value.catch(() => map.delete(key));
    return value;
  }

  readonly hooks: Required<LoadHooks> = {
    discover: (dir, ignore, git) => {
      const key = `${dir}\0${JSON.stringify(ignore)}`;
      this.usedMemo.get(this.discoveries)?.add(key);
      const entry = this.discoveries.get(key);
      // Git's lists decide discovery in a work tree: new lists, new discovery.
      if (entry && entry.git === git && this.fresh(entry.at)) return entry.value;
      const value = discoverFiles(dir, ignore, git);
      this.discoveries.set(key, { at: this.stamp(), git, value });
      value.catch(() => this.discoveries.delete(key));
      return value;
    },
    readGit: (dir) => this.memo(this.gitFiles, dir, () => readGitFiles(dir)),
    config: (dir, rules) => this.memo(this.configs, dir, () => loadRootConfig(dir, rules)),
    buildMemo: this.buildMemo,
    modelMemo: this.modelMemo,
    read: (absPath, follow) => {
      const entry = this.contents.get(absPath);
      if (entry && this.fresh(entry.at)) {
        entry.run = this.run;
        return entry.value;
      }
      const value = readContent(absPath, follow);
      // An unchanged file keeps the content object it had: its parse is then reused without comparing bytes.
      const kept = entry && value instanceof Uint8Array && entry.value instanceof Uint8Array && sameContent(entry.value, value) ? entry.value : value;
      this.contents.set(absPath, { at: this.stamp(), value: kept, run: this.run });
      return kept;
    },
    loadFile: (root, relativePath, absPath, content) => {
      let byPath = this.parsed.get(root.dir);
      if (!byPath) this.parsed.set(root.dir, (byPath = new Map()));
      const cached = byPath.get(absPath);
      if (cached && sameContent(cached.content, content)) {
        cached.run = this.run;
        const file: SourceFile = cached.outcome.file;
        file.root = root;
        file.reported = true;
        return cached.outcome;
      }
      const outcome = loadSourceFile(root, relativePath, absPath, content);
      byPath.set(absPath, { content, outcome, run: this.run });
      return outcome;
    },
  };
}
