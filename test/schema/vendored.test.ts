import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSchemaDir, SchemaRegistry, VENDORED } from '../../src/schema/registry.js';
import type { Schema } from '../../src/schema/types.js';
import { parseVendoredFamily } from '../../src/schema/vendored.js';

const schemaDir = findSchemaDir(path.join(import.meta.dirname, '..', '..', 'src', 'schema'));

describe('vendored schema files read a definition at a time', () => {
  for (const { file } of VENDORED) {
    it(`${file}: every kind and definition is what parsing the whole file gives`, () => {
      const text = readFileSync(path.join(schemaDir, file), 'utf8');
      const whole = JSON.parse(text) as { kinds: Record<string, string>; definitions: Record<string, Schema> };
      const family = parseVendoredFamily(text);
      expect(family.kinds).toEqual(whole.kinds);
      expect([...family.names()]).toEqual(Object.keys(whole.definitions));
      for (const [name, schema] of Object.entries(whole.definitions)) expect(family.definition(name)).toEqual(schema);
      expect(family.has('NoSuchDefinition')).toBe(false);
      expect(family.definition('NoSuchDefinition')).toBeUndefined();
    });
  }

  it('parses a file in another layout whole, and a line layout with a broken comma whole too', () => {
    const value = { $id: 'x', kinds: { 'v1/A': 'A' }, definitions: { A: { type: 'object', properties: { b: { $ref: '#/definitions/B' } } }, B: { type: 'string' } } };
    const pretty = parseVendoredFamily(JSON.stringify(value, null, 2));
    expect(pretty.kinds).toEqual(value.kinds);
    expect(pretty.definition('A')).toEqual(value.definitions.A);
    const lines = '{\n"$id": "x",\n"kinds": {\n  "v1/A": "A"\n},\n"definitions": {\n  "A": {"type":"object"}\n  "B": {"type":"string"}\n}\n}\n';
    expect(() => parseVendoredFamily(lines)).toThrow(SyntaxError);
  });

  it('reads escaped keys and the last definition without a comma in the line layout, and any other indentation whole', () => {
    const lines = '{\n"$id": "x",\n"kinds": {\n  "v1/A": "A\\"q"\n},\n"definitions": {\n  "A\\"q": {"type":"object"},\n  "B\\\\": {"type":"string"}\n}\n}\n';
    const family = parseVendoredFamily(lines);
    expect(family.kinds).toEqual({ 'v1/A': 'A"q' });
    expect([...family.names()]).toEqual(['A"q', 'B\\']);
    expect(family.definition('A"q')).toEqual({ type: 'object' });
    expect(family.definition('B\\')).toEqual({ type: 'string' });
    // Three spaces before a definition: not the layout, so the file is parsed whole (same values).
    const indented = parseVendoredFamily('{\n"definitions": {\n   "A": {"type":"object"}\n}\n}\n');
    expect(indented.definition('A')).toEqual({ type: 'object' });
    // A comma after the last block: not the layout, and not JSON either.
    expect(() => parseVendoredFamily('{\n"definitions": {\n  "A": {}\n},\n}\n')).toThrow(SyntaxError);
  });

  it('gives a registry the definitions of the first file that has them, on get and when iterated', () => {
    const registry = new SchemaRegistry(schemaDir);
    expect(registry.lookup('apps/v1', 'Deployment')).toEqual({ schema: { $ref: '#/definitions/IoK8sApiAppsV1Deployment' }, source: 'vendored' });
    const kubernetes = JSON.parse(readFileSync(path.join(schemaDir, 'kubernetes/kubernetes.json'), 'utf8')) as { definitions: Record<string, Schema> };
    expect(registry.definitions.get('IoK8sApiAppsV1Deployment')).toEqual(kubernetes.definitions.IoK8sApiAppsV1Deployment);
    expect(registry.definitions.has('IoK8sApiCoreV1PodSpec')).toBe(true);
    expect(registry.definitions.size).toBe(Object.keys(kubernetes.definitions).length);
    expect([...registry.definitions.keys()]).toEqual(Object.keys(kubernetes.definitions));
  });
});
