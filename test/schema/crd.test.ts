import { describe, expect, it } from 'vitest';
import { convertNode, crdSchema, crdVersions } from '../../src/schema/index.js';

const terraformCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'terraforms.infra.contrib.fluxcd.io' },
  spec: {
    group: 'infra.contrib.fluxcd.io',
    names: { kind: 'Terraform', plural: 'terraforms' },
    scope: 'Namespaced',
    versions: [
      { name: 'v1alpha1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      {
        name: 'v1alpha2',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: {
                type: 'object',
                required: ['interval', 'sourceRef'],
                properties: { interval: { type: 'string' }, sourceRef: { type: 'object' } },
              },
            },
          },
        },
      },
      { name: 'v1beta1', served: true, storage: false },
    ],
  },
};

describe('crdVersions', () => {
  it('returns served versions with a schema only', () => {
    expect(crdVersions(terraformCrd).map((version) => `${version.group}/${version.version} ${version.kind}`)).toEqual([
      'infra.contrib.fluxcd.io/v1alpha2 Terraform',
    ]);
  });

  it('ignores objects that are not usable CRDs', () => {
    expect(crdVersions({ spec: { group: 'x', names: {}, versions: [] } })).toEqual([]);
    expect(crdVersions(null)).toEqual([]);
    expect(crdVersions({ spec: { group: 'x', names: { kind: 'X' }, versions: 'v1' } })).toEqual([]);
  });
});

describe('convertNode', () => {
  it('closes objects with properties, as the API server prunes unknown fields', () => {
    expect(convertNode({ type: 'object', properties: { a: { type: 'string' } } })).toEqual({
      type: 'object',
      properties: { a: { type: 'string' } },
      additionalProperties: false,
    });
  });

  it('keeps x-kubernetes-preserve-unknown-fields objects open', () => {
    expect(convertNode({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } })).toEqual({
      type: 'object',
      properties: { a: { type: 'string' } },
    });
    expect(convertNode({ 'x-kubernetes-preserve-unknown-fields': true })).toEqual({});
  });

  it('turns x-kubernetes-int-or-string into a type list and drops the matching anyOf', () => {
    expect(
      convertNode({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }], pattern: '^\\d+%?$' }),
    ).toEqual({ type: ['integer', 'string'], pattern: '^\\d+%?$' });
  });

  it('converts maps, nullable, exclusive bounds and leaves junctor branches open', () => {
    expect(convertNode({ type: 'object', additionalProperties: { type: 'string' } })).toEqual({
      type: 'object',
      additionalProperties: { type: 'string' },
    });
    expect(convertNode({ type: 'integer', nullable: true, minimum: 0, exclusiveMinimum: true, format: 'int32' })).toEqual({
      type: ['integer', 'null'],
      exclusiveMinimum: 0,
    });
    expect(convertNode({ type: 'object', properties: { a: {} }, oneOf: [{ properties: { a: { type: 'string' } }, required: ['a'] }] })).toEqual({
      type: 'object',
      properties: { a: {} },
      additionalProperties: false,
      oneOf: [{ properties: { a: { type: 'string' } }, required: ['a'] }],
    });
  });

  it('lets embedded resources carry apiVersion, kind and metadata', () => {
    expect(convertNode({ type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } })).toEqual({
      type: 'object',
      properties: { spec: { type: 'object' }, apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } },
      additionalProperties: false,
    });
  });
});

describe('crdSchema', () => {
  it('validates metadata as ObjectMeta and closes the top level', () => {
    const [version] = crdVersions(terraformCrd);
    const schema = crdSchema(version!);
    expect(schema.properties?.metadata).toEqual({ $ref: '#/definitions/IoK8sApimachineryPkgApisMetaV1ObjectMeta' });
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties?.spec?.required).toEqual(['interval', 'sourceRef']);
  });
});
