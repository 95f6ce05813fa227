/**
 * `masksNothing` (src/engine/mask.ts) is `walkMasks` over js-yaml's plain values written out for
 * them, stopping at the first mask: the redaction of a file with findings asks it first. Each
 * case pins its answer and checks it against the walk itself over the same value (a mapping's
 * pairs are its entries, a string key is its own node), so the two cannot drift apart.
 */
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { masksNothing, walkMasks } from '../../src/engine/mask.js';
import { PLACEMENTS } from '../canary/placements.js';

/** The generic walk over a plain value: true when it masks nothing. */
function masksNothingByWalk(value: unknown): boolean {
  let masked = false;
  const hit = (): void => {
    masked = true;
  };
  walkMasks<unknown, void>(value, {
    scalar: (node) => (typeof node === 'object' && node !== null ? undefined : node),
    shape(node) {
      if (Array.isArray(node)) return { type: 'seq', items: node };
      if (typeof node === 'object' && node !== null) return { type: 'map', pairs: Object.entries(node).map(([key, item]) => ({ key, keyNode: key, value: item as unknown })) };
      return { type: 'scalar', value: node };
    },
    map() {},
    seq() {},
    keep() {},
    all: hit,
    spans: hit,
    embedded: hit,
  });
  return !masked;
}

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

const CASES: ReadonlyArray<{ name: string; yaml: string; nothing: boolean }> = [
  { name: 'a Deployment with a mutable tag and plain env', yaml: lines('kind: Deployment', 'spec:', '  containers:', '    - name: app', '      image: app:latest', '      env:', '        - {name: MODE, value: prod}'), nothing: true },
  { name: 'an env entry read from a secretKeyRef', yaml: lines('env:', '  - name: DB_PASSWORD', '    valueFrom: {secretKeyRef: {name: db, key: password}}'), nothing: true },
  { name: 'a sensitive env entry with a value', yaml: lines('env:', '  - name: DB_PASSWORD', '    value: Lynx-Env-1'), nothing: false },
  { name: 'a sensitive env entry without a value key', yaml: lines('env:', '  - name: DB_PASSWORD'), nothing: true },
  { name: "a Secret's stringData", yaml: lines('kind: Secret', 'stringData:', '  username: admin'), nothing: false },
  { name: "a Secret's empty data", yaml: lines('kind: Secret', 'data:'), nothing: false },
  { name: "a Secret's annotations", yaml: lines('kind: Secret', 'metadata:', '  name: s', '  annotations: {a: b}'), nothing: false },
  { name: "a Secret's metadata without annotations", yaml: lines('kind: Secret', 'metadata:', '  name: s', '  labels: {a: b}'), nothing: true },
  { name: "a Secret's metadata that is a string", yaml: lines('kind: Secret', 'metadata: plain'), nothing: true },
  { name: 'a ConfigMap with data', yaml: lines('kind: ConfigMap', 'data:', '  mode: prod'), nothing: true },
  { name: 'a sensitive key with a value', yaml: lines('spec:', '  adminPassword: Lynx-Key-2'), nothing: false },
  { name: 'a key naming a Secret', yaml: lines('spec:', '  secretName: db'), nothing: true },
  { name: 'a sensitive key over a mapping', yaml: lines('spec:', '  password:', '    a: b'), nothing: false },
  { name: 'a flag and its value in args', yaml: lines('args: ["--password", "Lynx-Flag-3"]'), nothing: false },
  { name: 'a short password flag in args', yaml: lines('args: ["-p", "Lynx-Flag-4"]'), nothing: false },
  { name: 'a flag followed by a number', yaml: lines('args: ["--password", 12345]'), nothing: true },
  { name: 'harmless args', yaml: lines('args: ["--verbose", "--port", "8080"]'), nothing: true },
  { name: 'an assignment in a string', yaml: lines('command: "run DB_PASSWORD=Lynx-Assign-5"'), nothing: false },
  { name: 'a URL password', yaml: lines('url: postgres://app:Lynx-Url-6@db/app'), nothing: false },
  { name: 'a sensitive assignment in a key', yaml: lines('"token=Lynx-KeyAssign-7": x'), nothing: false },
  { name: 'secretGenerator literals', yaml: lines('secretGenerator:', '  - name: s', '    literals: ["user=admin"]'), nothing: false },
  { name: 'secretGenerator literal without a value', yaml: lines('secretGenerator:', '  - name: s', '    literals: ["user="]'), nothing: true },
  { name: 'secretGenerator literal without =', yaml: lines('secretGenerator:', '  - literals: ["user"]'), nothing: false },
  { name: 'secretGenerator literal that is a number', yaml: lines('secretGenerator:', '  - literals: [42]'), nothing: false },
  { name: 'secretGenerator literals that are not a list', yaml: lines('secretGenerator:', '  - literals: a=b'), nothing: false },
  { name: 'secretGenerator files and envs', yaml: lines('secretGenerator:', '  - name: s', '    files: ["password=pw.txt"]', '    envs: [x.env]'), nothing: true },
  { name: 'secretGenerator that is a mapping', yaml: lines('secretGenerator: {name: s}'), nothing: false },
  { name: 'secretGenerator entry that is a string', yaml: lines('secretGenerator: [s]'), nothing: false },
  { name: 'an empty secretGenerator list', yaml: lines('secretGenerator: []'), nothing: true },
  {
    name: 'an embedded Secret manifest',
    yaml: lines('values:', '  extra: |', '    apiVersion: v1', '    kind: Secret', '    metadata: {name: s}', '    stringData: {a: Lynx-Embedded-8}'),
    nothing: false,
  },
  { name: 'an embedded ConfigMap manifest', yaml: lines('values:', '  extra: |', '    apiVersion: v1', '    kind: ConfigMap', '    data: {a: b}'), nothing: true },
  { name: 'a Secret inside a List', yaml: lines('kind: List', 'items:', '  - kind: Secret', '    data: {a: b}'), nothing: false },
  { name: 'scalars of every type', yaml: lines('a: 1', 'b: true', 'c: null', 'd: 1.5', 'e: [1, null, false]'), nothing: true },
];

describe('masksNothing over plain values', () => {
  for (const { name, yaml, nothing } of CASES) {
    it(`answers ${nothing} for ${name}, as the walk does`, () => {
      const value = jsYaml.load(yaml);
      expect(masksNothing(value)).toBe(nothing);
      expect(masksNothingByWalk(value)).toBe(nothing);
    });
  }

  it('answers as the walk does for every canary placement, in every quoting', () => {
    const quotes = [(v: string) => v, (v: string) => `'${v}'`, (v: string) => JSON.stringify(v)];
    let compared = 0;
    let masked = 0;
    for (const placement of PLACEMENTS) {
      for (const w of quotes) {
        const text = placement.file('Lynx-Canary-9911', 'c', { w, key: 'adminPassword', env: 'DB_PASSWORD' });
        let values: unknown[];
        try {
          values = jsYaml.loadAll(text);
        } catch {
          continue;
        }
        for (const value of values) {
          compared++;
          if (!masksNothingByWalk(value)) masked++;
          expect(masksNothing(value), placement.name).toBe(masksNothingByWalk(value));
        }
      }
    }
    // Every placement hides a secret: the walk masks something in nearly all of them.
    expect(compared).toBeGreaterThan(PLACEMENTS.length);
    expect(masked).toBeGreaterThan(PLACEMENTS.length);
  });
});
