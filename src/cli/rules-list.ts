import type { ResolvedConfig } from '../config/types.js';
import { ruleDocsUrl, type Rule } from '../model/rule.js';
import { compareRuleIds } from '../engine/collections.js';

type AnyRule = Rule<string, never>;

/** One rule as `gitops-lint rules` shows it: its level and options under the config in use. */
export interface RuleListEntry {
  id: string;
  level: string;
  /** The level of the recommended preset (`off` when the rule is not recommended). */
  defaultLevel: string;
  description: string;
  docs: string;
  options: Record<string, unknown>;
}

export function ruleListEntries(rules: ReadonlyArray<AnyRule>, config: ResolvedConfig): RuleListEntry[] {
  return [...rules]
    .sort((a, b) => compareRuleIds(a.meta.id, b.meta.id))
    .map(({ meta }) => ({
      id: meta.id,
      level: config.rules[meta.id]?.level ?? 'off',
      defaultLevel: meta.recommended ? meta.defaultLevel : 'off',
      description: meta.description,
      docs: ruleDocsUrl(meta.id),
      options: config.rules[meta.id]?.options ?? {},
    }));
}

/** `gitops-lint rules`: each rule with its level under the config in use and its docs link. */
export function formatRuleList(entries: readonly RuleListEntry[], configFile: string | undefined, color: boolean): string {
  const idWidth = Math.max(...entries.map((entry) => entry.id.length), 4);
  const bold = (text: string) => (color ? `\u001b[1m${text}\u001b[22m` : text);
  const dim = (text: string) => (color ? `\u001b[2m${text}\u001b[22m` : text);
  const lines = [`${bold('rule'.padEnd(idWidth))}  ${bold('level  ')}  ${bold('description')}`];
  for (const entry of entries) {
    const changed = entry.level === entry.defaultLevel ? '' : ` (default: ${entry.defaultLevel})`;
    lines.push(`${entry.id.padEnd(idWidth)}  ${entry.level.padEnd(7)}  ${entry.description}${changed}`);
    lines.push(`${' '.repeat(idWidth + 11)}${dim(entry.docs)}`);
  }
  lines.push(
    '',
    configFile === undefined
      ? 'Levels are the defaults of the recommended preset; change them under `rules:` in .gitops-lint.yaml.'
      : `Levels from ${configFile}; change them under \`rules:\` there.`,
  );
  return `${lines.join('\n')}\n`;
}
