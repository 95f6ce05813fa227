import { describe, expect, it } from 'vitest';
import { locationHint, parseFieldPath } from '../../src/policies/location.js';

describe('field paths in policy results', () => {
  it('a dotted path with indexes', () => {
    expect(parseFieldPath('spec.template.spec.containers[0].resources')).toEqual(['spec', 'template', 'spec', 'containers', 0, 'resources']);
  });

  it('after input.', () => {
    expect(parseFieldPath('input.metadata.labels')).toEqual(['metadata', 'labels']);
  });

  it('a quoted key', () => {
    expect(parseFieldPath('metadata.annotations["fluxcd.io/ignore"]')).toEqual(['metadata', 'annotations', 'fluxcd.io/ignore']);
  });

  it('a JSON pointer', () => {
    expect(parseFieldPath('/spec/containers/1/image')).toEqual(['spec', 'containers', 1, 'image']);
  });

  it('an array of keys and indexes', () => {
    expect(parseFieldPath(['spec', 'containers', 2])).toEqual(['spec', 'containers', 2]);
  });

  it('prose is not a path', () => {
    expect(parseFieldPath('Set a memory limit.')).toBeUndefined();
    expect(parseFieldPath(['spec', 1.5])).toBeUndefined();
  });
});

describe('location hints, most specific first', () => {
  it('conftest _loc: file and a numeric line', () => {
    expect(locationHint({ msg: 'm', _loc: { file: 'a.yaml', line: 4 } })).toEqual({ file: 'a.yaml', line: 4 });
  });

  it('a string line is ignored, as conftest does', () => {
    expect(locationHint({ msg: 'm', _loc: { line: '4' } })).toEqual({});
  });

  it('location as a path', () => {
    expect(locationHint({ msg: 'm', location: 'spec.replicas' })).toEqual({ path: ['spec', 'replicas'] });
  });

  it('details.path, details.field or details itself', () => {
    expect(locationHint({ msg: 'm', details: { path: 'spec.replicas' } })).toEqual({ path: ['spec', 'replicas'] });
    expect(locationHint({ msg: 'm', details: { field: ['spec', 'paused'] } })).toEqual({ path: ['spec', 'paused'] });
    expect(locationHint({ msg: 'm', details: 'metadata.name' })).toEqual({ path: ['metadata', 'name'] });
  });
});
