/**
 * A minimal LSP client for tests: starts `node bin/gitops-lint.js lsp --stdio` as a child
 * process and speaks JSON-RPC to it over stdio with `vscode-languageserver-protocol`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidChangeWorkspaceFoldersNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type FileEvent,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Registration,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(REPO, 'bin/gitops-lint.js');

export const uriOf = (file: string): string => pathToFileURL(file).href;

export interface ReceivedDiagnostics extends PublishDiagnosticsParams {
  /** `performance.now()` when the notification arrived. */
  at: number;
}

export interface StartOptions {
  /** Workspace folders (absolute paths). */
  folders: string[];
  initializationOptions?: unknown;
  /** Declare `workspace.didChangeWatchedFiles.dynamicRegistration`. */
  watchFiles?: boolean;
  /** The server command and arguments as an editor starts it (default: this checkout's bin, `lsp --stdio`). */
  command?: { command: string; args: string[]; env?: NodeJS.ProcessEnv };
}

export class LspClient {
  readonly received: ReceivedDiagnostics[] = [];
  readonly registrations: Registration[] = [];
  readonly messages: string[] = [];
  private waiters: Array<{ match: (params: ReceivedDiagnostics) => boolean; resolve: (params: ReceivedDiagnostics) => void }> = [];
  private versions = new Map<string, number>();

  /** The server's answer to `initialize`. */
  initializeResult: InitializeResult | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly connection: ProtocolConnection,
  ) {
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => this.receive({ ...params, at: performance.now() }));
    connection.onNotification(ShowMessageNotification.type, (params) => {
      this.messages.push(params.message);
    });
    connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
    });
  }

  static async start(options: StartOptions): Promise<LspClient> {
    // The bin runs the build in dist/: `npm run build` first (`npm test` does).
    const { command, args, env } = options.command ?? { command: process.execPath, args: [BIN, 'lsp', '--stdio'] };
    const child = spawn(command, args, { cwd: options.folders[0] ?? REPO, stdio: ['pipe', 'pipe', 'inherit'], ...(env && { env }) });
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`gitops-lint lsp exited with code ${String(code)} before answering initialize (is dist/ built?).`))),
    );
    if (!child.stdout || !child.stdin) throw new Error('The server process has no stdio.');
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspClient(child, connection);
    connection.listen();
    const folders = options.folders.map((folder) => ({ uri: uriOf(folder), name: path.basename(folder) }));
    const capabilities: ClientCapabilities = {
      textDocument: { synchronization: { didSave: true }, publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true } },
      workspace: { workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: options.watchFiles ?? false } },
    };
    client.initializeResult = await Promise.race([
      connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: folders[0]?.uri ?? null,
        workspaceFolders: folders,
        capabilities,
        initializationOptions: options.initializationOptions,
      }),
      exited,
    ]);
    exited.catch(() => undefined);
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private receive(params: ReceivedDiagnostics): void {
    this.received.push(params);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.match(params)) return true;
      waiter.resolve(params);
      return false;
    });
  }

  /**
   * The first diagnostics for `file` published after `since` (an index into `received`) that
   * satisfy `match`; rejects after `timeoutMs`.
   */
  diagnostics(file: string, options: { since?: number; match?: (params: ReceivedDiagnostics) => boolean; timeoutMs?: number } = {}): Promise<ReceivedDiagnostics> {
    const uri = uriOf(file);
    const match = (params: ReceivedDiagnostics) => params.uri === uri && (options.match?.(params) ?? true);
    const already = this.received.slice(options.since ?? 0).find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No matching diagnostics for ${uri} within ${options.timeoutMs ?? 5000} ms.`)), options.timeoutMs ?? 5000);
      this.waiters.push({
        match,
        resolve: (params) => {
          clearTimeout(timer);
          resolve(params);
        },
      });
    });
  }

  /** Index to pass as `since` to wait for notifications sent after this point. */
  mark(): number {
    return this.received.length;
  }

  async open(file: string, text: string): Promise<void> {
    this.versions.set(file, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uriOf(file), languageId: 'yaml', version: 1, text } });
  }

  /** Send a change (whole text, or ranged edits); returns the new version. */
  async change(file: string, changes: string | TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(file) ?? 0) + 1;
    this.versions.set(file, version);
    const contentChanges = typeof changes === 'string' ? [{ text: changes }] : changes;
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uriOf(file), version }, contentChanges });
    return version;
  }

  async save(file: string): Promise<void> {
    await this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: uriOf(file) } });
  }

  async close(file: string): Promise<void> {
    this.versions.delete(file);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: uriOf(file) } });
  }

  async filesChanged(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  async addFolder(folder: string): Promise<void> {
    await this.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: [{ uri: uriOf(folder), name: path.basename(folder) }], removed: [] },
    });
  }

  /** `shutdown` then `exit`; resolves with the server's exit code. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}
