import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { compileConfigValidatorSource } from '../../src/config/compile-validator.js';
import { buildConfigSchema } from '../../src/config/schema.js';
import { lintExample } from '../../src/testing/index.js';

const rulesDir = path.join(import.meta.dirname, '..', '..', 'rules');
const ruleFiles = readdirSync(rulesDir)
  .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
  .map((file) => file.replace(/\.ts$/, ''))
  .sort();

describe('rule registry', () => {
  it('registers exactly the modules in rules/', () => {
    expect(builtinRules.map((rule) => rule.meta.id).sort()).toEqual(ruleFiles);
  });

  it('has a test file for every rule', () => {
    const tests = readdirSync(path.join(import.meta.dirname, '..', 'rules'));
    for (const id of ruleFiles) expect(tests, id).toContain(`${id}.test.ts`);
  });

  it('generates the committed config schema and validator (run `npm run generate:schema` when this fails)', () => {
    const schema = buildConfigSchema(builtinRules);
    const committed = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', '..', 'schemas', 'config.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(schema);
    const validator = readFileSync(path.join(import.meta.dirname, '..', '..', 'src', 'config', 'config-validator.generated.ts'), 'utf8');
    expect(validator === compileConfigValidatorSource(schema), 'src/config/config-validator.generated.ts is stale').toBe(true);
  });
});

/** Rules whose message ids a library module reports for them: its source counts as the rule's. */
const REPORTED_IN: Record<string, string[]> = { 'schema-valid': ['src/schema/validate.ts'] };

for (const rule of builtinRules) {
  const { meta } = rule;
  describe(`rule ${meta.id}`, () => {
    const source = [path.join(rulesDir, `${meta.id}.ts`), ...(REPORTED_IN[meta.id] ?? []).map((file) => path.join(rulesDir, '..', file))]
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');

    it('is named and described in the house style', () => {
      expect(meta.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(meta.description).toMatch(/^(Require|Disallow|Enforce) /);
      expect(meta.description).not.toMatch(/\.$/);
      expect(['correctness', 'security', 'reliability', 'style']).toContain(meta.category);
      expect(['error', 'warning', 'note']).toContain(meta.defaultLevel);
    });

    it('has capitalised messages ending with a period, each one used', () => {
      const ids = Object.keys(meta.messages);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) {
        const message = meta.messages[id] ?? '';
        expect(message, id).toMatch(/^[A-Z`"]/);
        expect(message, id).toMatch(/\.$/);
        expect(source, `message ${id} is never reported`).toMatch(new RegExp(`['"\`]${id}['"\`]`));
      }
    });

    it('documents every option and its defaults are valid', () => {
      const options = meta.options as { properties?: Record<string, { description?: string }> } | undefined;
      for (const [name, property] of Object.entries(options?.properties ?? {})) {
        expect(property.description, `option ${name}`).toBeTruthy();
      }
      if (meta.options) {
        const validate = new Ajv({ strict: false }).compile(meta.options);
        expect(validate(meta.defaultOptions ?? {}), JSON.stringify(validate.errors)).toBe(true);
      }
    });

    it('has a rationale and examples', () => {
      expect(meta.docs.rationale.length).toBeGreaterThan(40);
      expect(meta.docs.incorrect.length).toBeGreaterThan(0);
      expect(meta.docs.correct.length).toBeGreaterThan(0);
    });

    meta.docs.incorrect.forEach((example, index) => {
      it(`incorrect example ${index + 1} yields a finding`, async () => {
        const result = await lintExample(rule, example);
        expect(result.errors).toEqual([]);
        expect(result.findings.length).toBeGreaterThan(0);
      });
    });

    meta.docs.correct.forEach((example, index) => {
      it(`correct example ${index + 1} yields no finding`, async () => {
        const result = await lintExample(rule, example);
        expect(result.errors).toEqual([]);
        expect(result.findings.map((finding) => finding.message)).toEqual([]);
      });
    });
  });
}
