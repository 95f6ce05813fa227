// Rebuild the committed Rego bundles with `opa build -t wasm` when `opa` is on the PATH, and
// record the hash of their sources next to them (test/policies/bundles.test.ts fails when a
// bundle is older than its sources). Without opa: check the recorded hashes and say which
// bundles are stale. opa is never downloaded; see README "Team policies in Rego".
//
//   node scripts/build-policies.mjs          rebuild (opa on PATH) or check
//   node scripts/build-policies.mjs --check  only check
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..');

/** Each bundle: its folder, the sources given to opa (relative to it) and the entrypoints. */
export const BUNDLES = [
  { dir: 'examples/policies', sources: ['policy'], entrypoints: ['main'] },
  {
    dir: 'test/fixtures/policies/suite',
    sources: ['policy'],
    entrypoints: ['main', 'combined', 'throws', 'memory', 'rules/deny', 'rules/warn', 'rules/exception', 'notset'],
  },
  { dir: 'test/fixtures/policies/bench', sources: ['policy'], entrypoints: ['main'] },
];

/** The exact command, run in the bundle's folder. */
export function opaArgs(bundle) {
  return ['build', '-t', 'wasm', ...bundle.entrypoints.flatMap((entrypoint) => ['-e', entrypoint]), '-o', 'bundle/bundle.tar.gz', ...bundle.sources];
}

function filesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** sha256 over the command and every source file (path and content), in path order. */
export function sourcesHash(bundle) {
  const base = path.join(repoRoot, bundle.dir);
  const hash = createHash('sha256');
  hash.update(`opa ${opaArgs(bundle).join(' ')}\0`);
  const files = bundle.sources.flatMap((source) => {
    const full = path.join(base, source);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
  for (const file of files.map((full) => path.relative(base, full).split(path.sep).join('/')).sort()) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(base, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export function bundleHash(bundle) {
  return createHash('sha256').update(readFileSync(path.join(repoRoot, bundle.dir, 'bundle', 'bundle.tar.gz'))).digest('hex');
}

function hasOpa() {
  return spawnSync('opa', ['version'], { stdio: 'ignore' }).status === 0;
}

function main() {
  const check = process.argv.includes('--check') || !hasOpa();
  if (check && !process.argv.includes('--check')) console.log('opa is not on the PATH: checking the committed bundles only.');
  let stale = 0;
  for (const bundle of BUNDLES) {
    const recordFile = path.join(repoRoot, bundle.dir, 'bundle', 'SOURCES.json');
    if (check) {
      const record = JSON.parse(readFileSync(recordFile, 'utf8'));
      const ok = record.sourcesSha256 === sourcesHash(bundle) && record.bundleSha256 === bundleHash(bundle);
      if (!ok) stale++;
      console.log(`${ok ? 'up to date' : 'STALE'}: ${bundle.dir}/bundle/bundle.tar.gz`);
      continue;
    }
    mkdirSync(path.join(repoRoot, bundle.dir, 'bundle'), { recursive: true });
    console.log(`(cd ${bundle.dir} && opa ${opaArgs(bundle).join(' ')})`);
    execFileSync('opa', opaArgs(bundle), { cwd: path.join(repoRoot, bundle.dir), stdio: 'inherit' });
    const opaVersion = execFileSync('opa', ['version'], { encoding: 'utf8' }).split('\n')[0];
    const record = { command: `opa ${opaArgs(bundle).join(' ')}`, opa: opaVersion, sourcesSha256: sourcesHash(bundle), bundleSha256: bundleHash(bundle) };
    writeFileSync(recordFile, `${JSON.stringify(record, null, 2)}\n`);
  }
  if (stale > 0) {
    console.error(`${stale} bundle(s) are older than their sources: rebuild with opa on the PATH (node scripts/build-policies.mjs).`);
    process.exitCode = 1;
  }
}

if (process.argv[1] === import.meta.filename) main();
