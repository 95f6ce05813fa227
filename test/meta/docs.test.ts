import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { replaceRuleTable } from '../../src/docs/readme.js';
import { ruleDocPage, ruleTable } from '../../src/docs/rule-docs.js';
import { ruleDocsUrl } from '../../src/model/rule.js';

const repo = path.join(import.meta.dirname, '..', '..');

describe('generated documentation (run `npm run generate:docs` when this fails)', () => {
  for (const rule of builtinRules) {
    it(`docs/rules/${rule.meta.id}.md is up to date`, () => {
      expect(readFileSync(path.join(repo, 'docs', 'rules', `${rule.meta.id}.md`), 'utf8')).toBe(ruleDocPage(rule));
      expect(ruleDocsUrl(rule.meta.id)).toMatch(new RegExp(`/docs/rules/${rule.meta.id}\\.md$`));
    });
  }

  it('the README rule table lists every rule', () => {
    const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
    expect(readme).toBe(replaceRuleTable(readme, ruleTable(builtinRules)));
  });

  it('rule pages have the fixed sections in order', () => {
    const page = ruleDocPage(builtinRules[0]!);
    const headings = page.split('\n').filter((line) => line.startsWith('## '));
    expect(headings).toEqual(['## Why', '## Incorrect', '## Correct', '## Options', '## When Not To Use It', '## Suppressing']);
  });
});
