#!/usr/bin/env node
// Loads the bundled CLI through a compile cache: compiling the ~2.7 MB bundle is a third of a
// small run. Where Node has a built-in compile cache (module.enableCompileCache, Node >= 22.1)
// that is used; otherwise the bundle is compiled through vm.Script with a V8 code cache. The
// cache lives in the user's own cache folder (never a shared temp folder, where another user
// could plant bytecode), is keyed by Node version and bundle, and is skipped silently when it
// cannot be read or written, or with GITOPS_LINT_NO_CACHE=1.
//
// CommonJS (bin/package.json says so): Node starts a CommonJS entry ~5 ms sooner than an ES
// module, whose loader it would set up first.
'use strict';
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const nodeModule = require('node:module');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

const bundle = path.join(__dirname, '..', 'dist', 'cli', 'main.cjs');

// V8's flags for this run (v8-flags.js): set after the bundle is compiled, or once discovery says the run is large.
const tuning = require('./v8-flags.js').v8Tuning(process.argv.slice(2));

// git lists the work tree while the bundle loads (bin/early-git.js): the run takes the output
// only of a command it would run itself. Only a head start: should it fail, the run starts git itself.
let startedGit = new Map();
try {
  startedGit = require('./early-git.js').startGit(process.argv.slice(2), process.cwd(), process.env);
} catch {
  // The run lists as it would without it.
}

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

function cacheDir() {
  if (process.env.GITOPS_LINT_NO_CACHE) return undefined;
  try {
    // XDG: a relative XDG_CACHE_HOME is invalid and is ignored.
    const xdg = process.env.XDG_CACHE_HOME;
    const dir = path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'gitops-lint');
    makeCacheDir(dir);
    return dir;
  } catch {
    return undefined;
  }
}

/** The cache file of this bundle; `partial` names one written by a run that listed no file to lint. */
function cacheFile(dir, partial = false) {
  if (dir === undefined) return undefined;
  try {
    const { size, mtimeMs } = statSync(bundle);
    return path.join(dir, `main-${process.version}-${process.arch}-${size}-${Math.floor(mtimeMs)}${partial ? '-partial' : ''}.v8`);
  } catch {
    return undefined;
  }
}

/**
 * The cache holds what the run that wrote it compiled (V8 compiles a function on its first
 * call). One written by `--version` (~0.3 of the bundle's size) or by a run on an empty folder
 * (~0.37) lacks most of the lint path, which every later run then compiles again: ~700 KB of
 * bytecode, ~60 ms CPU, on the examples; one written on a repository without Terraform or dbt
 * lacks ~200 KB that the examples use. So the bytecode V8 holds is measured after loading and
 * at the end of the run, and a run that compiled more than REFRESH bytes beyond the cache
 * rewrites it, with what it held and what the run added; a run the cache covers grows by a few
 * KB (Node's own modules loaded on demand), so the file settles. The measure is a heap walk
 * (1-8 ms; two of them were ~6 ms of every 2,000-file run), so it is taken on every run only
 * while the cache is partial, and on one run in SAMPLE after that. A cache is partial when the
 * run that wrote it listed no file (`--version`, `rules`, an empty folder): it is named so
 * (`-partial`), and the first run that lists files and compiles more rewrites it under the
 * plain name. (`build` lists files; its cache lacks only the rules, which the sampled measure
 * finds. The size of a cache is no guide: a lint run's is 0.45 of the bundle's, an empty
 * folder's 0.31, and both move as the bundle grows.)
 */
const SAMPLE = 8;
const REFRESH = 64 * 1024;
// node:v8 loads ~30 of Node's modules (heap utils, streams): ~1.5 ms, paid by every run that measures or sets V8 flags (every lint run on Node 20: v8-flags.js).
const bytecode = () => require('node:v8').getHeapCodeStatistics().bytecode_and_metadata_size;
const dir = cacheDir();
const builtIn = typeof nodeModule.enableCompileCache === 'function';
let cache;
let partialCache;
let cachedData;
let cachedPartial = false;
// Whether this run listed files to lint: the cache it writes then holds the lint path.
let listedFiles = false;
let script;
let loaded;
if (builtIn) {
  // Node keys its cache by the file's content and its own version, and keeps it up to date.
  try {
    if (dir !== undefined) nodeModule.enableCompileCache(path.join(dir, 'node'));
  } catch {
    // No cache this time.
  }
  loaded = require(bundle);
} else {
  cache = cacheFile(dir);
  partialCache = cacheFile(dir, true);
  cachedData = readCache(cache);
  if (cachedData === undefined) {
    cachedData = readCache(partialCache);
    cachedPartial = cachedData !== undefined;
  }
  script = new vm.Script(wrappedSource(), { filename: bundle, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, nodeModule.createRequire(bundle), module, bundle, path.dirname(bundle));
  loaded = module.exports;
}
/**
 * The bundle in CommonJS's function wrapper, as one string outside V8's heap. The bundle is
 * pure ASCII (scripts/bundle.mjs makes it so), so latin1 decodes it as UTF-8 would, in a
 * third of the time; and Node keeps a latin1 string of more than about a megabyte as an
 * external string. Wrapped by string concatenation instead, V8 would flatten it into a copy in
 * its own heap (2.8 MB), which every later garbage collection of the old generation counts
 * and the run's one full collection, near its end, then marks.
 */
function readCache(file) {
  try {
    return file ? readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}
function wrappedSource() {
  const [head, tail] = nodeModule.wrapper;
  return Buffer.concat([Buffer.from(head, 'latin1'), readFileSync(bundle), Buffer.from(tail, 'latin1')]).latin1Slice();
}
const measured = cachedData !== undefined && (cachedPartial || Math.random() * SAMPLE < 1);
const loadedBytecode = measured ? bytecode() : 0;

const io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
  onFilesListed(paths) {
    if (paths.length > 0) listedFiles = true;
    tuning.onFilesListed(paths);
  },
  stdin: async () => {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  },
};
if (startedGit.size > 0) loaded.adoptStartedGit?.(startedGit);
tuning.loaded();
loaded.main(process.argv.slice(2), io).then((code) => {
  process.exitCode = code;
  writeCache();
});

// Written after the run, so the cache also holds the functions the run compiled.
function writeCache() {
  tuning.restore();
  if (!(script && cache && (cachedData === undefined || script.cachedDataRejected || (measured && bytecode() - loadedBytecode > REFRESH)))) return;
  const target = listedFiles ? cache : partialCache;
  try {
    const temporary = `${target}.${process.pid}`;
    writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
    renameSync(temporary, target);
    // Caches of earlier bundles or Node versions, and a partial one this replaces, are never read again.
    for (const name of readdirSync(path.dirname(target))) {
      if (name.startsWith('main-') && name !== path.basename(target)) rmSync(path.join(path.dirname(target), name), { force: true });
    }
  } catch {
    // No cache this time.
  }
}
