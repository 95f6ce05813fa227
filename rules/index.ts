import type { Rule } from '../src/model/rule.js';
import yamlSyntax from './yaml-syntax.js';

/** Every built-in rule. A meta test checks this list against the files in rules/. */
export const builtinRules: ReadonlyArray<Rule<string, never>> = [yamlSyntax].map((rule) => rule as unknown as Rule<string, never>);
