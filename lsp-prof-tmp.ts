import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { builtinRules } from './rules/index.js';
import { IncrementalLint } from './src/engine/incremental.js';
import { lint } from './src/engine/lint.js';
import { LoadCache } from './src/lsp/cache.js';
import type { Rule } from './src/model/rule.js';

const dir = '/tmp/s18/clean';
const file = path.join(dir, 'apps/app-0/res-1.yaml');
const text = readFileSync(file, 'utf8');
const cache = new LoadCache();
const incremental = new IncrementalLint();
const run = async (n: number) => {
  cache.beginRun();
  const edited = text.replace('tag: "2.1.1"', n % 2 ? 'tag: latest' : `tag: "2.1.${n}"`);
  await lint({ roots: [dir], rules: builtinRules as ReadonlyArray<Rule<string, never>>, overrides: new Map([[file, edited]]), load: cache.hooks, incremental });
  cache.endRun();
};
for (let i = 0; i < 8; i++) await run(i);
const s = new Session(); s.connect(); await s.post('Profiler.enable'); await s.post('Profiler.setSamplingInterval', { interval: 200 }); await s.post('Profiler.start');
const t: number[] = [];
for (let i = 8; i < 38; i++) { const a = performance.now(); await run(i); t.push(performance.now() - a); }
const { profile } = await s.post('Profiler.stop');
writeFileSync('/tmp/s18/lspprof/p.cpuprofile', JSON.stringify(profile));
t.sort((a, b) => a - b);
console.log('median ms', t[15]!.toFixed(1), 'min', t[0]!.toFixed(1));
