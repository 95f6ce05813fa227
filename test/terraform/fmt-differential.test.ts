/**
 * Differential test: the `hcl-syntax` verdict on each fixture agrees with what `terraform fmt`
 * (HashiCorp's own parser) says: valid or not, and the line of the first error. Skipped with a
 * message when no `terraform` binary is installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/hcl-syntax.js';
import { lintExample } from '../../src/testing/index.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'hcl');
const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith('.tf')).sort();

function terraformBinary(): string | undefined {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
    return 'terraform';
  } catch {
    return undefined;
  }
}

const binary = terraformBinary();
if (!binary) console.warn('test/terraform/fmt-differential: skipped, no `terraform` binary on PATH.'); // eslint-disable-line no-console

/** The line of the first parse error `terraform fmt` reports, or `undefined` when it parses. */
function terraformFirstErrorLine(file: string): number | undefined {
  const result = spawnSync(binary as string, ['fmt', '-check', '-no-color', '-list=false', file], { cwd: FIXTURES, encoding: 'utf8', env: { ...process.env, TF_IN_AUTOMATION: '1' } });
  const output = `${result.stdout}${result.stderr}`;
  if (!/Error: /.test(output)) return undefined;
  const match = new RegExp(` on ${file.replace(/\./g, '\\.')} line (\\d+)`).exec(output);
  return match ? Number(match[1]) : 0;
}

describe.skipIf(!binary)('hcl-syntax agrees with terraform fmt', () => {
  it('has valid and invalid fixtures', () => {
    expect(fixtures.filter((name) => name.startsWith('valid-')).length).toBeGreaterThan(1);
    expect(fixtures.filter((name) => !name.startsWith('valid-')).length).toBeGreaterThan(8);
  });
  for (const name of fixtures) {
    it(name, async () => {
      const expected = terraformFirstErrorLine(name);
      expect(expected === undefined, `fixture naming: ${name}`).toBe(name.startsWith('valid-'));
      const result = await lintExample(rule, { files: { [name]: readFileSync(path.join(FIXTURES, name), 'utf8') } });
      expect(result.findings.map((finding) => finding.location.startLine)).toEqual(expected === undefined ? [] : [expected]);
    });
  }
});
