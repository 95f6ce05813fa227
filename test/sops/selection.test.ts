import { describe, expect, it } from 'vitest';
import { SELECTION_KEYS, defaultSelection, describeSelection, makeSelection, mustEncrypt, sameSelection, type Selection } from '../../src/sops/selection.js';

function selection(key: Parameters<typeof makeSelection>[0], value: string): Selection {
  const made = makeSelection(key, value);
  if (!made.ok) throw new Error(made.reason);
  return made.selection;
}

describe('mustEncrypt', () => {
  it('encrypts everything but *_unencrypted keys by default', () => {
    const s = defaultSelection();
    expect(mustEncrypt(s, ['apiVersion'])).toBe(true);
    expect(mustEncrypt(s, ['database', 'host_unencrypted'])).toBe(false);
    expect(mustEncrypt(s, ['config_unencrypted', 'nested', 'value'])).toBe(false);
  });

  it('encrypts only paths with an encrypted_suffix key', () => {
    const s = selection('encrypted_suffix', '_secret');
    expect(mustEncrypt(s, ['db_secret', 'password'])).toBe(true);
    expect(mustEncrypt(s, ['db', 'password'])).toBe(false);
  });

  it('tests encrypted_regex against every key on the path, unanchored', () => {
    const anchored = selection('encrypted_regex', '^(data|stringData)$');
    expect(mustEncrypt(anchored, ['stringData', 'password'])).toBe(true);
    expect(mustEncrypt(anchored, ['metadata', 'name'])).toBe(false);
    const unanchored = selection('encrypted_regex', 'data|stringData');
    expect(mustEncrypt(unanchored, ['metadata', 'name'])).toBe(true);
  });

  it('leaves paths matching unencrypted_regex plain', () => {
    const s = selection('unencrypted_regex', '^(apiVersion|kind|metadata|type)$');
    expect(mustEncrypt(s, ['metadata', 'name'])).toBe(false);
    expect(mustEncrypt(s, ['data', 'token'])).toBe(true);
  });

  it('decides the comment modes by the comments before each key', () => {
    const enc = selection('encrypted_comment_regex', 'sops:enc');
    expect(mustEncrypt(enc, ['db', 'password'], [[], [' sops:enc']])).toBe(true);
    expect(mustEncrypt(enc, ['db', 'password'], [[' sops:enc'], []])).toBe(true);
    expect(mustEncrypt(enc, ['db', 'host'], [[], [' plain']])).toBe(false);
    const unenc = selection('unencrypted_comment_regex', 'sops:plain');
    expect(mustEncrypt(unenc, ['db', 'host'], [[], [' sops:plain']])).toBe(false);
    expect(mustEncrypt(unenc, ['db', 'password'])).toBe(true);
  });
});

describe('mustEncrypt with RE2 selection regexes', () => {
  it('turns case folding on in the middle of an encrypted_regex', () => {
    const s = selection('encrypted_regex', '^(string)?(?i)data$');
    expect(mustEncrypt(s, ['stringDATA', 'password'])).toBe(true);
    expect(mustEncrypt(s, ['STRINGdata', 'password'])).toBe(false);
  });

  it('evaluates in linear time an unencrypted_regex that backtracks exponentially in JavaScript', () => {
    const s = selection('unencrypted_regex', '^([a-zA-Z]+_?)*$');
    const started = performance.now();
    expect(mustEncrypt(s, [`${'database_host_'.repeat(40)}!`])).toBe(true);
    expect(mustEncrypt(s, ['database_host'])).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('makeSelection', () => {
  it('reports a regex Go cannot compile instead of throwing', () => {
    expect(makeSelection('encrypted_regex', '^(?=data)')).toEqual({ ok: false, reason: 'invalid or unsupported Perl syntax: `(?=`' });
  });
});

describe('sameSelection', () => {
  it('says what comparing the two describeSelection texts says, for every key and tricky values', () => {
    const values = ['', '_unencrypted', '^(data|stringData)$', 'x: y', ': _unencrypted', 'regex: x', 'suffix: encrypted_regex: x'];
    const all = [defaultSelection(), ...SELECTION_KEYS.flatMap((key) => values.map((value) => ({ key, value })))];
    let same = 0;
    for (const a of all) {
      for (const b of all) {
        expect(sameSelection(a, b)).toBe(describeSelection(a) === describeSelection(b));
        if (sameSelection(a, b)) same++;
      }
    }
    expect(same).toBeGreaterThan(all.length);
  });
});
