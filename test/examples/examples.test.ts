import { readFileSync } from 'node:fs';
import path from 'node:path';
import { globbySync } from 'globby';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/index.js';

const examples = path.join(import.meta.dirname, '..', '..', 'examples');

/** `file:line rule` for every unsuppressed finding. */
function actual(result: Awaited<ReturnType<typeof lint>>, base: string): string[] {
  return result.findings
    .filter((finding) => !finding.suppressions?.length)
    .map((finding) => `${path.relative(base, path.join(finding.location.root, finding.location.file))}:${finding.location.startLine} ${finding.ruleId}`)
    .sort();
}

/** Expectations from `# expect: <rule>` markers and from expected.yaml. */
function expected(base: string, files: string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(base, file), 'utf8');
    text.split('\n').forEach((line, index) => {
      for (const match of line.matchAll(/# expect: ([a-z0-9-]+)/g)) out.push(`${file}:${index + 1} ${match[1]}`);
    });
  }
  const extra = parse(readFileSync(path.join(base, 'expected.yaml'), 'utf8')) as Array<{ file: string; line: number; rule: string }>;
  for (const entry of extra) out.push(`${entry.file}:${entry.line} ${entry.rule}`);
  return out.sort();
}

describe('bundled examples', () => {
  it('lotus-lake and h-kube lint clean together', async () => {
    const result = await lint({ roots: [path.join(examples, 'lotus-lake'), path.join(examples, 'h-kube')] });
    expect(result.errors).toEqual([]);
    expect(actual(result, examples)).toEqual([]);
  });

  it('every mistake in examples/broken is found, and nothing else', async () => {
    const base = path.join(examples, 'broken');
    const result = await lint({ roots: [path.join(base, 'lotus-lake'), path.join(base, 'h-kube')] });
    expect(result.errors).toEqual([]);
    const files = globbySync(['**/*'], { cwd: base, dot: true, ignore: ['expected.yaml', '**/*.pyc', '**/*.tfstate'] });
    expect(actual(result, base)).toEqual(expected(base, files));
  });
});
