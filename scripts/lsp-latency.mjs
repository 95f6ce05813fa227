#!/usr/bin/env node
// Measure the language server's latency: time from sending `textDocument/didChange` to
// receiving `textDocument/publishDiagnostics` for that version of the document.
//
// Usage: npm run bundle && node scripts/lsp-latency.mjs [--edits N] [--file FILE] [--bin BIN] [ROOT...]
// Defaults: the two example repositories, then the 2,000-file synthetic workspace of
// `npm run bench` (generated in a temporary folder), as a plain folder and then as a git work
// tree (a cloned repository, where git lists the files); 20 edits of a HelmRelease, which toggle its
// image tag between what it is and `latest` (so findings change every time). `--bin` times
// another build (for example the main branch's bin/gitops-lint.js) the same way.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { edits: { type: 'string', default: '20' }, file: { type: 'string' }, bin: { type: 'string' } },
});
const bin = path.resolve(values.bin ?? path.join(repo, 'bin/gitops-lint.js'));
const edits = Number(values.edits);

async function measure(roots, file) {
  const text = readFileSync(file, 'utf8');

  // The edit: the value of the first `tag:` line, toggled between what it is and `latest`.
  const lines = text.split('\n');
  const tagLine = lines.findIndex((line) => /^\s*tag:\s*\S/.test(line));
  if (tagLine === -1) throw new Error(`${file} has no "tag:" line to edit; pass --file with one.`);
  const valueStart = lines[tagLine].indexOf(':') + 2;
  const original = lines[tagLine].slice(valueStart);
  const replacements = ['latest', original];

  const child = spawn(process.execPath, [bin, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = pathToFileURL(file).href;
  const waiting = new Map();
  let firstPublish;
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    const now = performance.now();
    firstPublish ??= now;
    if (params.uri !== uri) return;
    const resolve = waiting.get(params.version);
    if (resolve) {
      waiting.delete(params.version);
      resolve({ at: now, count: params.diagnostics.length });
    }
  });
  connection.listen();

  const started = performance.now();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(roots[0]).href,
    workspaceFolders: roots.map((root) => ({ uri: pathToFileURL(root).href, name: path.basename(root) })),
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
  });
  const initialized = performance.now();
  await connection.sendNotification(InitializedNotification.type, {});

  const published = (version) => new Promise((resolve) => waiting.set(version, resolve));
  let pending = published(1);
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const opened = await pending;

  const samples = [];
  const counts = [];
  const cpuBefore = serverCpu(child.pid);
  let current = original;
  for (let version = 2; version < edits + 2; version++) {
    const next = replacements[version % 2];
    const range = { start: { line: tagLine, character: valueStart }, end: { line: tagLine, character: valueStart + current.length } };
    pending = published(version);
    const sent = performance.now();
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range, text: next }] });
    const { at, count } = await pending;
    samples.push(at - sent);
    counts.push(count);
    current = next;
    // Typing pauses: leave the server idle between edits, as a person does.
    await new Promise((resolve) => setTimeout(resolve, 50));
}
const cpuAfter = serverCpu(child.pid);

await connection.sendRequest(ShutdownRequest.type);
await connection.sendNotification(ExitNotification.type);
connection.dispose();

const sorted = [...samples].sort((a, b) => a - b);
const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (value) => `${value.toFixed(1)} ms`;
console.log(`roots: ${roots.map((root) => path.relative(process.cwd(), root) || '.').join(', ')}`);
console.log(`edited: ${path.relative(process.cwd(), file)} (line ${tagLine + 1}, ${edits} edits; diagnostics per version: ${[...new Set(counts)].join('/')})`);
console.log(`initialize: ${ms(initialized - started)}; first diagnostics after initialize: ${ms((firstPublish ?? NaN) - started)}; didOpen → diagnostics: ${ms(opened.at - initialized)}`);
console.log(`didChange → publishDiagnostics: median ${ms(at(0.5))}, p90 ${ms(at(0.9))}, min ${ms(sorted[0])}, max ${ms(sorted[sorted.length - 1])}`);
// Wall time depends on what else the machine runs; the server's CPU time does much less.
if (cpuBefore !== undefined && cpuAfter !== undefined) console.log(`server CPU (user+sys, all threads) per edit: ${ms((cpuAfter - cpuBefore) / edits)}`);
}

/** The server process's CPU time so far in ms (Linux: /proc/PID/stat utime + stime), or undefined elsewhere. */
function serverCpu(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return (ticks * 1000) / hz;
  } catch {
    return undefined;
  }
}

console.log(`server: ${path.relative(process.cwd(), bin) || bin}`);
if (positionals.length > 0) {
  const roots = positionals.map((root) => path.resolve(root));
  await measure(roots, path.resolve(values.file ?? path.join(roots[0], 'deploy/dagster/release.yaml')));
} else {
  await measure(['examples/lotus-lake', 'examples/h-kube'].map((root) => path.resolve(repo, root)), path.resolve(values.file ?? path.join(repo, 'examples/lotus-lake/deploy/dagster/release.yaml')));
  const base = mkdtempSync(path.join(tmpdir(), 'gitops-lint-lsp-latency-'));
  try {
    const dir = path.join(base, 'ws-2000');
    execFileSync(process.execPath, [path.join(repo, 'scripts/bench.mjs'), '--generate', dir, '2000']);
    console.log('');
    // A HelmRelease of the first app folder: its build, the Flux Kustomization applying it and the HelmRepository it names depend on it.
    console.log('2,000 files in a plain folder (no git):');
    await measure([dir], path.join(dir, 'apps/app-0/res-1.yaml'));
    // The same files as a git work tree, as a cloned Flux repository is (files listed by git).
    const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    // Branch main, which the workspace's GitRepository fetches (on another branch its builds are skipped).
    git('symbolic-ref', 'HEAD', 'refs/heads/main');
    git('add', '.');
    git('-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', '-c', 'commit.gpgsign=false', 'commit', '-q', '--no-verify', '-m', 'bench');
    console.log('');
    console.log('2,000 files in a git work tree:');
    await measure([dir], path.join(dir, 'apps/app-0/res-1.yaml'));
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
