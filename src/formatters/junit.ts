import type { Finding } from '../model/finding.js';
import type { Formatter, LintResult } from '../model/result.js';
import { displayFile, displayPath } from './paths.js';
import { isSuppressed, plural } from './text.js';

/** Characters XML 1.0 cannot carry even as references: most C0 controls, lone surrogates, U+FFFE/F. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes element text; characters XML cannot carry become U+FFFD. */
export function xmlText(text: string): string {
  return text
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;')
    // A line starting with `::` would be a workflow command if the report is printed in CI.
    .replace(/\n(?=\s*::)/g, '&#10;');
}

/**
 * Escapes an attribute value. Tabs and line breaks become character references because XML
 * parsers turn literal ones in attributes into spaces.
 */
export function xmlAttr(text: string): string {
  return xmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;');
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => ` ${key}="${xmlAttr(String(value))}"`)
    .join('');
}

interface Suite {
  name: string;
  /** Findings by rule id, in first-seen order (the result's order). */
  cases: Map<string, Finding[]>;
}

function suites(result: LintResult, cwd: string): Suite[] {
  const byFile = new Map<string, Suite>();
  for (const finding of result.findings) {
    const name = displayPath(finding.location, cwd);
    const suite = byFile.get(name) ?? { name, cases: new Map<string, Finding[]>() };
    byFile.set(name, suite);
    suite.cases.set(finding.ruleId, [...(suite.cases.get(finding.ruleId) ?? []), finding]);
  }
  return [...byFile.values()];
}

function failure(finding: Finding, file: string): string {
  const { startLine, startColumn } = finding.location;
  const body = `${file}:${startLine}:${startColumn}\n${finding.level}: ${finding.message}`;
  return `      <failure${attrs({ message: finding.message, type: finding.level })}>${xmlText(body)}</failure>`;
}

/** A testcase per rule; if all its findings are suppressed it is reported as skipped, not passed. */
function testcase(ruleId: string, findings: readonly Finding[], file: string): { xml: string[]; failures: number; skipped: number } {
  const active = findings.filter((f) => !isSuppressed(f));
  const open = `    <testcase${attrs({ classname: ruleId, name: file })}>`;
  if (active.length > 0) {
    return { xml: [open, ...active.map((f) => failure(f, file)), '    </testcase>'], failures: active.length, skipped: 0 };
  }
  const skipped = `      <skipped${attrs({ message: `${plural(findings.length, 'suppressed finding')}` })}/>`;
  return { xml: [open, skipped, '    </testcase>'], failures: 0, skipped: 1 };
}

/**
 * JUnit XML for CI test reporters: one `<testsuite>` per file (named by its display path), one
 * `<testcase>` per rule in that file (classname = rule id) holding a `<failure>` per finding.
 * Suppressed findings are not failures; a testcase with only suppressed findings is skipped.
 * Run errors are `<error>`s and run notes `<system-out>` of a final `gitops-lint` suite, which
 * also holds one passing testcase when there is nothing else, so CI always shows a result.
 */
export const junit: Formatter = (result, { cwd }) => {
  const body: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const suite of suites(result, cwd)) {
    const cases = [...suite.cases].map(([ruleId, findings]) => testcase(ruleId, findings, suite.name));
    const suiteFailures = cases.reduce((n, c) => n + c.failures, 0);
    const skipped = cases.reduce((n, c) => n + c.skipped, 0);
    tests += cases.length;
    failures += suiteFailures;
    body.push(`  <testsuite${attrs({ name: suite.name, tests: cases.length, failures: suiteFailures, errors: 0, skipped })}>`);
    body.push(...cases.flatMap((c) => c.xml), '  </testsuite>');
  }
  const runCases = result.errors.map((error) => {
    const where = error.file === undefined ? '' : `${displayFile(error.file, cwd)}${error.line === undefined ? '' : `:${error.line}:${error.column ?? 1}`}`;
    return [
      `    <testcase${attrs({ classname: 'gitops-lint', name: where || 'run' })}>`,
      `      <error${attrs({ message: error.message, type: 'error' })}>${xmlText(where === '' ? error.message : `${where}\n${error.message}`)}</error>`,
      '    </testcase>',
    ];
  });
  if (tests === 0 && runCases.length === 0) {
    runCases.push([`    <testcase${attrs({ classname: 'gitops-lint', name: `${plural(result.fileCount, 'file')} linted` })}/>`]);
  }
  const notes = result.notes.map((n) => (n.file === undefined ? n.message : `${displayFile(n.file, cwd)}: ${n.message}`));
  if (runCases.length > 0 || notes.length > 0) {
    tests += runCases.length;
    body.push(`  <testsuite${attrs({ name: 'gitops-lint', tests: runCases.length, failures: 0, errors: result.errors.length, skipped: 0 })}>`);
    body.push(...runCases.flat());
    if (notes.length > 0) body.push(`    <system-out>${xmlText(notes.join('\n'))}</system-out>`);
    body.push('  </testsuite>');
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'gitops-lint', tests, failures, errors: result.errors.length })}>`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
};
