import { describe, expect, it } from 'vitest';
import { stylish } from '../../src/formatters/stylish.js';
import type { LintResult } from '../../src/model/result.js';
import { context, finding, lintResult } from './fixture.js';

function withSource(text: string, result: LintResult): LintResult {
  return { ...result, sourceLines: (_root, _file, from, to) => text.split('\n').slice(from - 1, to) };
}

describe('stylish', () => {
  it('ends a clean run with a summary line that counts the files', () => {
    expect(stylish(lintResult([]), context)).toBe('✔ 0 problems (42 files)\n');
    expect(stylish({ ...lintResult([]), fileCount: 1 }, context)).toBe('✔ 0 problems (1 file)\n');
  });

  it('never looks clean when the run had errors', () => {
    const result = { ...lintResult([]), errors: [{ message: 'Rule x failed: boom. Please report this.' }] };
    expect(stylish(result, context).split('\n')[0]).toBe('✖ 0 problems, 1 run error (42 files)');
  });

  it("summarises in ESLint's shape, naming notes only when there are some", () => {
    const result = lintResult([
      finding({ ruleId: 'env-required', level: 'error', file: 'a.yaml', at: [1, 1, 1, 2], message: 'M.' }),
      finding({ ruleId: 'env-required', level: 'warning', file: 'a.yaml', at: [2, 1, 2, 2], message: 'N.' }),
    ]);
    expect(stylish(result, context).trimEnd().split('\n').at(-1)).toBe('✖ 2 problems (1 error, 1 warning)');
  });

  it('counts suppressed findings without listing them', () => {
    const result = lintResult([finding({ ruleId: 'env-required', level: 'error', file: 'a.yaml', at: [1, 1, 1, 2], message: 'M.', suppressed: '' })]);
    expect(stylish(result, context)).toBe('✔ 0 problems (42 files)\n1 suppressed finding not shown.\n');
  });

  it('underlines at least one character for an empty range', () => {
    const result = withSource('key: value', lintResult([finding({ ruleId: 'env-required', level: 'note', file: 'a.yaml', at: [1, 4, 1, 4], message: 'M.' })]));
    expect(stylish(result, context)).toBe(
      ['lotus-lake/a.yaml', '  1:4  note  M.  env-required', '    > 1 | key: value', '        |    ^', '', '✖ 1 problem (0 errors, 0 warnings, 1 note)', ''].join('\n'),
    );
  });

  it('keeps tabs in the underline padding so carets line up', () => {
    const result = withSource('\tkey: value', lintResult([finding({ ruleId: 'env-required', level: 'note', file: 'a.yaml', at: [1, 7, 1, 12], message: 'M.' })]));
    expect(stylish(result, context).split('\n')[3]).toBe('        | \t     ^^^^^');
  });

  it('scrolls and cuts long lines around the range', () => {
    const line = `${'a'.repeat(300)}TARGET${'b'.repeat(300)}`;
    const result = withSource(line, lintResult([finding({ ruleId: 'env-required', level: 'note', file: 'a.yaml', at: [1, 301, 1, 307], message: 'M.' })]));
    const [, , source, carets] = stylish(result, context).split('\n');
    expect(source).toBe(`    > 1 | …${'a'.repeat(50)}TARGET${'b'.repeat(104)}…`);
    expect(carets).toBe(`        | ${' '.repeat(51)}^^^^^^`);
  });

  it('shows control characters of the source visibly', () => {
    const result = withSource('a: "\u001b[31mred"', lintResult([finding({ ruleId: 'env-required', level: 'note', file: 'a.yaml', at: [1, 1, 1, 2], message: 'M.' })]));
    expect(stylish(result, context).split('\n')[2]).toBe('    > 1 | a: "\\x1b[31mred"');
  });

  it('indents the continuation lines of a multi-line message and defuses workflow commands in them', () => {
    const result = lintResult([finding({ ruleId: 'env-required', level: 'error', file: 'b.yaml', at: [1, 1, 1, 2], message: 'First.\n::warning::x' })]);
    expect(stylish(result, context).split('\n').slice(1, 3)).toEqual(['  1:1  error  First.', '              \\::warning::x  env-required']);
  });
});
