#!/usr/bin/env node
// Loads the bundled CLI through a V8 code cache: compiling the ~1 MB bundle is a third of a
// small run. The cache lives in the user's own cache folder (never a shared temp folder,
// where another user could plant bytecode), is keyed by Node version and bundle, and is
// skipped silently when it cannot be read or written, or with GITOPS_LINT_NO_CACHE=1.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const bundle = fileURLToPath(new URL('../dist/cli/main.cjs', import.meta.url));
const source = readFileSync(bundle, 'utf8');

/**
 * Create `dir` one level at a time, at most a few levels: `mkdirSync(..., {recursive: true})`
 * loops forever where mkdir answers ENOENT for a parent that exists (anything under /proc).
 * Throws when a level cannot be made.
 */
function makeCacheDir(dir) {
  const missing = [];
  let current = dir;
  for (;;) {
    try {
      if (!statSync(current).isDirectory()) throw new Error(`${current} is not a folder`);
      break;
    } catch (error) {
      if (error.code !== 'ENOENT' || missing.length >= 8 || path.dirname(current) === current) throw error;
    }
    missing.unshift(current);
    current = path.dirname(current);
  }
  for (const level of missing) mkdirSync(level, { mode: 0o700 });
}

function cacheFile() {
  if (process.env.GITOPS_LINT_NO_CACHE) return undefined;
  try {
    // XDG: a relative XDG_CACHE_HOME is invalid and is ignored.
    const xdg = process.env.XDG_CACHE_HOME;
    const dir = path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'gitops-lint');
    makeCacheDir(dir);
    const { size, mtimeMs } = statSync(bundle);
    return path.join(dir, `main-${process.version}-${process.arch}-${size}-${Math.floor(mtimeMs)}.v8`);
  } catch {
    return undefined;
  }
}

const cache = cacheFile();
let cachedData;
try {
  cachedData = cache ? readFileSync(cache) : undefined;
} catch {
  cachedData = undefined;
}
const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));

process.exitCode = await module.exports.main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
});

// Written after the run, so the cache also holds the functions the run compiled.
if (cache && (cachedData === undefined || script.cachedDataRejected)) {
  try {
    const partial = `${cache}.${process.pid}`;
    writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
    renameSync(partial, cache);
    // Caches of earlier bundles or Node versions are never read again.
    for (const name of readdirSync(path.dirname(cache))) {
      if (name.startsWith('main-') && name !== path.basename(cache)) rmSync(path.join(path.dirname(cache), name), { force: true });
    }
  } catch {
    // No cache this time.
  }
}
