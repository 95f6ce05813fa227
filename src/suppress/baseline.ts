import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config/load.js';
import { compareStrings } from '../engine/collections.js';
import type { Finding } from '../model/finding.js';

/**
 * One kind of existing finding in a baseline: `count` findings of `rule` in `file` with this
 * fingerprint (line-independent: rule, file, resource, path and message) are accepted.
 */
export interface BaselineEntry {
  rule: string;
  /** Relative to the baseline file's folder, with forward slashes. */
  file: string;
  fingerprint: string;
  count: number;
  /** For people reading the file; never a secret value (messages name keys). */
  message: string;
}

/** A baseline file (`--write-baseline`), read back with `--baseline` or the config's `baseline:`. */
export interface Baseline {
  version: 1;
  findings: BaselineEntry[];
}

/** Where a finding's file is, as a baseline next to `baselineFile` names it. */
function entryFile(finding: Finding, baselineFile: string): string {
  return path.relative(path.dirname(baselineFile), path.join(finding.location.root, finding.location.file)).split(path.sep).join('/');
}

const key = (file: string, fingerprint: string) => `${file}\0${fingerprint}`;

function inSource(finding: Finding): boolean {
  return finding.suppressions?.some((suppression) => suppression.kind === 'inSource') ?? false;
}

/**
 * The baseline of these findings: every finding not suppressed by a comment (findings an
 * earlier baseline hid are included, so rewriting a baseline keeps what still exists and
 * drops what was fixed), grouped and counted, sorted by file, rule and fingerprint.
 */
export function createBaseline(findings: readonly Finding[], baselineFile: string): Baseline {
  const entries = new Map<string, BaselineEntry>();
  for (const finding of findings) {
    if (inSource(finding)) continue;
    const file = entryFile(finding, baselineFile);
    const existing = entries.get(key(file, finding.fingerprint));
    if (existing) existing.count++;
    else entries.set(key(file, finding.fingerprint), { rule: finding.ruleId, file, fingerprint: finding.fingerprint, count: 1, message: finding.message });
  }
  const sorted = [...entries.values()].sort(
    (a, b) => compareStrings(a.file, b.file) || compareStrings(a.rule, b.rule) || compareStrings(a.fingerprint, b.fingerprint),
  );
  return { version: 1, findings: sorted };
}

/** The file's text: stable JSON (same findings, same bytes), one entry per line group. */
export function formatBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

export async function writeBaseline(file: string, baseline: Baseline): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, formatBaseline(baseline));
}

/** Read and check a baseline file; a missing or malformed one is a config error (exit 2). */
export async function readBaseline(file: string): Promise<Baseline> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`Cannot read the baseline file (${error.code ?? error.message}); write one with --write-baseline.`, file);
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError('The baseline file is not JSON; write it again with --write-baseline.', file);
  }
  const problems = baselineProblems(value);
  if (problems.length > 0) throw new ConfigError(`Invalid baseline file: ${problems.join(' ')}`, file);
  return value as Baseline;
}

function baselineProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || (value as { version?: unknown }).version !== 1 || !Array.isArray((value as { findings?: unknown }).findings)) {
    return ['expected {"version": 1, "findings": [...]}.'];
  }
  const problems: string[] = [];
  (value as { findings: unknown[] }).findings.forEach((entry, index) => {
    const e = entry as Partial<Record<keyof BaselineEntry, unknown>> | null;
    const ok =
      typeof e === 'object' && e !== null && typeof e.rule === 'string' && typeof e.file === 'string' && typeof e.fingerprint === 'string' && typeof e.message === 'string' && Number.isInteger(e.count) && (e.count as number) > 0;
    if (!ok) problems.push(`findings[${index}] needs rule, file, fingerprint, message (strings) and count (a whole number above 0).`);
  });
  return problems;
}

/**
 * Mark the findings a baseline accepts as suppressed (`external`, kept in the result as SARIF
 * does). Findings are matched by file and fingerprint; when there are more now than the
 * baseline counted, none of them is hidden (which one is new cannot be told). Returns how
 * many were hidden.
 */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline, baselineFile: string): number {
  const accepted = new Map<string, number>();
  for (const entry of baseline.findings) accepted.set(key(entry.file, entry.fingerprint), (accepted.get(key(entry.file, entry.fingerprint)) ?? 0) + entry.count);
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    if (finding.suppressions !== undefined) continue;
    const k = key(entryFile(finding, baselineFile), finding.fingerprint);
    const group = groups.get(k);
    if (group) group.push(finding);
    else groups.set(k, [finding]);
  }
  const justification = `In the baseline ${path.basename(baselineFile)}.`;
  let hidden = 0;
  for (const [k, group] of groups) {
    if (group.length > (accepted.get(k) ?? 0)) continue;
    for (const finding of group) finding.suppressions = [{ kind: 'external', justification }];
    hidden += group.length;
  }
  return hidden;
}
