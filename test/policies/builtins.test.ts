import { describe, expect, it } from 'vitest';
import { CUSTOM_BUILTIN_NAMES, customBuiltins } from '../../src/policies/builtins.js';

describe('custom builtins (what the Wasm SDK lacks)', () => {
  const traced: string[] = [];
  const builtins = customBuiltins({ nowNs: 1_765_000_000_000_000_000, trace: (note) => traced.push(note) });
  const call = (name: string, ...args: unknown[]) => (builtins[name] as (...a: unknown[]) => unknown)(...args);

  it('the list the README documents', () => {
    expect(CUSTOM_BUILTIN_NAMES).toEqual(['object.keys', 'strings.any_prefix_match', 'strings.any_suffix_match', 'time.now_ns', 'trace']);
  });

  it('trace is true and hands the note to the sink', () => {
    expect(call('trace', 'checking web')).toBe(true);
    expect(traced).toEqual(['checking web']);
  });

  it('trace rejects a non-string note', () => {
    expect(() => call('trace', 3)).toThrow('trace: operand 1 must be string');
  });

  it('object.keys returns the keys, sorted', () => {
    expect(call('object.keys', { b: 1, a: { c: 2 } })).toEqual(['a', 'b']);
    expect(call('object.keys', {})).toEqual([]);
  });

  it('object.keys rejects an array', () => {
    expect(() => call('object.keys', ['a'])).toThrow('object.keys: operand 1 must be object');
  });

  it('time.now_ns is the run time, fixed for the run', () => {
    expect(call('time.now_ns')).toBe(1_765_000_000_000_000_000);
    expect(call('time.now_ns')).toBe(1_765_000_000_000_000_000);
  });

  it('strings.any_prefix_match takes strings or lists on both sides', () => {
    expect(call('strings.any_prefix_match', 'ghcr.io/acme/web', ['docker.io/', 'ghcr.io/'])).toBe(true);
    expect(call('strings.any_prefix_match', ['quay.io/x', 'docker.io/y'], 'ghcr.io/')).toBe(false);
  });

  it('strings.any_suffix_match', () => {
    expect(call('strings.any_suffix_match', ['web:latest'], [':latest', ':main'])).toBe(true);
    expect(call('strings.any_suffix_match', 'web:1.0', ':latest')).toBe(false);
  });
});
