import { describe, expect, it } from 'vitest';
import { compact } from '../../src/formatters/compact.js';
import { json } from '../../src/formatters/json.js';
import { junit, xmlAttr, xmlText } from '../../src/formatters/junit.js';
import { stylish } from '../../src/formatters/stylish.js';
import { context, finding, lintResult } from './fixture.js';

describe('compact', () => {
  it('matches vim errorformat %f:%l:%c: %t%*[^:]: %m', () => {
    const result = lintResult([finding({ ruleId: 'env-required', level: 'warning', file: 'deploy/a.yaml', at: [12, 5, 12, 9], message: 'Two\nlines.' })]);
    expect(compact(result, context)).toBe('lotus-lake/deploy/a.yaml:12:5: warning: Two lines. [env-required]\n');
  });

  it('leaves out suppressed findings', () => {
    const result = lintResult([finding({ ruleId: 'env-required', level: 'warning', file: 'a.yaml', at: [1, 1, 1, 2], message: 'M.', suppressed: 'Why.' })]);
    expect(compact(result, context)).toBe('');
  });
});

describe('json', () => {
  it('is stable for an empty run', () => {
    const out = JSON.parse(json(lintResult([], { rules: [] }), context)) as Record<string, unknown>;
    expect(out).toEqual({
      version: '0.1.0',
      roots: [
        { name: 'lotus-lake', dir: '/repos/lotus-lake', displayPath: 'lotus-lake', git: true },
        { name: 'h-kube', dir: '/repos/h-kube', displayPath: 'h-kube', git: true },
      ],
      fileCount: 42,
      resourceCount: 17,
      findings: [],
      rules: [],
      notes: [],
      errors: [],
    });
  });
});

describe('junit', () => {
  it('escapes XML markup in text and attributes', () => {
    expect(xmlText(`<a href="x">&'</a>`)).toBe(`&lt;a href="x"&gt;&amp;'&lt;/a&gt;`);
    expect(xmlAttr(`<"&'>`)).toBe('&lt;&quot;&amp;&apos;&gt;');
  });

  it('keeps line breaks in attributes as references', () => {
    expect(xmlAttr('a\nb\tc\rd')).toBe('a&#10;b&#9;c&#13;d');
  });

  it('replaces characters XML cannot carry', () => {
    expect(xmlText('a\u0000b\u001bc\ud800d')).toBe('a\ufffdb\ufffdc\ufffdd');
  });

  it('has a passing testcase when there are no findings', () => {
    expect(junit(lintResult([]), context)).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="gitops-lint" tests="1" failures="0" errors="0">',
        '  <testsuite name="gitops-lint" tests="1" failures="0" errors="0" skipped="0">',
        '    <testcase classname="gitops-lint" name="42 files linted"/>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('skips a testcase whose findings are all suppressed', () => {
    const result = lintResult([finding({ ruleId: 'env-required', level: 'error', file: 'a.yaml', at: [1, 1, 1, 2], message: 'M.', suppressed: 'Why.' })]);
    expect(junit(result, context)).toContain('<skipped message="1 suppressed finding"/>');
  });
});

describe('file names with control characters', () => {
  it('are quoted and escaped, as git shows them, in compact and stylish output', () => {
    const result = {
      ...lintResult([finding({ ruleId: 'yaml-syntax', level: 'error', file: 'deploy/bad\nname\t"x"\u001b[31m.yaml', at: [2, 3, 2, 4], message: 'M.' })]),
      notes: [{ message: 'A note.', file: '/repos/lotus-lake/odd\rname.yaml' }],
      sourceLines: () => [],
    };
    expect(compact(result, context)).toBe('"lotus-lake/deploy/bad\\nname\\t\\"x\\"\\x1b[31m.yaml":2:3: error: M. [yaml-syntax]\n');
    const lines = stylish(result, context).split('\n');
    expect(lines[0]).toBe('"lotus-lake/deploy/bad\\nname\\t\\"x\\"\\x1b[31m.yaml"');
    expect(lines).toContain('  ℹ "lotus-lake/odd\\rname.yaml": A note.');
  });
});
