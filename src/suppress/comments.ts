import type { Finding } from '../model/finding.js';

/** `# gitops-lint-disable[-next-line] [rule[, rule]...] [-- reason]` */
const DIRECTIVE = /#\s*gitops-lint-(disable-next-line|disable)(?=\s|$)([^\n]*)/g;

export interface Directive {
  kind: 'file' | 'next-line';
  /** Rule ids; empty means every rule. */
  rules: string[];
  justification?: string;
  /** 1-based line of the comment. */
  line: number;
}

/** Directives in a file's text. Found by scanning comments, so they work in any file with `#` comments. */
export function parseDirectives(text: string): Directive[] {
  const directives: Directive[] = [];
  if (!text.includes('gitops-lint-disable')) return directives;
  let counted = 0;
  let line = 1;
  // Directives come in text order, so lines are counted once across all of them.
  const lineOf = (offset: number): number => {
    for (let index = text.indexOf('\n', counted); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
      line++;
      counted = index + 1;
    }
    return line;
  };
  for (const match of text.matchAll(DIRECTIVE)) {
    const lineStart = text.lastIndexOf('\n', match.index) + 1;
    const before = text.slice(lineStart, match.index);
    // A `#` inside a quoted value is not a comment.
    if (before.split('"').length % 2 === 0 || before.split("'").length % 2 === 0) continue;
    const [rulesPart, ...reasonParts] = (match[2] ?? '').split(/\s--\s?|^--\s?/);
    const rules = (rulesPart ?? '')
      .split(/[\s,]+/)
      .map((rule) => rule.trim())
      .filter((rule) => rule.length > 0);
    const justification = reasonParts.join(' -- ').trim();
    const line = lineOf(match.index);
    const directive: Directive = { kind: match[1] === 'disable' ? 'file' : 'next-line', rules, line };
    if (justification) directive.justification = justification;
    directives.push(directive);
  }
  return directives;
}


/** Mark findings covered by a directive as suppressed (they are kept, as SARIF does). */
export function applyDirectives(findings: Finding[], directives: readonly Directive[]): void {
  if (directives.length === 0) return;
  for (const finding of findings) {
    const directive = directives.find(
      (candidate) =>
        (candidate.rules.length === 0 || candidate.rules.includes(finding.ruleId)) &&
        (candidate.kind === 'file' || candidate.line + 1 === finding.location.startLine),
    );
    if (!directive) continue;
    finding.suppressions = [
      directive.justification === undefined ? { kind: 'inSource' } : { kind: 'inSource', justification: directive.justification },
    ];
  }
}
