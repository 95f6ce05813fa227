import { describe, expect, it } from 'vitest';
import { SchemaRegistry, validateObject } from '../../src/schema/index.js';

/** A CRD for example.com/v1 Widget whose spec.size has the given type. */
const widgetCrd = (sizeType: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    names: { kind: 'Widget', plural: 'widgets' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: sizeType } } } } } },
      },
    ],
  },
});

const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 'large' } };
const validate = (registry: SchemaRegistry, value: Record<string, unknown>, maxProblems?: number) =>
  validateObject(registry, { apiVersion: String(value.apiVersion), kind: String(value.kind), value }, maxProblems);

describe('validateObject across registries (the language server validates again only what an edit changed)', () => {
  it('gives an object it validated before under the same CRDs its earlier result, equal to validating a copy', () => {
    const crd = widgetCrd('integer');
    const first = new SchemaRegistry();
    first.addCrd(crd);
    const problems = validate(first, widget);
    expect(problems?.map((problem) => problem.messageId)).toEqual(['type']);
    const second = new SchemaRegistry();
    second.addCrd(crd);
    expect(validate(second, widget)).toBe(problems);
    expect(validate(second, structuredClone(widget))).toEqual(problems);
  });

  it('validates the same object again when the CRDs differ: added, removed or edited', () => {
    const value = structuredClone(widget);
    expect(validate(new SchemaRegistry(), value)).toBeUndefined();
    const strict = new SchemaRegistry();
    strict.addCrd(widgetCrd('integer'));
    expect(validate(strict, value)?.map((problem) => problem.messageId)).toEqual(['type']);
    const edited = new SchemaRegistry();
    edited.addCrd(widgetCrd('string'));
    expect(validate(edited, value)).toEqual([]);
    // A CRD added to a registry after it validated something is part of its inputs from then on.
    const growing = new SchemaRegistry();
    expect(validate(growing, value)).toBeUndefined();
    growing.addCrd(widgetCrd('integer'));
    expect(validate(growing, value)?.map((problem) => problem.messageId)).toEqual(['type']);
    expect(validate(new SchemaRegistry(), value)).toBeUndefined();
  });

  it('keeps results for different problem limits apart', () => {
    const value = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 'two', paused: 'no', selector: {}, template: {} } };
    const registry = new SchemaRegistry();
    expect(validate(registry, value, 1)).toHaveLength(1);
    expect((validate(registry, value) ?? []).length).toBeGreaterThan(1);
    expect(validate(registry, value, 1)).toHaveLength(1);
  });
});
