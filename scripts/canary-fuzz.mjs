// node scripts/canary-fuzz.mjs [RUNS] [SEED]: the canary property test (test/canary) for longer
// than CI runs it, with a random seed unless one is given. Prints the seed first, so a failure
// can be replayed: CANARY_SEED=<seed> CANARY_RUNS=<runs> npx vitest run test/canary
// CANARY_SHRINK=1 shrinks a counterexample to its smallest form (slow). The LSP/CLI part runs
// RUNS/10 repositories side by side in one workspace; it needs the build (`npm run bundle`).
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 500);
const seed = Number(process.argv[3] ?? randomInt(2 ** 31 - 1));
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error('usage: node scripts/canary-fuzz.mjs [RUNS] [SEED]');
  process.exit(2);
}
console.log(`canary fuzz: seed ${seed}, ${runs} generated repositories in-process, ${Math.max(1, Math.round(runs / 10))} through the CLI and the LSP`);

const vitest = (file, count) =>
  spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', file], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, CANARY_SEED: String(seed), CANARY_RUNS: String(count) },
  }).status;

const library = vitest('test/canary/canary.test.ts', runs);
const adapters = vitest('test/canary/outputs.test.ts', Math.max(1, Math.round(runs / 10)));
console.log(`canary fuzz: seed ${seed}: ${library === 0 && adapters === 0 ? 'no canary printed' : 'A CANARY WAS PRINTED (see above)'}`);
process.exit(library === 0 && adapters === 0 ? 0 : 1);
