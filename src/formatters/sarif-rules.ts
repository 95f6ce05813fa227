import path from 'node:path';
import type { ReportingDescriptor } from 'sarif';
import type { Level } from '../model/finding.js';
import { ruleDocsUrl, type DocExample, type RuleMeta } from '../model/rule.js';

/** GitHub truncates longer descriptions (sarif-support-for-code-scanning: 1024 characters). */
const MAX_DESCRIPTION = 1024;

const PROBLEM_SEVERITY: Record<Level, string> = { error: 'error', warning: 'warning', note: 'recommendation' };

/**
 * GitHub shows a rule as a security alert when it has `security-severity` (a CVSS-like score).
 * Our security rules get one from their default level: high, medium, low.
 */
const SECURITY_SEVERITY: Record<Level, string> = { error: '8.0', warning: '5.0', note: '2.0' };

/** `image-tag-mutable` → `ImageTagMutable`. */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function firstParagraph(markdown: string): string {
  return markdown.trim().split(/\n\s*\n/)[0]?.trim() ?? '';
}

const LANGUAGES: Record<string, string> = { '.yaml': 'yaml', '.yml': 'yaml', '.json': 'json', '.tf': 'hcl', '.hcl': 'hcl' };

/** Example files as `[display path, content]`, prefixing the root folder for multi-root examples. */
function exampleFiles(example: DocExample): Array<[string, string]> {
  if (example.roots !== undefined) {
    return Object.entries(example.roots).flatMap(([root, files]) =>
      Object.entries(files).map(([file, text]): [string, string] => [`${root}/${file}`, text]),
    );
  }
  return Object.entries(example.files ?? {});
}

/** A fence longer than any backtick run in the content, so examples cannot close it early. */
function fenced(file: string, content: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const language = LANGUAGES[path.extname(file).toLowerCase()] ?? '';
  return `${fence}${language}\n${content.replace(/\n$/, '')}\n${fence}`;
}

function examplesMarkdown(heading: string, examples: readonly DocExample[]): string[] {
  if (examples.length === 0) return [];
  const blocks = examples.flatMap((example) => [
    ...(example.title === undefined ? [] : [`${example.title}:`]),
    ...exampleFiles(example).flatMap(([file, text]) => [`\`${file}\``, fenced(file, text)]),
  ]);
  return [`## ${heading}`, ...blocks];
}

function examplesText(heading: string, examples: readonly DocExample[]): string[] {
  if (examples.length === 0) return [];
  const blocks = examples.flatMap((example) => [
    ...(example.title === undefined ? [] : [`${example.title}:`]),
    ...exampleFiles(example).map(([file, text]) => `${file}:\n${text.replace(/\n$/, '').replace(/^/gm, '    ')}`),
  ]);
  return [`${heading}:`, ...blocks];
}

/**
 * The help shown by code scanning next to an alert: the rationale, then the incorrect and
 * correct examples from the rule docs, then when not to use the rule and a link to the docs.
 */
function help(meta: RuleMeta): { text: string; markdown: string } {
  const { docs } = meta;
  const url = ruleDocsUrl(meta.id);
  const whenNot = docs.whenNotToUse === undefined ? [] : [docs.whenNotToUse.trim()];
  const markdown = [
    docs.rationale.trim(),
    ...examplesMarkdown('Incorrect', docs.incorrect),
    ...examplesMarkdown('Correct', docs.correct),
    ...(whenNot.length > 0 ? ['## When not to use it', ...whenNot] : []),
    `[Documentation of ${meta.id}](${url})`,
  ];
  const text = [
    docs.rationale.trim(),
    ...examplesText('Incorrect', docs.incorrect),
    ...examplesText('Correct', docs.correct),
    ...(whenNot.length > 0 ? ['When not to use it:', ...whenNot] : []),
    `Documentation: ${url}`,
  ];
  return { text: text.join('\n\n'), markdown: markdown.join('\n\n') };
}

/** The SARIF `reportingDescriptor` of a rule, with what GitHub code scanning displays. */
export function ruleDescriptor(meta: RuleMeta): ReportingDescriptor {
  const properties: Record<string, unknown> = {
    tags: [meta.category],
    // Rules are deterministic checks of files against documented controller behaviour.
    precision: 'high',
    'problem.severity': PROBLEM_SEVERITY[meta.defaultLevel],
  };
  if (meta.category === 'security') properties['security-severity'] = SECURITY_SEVERITY[meta.defaultLevel];
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: truncate(meta.description, MAX_DESCRIPTION) },
    fullDescription: { text: truncate(firstParagraph(meta.docs.rationale) || meta.description, MAX_DESCRIPTION) },
    help: help(meta),
    helpUri: ruleDocsUrl(meta.id),
    defaultConfiguration: { level: meta.defaultLevel },
    properties,
  };
}

/**
 * A descriptor for a finding whose rule is missing from `result.rules`, so the log stays valid
 * for code scanning (which requires a rule with descriptions and help for every result).
 */
export function unknownRuleDescriptor(id: string): ReportingDescriptor {
  const text = `Findings reported as ${id}`;
  return {
    id,
    name: pascalCase(id),
    shortDescription: { text },
    fullDescription: { text },
    help: { text: `Documentation: ${ruleDocsUrl(id)}` },
    helpUri: ruleDocsUrl(id),
  };
}
