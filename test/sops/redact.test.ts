import { describe, expect, it } from 'vitest';
import { sopsSecretRanges } from '../../src/sops/redact.js';
import { modelOf } from '../helpers.js';

const ENC = 'ENC[AES256_GCM,data:zMaBkieue1959g==,iv:JSjcPuw3KJ1prBbWJ5PN1Y7+Y2eC3fLX8AgduwJfjA0=,tag:630Hx+Qq4eXFTUuvSSgL9w==,type:str]';

function masked(files: Record<string, string>, path: string, withModel = true): string[] {
  const model = modelOf({ repo: files });
  const file = model.files.find((f) => f.path === path);
  if (!file?.text) throw new Error(`no ${path}`);
  const text = file.text;
  return sopsSecretRanges(file, withModel ? model : undefined).map(([start, end]) => text.slice(start, end));
}

describe('sopsSecretRanges', () => {
  it('masks the values and comments an encrypted file selects, whatever their names', () => {
    const text = [
      '# top-level note stays visible',
      'metadata:',
      '    name: db',
      'stringData:',
      '    # under stringData',
      `    host: db.internal`,
      `    password: ${ENC}`,
      'sops:',
      '    encrypted_regex: ^(data|stringData)$',
      '    version: 3.9.4',
      '',
    ].join('\n');
    expect(masked({ 'db.yaml': text }, 'db.yaml')).toEqual([' under stringData', 'db.internal', ENC]);
  });

  it('masks every value and comment when the selection cannot be read', () => {
    const text = ['# note', 'a: one', 'b: two', 'sops:', '    encrypted_regex: (?=x)', '    version: 3.9.4', ''].join('\n');
    expect(masked({ 'x.yaml': text }, 'x.yaml')).toEqual([' note', 'one', 'two']);
  });

  it('masks the values a creation rule selects in a plaintext file it covers', () => {
    const files = {
      '.sops.yaml': 'creation_rules:\n  - path_regex: \\.enc\\.yaml$\n    encrypted_regex: ^secret\n',
      'tf/vars.enc.yaml': 'workspace: lotus\nsecret_key: abc\nsecrets:\n  - def\n',
    };
    expect(masked(files, 'tf/vars.enc.yaml')).toEqual(['abc', 'def']);
    expect(masked(files, 'tf/vars.enc.yaml', false)).toEqual([]);
  });

  it('masks nothing in a plain file no rule covers', () => {
    expect(masked({ 'a.yaml': 'password: x\n' }, 'a.yaml')).toEqual([]);
  });
});
