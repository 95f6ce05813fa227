/**
 * The canary property over the real adapters: a sample of generated cases (same generator,
 * same seed as `canary.test.ts`) in one repository on disk, run through the built CLI (every
 * formatter at once, stdout and stderr) and `gitops-lint build`, and through the language
 * server over stdio (diagnostics, window/logMessage, window/showMessage, stderr). No output
 * contains a canary, and no process prints a warning.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { formatterNames } from '../../src/formatters/index.js';
import { tempRepo } from '../cli/temp-repo.js';
import { fuzzSettings, repoArbitrary, repoFiles, type Case } from './placements.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(REPO, 'bin/gitops-lint.js');
const { seed, numRuns } = fuzzSettings(12);

/** The sampled repositories side by side, each in its own folder; all forbidden strings. */
function sampleRepository(): { files: Record<string, string>; forbidden: string[]; cases: Case[][] } {
  const cases = fc.sample(repoArbitrary, { seed, numRuns });
  const files: Record<string, string> = {};
  const forbidden: string[] = [];
  cases.forEach((repo, index) => {
    const planted = repoFiles(repo, `case${index}`);
    Object.assign(files, planted.files);
    forbidden.push(...planted.forbidden);
  });
  return { files, forbidden, cases };
}

const { files, forbidden, cases } = sampleRepository();
let dir: string;

beforeAll(() => {
  dir = tempRepo(files, { git: true });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function expectNoCanary(name: string, output: string): void {
  for (const canary of forbidden) {
    if (output.includes(canary)) {
      const at = output.indexOf(canary);
      throw new Error(`${name} prints a canary (seed ${seed}): ${output.slice(Math.max(0, at - 300), at + canary.length + 100)}`);
    }
  }
}

describe(`canary property over the CLI and the language server (seed ${seed}, ${numRuns} repositories)`, () => {
  it('plants every canary in a file of its own', () => {
    expect(Object.keys(files).length).toBe(cases.flat().length);
  });

  it('the CLI prints no canary in any format, on stdout, in output files or on stderr', () => {
    const targets = formatterNames.map((name) => ({ name, file: path.join(dir, `.out.${name}`) }));
    const run = spawnSync(process.execPath, [BIN, '.', '--format', 'stylish', ...targets.flatMap(({ name, file }) => ['--format', `${name}=${file}`])], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '1', GITOPS_LINT_NO_CACHE: '1' },
    });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toBe('');
    expectNoCanary('stdout', run.stdout);
    for (const { name, file } of targets) {
      const output = readFileSync(file, 'utf8');
      expect(output.length, name).toBeGreaterThan(0);
      expectNoCanary(name, output);
    }
  });

  it('the CLI prints no canary and the same JSON when it prints no code frame (JSON alone: messages masked without frames)', () => {
    const run = spawnSync(process.execPath, [BIN, '.', '--format', 'json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GITOPS_LINT_NO_CACHE: '1' } });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toBe('');
    expectNoCanary('json alone', run.stdout);
    // The findings of the run above (which printed frames too); its output files are files of the root now.
    const findings = (output: string): unknown => (JSON.parse(output) as { findings: unknown }).findings;
    expect(findings(run.stdout)).toEqual(findings(readFileSync(path.join(dir, '.out.json'), 'utf8')));
  });

  it('gitops-lint build prints no canary and no warning', () => {
    const run = spawnSync(process.execPath, [BIN, 'build', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GITOPS_LINT_NO_CACHE: '1' } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/warning/i);
    expect(run.stdout).toContain('kind:');
    expectNoCanary('build', run.stdout);
    expectNoCanary('build stderr', run.stderr);
  });

  it('the language server publishes and logs no canary', async () => {
    const child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, GITOPS_LINT_NO_CACHE: '1' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const logs: string[] = [];
    const published = new Map<string, PublishDiagnosticsParams>();
    const waiting = new Map<string, () => void>();
    connection.onNotification(LogMessageNotification.type, (params) => {
      logs.push(params.message);
    });
    connection.onNotification(ShowMessageNotification.type, (params) => {
      logs.push(params.message);
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      published.set(params.uri, params);
      waiting.get(params.uri)?.();
    });
    connection.listen();
    const uri = (file: string) => pathToFileURL(path.join(dir, file)).href;
    try {
      await connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: pathToFileURL(dir).href,
        workspaceFolders: [{ uri: pathToFileURL(dir).href, name: path.basename(dir) }],
        capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } }, workspace: { workspaceFolders: true } },
      });
      await connection.sendNotification(InitializedNotification.type, {});
      for (const [file, text] of Object.entries(files)) {
        const arrived = published.has(uri(file)) ? Promise.resolve() : new Promise<void>((resolve) => waiting.set(uri(file), resolve));
        await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(file), languageId: file.endsWith('.json') ? 'json' : 'yaml', version: 1, text } });
        await Promise.race([arrived, new Promise((_, reject) => setTimeout(() => reject(new Error(`No diagnostics for ${file} within 10 s.`)), 10_000))]);
      }
      const diagnostics = [...published.values()];
      expect(diagnostics.some((params) => params.diagnostics.length > 0)).toBe(true);
      expectNoCanary('LSP diagnostics', JSON.stringify(diagnostics));
      expectNoCanary('LSP log', logs.join('\n'));
    } finally {
      await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
      await connection.sendNotification(ExitNotification.type).catch(() => undefined);
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
      connection.dispose();
    }
    expectNoCanary('LSP stderr', stderr);
    expect(stderr).not.toMatch(/warning/i);
  }, Math.max(30_000, numRuns * 2_000));
});
