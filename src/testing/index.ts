/**
 * Test helpers for rules: a `yaml` template tag and a RuleTester running static, named
 * valid/invalid cases on in-memory roots. Exported so plugin authors can reuse them.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, resolveConfigText } from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import { builtinRules } from '../../rules/index.js';
import { Ajv } from 'ajv';
import { lint } from '../engine/lint.js';
import { interpolate } from '../engine/report.js';
import type { Finding, Level } from '../model/finding.js';
import type { DocExample, Rule } from '../model/rule.js';
import type { LintResult } from '../model/result.js';
import type { MemoryRoot } from '../workspace/load.js';

type AnyRule = Rule<string, never>;

/** Template tag that drops the first newline and the common indentation, so line 1 is the first line. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((out, part, index) => out + part + (index < values.length ? String(values[index]) : ''), '');
  const lines = raw.replace(/^\n/, '').replace(/\n[ \t]*$/, '\n').split('\n');
  const indents = lines.filter((line) => line.trim().length > 0).map((line) => /^[ \t]*/.exec(line)?.[0].length ?? 0);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(common)).join('\n');
}

export interface TestCase extends DocExample {
  name: string;
}

export interface ExpectedError {
  messageId: string;
  data?: Record<string, string | number>;
  /** Root folder name, for cases with several roots. */
  root?: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The finding's level, checked when given (the rule's default level is configured). */
  level?: Level;
}

export interface InvalidCase extends TestCase {
  errors: ExpectedError[];
}

/** Folder that in-memory roots pretend to live in. */
export const VIRTUAL_BASE = path.join(path.sep, 'virtual');

async function rootConfig(rule: AnyRule, files: Record<string, string>, dir: string, options: unknown): Promise<ResolvedConfig> {
  const text = files['.gitops-lint.yaml'];
  const base = text === undefined ? defaultConfig(builtinRules) : await resolveConfigText(text, path.join(dir, '.gitops-lint.yaml'), [...builtinRules, ...(builtinRules.includes(rule) ? [] : [rule])]);
  const rules: ResolvedConfig['rules'] = {};
  rules[rule.meta.id] = {
    level: rule.meta.defaultLevel,
    options: { ...(rule.meta.defaultOptions ?? {}), ...(base.rules[rule.meta.id]?.options ?? {}), ...((options as Record<string, unknown> | undefined) ?? {}) },
  };
  return { ...base, rules };
}

/** Lint a docs example or test case with only `rule` enabled. */
export async function lintExample(rule: AnyRule, example: DocExample): Promise<LintResult> {
  if (example.options !== undefined) {
    const problem = validateRuleOptions(rule, example.options);
    if (problem) throw new Error(`Invalid options for ${rule.meta.id}: ${problem}`);
  }
  const rootFiles = example.roots ?? { repo: example.files ?? {} };
  const roots: MemoryRoot[] = [];
  for (const [name, files] of Object.entries(rootFiles)) {
    const dir = path.join(VIRTUAL_BASE, name);
    const root: MemoryRoot = { dir, name, files, config: await rootConfig(rule, files, dir, example.options) };
    if (example.tracked) root.tracked = example.tracked;
    roots.push(root);
  }
  return lint({ roots, rules: [rule], cwd: VIRTUAL_BASE });
}

/** Validate options against a rule's schema, as the config file would be. */
export function validateRuleOptions(rule: AnyRule, options: unknown): string | undefined {
  if (!rule.meta.options) return undefined;
  const validate = new Ajv({ strict: false, allErrors: true }).compile(rule.meta.options);
  return validate(options) ? undefined : (validate.errors ?? []).map((error) => `${error.instancePath || 'options'} ${error.message}`).join('; ');
}

function actual(finding: Finding, multiRoot: boolean): ExpectedError {
  const out: ExpectedError = {
    messageId: finding.messageId,
    file: finding.location.file,
    line: finding.location.startLine,
    column: finding.location.startColumn,
    endLine: finding.location.endLine,
    endColumn: finding.location.endColumn,
  };
  if (multiRoot) out.root = path.basename(finding.location.root);
  return out;
}

export class RuleTester {
  run(rule: AnyRule, cases: { valid: TestCase[]; invalid: InvalidCase[] }): void {
    describe(rule.meta.id, () => {
      it('has named, unique valid and invalid cases', () => {
        expect(cases.valid.length, 'at least one valid case').toBeGreaterThan(0);
        expect(cases.invalid.length, 'at least one invalid case').toBeGreaterThan(0);
        const names = [...cases.valid, ...cases.invalid].map((testCase) => testCase.name);
        expect(names.every((name) => name.trim().length > 0)).toBe(true);
        expect(new Set(names).size, `duplicate case names in ${names.join(', ')}`).toBe(names.length);
        const bodies = [...cases.valid, ...cases.invalid].map(({ name: _name, ...body }) => JSON.stringify(body));
        expect(new Set(bodies).size, 'duplicate case bodies').toBe(bodies.length);
      });
      describe('valid', () => {
        for (const testCase of cases.valid) {
          it(testCase.name, async () => {
            const result = await lintExample(rule, testCase);
            expect(result.errors).toEqual([]);
            expect(result.findings.map((finding) => `${finding.location.file}:${finding.location.startLine}:${finding.location.startColumn} ${finding.message}`)).toEqual([]);
          });
        }
      });
      describe('invalid', () => {
        for (const testCase of cases.invalid) {
          it(testCase.name, async () => {
            for (const error of testCase.errors) {
              expect(Object.keys(rule.meta.messages), `unknown messageId ${error.messageId}`).toContain(error.messageId);
            }
            const result = await lintExample(rule, testCase);
            expect(result.errors).toEqual([]);
            const multiRoot = testCase.roots !== undefined && Object.keys(testCase.roots).length > 1;
            const got = result.findings.map((finding) => actual(finding, multiRoot));
            const want = testCase.errors.map(({ data: _data, level: _level, ...error }) => (multiRoot ? error : { ...error, root: undefined })).map(stripUndefined);
            expect(got.map(stripUndefined)).toEqual(want);
            testCase.errors.forEach((error, index) => {
              const finding = result.findings[index];
              if (error.data && finding) {
                const template = rule.meta.messages[error.messageId] ?? '';
                expect(finding.message).toBe(interpolate(template, error.data));
              }
              if (error.level && finding) expect(finding.level, `level of ${error.messageId}`).toBe(error.level);
              if (finding) expect(finding.message, 'every placeholder filled').not.toMatch(/\{\{/);
            });
          });
        }
      });
    });
  }
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
