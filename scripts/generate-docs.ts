// npm run generate:docs — writes docs/rules/<id>.md and the README's rule table from the rules'
// metadata. test/meta/docs.test.ts fails when they are stale.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { builtinRules } from '../rules/index.js';
import { ruleDocPage, ruleTable } from '../src/docs/rule-docs.js';
import { replaceRuleTable } from '../src/docs/readme.js';

const docsDir = new URL('../docs/rules/', import.meta.url);
await mkdir(docsDir, { recursive: true });
for (const rule of builtinRules) await writeFile(new URL(`${rule.meta.id}.md`, docsDir), ruleDocPage(rule));
const readme = new URL('../README.md', import.meta.url);
await writeFile(readme, replaceRuleTable(await readFile(readme, 'utf8'), ruleTable(builtinRules)));
console.log(`wrote ${builtinRules.length} rule pages and the README rule table`);
