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

/**
 * How much of the lint path a cache holds, by what the run that wrote it did (its file's name
 * says it): a run that linted no listed file (`--version`, `rules`, an empty folder, `build`)
 * compiles little of it; a run that linted files and reported nothing, all but the code of
 * findings (positions, masking, the formatters' findings: ~58 KB of the 2,000-file bench's
 * cache, ~13 ms of every run with findings that must compile it); a run with findings, all of
 * it. `build` lists and parses files but runs no rule: its cache lacks ~350 KB that a clean run
 * of the examples compiles (~20 ms of each such run), so it is partial, which the next lint
 * run replaces at once, instead of clean, which only a sampled run (one in SAMPLE) would.
 */
const COVERAGE = ['-partial', '-clean', ''];

/** The cache file of this bundle written by a run of this coverage (an index of COVERAGE). */
function cacheFile(dir, coverage) {
  if (dir === undefined) return undefined;
  try {
    const { size, mtimeMs } = statSync(bundle);
    return path.join(dir, `main-${process.version}-${process.arch}-${size}-${Math.floor(mtimeMs)}${COVERAGE[coverage]}.v8`);
  } catch {
    return undefined;
  }
}

/**
 * The cache holds what the run that wrote it compiled (V8 compiles a function on its first
 * call): one written by `--version` lacks most of the lint path (~700 KB of bytecode, ~60 ms
 * CPU on the examples), one written on a repository without Terraform or dbt the ~200 KB the
 * examples use. So a run whose coverage is above the cache's rewrites it, and one run in SAMPLE
 * that the cache covers serializes what it holds now and rewrites the cache when that is GROWTH
 * bytes more than was read (another repository's paths); a run the cache covers adds a few
 * hundred bytes, so the file settles. The size of what V8 serializes is the measure, not V8's
 * count of bytecode (`v8.getHeapCodeStatistics`): that is a heap walk (2-8 ms), and it also
 * counts Node's own modules loaded on demand, ~60 KB on the examples, as much as a whole
 * missing path.
 */
const SAMPLE = 8;
const GROWTH = 16 * 1024;
const dir = cacheDir();
const builtIn = typeof nodeModule.enableCompileCache === 'function';
let cachedData;
/** The coverage (an index of COVERAGE) of the cache read, when one was. */
let cachedCoverage = 0;
// What this run did, for the coverage of the cache it writes.
let listedFiles = false;
let linted = false;
let reportedFindings = false;
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
  for (let coverage = COVERAGE.length - 1; coverage >= 0 && cachedData === undefined; coverage--) {
    cachedData = readCache(cacheFile(dir, coverage));
    cachedCoverage = coverage;
  }
  script = new vm.Script(wrappedSource(), { filename: bundle, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, nodeModule.createRequire(bundle), module, bundle, path.dirname(bundle));
  loaded = module.exports;
}

/** The bytes of a cache file; undefined when there is none or it cannot be read. */
function readCache(file) {
  try {
    return file ? readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The bundle in CommonJS's function wrapper, as one string outside V8's heap. The bundle is
 * pure ASCII (scripts/bundle.mjs makes it so), so latin1 decodes it as UTF-8 would, in a
 * third of the time; and Node keeps a latin1 string of more than about a megabyte as an
 * external string. Wrapped by string concatenation instead, V8 would flatten it into a copy in
 * its own heap (2.8 MB), which every later garbage collection of the old generation counts
 * and the run's one full collection, near its end, then marks.
 */
function wrappedSource() {
  const [head, tail] = nodeModule.wrapper;
  return Buffer.concat([Buffer.from(head, 'latin1'), readFileSync(bundle), Buffer.from(tail, 'latin1')]).latin1Slice();
}

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
  onLinted(findings) {
    linted = true;
    if (findings > 0) reportedFindings = true;
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
  if (!script || dir === undefined) return;
  const coverage = !(listedFiles && linted) ? 0 : reportedFindings ? 2 : 1;
  const fresh = cachedData === undefined || script.cachedDataRejected;
  const covered = !fresh && coverage <= cachedCoverage;
  if (covered && Math.random() * SAMPLE >= 1) return;
  try {
    const data = script.createCachedData();
    if (covered && data.length < cachedData.length + GROWTH) return;
    const target = cacheFile(dir, fresh ? coverage : Math.max(coverage, cachedCoverage));
    if (target === undefined) return;
    writeInPlace(target, data);
    // Caches of earlier bundles or Node versions, and the one this replaces (of less coverage, or rejected), are never read again.
    for (const name of readdirSync(dir)) {
      if (name.startsWith('main-') && name !== path.basename(target)) rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    // No cache this time.
  }
}

/**
 * Write the cache through a temporary file renamed into place, so that a run reading it at the
 * same moment reads a whole cache; throws when it cannot, and removes what it wrote first (a
 * full disk): each run's temporary file has its own name and would stay.
 */
function writeInPlace(target, data) {
  const temporary = `${target}.${process.pid}`;
  try {
    writeFileSync(temporary, data, { mode: 0o600 });
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
