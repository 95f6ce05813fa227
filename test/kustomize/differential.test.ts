/**
 * Differential test: every fixture under test/fixtures/kustomize/<case>/ is built by our
 * build and by `kubectl kustomize` (kustomize v5, with Flux's LoadRestrictionsNone), and the
 * objects are compared sorted by kind/namespace/name. Parsed values are frozen first, so a
 * build that mutated them would fail. A case builds its root, or the
 * directories listed one per line in its `BUILDS` file. Generator inputs that the loader does
 * not read (`.env`, scripts) are read from disk. Skipped when kubectl is not on PATH.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildKustomization } from '../../src/kustomize/build.js';
import { diskTextReader, hostFromFiles } from '../../src/kustomize/host.js';
import { diskFiles, normalize } from './helpers.js';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'kustomize');
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const hasKubectl = kubectl.status === 0;
if (!hasKubectl) console.warn('kubectl is not on PATH: the kustomize differential tests are skipped.'); // eslint-disable-line no-console

const cases = readdirSync(fixtures, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

function buildsOf(caseDir: string): string[] {
  const list = path.join(caseDir, 'BUILDS');
  if (!existsSync(list)) return [''];
  return readFileSync(list, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

function kustomize(dir: string): unknown[] {
  const run = spawnSync('kubectl', ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', dir], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${run.stderr}`);
  return parseAllDocuments(run.stdout)
    .map((document) => document.toJS() as unknown)
    .filter((value) => value !== null);
}

describe.skipIf(!hasKubectl)('kustomize build matches kubectl kustomize', () => {
  it('has at least 12 fixture cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  for (const name of cases) {
    const caseDir = path.join(fixtures, name);
    for (const build of buildsOf(caseDir)) {
      it(`${name}${build ? `/${build}` : ''}`, async () => {
        const files = await diskFiles(caseDir);
        // Frozen parsed values: any mutation by the build throws.
        for (const file of files) for (const document of file.documents) deepFreeze(document.value);
        const result = buildKustomization(hostFromFiles(files, undefined, diskTextReader(files)), build);
        expect(result.problems.map((problem) => `${problem.code}: ${problem.message}`)).toEqual([]);
        expect(normalize(result.objects.map((object) => object.value))).toEqual(normalize(kustomize(path.join(caseDir, build))));
      });
    }
  }
});
