import type { DocExample, Rule, RuleMeta } from '../model/rule.js';

type AnyRule = Rule<string, never>;

function exampleBlocks(example: DocExample): string {
  const files = example.roots
    ? Object.entries(example.roots).flatMap(([root, files]) => Object.entries(files).map(([file, text]) => [`${root}/${file}`, text] as const))
    : Object.entries(example.files ?? {});
  const title = example.title ? `${example.title}\n\n` : '';
  const options = example.options === undefined ? '' : `With options \`${JSON.stringify(example.options)}\`:\n\n`;
  return title + options + files.map(([file, text]) => `\`${file}\`\n\n\`\`\`${/\.(ya?ml)$|kustomization|^\.sops/i.test(file) ? 'yaml' : ''}\n${text.replace(/\n$/, '')}\n\`\`\``).join('\n\n');
}

function optionsSection(meta: RuleMeta): string {
  const properties = (meta.options as { properties?: Record<string, { description?: string; type?: unknown }> } | undefined)?.properties ?? {};
  const names = Object.keys(properties);
  if (names.length === 0) return 'This rule has no options.';
  return names
    .map((name) => {
      const property = properties[name] ?? {};
      const fallback = meta.defaultOptions?.[name];
      const defaults = fallback === undefined ? '' : `\n\nDefault: \`${JSON.stringify(fallback)}\``;
      return `### \`${name}\`\n\n${property.description ?? ''}${defaults}`;
    })
    .join('\n\n');
}

const SCOPE_WORDS: Record<AnyRule['meta']['scope'], string> = {
  cluster: 'objects as Flux applies them',
  repository: 'every file as written',
};

/** The Markdown page of a rule, generated from its metadata (docs/rules/<id>.md). */
export function ruleDocPage(rule: AnyRule): string {
  const { meta } = rule;
  const sections = [
    `<!-- Generated from rules/${meta.id}.ts by npm run generate:docs. Do not edit. -->`,
    `# ${meta.id}`,
    `${meta.description}.`,
    `| Category | Judges | Default level | Recommended |\n|---|---|---|---|\n| ${meta.category} | ${SCOPE_WORDS[meta.scope]} | ${meta.defaultLevel} | ${meta.recommended ? 'yes' : 'no'} |`,
    `## Why\n\n${meta.docs.rationale}`,
    `## Incorrect\n\n${meta.docs.incorrect.map(exampleBlocks).join('\n\n')}`,
    `## Correct\n\n${meta.docs.correct.map(exampleBlocks).join('\n\n')}`,
    `## Options\n\n${optionsSection(meta)}`,
    `## When Not To Use It\n\n${meta.docs.whenNotToUse ?? 'Keep it on: it reports only what would fail or misbehave in the cluster.'}`,
    `## Suppressing\n\n\`\`\`yaml\n# gitops-lint-disable-next-line ${meta.id} -- reason\n\`\`\``,
  ];
  return `${sections.join('\n\n')}\n`;
}

/** The README's rule table. */
export function ruleTable(rules: ReadonlyArray<AnyRule>): string {
  const rows = [...rules]
    .sort((a, b) => a.meta.id.localeCompare(b.meta.id))
    .map(({ meta }) => `| [\`${meta.id}\`](docs/rules/${meta.id}.md) | ${meta.recommended ? meta.defaultLevel : 'off'} | ${meta.description} |`);
  return ['| Rule | Level | What it checks |', '|---|---|---|', ...rows].join('\n');
}
