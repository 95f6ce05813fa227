import type { Rule } from '../model/rule.js';

/** `gitops-lint rules`: one line per rule with its default level. */
export function formatRuleList(rules: ReadonlyArray<Rule<string, never>>, color: boolean): string {
  const sorted = [...rules].sort((a, b) => a.meta.id.localeCompare(b.meta.id));
  const idWidth = Math.max(...sorted.map((rule) => rule.meta.id.length), 4);
  const bold = (text: string) => (color ? `\u001b[1m${text}\u001b[22m` : text);
  const lines = [`${bold('rule'.padEnd(idWidth))}  ${bold('level  ')}  ${bold('description')}`];
  for (const { meta } of sorted) {
    const level = meta.recommended ? meta.defaultLevel : 'off';
    lines.push(`${meta.id.padEnd(idWidth)}  ${level.padEnd(7)}  ${meta.description}`);
  }
  lines.push('', 'Levels are the defaults of the recommended preset; change them under `rules:` in .gitops-lint.yaml.');
  return `${lines.join('\n')}\n`;
}
