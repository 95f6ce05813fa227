import { describe, expect, it } from 'vitest';
import { validateValue, type Schema } from '../../src/schema/index.js';

const definitions: Record<string, Schema> = {
  Spec: {
    type: 'object',
    properties: {
      replicas: { type: 'integer' },
      mode: { type: 'string', enum: ['fast', 'safe'] },
      port: { type: ['integer', 'string'] },
      ratio: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
      name: { type: 'string', minLength: 1, maxLength: 5, pattern: '^[a-z]+$' },
      tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2, uniqueItems: true },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      values: {},
      sourceRef: { $ref: '#/definitions/Ref' },
    },
    required: ['sourceRef'],
    additionalProperties: false,
  },
  Ref: {
    type: 'object',
    properties: { kind: { type: 'string' }, name: { type: 'string' } },
    required: ['name'],
    additionalProperties: false,
  },
};

const root: Schema = {
  type: 'object',
  properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, spec: { $ref: '#/definitions/Spec' } },
  required: ['spec'],
  additionalProperties: false,
};

function check(value: unknown, schema: Schema = root) {
  return validateValue(value, schema, { definitions, rootName: 'Widget' });
}

const base = { apiVersion: 'example.com/v1', kind: 'Widget' };

describe('validateValue', () => {
  it('accepts a valid object, nulls as unset fields and free-form values', () => {
    expect(check({ ...base, spec: { sourceRef: { name: 'a' }, replicas: 2, port: 'http', labels: { a: null }, values: { any: [1, { x: null }] }, mode: null } })).toEqual([]);
  });

  it('reports a wrong type at the value, without the value', () => {
    expect(check({ ...base, spec: { sourceRef: { name: 'a' }, replicas: 'two' } })).toEqual([
      { path: ['spec', 'replicas'], messageId: 'type', data: { expected: 'an integer', path: 'spec.replicas', actual: 'a string' } },
    ]);
  });

  it('tells integers from other numbers and accepts int-or-string', () => {
    expect(check({ ...base, spec: { sourceRef: { name: 'a' }, replicas: 1.5, port: 8080 } })).toEqual([
      { path: ['spec', 'replicas'], messageId: 'type', data: { expected: 'an integer', path: 'spec.replicas', actual: 'a number' } },
    ]);
    expect(check({ ...base, spec: { sourceRef: { name: 'a' }, port: true } })).toEqual([
      { path: ['spec', 'port'], messageId: 'type', data: { expected: 'an integer or a string', path: 'spec.port', actual: 'a boolean' } },
    ]);
  });

  it('reports an unknown field on its key, with a suggestion when one is close', () => {
    expect(check({ ...base, spec: { sourceRef: { name: 'a' }, replica: 2, zzzzzz: 1 } })).toEqual([
      { path: ['spec', 'replica'], key: true, messageId: 'unknownFieldSuggestion', data: { field: 'replica', parent: 'spec', suggestion: 'replicas' } },
      { path: ['spec', 'zzzzzz'], key: true, messageId: 'unknownField', data: { field: 'zzzzzz', parent: 'spec' } },
    ]);
  });

  it('reports a missing required field at its parent, and at kind for the top level', () => {
    expect(check({ ...base, spec: { sourceRef: { kind: 'GitRepository' } } })).toEqual([
      { path: ['spec', 'sourceRef'], messageId: 'required', data: { field: 'name', parent: 'spec.sourceRef' } },
    ]);
    expect(check({ ...base })).toEqual([{ path: ['kind'], messageId: 'required', data: { field: 'spec', parent: 'Widget' } }]);
    expect(check({ ...base, spec: { sourceRef: null } })).toEqual([
      { path: ['spec'], messageId: 'required', data: { field: 'sourceRef', parent: 'spec' } },
    ]);
  });

  it('lists the allowed values of an enum', () => {
    expect(check({ ...base, spec: { sourceRef: { name: 'a' }, mode: 'Fast' } })).toEqual([
      { path: ['spec', 'mode'], messageId: 'enum', data: { path: 'spec.mode', allowed: 'fast, safe' } },
    ]);
  });

  it('checks string, number and list constraints', () => {
    expect(check({ ...base, spec: { sourceRef: { name: 'a' }, name: 'Toolong', ratio: 1, tags: ['a', 'a', 'b'] } })).toEqual([
      { path: ['spec', 'name'], messageId: 'maxLength', data: { path: 'spec.name', limit: '5' } },
      { path: ['spec', 'name'], messageId: 'pattern', data: { path: 'spec.name', pattern: '^[a-z]+$' } },
      { path: ['spec', 'ratio'], messageId: 'range', data: { path: 'spec.ratio', comparison: 'less than', limit: '1' } },
      { path: ['spec', 'tags'], messageId: 'maxItems', data: { path: 'spec.tags', limit: '2' } },
      { path: ['spec', 'tags'], messageId: 'uniqueItems', data: { path: 'spec.tags' } },
    ]);
  });

  it('reports list items and map values with bracketed paths', () => {
    expect(check({ ...base, spec: { sourceRef: { name: 'a' }, tags: [1], labels: { 'app.kubernetes.io/version': 1 } } })).toEqual([
      { path: ['spec', 'tags', 0], messageId: 'type', data: { expected: 'a string', path: 'spec.tags[0]', actual: 'a number' } },
      {
        path: ['spec', 'labels', 'app.kubernetes.io/version'],
        messageId: 'type',
        data: { expected: 'a string', path: 'spec.labels["app.kubernetes.io/version"]', actual: 'a number' },
      },
    ]);
  });

  it('explains a failed choice between required fields', () => {
    const schema: Schema = { type: 'object', anyOf: [{ required: ['chart'] }, { required: ['chartRef'] }] };
    expect(check({}, schema)).toEqual([{ path: [], messageId: 'requiredOneOf', data: { fields: 'chart, chartRef', parent: 'Widget' } }]);
    expect(check({ chartRef: {} }, schema)).toEqual([]);
  });

  it('reports oneOf with zero or several matches, and not', () => {
    const schema: Schema = { oneOf: [{ type: 'string' }, { type: 'string', minLength: 2 }], not: { enum: ['xx'] } };
    expect(check('ab', schema)).toEqual([{ path: [], messageId: 'oneOf', data: { path: 'Widget' } }]);
    expect(check('a', schema)).toEqual([]);
    expect(check('xx', { not: { enum: ['xx'] } })).toEqual([{ path: [], messageId: 'not', data: { path: 'Widget' } }]);
  });

  it('evaluates patterns as Go RE2, as the API server does, and skips one Go cannot compile', () => {
    expect(check('abc', { type: 'string', pattern: '(?i)^ABC$' })).toEqual([]);
    expect(check('abd', { type: 'string', pattern: '^a(?i)BC$' })).toEqual([{ path: [], messageId: 'pattern', data: { path: 'Widget', pattern: '^a(?i)BC$' } }]);
    expect(check(`${'a'.repeat(3000)}!`, { type: 'string', pattern: '^(a+)+$' })).toEqual([
      { path: [], messageId: 'pattern', data: { path: 'Widget', pattern: '^(a+)+$' } },
    ]);
    expect(check('abc', { type: 'string', pattern: '^(?=x)' })).toEqual([]);
  });

  it('counts string lengths in code points: a surrogate pair is one, a lone surrogate one', () => {
    const schema: Schema = { type: 'string', minLength: 2, maxLength: 2 };
    expect(check('a\u{1F600}', schema)).toEqual([]);
    expect(check('\u{1F600}', schema)).toEqual([{ path: [], messageId: 'minLength', data: { path: 'Widget', limit: '2' } }]);
    expect(check('a\uD83D', schema)).toEqual([]);
    expect(check('\uDE00\uD83Da', schema)).toEqual([{ path: [], messageId: 'maxLength', data: { path: 'Widget', limit: '2' } }]);
  });

  it('resolves a reference once its definition is known: one that did not resolve is looked up again', () => {
    const grown = new Map<string, Schema>();
    const schema: Schema = { type: 'object', properties: { spec: { $ref: '#/definitions/Late' } } };
    const options = { definitions: grown, rootName: 'Widget' };
    expect(validateValue({ spec: { size: 'big' } }, schema, options)).toEqual([]);
    grown.set('Late', { type: 'object', properties: { size: { type: 'integer' } } });
    expect(validateValue({ spec: { size: 'big' } }, schema, options)).toEqual([
      { path: ['spec', 'size'], messageId: 'type', data: { expected: 'an integer', path: 'spec.size', actual: 'a string' } },
    ]);
  });

  it('stops after maxProblems', () => {
    const many = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`x${index}`, 1]));
    const problems = validateValue({ ...base, spec: { sourceRef: { name: 'a' }, ...many } }, root, { definitions, rootName: 'Widget', maxProblems: 3 });
    expect(problems).toHaveLength(3);
  });
});
