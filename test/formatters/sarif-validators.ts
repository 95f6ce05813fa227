import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Log } from 'sarif';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

function parse(text: string): Log {
  return JSON.parse(text) as Log;
}

/** Ajv validator of the SARIF 2.1.0 schema in schemas/. */
export function schemaValidator() {
  const schema = JSON.parse(readFileSync(path.join(repo, 'schemas/sarif-2.1.0.json'), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  // The schema's formats, checked just enough for our output (ajv-formats is not a dependency).
  ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s) && URL.canParse(s));
  ajv.addFormat('uri-reference', /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/);
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/i);
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  return ajv.compile(schema);
}

/**
 * Notes the multitool still reports on the fixture, each unavoidable for a reason:
 * - SARIF2002 (message id + arguments): findings carry the interpolated message, not its data.
 * - SARIF2003 (version control provenance): the result knows no remote URL or commit.
 * - SARIF2009 (conventional rule ids like `GL1001`): our ids are kebab-case by design.
 * - SARIF2010/SARIF2011 (code snippets, context regions): GitHub does not use them, and keeping
 *   source text out of an uploaded artifact is one less place a secret could leak.
 */
export const ACCEPTED_NOTES = ['SARIF2002', 'SARIF2003', 'SARIF2009', 'SARIF2010', 'SARIF2011'];

export const multitool = path.join(repo, 'node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool');

/** Run `sarif-multitool validate` (offline) on a log; its results, with SARIF's default level. */
export function multitoolValidate(dir: string, name: string, text: string): Array<{ ruleId: string; level: string; text: string }> {
  const input = path.join(dir, `${name}.sarif`);
  const output = path.join(dir, `${name}.validation.sarif`);
  writeFileSync(input, text);
  execFileSync(
    multitool,
    ['validate', input, '--output', output, '--log', 'ForceOverwrite', '--level', 'Error;Warning;Note',
      '--rule-kind', 'Sarif;Gh', '--config', path.join(here, 'multitool.xml'), '--quiet'],
    { stdio: 'pipe' },
  );
  const report = parse(readFileSync(output, 'utf8'));
  return (report.runs[0]?.results ?? []).map((r) => ({
    ruleId: r.ruleId ?? '',
    // SARIF's default level is warning.
    level: r.level ?? 'warning',
    text: JSON.stringify(r.message),
  }));
}
