/**
 * Positions read from the lines of plain block YAML (src/yaml/block-positions.ts): what they
 * answer must be what the `yaml` AST answers (`offsetsOfPath`), for every path; what they
 * cannot vouch for they leave to js-yaml's pass (`undefined`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { parseAllDocuments, type Document } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { YamlPath } from '../../src/model/finding.js';
import { blockPositions } from '../../src/yaml/block-positions.js';
import { offsetsOfPath } from '../../src/yaml/position.js';
import { documentPositions, offsetsOfValuePath } from '../../src/yaml/value-positions.js';

const SCHEMA = jsYaml.CORE_SCHEMA.extend({ implicit: [(jsYaml as unknown as { types: { merge: jsYaml.Type } }).types.merge] });
const lines = (...text: string[]): string => `${text.join('\n')}\n`;

function treesOf(text: string) {
  const values = jsYaml.loadAll(text, undefined, { schema: SCHEMA });
  return { values, trees: blockPositions(text, values) };
}

/** The text a path points at, from the line-read trees. */
function pointed(text: string, at: YamlPath, key = false, doc = 0): string | undefined {
  const offsets = offsetsOfValuePath(treesOf(text).trees?.[doc], text, at, key);
  return offsets && text.slice(offsets[0], offsets[1]);
}

/** Every path of a value, plus a missing key under each node and one index past each list. */
function everyPath(value: unknown, at: YamlPath = [], out: YamlPath[] = []): YamlPath[] {
  out.push(at, [...at, 'not-there']);
  if (Array.isArray(value)) {
    value.forEach((item, index) => everyPath(item, [...at, index], out));
    out.push([...at, value.length]);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) everyPath(item, [...at, key], out);
  }
  return out;
}

/** How many answers the line-read trees gave for `text`, each checked against the AST. */
function checkAgainstAst(text: string, name: string): number {
  const { values, trees } = treesOf(text);
  if (!trees) return 0;
  const parsed = parseAllDocuments(text, { merge: true, uniqueKeys: false });
  const asts = (Array.isArray(parsed) ? parsed : [parsed]) as Document.Parsed[];
  let answers = 0;
  values.forEach((value, index) => {
    for (const at of everyPath(value)) {
      for (const key of [false, true]) {
        const offsets = offsetsOfValuePath(trees[index], text, at, key);
        if (offsets === undefined) continue;
        answers++;
        expect(offsets, `${name} ${JSON.stringify(at)} key=${key}`).toEqual(offsetsOfPath(asts[index]!, text, at, key));
      }
    }
  });
  return answers;
}

const DEPLOYMENT = lines(
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: app',
  '  labels: {app: app, tier: [web, edge]}',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: app',
  '          image: ghcr.io/acme/app:latest',
  '          args:',
  '          - --port=8080',
  "          - 'it''s'",
  '          resources:',
  '            requests: {cpu: 100m, memory: 128Mi}',
);

describe('positions read from the lines of plain block YAML', () => {
  it('points at scalars, keys, flow items and list items of a Deployment as the AST does', () => {
    expect(pointed(DEPLOYMENT, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('ghcr.io/acme/app:latest');
    expect(pointed(DEPLOYMENT, ['spec', 'template', 'spec', 'containers', 0, 'image'], true)).toBe('image');
    expect(pointed(DEPLOYMENT, ['spec', 'template', 'spec', 'containers', 0])).toBe('name: app');
    expect(pointed(DEPLOYMENT, ['spec', 'template', 'spec', 'containers', 0, 'args', 1])).toBe("'it''s'");
    expect(pointed(DEPLOYMENT, ['spec', 'template', 'spec', 'containers', 0, 'resources', 'requests', 'memory'])).toBe('128Mi');
    expect(pointed(DEPLOYMENT, ['metadata', 'labels', 'tier', 1])).toBe('edge');
    expect(pointed(DEPLOYMENT, ['metadata', 'labels'])).toBe('labels');
    expect(pointed(DEPLOYMENT, ['spec', 'template', 'spec', 'containers', 0, 'missing'])).toBe('name: app');
    expect(checkAgainstAst(DEPLOYMENT, 'deployment')).toBeGreaterThan(50);
  });

  it('reads each document of a multi-document file, a list at its key indentation and an empty value', () => {
    const text = lines('---', 'a: 1', 'list:', '- x', '- y: z', 'empty:', '---', 'b: [p, {q: r}]');
    expect(pointed(text, ['list', 1, 'y'])).toBe('z');
    expect(pointed(text, ['b', 1, 'q'], false, 1)).toBe('r');
    expect(checkAgainstAst(text, 'documents')).toBeGreaterThan(10);
  });

  it('reads around comments: a list item mapping shows its first line with its comment, as the AST does', () => {
    const text = lines('# head', 'list: # the list', '  - name: app # first', '    x: 1', '  # between', '  - name: b', 'a: b#c', 'k: v # after');
    expect(pointed(text, ['list', 0])).toBe('name: app # first');
    expect(pointed(text, ['list', 0, 'name'])).toBe('app');
    expect(pointed(text, ['a'])).toBe('b#c');
    expect(pointed(text, ['k'])).toBe('v');
    expect(checkAgainstAst(text, 'comments')).toBeGreaterThan(10);
  });

  it('leaves to js-yaml what it cannot vouch for: a comment after quotes, block scalars, tags, anchors, multi-line scalars, odd keys, nested lists', () => {
    for (const text of [
      lines('a: "x #y" # note'),
      lines('a: !!str 1'),
      lines('? a', ': b'),
      lines('a: |', '  text'),
      lines('a: &x 1', 'b: *x'),
      lines('a: plain', '  continued'),
      lines('a: "open', '  close"'),
      lines('true: 1'),
      lines('1: one'),
      lines('- - nested'),
      lines('a: {b: [c,', '  d]}'),
      lines('a: [b, "c"]'),
      lines('key : spaced'),
      lines('a: 1 '),
      // An escaped quote does not close a scalar; the next line (a comment to the line reader) goes on with it.
      lines('p:', '  a: "x\\"', '   # y"', 'q: 1'),
      lines('- "x\\"', '  # y"'),
      lines('a: Otter\u00a0'),
    ]) {
      expect(treesOf(text).trees, text).toBeUndefined();
    }
  });

  it('answers as the AST does for every path of every YAML file of examples/ it reads', () => {
    let answers = 0;
    let read = 0;
    for (const name of readdirSync('examples', { recursive: true, encoding: 'utf8' }).filter((file) => /\.ya?ml$/.test(file))) {
      const text = readFileSync(path.join('examples', name), 'utf8');
      let count: number;
      try {
        count = checkAgainstAst(text, name);
      } catch (error) {
        // Files js-yaml rejects (the broken examples) have no values to read positions for.
        if (error instanceof jsYaml.YAMLException) continue;
        throw error;
      }
      if (count > 0) read++;
      answers += count;
    }
    expect(read).toBeGreaterThan(10);
    expect(answers).toBeGreaterThan(400);
  });

  it('places keys before comments, flow mappings closed before a comment and `#` inside values on later lines as the AST does', () => {
    // The reader looks for the next `#` once per `#`, not once per line: lines before, between and after them.
    const text = lines(
      'a: b#c',
      'key: # nothing',
      'm: {x: y} # flow',
      'list:',
      '  - p#q',
      '  - {k: v}   # spaced',
      '# own line',
      'tail: end#',
      'z: [1, 2]',
    );
    expect(pointed(text, ['a'])).toBe('b#c');
    expect(treesOf(text).trees).toHaveLength(1);
    // An empty value: the tree reads it, and the AST answers for it.
    expect(pointed(text, ['key'])).toBeUndefined();
    expect(pointed(text, ['m', 'x'])).toBe('y');
    expect(pointed(text, ['list', 0])).toBe('p#q');
    expect(pointed(text, ['list', 1, 'k'])).toBe('v');
    expect(pointed(text, ['tail'])).toBe('end#');
    expect(pointed(text, ['z', 1])).toBe('2');
    expect(checkAgainstAst(text, 'hashes')).toBeGreaterThan(30);
  });

  it('answers as the AST and as js-yaml\'s pass do for every path of every YAML file of examples/ and test/fixtures/', () => {
    let read = 0;
    let compared = 0;
    for (const dir of ['examples', 'test/fixtures']) {
      for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => /\.ya?ml$/.test(file))) {
        const file = path.join(dir, name);
        const text = readFileSync(file, 'utf8');
        let values: unknown[];
        try {
          values = jsYaml.loadAll(text, undefined, { schema: SCHEMA });
        } catch (error) {
          if (error instanceof jsYaml.YAMLException) continue;
          throw error;
        }
        const trees = blockPositions(text, values);
        if (!trees) continue;
        read++;
        expect(trees, file).toHaveLength(values.length);
        const parsed = parseAllDocuments(text, { merge: true, uniqueKeys: false });
        const asts = (Array.isArray(parsed) ? parsed : [parsed]) as Document.Parsed[];
        const passed = documentPositions(text, SCHEMA, values.length);
        values.forEach((value, index) => {
          for (const at of everyPath(value)) {
            for (const key of [false, true]) {
              const offsets = offsetsOfValuePath(trees[index], text, at, key);
              if (offsets === undefined) continue;
              expect(offsets, `${file} ${JSON.stringify(at)} key=${key}`).toEqual(offsetsOfPath(asts[index]!, text, at, key));
              const fromPass = passed && offsetsOfValuePath(passed[index], text, at, key);
              if (fromPass) {
                compared++;
                expect(offsets, `${file} ${JSON.stringify(at)} key=${key} (js-yaml pass)`).toEqual(fromPass);
              }
            }
          }
        });
      }
    }
    expect(read).toBeGreaterThan(30);
    expect(compared).toBeGreaterThan(1000);
  });
});
