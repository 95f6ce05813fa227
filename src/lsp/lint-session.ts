/**
 * The language server's lint runs and what they keep between edits (`LoadCache`,
 * `IncrementalLint`), behind one message-shaped interface, so that they can run on a worker
 * thread of their own (`LintWorker`) while the main thread speaks the protocol.
 *
 * Why a worker: a run on a 2,000-file workspace allocates some 30 MB that all stay alive until
 * it ends (the model, its indexes, the findings). With V8's default young generation (16 MB
 * semi-spaces) every run went through two scavenges, each copying the half-built model:
 * about a third of an edit's latency. A worker's young generation can be sized
 * (`resourceLimits`), a process's only on the command line: the worker's is large enough for a
 * whole run, and it is emptied after each run, once the diagnostics are sent (everything the
 * run made is garbage then, so that scavenge copies only what the caches keep), off the way
 * from an edit to its diagnostics.
 *
 * Results are those of the same run on the main thread: the worker runs the same `lint` with
 * the same caches; only plain data crosses threads (texts in, diagnostics out).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import type { Diagnostic } from 'vscode-languageserver/node';
import { ConfigError } from '../config/load.js';
import { lint } from '../index.js';
import { IncrementalLint } from '../engine/incremental.js';
import { LoadCache } from './cache.js';
import { diagnosticsByFile } from './diagnostics.js';

/** What may have changed on disk since the last run (see `LoadCache.invalidate`). */
export interface Invalidation {
  files?: string[];
  discovery?: boolean;
}

export interface LintRequest {
  roots: string[];
  /** Absolute path → text of each open document. */
  overrides: Array<[string, string]>;
  configFile?: string;
  /** Read again what is older than the cache's age limit (see `LoadCache.beginRun`). */
  refresh: boolean;
  /** Applied in order before the run. */
  invalidations: Invalidation[];
}

export type LintResponse = (
  | { kind: 'done'; diagnostics: Array<[string, Diagnostic[]]>; errors: string[] }
  | { kind: 'config'; message: string; file: string; line?: number; column?: number }
  | { kind: 'aborted' }
  | { kind: 'failed'; error: string }
) & {
  /** `LoadCache.refreshDue()` after the run. */
  refreshDue: boolean;
};

/** Runs one lint at a time for the language server, keeping parses and findings between runs. */
export interface Linter {
  run(request: LintRequest): Promise<LintResponse>;
  /** Abandon the current run (between two rules): a newer edit made it stale. */
  abort(): void;
  close(): void;
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** The runs themselves, on whichever thread this is. */
export class LintSession implements Linter {
  private readonly cache = new LoadCache();
  /** Findings of per-file rules, kept for the files an edit did not change. */
  private readonly incremental = new IncrementalLint();
  private controller: AbortController | undefined;

  async run(request: LintRequest): Promise<LintResponse> {
    for (const invalidation of request.invalidations) this.cache.invalidate(invalidation);
    const controller = (this.controller = new AbortController());
    const { signal } = controller;
    try {
      return { ...(await this.lintOnce(request, signal)), refreshDue: this.cache.refreshDue() };
    } catch (error) {
      if (signal.aborted) return { kind: 'aborted', refreshDue: this.cache.refreshDue() };
      return { kind: 'failed', error: errorText(error), refreshDue: this.cache.refreshDue() };
    } finally {
      if (this.controller === controller) this.controller = undefined;
    }
  }

  private async lintOnce(request: LintRequest, signal: AbortSignal): Promise<Exclude<LintResponse, { kind: 'aborted' | 'failed' }>> {
    this.cache.beginRun({ refresh: request.refresh });
    let result;
    try {
      result = await lint({
        roots: request.roots,
        cwd: request.roots[0],
        overrides: new Map(request.overrides),
        load: this.cache.hooks,
        signal,
        incremental: this.incremental,
        ...(request.configFile ? { configFile: request.configFile } : {}),
      });
    } catch (error) {
      if (error instanceof ConfigError) {
        return {
          kind: 'config',
          message: error.message,
          file: error.file,
          ...(error.line === undefined ? {} : { line: error.line }),
          ...(error.column === undefined ? {} : { column: error.column }),
          refreshDue: false,
        };
      }
      throw error;
    }
    this.cache.endRun();
    return { kind: 'done', diagnostics: [...diagnosticsByFile(result)], errors: result.errors.map((error) => error.message), refreshDue: false };
  }

  abort(): void {
    this.controller?.abort();
  }

  close(): void {}
}

/** Set in the lint worker's environment: src/package.ts then calls `serveLintWorker()` (the worker loads the bundle). */
const WORKER_ENV = 'GITOPS_LINT_LSP_WORKER';

/**
 * The young generation of the worker, in MB (V8 splits it into two semi-spaces and a space for
 * large new objects): a run on 2,000 files allocates less than one semi-space of this size.
 */
export const YOUNG_GENERATION_MB = 192;

type ToWorker = { type: 'run'; id: number; request: LintRequest } | { type: 'abort' };
type FromWorker = { id: number; response: LintResponse };

/** Lints on a worker thread that loads `file` (the bundle, whose entry then calls `serveLintWorker()`). */
export class LintWorker implements Linter {
  private readonly worker: Worker;
  private readonly pending = new Map<number, (response: LintResponse) => void>();
  private next = 0;
  private failure: string | undefined;

  constructor(file: string) {
    this.worker = new Worker(file, {
      env: { ...process.env, [WORKER_ENV]: '1' },
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      // Standard output is the protocol's: whatever the worker prints goes to standard error.
      stdout: true,
    });
    this.worker.stdout.pipe(process.stderr);
    this.worker.unref();
    this.worker.on('message', ({ id, response }: FromWorker) => {
      const resolve = this.pending.get(id);
      this.pending.delete(id);
      resolve?.(response);
    });
    const fail = (reason: string) => {
      this.failure ??= reason;
      for (const resolve of this.pending.values()) resolve({ kind: 'failed', error: reason, refreshDue: false });
      this.pending.clear();
    };
    this.worker.on('error', (error) => fail(`the lint worker failed: ${errorText(error)}`));
    this.worker.on('exit', (code) => fail(`the lint worker stopped (exit code ${code})`));
  }

  /** Whether the worker stopped: the caller lints on its own thread from then on. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  run(request: LintRequest): Promise<LintResponse> {
    if (this.failure !== undefined) return Promise.resolve({ kind: 'failed', error: this.failure, refreshDue: false });
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ type: 'run', id, request } satisfies ToWorker);
    });
  }

  abort(): void {
    if (this.failure === undefined) this.worker.postMessage({ type: 'abort' } satisfies ToWorker);
  }

  close(): void {
    void this.worker.terminate();
  }
}

/**
 * A minor collection, where V8 lets one be asked for: `gc` is exposed to a new context only
 * (the flag changes nothing else), and `{type: 'minor'}` is a scavenge of the young generation.
 */
function minorCollector(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc !== 'function') return undefined;
    return () => (gc as (options: { type: string }) => void)({ type: 'minor' });
  } catch {
    return undefined;
  }
}

/**
 * V8's flags for the process whose worker lints (the language server's): set once, by the worker
 * before its first run; V8's flags are the process's, so the protocol's thread gets them too.
 *
 * No allocation-site pretenuring. V8 watches how many objects of each allocation site survive a
 * scavenge and, past a threshold, allocates that site's objects in the old generation from then
 * on; each such decision throws away every optimized function that allocates there. In the
 * server what an edit's run keeps (parses, kept model parts) survives the scavenge after the
 * run, so the decisions came a few edits into a session, and with them the optimized code of
 * some 25 functions (model, applied build, Flux graph, memo, per-file records: `--trace-deopt`
 * "code dependencies"), all compiled again on the next edits. Those objects are few per edit
 * (most of the model is the same objects as before), so copying them once costs less.
 */
export const WORKER_V8_FLAGS = '--no-allocation-site-pretenuring';

/**
 * Whether this V8 is the one the worker's flags were measured on (V8 11.3, Node 20's, as in
 * bin/v8-flags.js): V8 prints "unrecognized flag" on stderr for a flag it does not know instead
 * of throwing, so on another V8 the worker keeps V8's defaults.
 */
export function workerFlagsKnown(v8Version = process.versions.v8): boolean {
  return v8Version.split('.', 2).join('.') === '11.3';
}

/** The worker's side: run what the main thread asks, one run at a time, in order. */
export function serveLintWorker(): void {
  const port = parentPort;
  if (isMainThread || !port) return;
  try {
    if (workerFlagsKnown()) setFlagsFromString(WORKER_V8_FLAGS);
  } catch {
    // V8's defaults: slower first edits, the same results.
  }
  const session = new LintSession();
  const collect = minorCollector();
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (message: ToWorker) => {
    if (message.type === 'abort') {
      session.abort();
      return;
    }
    queue = queue.then(async () => {
      const response = await session.run(message.request);
      port.postMessage({ id: message.id, response } satisfies FromWorker);
      // Everything the run made is garbage now: empty the young generation while the editor is idle.
      collect?.();
    });
  });
}
