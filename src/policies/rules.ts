import type { Rule } from '../model/rule.js';
import type { PolicyRuleResult } from './evaluate.js';

/** Rule ids of policy rules: `policy/<package>/<rule>`. */
export function isPolicyRuleId(id: string): boolean {
  return id.startsWith('policy/');
}

/**
 * A policy rule as a rule of the same shape as the built-in ones: config sets its level,
 * comments suppress it, the engine places and fingerprints its reports. Its results were
 * computed by `runPolicies`; `check` hands them over.
 */
export function policyRule(result: PolicyRuleResult): Rule<'result', never> {
  return {
    meta: {
      id: result.ruleId,
      description: `Enforce the Rego rule ${result.query} of ${result.policy}`,
      category: 'correctness',
      scope: 'cluster',
      defaultLevel: result.defaultLevel,
      recommended: true,
      messages: { result: '{{message}}' },
      docs: {
        rationale: `A team policy: the Rego rule \`${result.query}\`, compiled to WebAssembly in \`${result.policy}\` and run on every applied object with conftest's conventions.`,
        incorrect: [],
        correct: [],
      },
    },
    check(ctx) {
      for (const report of result.reports) ctx.report(report);
    },
  };
}
