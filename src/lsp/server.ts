/**
 * `gitops-lint lsp --stdio`: a language server that publishes the linter's findings as
 * diagnostics. Every run lints the whole workspace (all roots together, so references across
 * files and repositories resolve) with the text of open documents in place of the files on
 * disk. An edit reads nothing from disk and parses only the edited document: discovery, file
 * contents and parses are kept until the editor reports a file changed on disk (see
 * `LoadCache`). A run that a newer edit makes stale is abandoned between two rules. Runs are
 * made on a worker thread (see `lint-session.ts`: its young generation holds a whole run);
 * this thread speaks the protocol.
 */
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createConnection,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { toolVersion } from '../version.js';
import { CONFIG_FILE_NAME } from '../config/load.js';
import { isInside } from '../workspace/discover.js';
import { gitTopLevel } from '../workspace/git.js';
import { LintSession, LintWorker, type Invalidation, type Linter, type LintResponse } from './lint-session.js';
import { stdioTransport } from './transport.js';
import { configErrorDiagnostic } from './diagnostics.js';

/**
 * Wait this long after a change before linting: changes the editor sends together (one read
 * from stdin) make one run. Changes that arrive while a run is going are folded into one run
 * after it (and make it stop early), so typing never queues runs; waiting longer only adds to
 * every edit's latency.
 */
export const DEBOUNCE_MS = 1;

/**
 * A run that a newer edit makes stale is abandoned, unless nothing was published for this
 * long: typing faster than a run takes still shows diagnostics, a little behind.
 */
export const MAX_STALE_MS = 300;

/**
 * A run for an edit uses what it read from disk however old it is. Once edits stop for this
 * long, a run reads again what is older than the cache's age limit (files nobody reported
 * changed, a `git add`): that cost is not paid on an edit's way to its diagnostics. An idle
 * server does nothing: only a run leaves something to refresh.
 */
export const REFRESH_AFTER_IDLE_MS = 250;

/** `initializationOptions` the server understands. */
export interface ServerOptions {
  /** Extra repository roots (absolute, or relative to the first workspace folder). */
  roots?: string[];
  /** A config file for every root instead of each root's `.gitops-lint.yaml`. */
  configFile?: string;
}

/** Files whose change on disk can change findings: what the server asks the client to watch. */
const WATCHED_GLOBS = ['**/*.{yaml,yml,json}', '**/Kustomization', '**/.gitignore', '**/*.tfstate*', '**/.terraform/**'];

function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Start the server on the transport given on the command line (`--stdio`). Never returns control. */
export function startLanguageServer(): void {
  // The stdio transport answers a frame with a wrong Content-Length with an error (transport.ts).
  const { reader, writer } = stdioTransport();
  const connection = createConnection(ProposedFeatures.all, reader, writer);
  new LanguageServer(connection).listen();
}

interface Published {
  uri: string;
  /** JSON of the diagnostics last sent, to skip sending the same again. */
  json: string;
  version: number | undefined;
}

/**
 * Where runs are made: a worker thread when this is the bundle (the worker loads it), else
 * (the sources run directly) this thread.
 */
function makeLinter(): Linter {
  const file = fileURLToPath(import.meta.url);
  if (!file.endsWith('.cjs')) return new LintSession();
  try {
    return new LintWorker(file);
  } catch {
    return new LintSession();
  }
}

class LanguageServer {
  private readonly documents = new TextDocuments(TextDocument);
  /** Runs lints and keeps what they read, parsed and found between edits. */
  private linter: Linter = makeLinter();
  /** What may have changed on disk since the last run started: applied before the next one. */
  private invalidations: Invalidation[] = [];
  /** What the last run said: something kept is old enough for a refreshing run. */
  private refreshDue = false;
  /** Workspace folders and `initializationOptions.roots`, absolute. */
  private folders: string[] = [];
  private extraRoots: string[] = [];
  private configFile: string | undefined;
  private clientWatchesFiles = false;
  private supportsFolderEvents = false;
  private watchers: FSWatcher[] = [];
  private published = new Map<string, Published>();
  private timer: NodeJS.Timeout | undefined;
  /** Starts a refreshing run when edits stop (see `REFRESH_AFTER_IDLE_MS`). */
  private refreshTimer: NodeJS.Timeout | undefined;
  /** The next run reads again what is too old. */
  private refreshNext = false;
  /** The last run was a refreshing one: the next refresh waits for an edit (never one refresh after another). */
  private refreshedLast = false;
  private running = false;
  private rerun = false;
  /** Aborts the current run when a newer edit makes it stale. */
  private lastPublishAt = performance.now();
  private shuttingDown = false;
  /** Messages already shown, so a broken root does not pop up on every keystroke. */
  private shown = new Set<string>();

  constructor(private readonly connection: Connection) {}

  listen(): void {
    const { connection, documents } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => this.initialized());
    connection.onShutdown(() => this.shutdown());
    connection.onDidChangeWatchedFiles((params) => {
      const files = params.changes.flatMap((change) => uriToPath(change.uri) ?? []);
      // Contents of changed files are read again; created, deleted or newly ignored files change discovery.
      const discovery = params.changes.some((change) => change.type !== FileChangeType.Changed || /(^|[/\\])\.gitignore$/.test(change.uri));
      this.schedule({ files, discovery });
    });
    documents.onDidChangeContent(() => this.schedule({ files: [], discovery: false }));
    // A saved file may be new on disk; a closed one reverts to its file, which may have changed meanwhile.
    documents.onDidSave((event) => this.schedule({ files: [uriToPath(event.document.uri) ?? []].flat(), discovery: true }));
    documents.onDidClose((event) => this.schedule({ files: [uriToPath(event.document.uri) ?? []].flat(), discovery: false }));
    documents.listen(connection);
    connection.listen();
  }

  private async initialize(params: InitializeParams): Promise<InitializeResult> {
    const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.folders = folders.flatMap((uri) => uriToPath(uri) ?? []);
    if (this.folders.length === 0 && params.rootPath) this.folders = [path.resolve(params.rootPath)];
    const options = (params.initializationOptions ?? {}) as ServerOptions;
    const base = this.folders[0] ?? process.cwd();
    this.extraRoots = (options.roots ?? []).map((root) => path.resolve(base, root));
    if (options.configFile) this.configFile = path.resolve(base, options.configFile);
    this.clientWatchesFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    this.supportsFolderEvents = params.capabilities.workspace?.workspaceFolders === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'gitops-lint', version: await toolVersion() },
    };
  }

  private initialized(): void {
    this.schedule();
    if (this.clientWatchesFiles) {
      this.connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) })
        .catch((error: unknown) => this.connection.console.error(`gitops-lint: cannot register file watchers: ${errorText(error)}`));
    }
    if (this.supportsFolderEvents) {
      this.connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(event.removed.flatMap((folder) => uriToPath(folder.uri) ?? []));
        this.folders = [...this.folders.filter((folder) => !removed.has(folder)), ...event.added.flatMap((folder) => uriToPath(folder.uri) ?? [])];
        this.watchConfigFiles();
        this.schedule();
      });
    }
    this.watchConfigFiles();
  }

  private shutdown(): void {
    this.shuttingDown = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
    this.linter.close();
  }

  /**
   * A config change must reach the server even when the editor does not report file changes:
   * without client-side watching, watch each root folder (not recursively) for the config file.
   */
  private watchConfigFiles(): void {
    if (this.clientWatchesFiles) return;
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
    for (const dir of this.roots()) {
      try {
        const watcher = watch(dir, { persistent: false }, (_event, name) => {
          if (name === null || name.toString() === CONFIG_FILE_NAME) this.schedule();
        });
        watcher.on('error', () => watcher.close());
        this.watchers.push(watcher);
      } catch {
        // A folder that cannot be watched still gets linted on open, change and save.
      }
    }
  }

  /** The roots to lint: workspace folders and extra roots, without ones nested in another. */
  private roots(): string[] {
    const all = [...new Set([...this.folders, ...this.extraRoots])];
    return all.filter((root) => !all.some((other) => other !== root && isInside(other, root)));
  }

  /**
   * Lint soon. What may have changed on disk is forgotten first: `files` (their contents;
   * all files when not given) and, with `discovery`, which files exist.
   */
  private schedule(changed: { files?: string[]; discovery?: boolean } = {}): void {
    if (this.shuttingDown) return;
    this.invalidations.push(changed);
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    if (this.running) {
      this.rerun = true;
      if (performance.now() - this.lastPublishAt < MAX_STALE_MS) this.linter.abort();
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, DEBOUNCE_MS);
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      do {
        this.rerun = false;
        await this.lintOnce();
      } while (this.rerun && !this.shuttingDown);
    } catch (error) {
      this.connection.console.error(`gitops-lint: internal error: ${errorText(error)}`);
    } finally {
      this.running = false;
    }
    if (!this.shuttingDown && !this.timer && !this.refreshedLast && this.refreshDue) {
      this.refreshTimer = setTimeout(() => {
        this.refreshTimer = undefined;
        this.refreshNext = true;
        this.schedule({ files: [], discovery: false });
      }, REFRESH_AFTER_IDLE_MS);
    }
  }

  private async lintOnce(): Promise<void> {
    const open = new Map<string, TextDocument>();
    for (const document of this.documents.all()) {
      const file = uriToPath(document.uri);
      if (file) open.set(file, document);
    }
    const roots = await this.existingRoots(open);
    if (roots.length === 0) return;
    const overrides = [...open].map(([file, document]): [string, string] => [file, document.getText()]);
    const versions = new Map([...open].map(([file, document]) => [file, document.version]));

    const invalidations = this.invalidations;
    this.invalidations = [];
    const refresh = this.refreshNext;
    this.refreshedLast = refresh;
    this.refreshNext = false;
    let response: LintResponse = await this.linter.run({ roots, overrides, refresh, invalidations, ...(this.configFile ? { configFile: this.configFile } : {}) });
    if (response.kind === 'failed' && this.linter instanceof LintWorker && this.linter.failed) {
      // The worker is gone (it cannot be started, or it ran out of memory): lint here from now on, from scratch.
      this.connection.console.error(`gitops-lint: ${response.error}; linting on the main thread from now on.`);
      this.linter = new LintSession();
      response = await this.linter.run({ roots, overrides, refresh, invalidations: [], ...(this.configFile ? { configFile: this.configFile } : {}) });
    }
    this.refreshDue = response.refreshDue;
    switch (response.kind) {
      case 'aborted':
        return;
      case 'failed': {
        const error = new Error(response.error);
        error.stack = response.error;
        throw error;
      }
      case 'config':
        return this.publishConfigError(response, open, versions);
      case 'done':
        for (const message of response.errors) this.showOnce(message);
        this.publishAll(new Map(response.diagnostics), open, versions);
        this.lastPublishAt = performance.now();
    }
  }

  /** Roots that exist; with no workspace folder, the repository of the first open document. */
  private async existingRoots(open: ReadonlyMap<string, TextDocument>): Promise<string[]> {
    let roots = this.roots();
    if (roots.length === 0) {
      const first = open.keys().next().value;
      if (first === undefined) return [];
      const dir = path.dirname(first);
      this.folders = [(await gitTopLevel(dir)) ?? dir];
      this.watchConfigFiles();
      roots = this.roots();
    }
    const present = await Promise.all(roots.map((root) => stat(root).then((info) => info.isDirectory(), () => false)));
    return roots.filter((_, index) => present[index]);
  }

  /** Send changed diagnostics, clear files that have none left, and answer every edited document. */
  private publishAll(next: ReadonlyMap<string, Diagnostic[]>, open: ReadonlyMap<string, TextDocument>, versions: ReadonlyMap<string, number>): void {
    for (const [file, diagnostics] of next) this.publish(file, diagnostics, open, versions);
    for (const file of [...this.published.keys()]) if (!next.has(file)) this.publish(file, [], open, versions);
    for (const file of open.keys()) if (!next.has(file) && !this.published.has(file)) this.publish(file, [], open, versions);
  }

  private publish(file: string, diagnostics: Diagnostic[], open: ReadonlyMap<string, TextDocument>, versions: ReadonlyMap<string, number>): void {
    const uri = open.get(file)?.uri ?? pathToFileURL(file).href;
    const version = versions.get(file);
    const json = JSON.stringify(diagnostics);
    const last = this.published.get(file);
    if (last && last.uri === uri && last.json === json && last.version === version) return;
    if (last && last.uri !== uri) void this.connection.sendDiagnostics({ uri: last.uri, diagnostics: [] });
    void this.connection.sendDiagnostics(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics });
    if (diagnostics.length === 0 && version === undefined) this.published.delete(file);
    else this.published.set(file, { uri, json, version });
  }

  /**
   * A bad config stops the run: show the error on the config file (when it is one) and leave
   * the other diagnostics as they were until the config is fixed.
   */
  private publishConfigError(error: { message: string; file: string; line?: number; column?: number }, open: ReadonlyMap<string, TextDocument>, versions: ReadonlyMap<string, number>): void {
    if (/\.ya?ml$/i.test(error.file)) {
      this.publish(path.resolve(error.file), [configErrorDiagnostic(error.message, error.line, error.column)], open, versions);
    } else {
      this.showOnce(`${error.file}: ${error.message}`);
    }
  }

  private showOnce(message: string): void {
    if (this.shown.has(message)) return;
    this.shown.add(message);
    void this.connection.window.showErrorMessage(`gitops-lint: ${message}`);
  }
}
