/**
 * `interpolate` (src/engine/report.ts) fills message templates from a rule's report data. It
 * joins parts cut once per template; these cases pin what `replace` with the placeholder
 * pattern gave, including the forms it leaves alone.
 */
import { describe, expect, it } from 'vitest';
import { interpolate } from '../../src/engine/report.js';

const CASES: ReadonlyArray<{ name: string; template: string; data?: Record<string, string | number>; out: string }> = [
  { name: 'placeholders with and without spaces', template: 'Image {{image}} has tag {{ tag }}.', data: { image: 'nginx', tag: 'latest' }, out: 'Image nginx has tag latest.' },
  { name: 'a number', template: 'Document {{index}} differs.', data: { index: 2 }, out: 'Document 2 differs.' },
  { name: 'an unknown placeholder, left visible', template: 'Key {{key}} in {{file}}.', data: { key: 'a' }, out: 'Key a in {{file}}.' },
  { name: 'no data', template: 'Key {{key}}.', out: 'Key {{key}}.' },
  { name: 'the same placeholder twice', template: '{{x}}/{{x}}', data: { x: 'q' }, out: 'q/q' },
  { name: 'a third opening brace', template: '{{{x}}}', data: { x: 'X' }, out: '{X}' },
  { name: 'keys with dots and dashes', template: '{{a.b-c}} {{a b}} {{ }}', data: { 'a.b-c': 'ok' }, out: 'ok {{a b}} {{ }}' },
  { name: 'replacement patterns in the data, kept as written', template: 'Value {{v}}.', data: { v: '$& $1 $$' }, out: 'Value $& $1 $$.' },
  { name: 'an unclosed placeholder', template: 'Open {{x and x}}', data: { x: 'y' }, out: 'Open {{x and x}}' },
  { name: 'no placeholder', template: 'Plain text.', data: { x: 'y' }, out: 'Plain text.' },
  { name: 'an empty template', template: '', out: '' },
];

describe('interpolate', () => {
  for (const { name, template, data, out } of CASES) {
    it(`fills ${name}`, () => {
      expect(interpolate(template, data)).toBe(out);
      // Cut once and kept: a second fill gives the same.
      expect(interpolate(template, data)).toBe(out);
    });
  }
});
