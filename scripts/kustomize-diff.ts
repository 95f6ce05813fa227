/**
 * Compare our kustomize build with `kubectl kustomize` on every kustomization of a folder:
 *   node --import tsx scripts/kustomize-diff.ts DIR [DIR...]
 * Prints one line per kustomization (same / DIFFERENT with the first differing value / kubectl
 * failed with both sides' errors) and a summary. Uses Flux's LoadRestrictionsNone.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { defaultConfig } from '../src/config/load.js';
import { buildKustomization } from '../src/kustomize/build.js';
import { diskTextReader, hostFromFiles } from '../src/kustomize/host.js';
import { loadDiskRoot } from '../src/workspace/load.js';

type Obj = Record<string, unknown> & { metadata?: { name?: string; namespace?: string } };

const key = (object: Obj): string => `${String(object.apiVersion)}/${String(object.kind)}/${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
const sorted = (objects: unknown[]): Obj[] => (JSON.parse(JSON.stringify(objects)) as Obj[]).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** The first path where two values differ. */
function firstDifference(a: unknown, b: unknown, at = ''): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference((a as Record<string, unknown>)[field], (b as Record<string, unknown>)[field], `${at}.${field}`);
      if (found) return found;
    }
  }
  return `${at}: ours ${JSON.stringify(a)?.slice(0, 120)} / kubectl ${JSON.stringify(b)?.slice(0, 120)}`;
}

const counts = { same: 0, different: 0, failed: 0 };
for (const argument of process.argv.slice(2)) {
  const root = path.resolve(argument);
  const { files } = await loadDiskRoot(root, defaultConfig([]), []);
  const host = hostFromFiles(files, undefined, diskTextReader(files));
  for (const file of files.filter((candidate) => /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(candidate.path))) {
    const dir = path.posix.dirname(file.path) === '.' ? '' : path.posix.dirname(file.path);
    const ours = buildKustomization(host, dir);
    const problems = ours.problems.map((problem) => `${problem.code}: ${problem.message}`).join('; ');
    const run = spawnSync('kubectl', ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', path.join(root, dir)], { encoding: 'utf8' });
    if (run.status !== 0) {
      counts.failed++;
      console.log(`${argument}/${dir}: kubectl failed: ${run.stderr.trim().split('\n').pop() ?? ''}\n  ours: ${problems || 'no problems'}`);
      continue;
    }
    const difference = firstDifference(sorted(ours.objects.map((object) => object.value)), sorted(parseAllDocuments(run.stdout).map((document) => document.toJS() as unknown).filter((value) => value !== null)));
    if (difference) counts.different++;
    else counts.same++;
    console.log(`${argument}/${dir}: ${difference ? `DIFFERENT ${difference}` : 'same'}${problems ? ` (${problems})` : ''}`);
  }
}
console.log(`same ${counts.same}, different ${counts.different}, kubectl failed ${counts.failed}`);
