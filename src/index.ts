/** Public API: the CLI and the language server are adapters over these. */
import { builtinRules } from '../rules/index.js';
import { lint as lintWith, type LintOptions } from './engine/lint.js';
import type { LintResult } from './model/result.js';

export type { Finding, Level, Region, RuleLevel, YamlPath, RootInfo, RunNote, RunError } from './model/finding.js';
export type { Rule, RuleMeta, RuleContext, Report, DocExample } from './model/rule.js';
export type { LintResult, Formatter, FormatterContext } from './model/result.js';
export type { Model } from './model/model.js';
export type { Resource, SourceFile, Container, ConfigData, Root } from './model/workspace.js';
export type { MemoryRoot, RootInput } from './workspace/load.js';
export { defineRule, ruleDocsUrl } from './model/rule.js';
export { ConfigError } from './config/load.js';
export { builtinRules };

/** Lint roots with the built-in rules unless `rules` is given. */
export function lint(options: Omit<LintOptions, 'rules'> & { rules?: LintOptions['rules'] }): Promise<LintResult> {
  return lintWith({ ...options, rules: options.rules ?? builtinRules });
}
