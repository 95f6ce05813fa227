import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, type Document } from 'yaml';
import { analyzeDocument, documentComments, onlyTopLevelHeadComments, precedingComments } from '../../src/sops/document.js';

const ENC_STR =
  'ENC[AES256_GCM,data:zMaBkieue1959g==,iv:JSjcPuw3KJ1prBbWJ5PN1Y7+Y2eC3fLX8AgduwJfjA0=,tag:630Hx+Qq4eXFTUuvSSgL9w==,type:str]';
const ENC_COMMENT =
  'ENC[AES256_GCM,data:58H4+6KU76jh+82gdBM76VD3A30=,iv:LGzZG2d2CqOVRWc+9Zl0AIKIHoVjPkTZRAE5YjYZU+A=,tag:zz7R8Ex8TkZeVnrrXsNjVA==,type:comment]';

function parse(text: string): Document.Parsed[] {
  return parseAllDocuments(text) as Document.Parsed[];
}

function fixtureText(name: string): string {
  return readFileSync(new URL(`../fixtures/sops/${name}`, import.meta.url), 'utf8');
}

describe('analyzeDocument values', () => {
  it('classifies every value of a sops 3.10 file, skipping the sops block', () => {
    const [doc] = parse(fixtureText('tofu-vars.sops-3.10.yaml'));
    const values = analyzeDocument(doc!).values.map((v) => [v.path.join('.'), v.keys.join('.'), v.state]);
    expect(values).toEqual([
      ['database.password', 'database.password', 'encrypted'],
      ['database.port', 'database.port', 'encrypted'],
      ['database.ssl', 'database.ssl', 'encrypted'],
      ['database.ratio', 'database.ratio', 'encrypted'],
      ['database.host_unencrypted', 'database.host_unencrypted', 'plain'],
      ['database.replicas.0', 'database.replicas', 'encrypted'],
      ['database.replicas.1', 'database.replicas', 'encrypted'],
      ['database.note', 'database.note', 'empty'],
      ['database.legacy', 'database.legacy', 'empty'],
    ]);
  });

  it('gives the problem of a malformed ENC value and its offsets', () => {
    const text = 'stringData:\n  password: ENC[AES256_GCM,data:abc]\n';
    const [doc] = parse(text);
    const [value] = analyzeDocument(doc!).values;
    expect(value?.state).toBe('malformed');
    expect(value?.problem).toBe('the value does not have the form ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]');
    expect(text.slice(value!.range[0], value!.range[1])).toBe('ENC[AES256_GCM,data:abc]');
  });

  it('finds repeated keys, in the sops block too', () => {
    const text = 'stringData:\n  a: x\n  b: y\n  a: z\nsops:\n  version: 3.9.0\n  version: 3.9.1\n';
    const [doc] = parse(text);
    const duplicates = analyzeDocument(doc!).duplicates;
    expect(duplicates.map((d) => [d.key, d.mapPath, text.slice(d.range[0], d.range[1]), d.range[0]])).toEqual([
      ['a', ['stringData'], 'a', 28],
      ['version', ['sops'], 'version', 58],
    ]);
  });

  it('does not descend past the depth limit', () => {
    const text = `${'['.repeat(400)}x${']'.repeat(400)}`;
    const [doc] = parse(text);
    expect(analyzeDocument(doc!).values).toEqual([]);
  });
});

describe('documentComments', () => {
  it('files comments under the branch sops judges them by', () => {
    const text = fixtureText('backup-secret.sops-3.8.yaml');
    const docs = parse(text);
    const comments = documentComments(text, docs, 0).map((c) => [text.slice(c.range[0], c.range[0] + 6), c.keys, c.state]);
    expect(comments).toEqual([
      ['# S3 c', [], 'plain'],
      ['#ENC[A', ['stringData'], 'encrypted'],
    ]);
  });

  it('places head, trailing, foot and list comments', () => {
    const text = [
      '# top', //
      'data: # on data',
      '  # head of a',
      '  a: x # after x',
      '  list:',
      '    # before item',
      '    - i1 # after i1',
      '  # foot of data',
      '# before kind',
      'kind: Secret',
      '',
    ].join('\n');
    const docs = parse(text);
    const comments = documentComments(text, docs, 0).map((c) => [text.slice(c.range[0] + 2, c.range[1]), c.keys]);
    expect(comments).toEqual([
      ['top', []],
      ['on data', []],
      ['head of a', ['data']],
      ['after x', ['data']],
      ['before item', ['data', 'list']],
      ['after i1', ['data', 'list']],
      ['foot of data', ['data']],
      ['before kind', []],
    ]);
  });

  it('skips comments in the sops block and marks directives', () => {
    const text = [
      '# gitops-lint-disable sops-secret-encrypted -- reviewed',
      `data: ${ENC_STR}`,
      'sops:',
      '  # inside',
      '  version: 3.9.0',
      '',
    ].join('\n');
    const comments = documentComments(text, parse(text), 0);
    expect(comments).toEqual([{ range: [0, 55], keys: [], directive: true, state: 'plain' }]);
  });

  it('gives each document its own comments, and between-document comments to the next', () => {
    const text = ['a: 1 # one', '---', '# two', 'b: 2', '...', '# three', '---', 'c: 3', ''].join('\n');
    const docs = parse(text);
    const texts = (i: number): string[] => documentComments(text, docs, i).map((c) => text.slice(c.range[0], c.range[1]));
    expect(texts(0)).toEqual(['# one']);
    expect(texts(1)).toEqual(['# two']);
    expect(texts(2)).toEqual(['# three']);
  });

  it('reports a malformed encrypted comment and one with a value type', () => {
    const text = `data:\n  #ENC[AES256_GCM,data:x]\n  #${ENC_STR}\n  #${ENC_COMMENT}\n  a: b\n`;
    const states = documentComments(text, parse(text), 0).map((c) => [c.state, c.problem]);
    expect(states).toEqual([
      ['malformed', 'the value does not have the form ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]'],
      ['malformed', 'a comment must have type comment'],
      ['encrypted', undefined],
    ]);
  });
});

describe('precedingComments', () => {
  it('collects, per key of the path, the comments right before it', () => {
    const text = ['# sops:enc', 'db:', '  host: h', '  # sops:enc', '  password: p # note', ''].join('\n');
    const docs = parse(text);
    const values = analyzeDocument(docs[0]!).values;
    expect(values.map((v) => precedingComments(text, docs, 0, v))).toEqual([
      [[' sops:enc'], []],
      [[' sops:enc'], [' sops:enc', ' note']],
    ]);
  });
});

describe('onlyTopLevelHeadComments', () => {
  const headerOnly = {
    'a header before apiVersion': '# Edit with sops.\n# Second line.\napiVersion: v1\nkind: Secret\nstringData:\n  a: b\n',
    'blank lines and CRLF': '\r\n# one\r\n\r\n#two\r\napiVersion: v1\r\n',
    'a multi-document file with the header in the first': '# head\na: 1\n---\nb: 2\n',
    'a key with no value on its line': '# head\ndata:\n  a: b\n',
  };
  const doubtful = {
    'a trailing comment': '# head\na: 1 # tail\n',
    'a comment under a key': '# head\ndata:\n  # inner\n  a: b\n',
    'an indented header comment': '  # head\na: 1\n',
    'a document start marker': '# head\n---\na: 1\n',
    'a top-level sequence': '# head\n- a\n',
    'a quoted first key': '# head\n"a": 1\n',
    'a hash inside a later value': '# head\nurl: http://x/#frag\n',
    'comments only': '# head\n',
    'a comment in a later document': '# head\na: 1\n---\n# two\nb: 2\n',
  };

  it.each(Object.entries(headerOnly))('is true for %s, where sops files every comment at the top level', (_name, text) => {
    expect(onlyTopLevelHeadComments(text)).toBe(true);
    const docs = parse(text);
    const keys = docs.flatMap((_doc, index) => documentComments(text, docs, index).map((c) => [index, c.keys]));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys).toEqual(keys.map(() => [0, []]));
  });

  it.each(Object.entries(doubtful))('is false for %s', (_name, text) => {
    expect(onlyTopLevelHeadComments(text)).toBe(false);
  });
});
