import { describe, expect, it } from 'vitest';
import { RE2JS } from 're2js';
import { compileGoRegexp, plainRegExp } from '../../src/engine/safe-regex.js';
import { applyImageOverrides } from '../../src/engine/images.js';

function matches(pattern: string, text: string): boolean | string {
  const result = compileGoRegexp(pattern);
  return result.ok ? result.regexp.test(text) : result.reason;
}

describe('compileGoRegexp (RE2 through re2js)', () => {
  it('is unanchored, as Go MatchString is', () => {
    expect(matches('data|stringData', 'metadata')).toBe(true);
    expect(matches('^(data|stringData)$', 'metadata')).toBe(false);
  });

  it('applies (?i) in the middle of a pattern, from there on', () => {
    expect(matches('^secrets/(?i)prod/', 'secrets/PROD/a.yaml')).toBe(true);
    expect(matches('^secrets/(?i)prod/', 'SECRETS/prod/a.yaml')).toBe(false);
    expect(matches('^(?i:data)Key$', 'DATAKey')).toBe(true);
    expect(matches('^(?i:data)Key$', 'dataKEY')).toBe(false);
  });

  it('reads \\A and \\z as the bounds of the input, not of a line', () => {
    expect(matches('\\Asecrets/.*\\.yaml\\z', 'secrets/a.yaml')).toBe(true);
    expect(matches('\\Asecrets/.*\\.yaml\\z', 'x/secrets/a.yaml')).toBe(false);
    expect(matches('\\Asecrets/.*\\.yaml\\z', 'secrets/a.yaml\n')).toBe(false);
  });

  it('knows POSIX classes, negated ones too', () => {
    expect(matches('^[[:alpha:]_]+$', 'stringData')).toBe(true);
    expect(matches('^[[:alpha:]_]+$', 'data1')).toBe(false);
    expect(matches('^[[:^digit:]]+$', 'data')).toBe(true);
  });

  it('knows Unicode classes and both named-group spellings', () => {
    expect(matches('^\\pL+$', 'Größe')).toBe(true);
    expect(matches('^\\p{Greek}+$', 'αβγ')).toBe(true);
    expect(matches('^(?P<env>prod|dev)/', 'prod/a.yaml')).toBe(true);
    expect(matches('^(?<env>prod|dev)/', 'dev/a.yaml')).toBe(true);
  });

  it('reads \\Q…\\E, a ] first in a class and a brace that is no repetition as literals', () => {
    expect(matches('\\Q.enc.yaml\\E$', 'a.enc.yaml')).toBe(true);
    expect(matches('\\Q.enc.yaml\\E$', 'aXencXyaml')).toBe(false);
    expect(matches('[]a]', ']')).toBe(true);
    expect(matches('a{,3}', 'a{,3}')).toBe(true);
  });

  it('reports what Go refuses, in Go words, without throwing', () => {
    expect(matches('(?=data)', 'data')).toBe('invalid or unsupported Perl syntax: `(?=`');
    expect(matches('(a)\\1', 'aa')).toBe('invalid escape sequence: `\\1`');
    expect(matches('a{1001}', 'a')).toBe('invalid repeat count: `{1001}`');
    expect(matches('[a', 'a')).toBe('missing closing ]: `[a`');
    expect(matches('(data', 'data')).toBe('missing closing ): `(data`');
    expect(matches('*data', 'data')).toBe('missing argument to repetition operator: `*`');
    expect(matches('a**', 'a')).toBe('invalid nested repetition operator: `**`');
  });

  it('matches in linear time a pattern that backtracks exponentially in JavaScript', () => {
    // /^(a+)+$/ in V8 takes seconds on 30 a's and a mismatch; RE2 has no backtracking.
    const started = performance.now();
    expect(matches('^(a+)+$', `${'a'.repeat(5000)}!`)).toBe(false);
    expect(matches('^(\\w+\\s?)*$', `${'word '.repeat(2000)}!`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('gives the same answer when the result is remembered', () => {
    const result = compileGoRegexp('^(data|stringData)$');
    expect(result.ok && [result.regexp.test('data'), result.regexp.test('data'), result.regexp.test('metadata')]).toEqual([true, true, false]);
  });
});

describe('kustomize images names as Go regexes', () => {
  it('keeps a name with nested repetition from hanging the run, and applies it as kustomize would', () => {
    const evil = { kustomization: undefined as never, index: 0, name: '(a+)+b', newTag: 'x' };
    expect(applyImageOverrides(`${'a'.repeat(40)}c`, [evil]).applied).toEqual([]);
    expect(applyImageOverrides('aaab:1', [evil]).ref).toEqual({ name: 'aaab', tag: 'x' });
  });

  it('matches a name with RE2 syntax JavaScript lacks', () => {
    const override = { kustomization: undefined as never, index: 0, name: '(?i)ghcr.io/acme/app', newTag: '2.0.0' };
    expect(applyImageOverrides('GHCR.io/acme/APP:1.0.0', [override]).ref).toEqual({ name: 'GHCR.io/acme/APP', tag: '2.0.0' });
  });

  it('matches nothing with a name Go cannot compile', () => {
    const override = { kustomization: undefined as never, index: 0, name: 'app(?=x)', newTag: '2.0.0' };
    expect(applyImageOverrides('app:1.0.0', [override]).applied).toEqual([]);
  });
});

describe('plain Go patterns tested with a RegExp', () => {
  const re2 = (pattern: string, text: string): boolean => RE2JS.compile(pattern).test(text);

  it('takes the plain patterns repositories write', () => {
    expect(plainRegExp('^(data|stringData)$')?.source).toBe('^(data|stringData)$');
    expect(plainRegExp('apps/.*\\.yaml$')?.source).toBe('apps\\/.*\\.yaml$');
    expect(plainRegExp('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')?.source).toBe('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$');
    expect(plainRegExp('(?i)^secret')?.flags).toBe('i');
    expect(plainRegExp('^ghcr.io/acme/app(:[^@]*)?(@.*)?$')).toBeDefined();
  });

  it('leaves to re2js what JavaScript reads otherwise, backtracks on, or Go may refuse', () => {
    for (const pattern of ['^(a+)+$', '(ab)*', '[]a]', '[[:alpha:]]', '\\s+', '\\Aa\\z', '^secrets/(?i)prod/', '(?P<env>a)', '(?=data)', 'a{,3}', 'a**', 'a{1001}', '[z-a]', '(data', 'data)', '\\pL', '.*a.*b', 'x|^.*a.*b', 'größe']) {
      expect([pattern, plainRegExp(pattern)]).toEqual([pattern, undefined]);
    }
  });

  it('answers as re2js on the texts it is used for', () => {
    const patterns = ['^(data|stringData)$', 'data|stringData', 'apps/.*\\.yaml$', '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', '(?i)^secret', '^ghcr.io/acme/app(:[^@]*)?(@.*)?$', '^a.c$', '[^@]+@', '^\\d{2,3}-\\w+', '^$', '(?:x|y)?z', '^[\\-.a]+$', 'a$'];
    const texts = ['data', 'stringData', 'metadata', 'apps/a/b.yaml', 'apps/a.yml', 'my-app-1', '-app', 'SECRET_KEY', 'Secret', 'ghcr.io/acme/app:1.0@sha256:ab', 'ghcrxio/acme/app', 'a\nc', 'abc', 'user@host', '12-ab', '', 'z', 'yz', '-.a', 'a\n'];
    for (const pattern of patterns) {
      const fast = plainRegExp(pattern);
      expect([pattern, fast !== undefined]).toEqual([pattern, true]);
      for (const text of texts) expect([pattern, text, fast?.test(text)]).toEqual([pattern, text, re2(pattern, text)]);
    }
  });

  it('gives text outside ASCII, with a carriage return or long to re2js', () => {
    // Go's `.` is one code point and matches `\r`; JavaScript's is a UTF-16 unit and does not.
    expect(matches('^.$', '😀')).toBe(true);
    expect(matches('^a.b$', 'a\rb')).toBe(true);
    expect(matches('^a*$', 'a'.repeat(300))).toBe(true);
  });
});
