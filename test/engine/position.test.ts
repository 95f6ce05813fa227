import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { lineCounterOf, parseYamlText } from '../../src/yaml/parse.js';
import { offsetsOfPath, regionOf } from '../../src/yaml/position.js';
import { yaml } from '../../src/testing/index.js';
import type { YamlPath } from '../../src/model/finding.js';

const text = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    template:
      spec:
        containers:
          - name: app
            image: "ghcr.io/acme/web:1.2"
            env:
              - name: MODE
                value: fast
  ---
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: second
  data: {}
`;

function regionAt(docIndex: number, path: YamlPath, key = false) {
  const parsed = parseYamlText(text);
  const doc = parsed.documents[docIndex]?.doc;
  if (!doc) throw new Error('no document');
  return regionOf(lineCounterOf(text), offsetsOfPath(doc, text, path, key));
}

describe('position lookup', () => {
  it('finds a quoted scalar with its quotes', () => {
    expect(regionAt(0, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toEqual({ startLine: 10, startColumn: 18, endLine: 10, endColumn: 40 });
  });

  it('shows a mapping by its key', () => {
    expect(regionAt(0, ['spec', 'template', 'spec', 'containers', 0, 'env'])).toEqual({ startLine: 11, startColumn: 11, endLine: 11, endColumn: 14 });
  });

  it('shows a list item by its first line', () => {
    expect(regionAt(0, ['spec', 'template', 'spec', 'containers', 0, 'env', 0])).toEqual({ startLine: 12, startColumn: 15, endLine: 12, endColumn: 25 });
  });

  it('falls back to the closest existing parent for a missing path', () => {
    expect(regionAt(0, ['spec', 'template', 'spec', 'containers', 0, 'imagePullPolicy'])).toEqual({ startLine: 9, startColumn: 11, endLine: 9, endColumn: 20 });
    expect(regionAt(0, ['spec', 'replicas'])).toEqual({ startLine: 5, startColumn: 1, endLine: 5, endColumn: 5 });
  });

  it('highlights the key itself when asked', () => {
    expect(regionAt(0, ['metadata', 'name'], true)).toEqual({ startLine: 4, startColumn: 3, endLine: 4, endColumn: 7 });
  });

  it('uses file offsets in later documents', () => {
    expect(regionAt(1, ['metadata', 'name'])).toEqual({ startLine: 18, startColumn: 9, endLine: 18, endColumn: 15 });
    expect(regionAt(1, ['data'])).toEqual({ startLine: 19, startColumn: 1, endLine: 19, endColumn: 5 });
  });

  it('shows the first line of a document for the empty path', () => {
    expect(regionAt(1, [])).toEqual({ startLine: 15, startColumn: 1, endLine: 15, endColumn: 15 });
  });
});

describe('positions from js-yaml, without the yaml AST', () => {
  function fastRegionAt(source: string, docIndex: number, path: YamlPath, key = false) {
    const offsets = parseYamlText(source).documents[docIndex]?.offsets?.(path, key);
    return offsets && regionOf(lineCounterOf(source), offsets);
  }

  it('gives the AST answers for scalars, keys, list items and missing paths', () => {
    expect(fastRegionAt(text, 0, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toEqual({ startLine: 10, startColumn: 18, endLine: 10, endColumn: 40 });
    expect(fastRegionAt(text, 0, ['spec', 'template', 'spec', 'containers', 0, 'env'])).toEqual({ startLine: 11, startColumn: 11, endLine: 11, endColumn: 14 });
    expect(fastRegionAt(text, 0, ['spec', 'template', 'spec', 'containers', 0, 'env', 0])).toEqual({ startLine: 12, startColumn: 15, endLine: 12, endColumn: 25 });
    expect(fastRegionAt(text, 0, ['spec', 'template', 'spec', 'containers', 0, 'imagePullPolicy'])).toEqual({ startLine: 9, startColumn: 11, endLine: 9, endColumn: 20 });
    expect(fastRegionAt(text, 0, ['metadata', 'name'], true)).toEqual({ startLine: 4, startColumn: 3, endLine: 4, endColumn: 7 });
    expect(fastRegionAt(text, 1, ['metadata', 'name'])).toEqual({ startLine: 18, startColumn: 9, endLine: 18, endColumn: 15 });
  });

  it('trims what follows a plain scalar on its line and keeps the quotes of a flow one', () => {
    const source = 'a: value   # was: old\nb: {c: "d e", f: [g, h]}\n';
    expect(fastRegionAt(source, 0, ['a'])).toEqual({ startLine: 1, startColumn: 4, endLine: 1, endColumn: 9 });
    expect(fastRegionAt(source, 0, ['b', 'c'])).toEqual({ startLine: 2, startColumn: 8, endLine: 2, endColumn: 13 });
    expect(fastRegionAt(source, 0, ['b', 'f', 1])).toEqual({ startLine: 2, startColumn: 22, endLine: 2, endColumn: 23 });
  });

  it('leaves to the AST the document root, block scalars, tags and empty values', () => {
    const source = '# head\na: |\n  text\nb: !!str 1\nc:\nd:\n  - # note\n    e: f\n';
    expect(fastRegionAt(source, 0, [])).toBeUndefined();
    expect(fastRegionAt(source, 0, ['a'])).toBeUndefined();
    expect(fastRegionAt(source, 0, ['b'])).toBeUndefined();
    expect(fastRegionAt(source, 0, ['c'])).toBeUndefined();
    // A comment before a list item's mapping is not part of it (the AST says so too).
    expect(fastRegionAt(source, 0, ['d', 0])).toEqual({ startLine: 8, startColumn: 5, endLine: 8, endColumn: 9 });
    expect(fastRegionAt(source, 0, ['d', 0, 'e'])).toEqual({ startLine: 8, startColumn: 8, endLine: 8, endColumn: 9 });
  });

  it('leaves positions to the AST once it is built', () => {
    const parsed = parseYamlText(text);
    expect(parsed.documents[1]?.doc.contents).toBeTruthy();
    expect(parsed.documents[1]?.offsets?.(['metadata', 'name'])).toBeUndefined();
  });

  it('answers as the AST does on every path of the examples and fixtures', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const files = ['examples', 'test/fixtures'].flatMap((dir) => readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' }).map((file) => path.join(root, dir, file))).filter((file) => /\.ya?ml$/.test(file));
    let answered = 0;
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      const parsed = parseYamlText(source);
      const asts = parseAllDocuments(source, { merge: true, uniqueKeys: false });
      parsed.documents.forEach((document, index) => {
        const ast = Array.isArray(asts) ? asts[index] : asts;
        if (!document.offsets || !ast) return;
        for (const at of everyPath(document.value, [])) {
          for (const key of [false, true]) {
            const fast = document.offsets(at, key);
            if (!fast) continue;
            answered++;
            expect([file, at, key, fast]).toEqual([file, at, key, offsetsOfPath(ast, source, at, key)]);
          }
        }
      });
    }
    expect(answered).toBeGreaterThan(10000);
  });
});

/** Every path of a value, and a missing child of each. */
function everyPath(value: unknown, at: YamlPath): YamlPath[] {
  const out: YamlPath[] = [at, [...at, 'missing-key'], [...at, 99]];
  if (Array.isArray(value)) value.forEach((item, index) => out.push(...everyPath(item, [...at, index])));
  else if (value !== null && typeof value === 'object') for (const [key, child] of Object.entries(value)) out.push(...everyPath(child, [...at, key]));
  return out;
}
