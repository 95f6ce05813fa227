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
