import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { compareRuleIds } from '../../src/engine/collections.js';

describe('compareRuleIds', () => {
  it('orders the built-in rule ids as localeCompare does', () => {
    const ids = builtinRules.map((rule) => rule.meta.id).reverse();
    expect([...ids].sort(compareRuleIds)).toEqual([...ids].sort((a, b) => a.localeCompare(b)));
  });

  it('orders ids where code-unit order and collation differ (dashes, digits, case, underscores) as localeCompare does', () => {
    // Code-unit order would put `policy/main/Deny` before `policy/main/allow` and `a-b` after `a_b`.
    const ids = ['schema-valid', 'policy/main/deny', 'policy/main/Deny', 'policy/main/allow', 'policy/main/deny_latest', 'policy/main/deny-latest', 'a-b', 'a_b', 'a0', 'ab', 'a-0', 'flux-api-version'];
    const collated = [...ids].sort((a, b) => a.localeCompare(b));
    expect([...ids].sort(compareRuleIds)).toEqual(collated);
    expect(collated.slice(0, 3)).toEqual(['a_b', 'a-0', 'a-b']);
  });
});
