import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, github, workflowCommand } from '../../src/formatters/github.js';
import type { Finding } from '../../src/model/finding.js';
import { context, finding, lintResult } from './fixture.js';

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

function many(count: number, level: Finding['level']): Finding[] {
  return Array.from({ length: count }, (_, i) =>
    finding({ ruleId: 'env-required', level, file: `deploy/app-${String(i + 1).padStart(2, '0')}.yaml`, at: [i + 1, 3, i + 1, 9], message: `Finding ${i + 1}.` }),
  );
}

describe('github escaping', () => {
  it('escapes % before CR and LF in data', () => {
    expect(escapeData('100%\r\ndone')).toBe('100%25%0D%0Adone');
  });

  it('does not turn an escape-looking sequence in data into a line break', () => {
    expect(escapeData('literal %0A stays')).toBe('literal %250A stays');
  });

  it('leaves : and , alone in data', () => {
    expect(escapeData('key: a, b')).toBe('key: a, b');
  });

  it('escapes : and , in property values', () => {
    expect(escapeProperty('deploy/odd,name:v1.yaml')).toBe('deploy/odd%2Cname%3Av1.yaml');
  });

  it('escapes % first in property values', () => {
    expect(escapeProperty('50%:a,b\n')).toBe('50%25%3Aa%2Cb%0A');
  });

  it('does not let a property value close the property list', () => {
    expect(workflowCommand('error', { file: 'a::b.yaml', title: 'x' }, 'm')).toBe('::error file=a%3A%3Ab.yaml,title=x::m');
  });

  it('writes a command without properties', () => {
    expect(workflowCommand('notice', {}, 'hello')).toBe('::notice::hello');
  });

  it('escapes the message of an annotation', () => {
    const result = lintResult([
      finding({ ruleId: 'sops-secret-encrypted', level: 'error', file: 'deploy/s.yaml', at: [7, 13, 7, 33], message: 'Key "p": 100% plain.\r\nEncrypt it.' }),
    ]);
    expect(github(result, context)).toBe(
      '::error file=lotus-lake/deploy/s.yaml,line=7,col=13,endLine=7,endColumn=32,title=sops-secret-encrypted::Key "p": 100%25 plain.%0D%0AEncrypt it.\n',
    );
  });
});

describe('github positions', () => {
  it('gives a single-line range an inclusive end column', () => {
    const result = lintResult([finding({ ruleId: 'env-required', level: 'warning', file: 'a.yaml', at: [4, 5, 4, 9], message: 'M.' })]);
    expect(github(result, context)).toBe('::warning file=lotus-lake/a.yaml,line=4,col=5,endLine=4,endColumn=8,title=env-required::M.\n');
  });

  it('keeps one column for an empty range', () => {
    const result = lintResult([finding({ ruleId: 'env-required', level: 'warning', file: 'a.yaml', at: [4, 5, 4, 5], message: 'M.' })]);
    expect(github(result, context)).toBe('::warning file=lotus-lake/a.yaml,line=4,col=5,endLine=4,endColumn=5,title=env-required::M.\n');
  });

  it('gives a multi-line range lines only, because the runner drops its columns', () => {
    const result = lintResult([finding({ ruleId: 'env-required', level: 'warning', file: 'a.yaml', at: [20, 11, 23, 24], message: 'M.' })]);
    expect(github(result, context)).toBe('::warning file=lotus-lake/a.yaml,line=20,endLine=23,title=env-required::M.\n');
  });

  it('treats a range ending at column 1 as ending on the line before', () => {
    const result = lintResult([finding({ ruleId: 'env-required', level: 'note', file: 'a.yaml', at: [3, 1, 4, 1], message: 'M.' })]);
    expect(github(result, context)).toBe('::notice file=lotus-lake/a.yaml,line=3,col=1,endLine=3,title=env-required::M.\n');
  });
});

describe('github annotation limit', () => {
  it('annotates 10 of 12 errors, logs 2 and ends with a notice', () => {
    const out = lines(github(lintResult(many(12, 'error')), context));
    expect(out.filter((line) => line.startsWith('::error '))).toHaveLength(10);
    expect(out.slice(10)).toEqual([
      'lotus-lake/deploy/app-11.yaml:11:3: error: Finding 11. [env-required]',
      'lotus-lake/deploy/app-12.yaml:12:3: error: Finding 12. [env-required]',
      "::notice title=gitops-lint::2 more findings not annotated: GitHub attaches at most 10 annotations of each type per step. They are listed in this step's log, and in code scanning when the SARIF report is uploaded.",
    ]);
  });

  it('counts the limit per type', () => {
    const out = lines(github(lintResult([...many(10, 'error'), ...many(10, 'warning')]), context));
    expect(out.filter((line) => line.startsWith('::error '))).toHaveLength(10);
    expect(out.filter((line) => line.startsWith('::warning '))).toHaveLength(10);
    expect(out).toHaveLength(20);
  });

  it('annotates errors before warnings and notes', () => {
    const out = lines(github(lintResult([...many(1, 'note'), ...many(1, 'warning'), ...many(1, 'error')]), context));
    expect(out.map((line) => line.slice(0, line.indexOf(' ')))).toEqual(['::error', '::warning', '::notice']);
  });

  it('keeps a notice slot free for the summary when notes overflow', () => {
    const out = lines(github(lintResult(many(11, 'note')), context));
    expect(out.filter((line) => line.startsWith('::notice file='))).toHaveLength(9);
    expect(out.filter((line) => line.startsWith('lotus-lake/'))).toHaveLength(2);
    expect(out.at(-1)).toMatch(/^::notice title=gitops-lint::2 more findings not annotated/);
  });

  it('annotates all 10 notes when nothing overflows', () => {
    const out = lines(github(lintResult(many(10, 'note')), context));
    expect(out.filter((line) => line.startsWith('::notice file='))).toHaveLength(10);
    expect(out).toHaveLength(10);
  });

  it('lets run errors take error slots first', () => {
    const errors = [{ message: 'Bad config.', file: '/repos/h-kube/.gitops-lint.yaml', line: 2 }];
    const out = lines(github(lintResult(many(10, 'error'), { errors }), context));
    expect(out[0]).toBe('::error file=h-kube/.gitops-lint.yaml,line=2,title=gitops-lint::Bad config.');
    expect(out.filter((line) => line.startsWith('::error '))).toHaveLength(10);
    expect(out).toContain('lotus-lake/deploy/app-10.yaml:10:3: error: Finding 10. [env-required]');
  });
});

describe('github output', () => {
  it('does not annotate suppressed findings', () => {
    const result = lintResult([finding({ ruleId: 'env-required', level: 'error', file: 'a.yaml', at: [1, 1, 1, 2], message: 'M.', suppressed: 'Known.' })]);
    expect(github(result, context)).toBe('gitops-lint: 1 suppressed finding not shown.\n');
  });

  it('prints nothing for a clean run', () => {
    expect(github(lintResult([]), context)).toBe('');
  });

  it('never starts a plain log line with ::', () => {
    const result = lintResult([
      ...many(10, 'error'),
      finding({ ruleId: 'env-required', level: 'error', root: '/repos', file: '::error::x.yaml', at: [1, 1, 1, 2], message: 'M.' }),
    ]);
    expect(lines(github(result, context))).toContain('./::error::x.yaml:1:1: error: M. [env-required]');
  });
});
