import { describe, expect, it } from 'vitest';
import { formatterNames, getFormatter, stylish } from '../../src/formatters/index.js';
import { context, finding, lintResult, result } from './fixture.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

describe('formatter registry', () => {
  it('lists the built-in formats', () => {
    expect(formatterNames).toEqual(['stylish', 'compact', 'json', 'sarif', 'github', 'junit']);
  });

  it('finds a formatter by name', () => {
    expect(getFormatter('stylish')).toBe(stylish);
  });

  it('does not find inherited object properties', () => {
    expect(getFormatter('constructor')).toBeUndefined();
    expect(getFormatter('__proto__')).toBeUndefined();
    expect(getFormatter('toString')).toBeUndefined();
  });

  it('returns undefined for an unknown name', () => {
    expect(getFormatter('checkstyle')).toBeUndefined();
  });
});

describe('every formatter', () => {
  it.each(formatterNames)('%s prints no ANSI escape when colour is off', (name) => {
    expect(getFormatter(name)?.(result, { ...context, color: false })).not.toMatch(ANSI);
  });

  it.each(formatterNames)('%s is deterministic', (name) => {
    const format = getFormatter(name);
    expect(format?.(result, context)).toBe(format?.(result, context));
  });

  it.each(formatterNames)('%s does not let a message drive the terminal or inject a workflow command', (name) => {
    const hostile = lintResult([
      finding({ ruleId: 'env-required', level: 'error', file: 'deploy/x.yaml', at: [1, 1, 1, 2],
        message: 'Bad \u001b]8;;https://evil.example\u0007link\u001b[2J.\n::add-mask::x' }),
    ]);
    const out = getFormatter(name)?.(hostile, context) ?? '';
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\u0007');
    expect(out.split('\n').filter((line) => /^\s*::add-mask/.test(line))).toEqual([]);
  });
});
