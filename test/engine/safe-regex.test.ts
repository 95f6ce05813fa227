import { describe, expect, it } from 'vitest';
import { hasNestedRepetition } from '../../src/engine/safe-regex.js';
import { applyImageOverrides } from '../../src/engine/images.js';
import { convertGoRegexp } from '../../src/sops/regexp.js';

describe('nested repetition detection', () => {
  it('refuses patterns that backtrack exponentially', () => {
    for (const pattern of ['(a+)+$', '(a*)*b', '^(\\w+\\s?)*$', '((ab)+c?)+', '(x+){2,}', '(?:a|b+)*c']) {
      expect(hasNestedRepetition(pattern), pattern).toBe(true);
    }
  });

  it('accepts the patterns real manifests use', () => {
    for (const pattern of ['^(data|stringData)$', 'ghcr.io/acme/app', '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', '\\.ya?ml$', '(a)+', '[(a+)]+', 'secrets/.*\\.yaml$', '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$']) {
      expect(hasNestedRepetition(pattern), pattern).toBe(false);
    }
  });

  it('keeps a kustomize images name with nested repetition from hanging the run', () => {
    const evil = { kustomization: undefined as never, index: 0, name: '(a+)+b', newTag: 'x' };
    const { applied } = applyImageOverrides(`${'a'.repeat(40)}c`, [evil]);
    expect(applied).toEqual([]);
  });

  it('reports a .sops.yaml regex with nested repetition as not convertible', () => {
    expect(convertGoRegexp('^(a+)+$')).toEqual({ ok: false, reason: 'it nests repetitions, which take exponential time in JavaScript (RE2 would not)' });
  });
});
