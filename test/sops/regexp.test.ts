import { describe, expect, it } from 'vitest';
import { convertGoRegexp } from '../../src/sops/regexp.js';

function source(pattern: string): { source: string; flags: string } | string {
  const result = convertGoRegexp(pattern);
  return result.ok ? { source: result.regexp.source, flags: result.regexp.flags } : result.reason;
}

describe('convertGoRegexp', () => {
  it('keeps the recommended Flux regex as it is', () => {
    expect(source('^(data|stringData)$')).toEqual({ source: '^(data|stringData)$', flags: '' });
  });

  it('stays unanchored, as Go MatchString is', () => {
    const result = convertGoRegexp('data|stringData');
    expect(result.ok && result.regexp.test('metadata')).toBe(true);
  });

  it('maps a leading flag group onto JS flags', () => {
    expect(source('(?i)^secret')).toEqual({ source: '^secret', flags: 'i' });
    expect(source('(?s)a.b')).toEqual({ source: 'a.b', flags: 's' });
  });

  it('renames Python-style named groups', () => {
    expect(source('(?P<env>prod|dev)/')).toEqual({ source: '(?<env>prod|dev)\\/', flags: '' });
  });

  it('turns \\A and \\z into input-boundary assertions', () => {
    const result = convertGoRegexp('\\Asecrets/.*\\.yaml\\z');
    expect(result.ok && result.regexp.test('secrets/a.yaml')).toBe(true);
    expect(result.ok && result.regexp.test('x/secrets/a.yaml')).toBe(false);
    expect(result.ok && result.regexp.test('secrets/a.yaml\n')).toBe(false);
  });

  it('expands POSIX classes', () => {
    const result = convertGoRegexp('^[[:alpha:]_]+$');
    expect(result.ok && result.regexp.test('stringData')).toBe(true);
    expect(result.ok && result.regexp.test('data1')).toBe(false);
  });

  it('reads \\Q…\\E as a literal', () => {
    const result = convertGoRegexp('\\Q.enc.yaml\\E$');
    expect(result.ok && result.regexp.test('a.enc.yaml')).toBe(true);
    expect(result.ok && result.regexp.test('aXencXyaml')).toBe(false);
  });

  it('reads a ] right after [ as a literal, like RE2', () => {
    const result = convertGoRegexp('[]a]');
    expect(result.ok && result.regexp.test(']')).toBe(true);
  });

  it('reads a brace that is no repetition as a literal', () => {
    const result = convertGoRegexp('a{,3}');
    expect(result.ok && result.regexp.test('a{,3}')).toBe(true);
  });

  it('converts Unicode classes with the u flag', () => {
    expect(source('^\\p{Greek}+$')).toEqual({ source: '^\\p{Script=Greek}+$', flags: 'u' });
    expect(source('\\pL')).toEqual({ source: '\\p{L}', flags: 'u' });
  });

  it('converts octal and hex escapes', () => {
    const result = convertGoRegexp('\\101\\x42\\x{43}');
    expect(result.ok && result.regexp.test('ABC')).toBe(true);
  });

  it('rejects what RE2 rejects', () => {
    expect(source('(?=data)')).toBe('lookaround is not supported by RE2');
    expect(source('(a)\\1')).toBe('backreferences are not supported by RE2');
    expect(source('a{1001}')).toBe('RE2 allows at most 1000 repetitions');
    expect(source('\\y')).toBe('\\y is not supported by RE2 or has no JavaScript equivalent');
    expect(source('[a')).toBe('a character class is not closed');
    expect(source('abc\\')).toBe('the pattern ends with a lone backslash');
  });

  it('rejects RE2 features JavaScript lacks', () => {
    expect(source('(?U)a+')).toBe('the ungreedy flag (?U) has no JavaScript equivalent');
    expect(source('a(?i)b')).toBe('inline flags are only convertible at the start of the pattern');
    expect(source('[[:^alpha:]]')).toBe('negated POSIX classes have no JavaScript equivalent');
  });

  it('reports a pattern neither engine accepts', () => {
    expect(source('*data')).toBe('it is not a valid regular expression');
    expect(source('(data')).toBe('it is not a valid regular expression');
  });
});
