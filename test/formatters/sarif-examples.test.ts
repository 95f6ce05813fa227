import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sarif } from '../../src/formatters/sarif.js';
import { lint } from '../../src/index.js';
import { ACCEPTED_NOTES, multitool, multitoolValidate, schemaValidator } from './sarif-validators.js';

const examples = path.join(import.meta.dirname, '..', '..', 'examples');
const context = { cwd: examples, toolVersion: '0.1.0', color: false };

/** SARIF of a real run over the bundled examples: the log users upload to code scanning. */
async function examplesLog(...roots: string[]): Promise<string> {
  return sarif(await lint({ roots: roots.map((root) => path.join(examples, root)), cwd: examples }), context);
}

describe('SARIF of the bundled examples', () => {
  const validate = schemaValidator();
  const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-sarif-examples-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('validates against the SARIF 2.1.0 schema, findings and clean runs alike', async () => {
    for (const roots of [['broken/lotus-lake', 'broken/h-kube'], ['lotus-lake', 'h-kube'], ['broken/lotus-lake']]) {
      const log = JSON.parse(await examplesLog(...roots)) as unknown;
      expect(validate(log), `${roots.join(' + ')}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it.skipIf(process.platform !== 'linux' || !existsSync(multitool))('passes sarif-multitool validate with no error or warning', async () => {
    const results = multitoolValidate(dir, 'broken', await examplesLog('broken/lotus-lake', 'broken/h-kube'));
    expect(results.filter((result) => result.level === 'error' || result.level === 'warning')).toEqual([]);
    expect([...new Set(results.map((result) => result.ruleId))].filter((id) => !ACCEPTED_NOTES.includes(id))).toEqual([]);
  });
});
