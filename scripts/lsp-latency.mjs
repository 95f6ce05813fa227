#!/usr/bin/env node
// Measure the language server's latency: time from sending `textDocument/didChange` to
// receiving `textDocument/publishDiagnostics` for that version of the document.
//
// Usage: npm run bundle && node scripts/lsp-latency.mjs [--edits N] [--file FILE] [ROOT...]
// Defaults: the two example repositories, 20 edits of the dagster HelmRelease, which toggle
// its user-code image tag between a pinned SHA and `latest` (so findings change every time).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
  options: { edits: { type: 'string', default: '20' }, file: { type: 'string' } },
});
const roots = (positionals.length > 0 ? positionals : ['examples/lotus-lake', 'examples/h-kube']).map((root) => path.resolve(root));
const file = path.resolve(values.file ?? path.join(roots[0], 'deploy/dagster/release.yaml'));
const edits = Number(values.edits);
const text = readFileSync(file, 'utf8');

// The edit: the value of the first `tag:` line, toggled between what it is and `latest`.
const lines = text.split('\n');
const tagLine = lines.findIndex((line) => /^\s*tag:\s*\S/.test(line));
if (tagLine === -1) {
  console.error(`${file} has no "tag:" line to edit; pass --file with one.`);
  process.exit(2);
}
const valueStart = lines[tagLine].indexOf(':') + 2;
const original = lines[tagLine].slice(valueStart);
const replacements = ['latest', original];

const child = spawn(process.execPath, [path.join(repo, 'bin/gitops-lint.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
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
