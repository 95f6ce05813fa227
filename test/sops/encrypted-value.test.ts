import { describe, expect, it } from 'vitest';
import { looksEncrypted, parseEncryptedValue } from '../../src/sops/encrypted-value.js';

const IV = 'JSjcPuw3KJ1prBbWJ5PN1Y7+Y2eC3fLX8AgduwJfjA0=';
const TAG = '630Hx+Qq4eXFTUuvSSgL9w==';

describe('parseEncryptedValue', () => {
  it('accepts a value as sops writes it', () => {
    expect(parseEncryptedValue(`ENC[AES256_GCM,data:zMaBkieue1959g==,iv:${IV},tag:${TAG},type:str]`)).toEqual({
      ok: true,
      type: 'str',
    });
  });

  it('accepts every value type sops writes', () => {
    for (const type of ['int', 'float', 'bool', 'bytes', 'time']) {
      expect(parseEncryptedValue(`ENC[AES256_GCM,data:0jIxcA==,iv:${IV},tag:${TAG},type:${type}]`)).toEqual({ ok: true, type });
    }
  });

  it('rejects a value that does not follow the grammar', () => {
    expect(parseEncryptedValue('ENC[AES256_GCM,data:abc]')).toEqual({
      ok: false,
      problem: 'the value does not have the form ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]',
    });
    expect(parseEncryptedValue(`ENC[AES256_CBC,data:0jIxcA==,iv:${IV},tag:${TAG},type:str]`).ok).toBe(false);
    expect(parseEncryptedValue(`ENC[AES256_GCM,data:0jIxcA==,iv:${IV},tag:${TAG},type:str] `).ok).toBe(false);
  });

  it('rejects data that is not padded base64', () => {
    expect(parseEncryptedValue(`ENC[AES256_GCM,data:0jIxcA=,iv:${IV},tag:${TAG},type:str]`)).toEqual({
      ok: false,
      problem: 'the data is not base64',
    });
    expect(parseEncryptedValue(`ENC[AES256_GCM,data:,iv:${IV},tag:${TAG},type:str]`)).toEqual({
      ok: false,
      problem: 'the data is not base64',
    });
  });

  it('rejects an iv or tag of the wrong length', () => {
    expect(parseEncryptedValue(`ENC[AES256_GCM,data:0jIxcA==,iv:${TAG},tag:${TAG},type:str]`)).toEqual({
      ok: false,
      problem: 'the iv is not 32 bytes of base64',
    });
    expect(parseEncryptedValue(`ENC[AES256_GCM,data:0jIxcA==,iv:${IV},tag:${IV},type:str]`)).toEqual({
      ok: false,
      problem: 'the tag is not 16 bytes of base64',
    });
  });

  it('checks the type against where the value is used', () => {
    const comment = `ENC[AES256_GCM,data:0jIxcA==,iv:${IV},tag:${TAG},type:comment]`;
    const str = `ENC[AES256_GCM,data:0jIxcA==,iv:${IV},tag:${TAG},type:str]`;
    const int = `ENC[AES256_GCM,data:0jIxcA==,iv:${IV},tag:${TAG},type:int]`;
    expect(parseEncryptedValue(comment, 'comment')).toEqual({ ok: true, type: 'comment' });
    expect(parseEncryptedValue(comment)).toEqual({ ok: false, problem: 'only a comment may have type comment' });
    expect(parseEncryptedValue(str, 'comment')).toEqual({ ok: false, problem: 'a comment must have type comment' });
    expect(parseEncryptedValue(int, 'mac')).toEqual({ ok: false, problem: 'the MAC must have type str' });
    expect(parseEncryptedValue(`ENC[AES256_GCM,data:0jIxcA==,iv:${IV},tag:${TAG},type:blob]`)).toEqual({
      ok: false,
      problem: 'the type is unknown',
    });
  });
});

describe('looksEncrypted', () => {
  it('is true for anything meant to be an encrypted value', () => {
    expect(looksEncrypted('ENC[broken')).toBe(true);
    expect(looksEncrypted('hunter2')).toBe(false);
    expect(looksEncrypted(' ENC[')).toBe(false);
  });
});
