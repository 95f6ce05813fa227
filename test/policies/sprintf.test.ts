import { describe, expect, it } from 'vitest';
import { goSprintf } from '../../src/policies/sprintf.js';

/**
 * Expected values are what OPA 1.7.1 prints for the same call:
 *   opa eval --format raw '<call>'
 * e.g. opa eval --format raw 'sprintf("%v|%s|%d|%q", ["a", "b", 3, "c\"d"])' → a|b|3|"c\"d"
 */
const CASES: ReadonlyArray<{ name: string; call: string; format: string; args: unknown[]; expected: string }> = [
  { name: 'Go verbs the SDK rejects', call: 'sprintf("%v|%s|%d|%q", ["a", "b", 3, "c\\"d"])', format: '%v|%s|%d|%q', args: ['a', 'b', 3, 'c"d'], expected: 'a|b|3|"c\\"d"' },
  {
    name: 'composite values print as Rego terms, keys sorted',
    call: 'sprintf("%v %v %v %v", [1.5, true, null, [1, "a", {"k": {"z": 1, "a": [true]}}]])',
    format: '%v %v %v %v',
    args: [1.5, true, null, [1, 'a', { k: { z: 1, a: [true] } }]],
    expected: '1.5 true null [1, "a", {"k": {"a": [true], "z": 1}}]',
  },
  { name: 'wrong verbs print Go errors', call: 'sprintf("%t %s %d", [true, 3, "x"])', format: '%t %s %d', args: [true, 3, 'x'], expected: '%!t(string=true) %!s(int=3) %!d(string=x)' },
  {
    name: 'width, flags and precision',
    call: 'sprintf("%5d|%-4s|%05d|%.2f|%x|%X", [42, "ab", -7, 3.14159, 255, "hi"])',
    format: '%5d|%-4s|%05d|%.2f|%x|%X',
    args: [42, 'ab', -7, 3.14159, 255, 'hi'],
    expected: '   42|ab  |-0007|3.14|ff|6869',
  },
  { name: 'a missing argument', call: 'sprintf("%d %v", [1])', format: '%d %v', args: [1], expected: '1 %!v(MISSING)' },
  { name: 'an extra argument', call: 'sprintf("%v", [1, 2])', format: '%v', args: [1, 2], expected: '1%!(EXTRA int=2)' },
  { name: 'large and small floats', call: 'sprintf("%v %v", [1e21, 0.00001])', format: '%v %v', args: [1e21, 0.00001], expected: '1e+21 1e-05' },
  { name: '%q of an integer is a rune', call: 'sprintf("%q", [65])', format: '%q', args: [65], expected: "'A'" },
  { name: '%e, and %f of an integer', call: 'sprintf("%e|%.1f", [12345.678, 2])', format: '%e|%.1f', args: [12345.678, 2], expected: '1.234568e+04|%!f(int=2)' },
  { name: 'sign flags and a literal percent', call: 'sprintf("%+d % d %%", [5, 6])', format: '%+d % d %%', args: [5, 6], expected: '+5  6 %' },
];

describe('sprintf as OPA formats it', () => {
  for (const testCase of CASES) {
    it(`${testCase.name}: ${testCase.call}`, () => {
      expect(goSprintf(testCase.format, testCase.args)).toBe(testCase.expected);
    });
  }

  it('a set arrives as an array and prints as one (OPA would print {"a", "b"})', () => {
    expect(goSprintf('%v', [['a', 'b']])).toBe('["a", "b"]');
  });
});
