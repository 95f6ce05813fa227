import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Log } from 'sarif';
import { afterAll, describe, expect, it } from 'vitest';
import { relativeUri, sarif } from '../../src/formatters/sarif.js';
import { pascalCase } from '../../src/formatters/sarif-rules.js';
import { context, finding, HKUBE, LOTUS, lintResult, result } from './fixture.js';
import { ACCEPTED_NOTES, multitool, multitoolValidate, schemaValidator } from './sarif-validators.js';


function parse(text: string): Log {
  return JSON.parse(text) as Log;
}

describe('sarif schema', () => {
  const validate = schemaValidator();

  it('validates the fixture against the SARIF 2.1.0 schema', () => {
    const valid = validate(parse(sarif(result, context)));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('validates an empty run', () => {
    expect(validate(parse(sarif(lintResult([]), context)))).toBe(true);
  });

  it('rejects a region with column 0, so the schema check has teeth', () => {
    const log = parse(sarif(result, context));
    const region = log.runs[0]?.results?.[0]?.locations?.[0]?.physicalLocation?.region;
    if (region) region.startColumn = 0;
    expect(validate(log)).toBe(false);
  });
});

describe.skipIf(process.platform !== 'linux' || !existsSync(multitool))('sarif-multitool validate', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-sarif-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const validate = (name: string, text: string) => multitoolValidate(dir, name, text);

  it('reports no error or warning for the fixture, GitHub rules included', () => {
    const findings = validate('fixture', sarif(result, context));
    expect(findings.filter((f) => f.level === 'error' || f.level === 'warning')).toEqual([]);
    expect([...new Set(findings.map((f) => f.ruleId))].filter((id) => !ACCEPTED_NOTES.includes(id))).toEqual([]);
  });

  it('reports no error or warning for a single root', () => {
    const single = lintResult([finding({ ruleId: 'env-required', level: 'warning', file: 'a.yaml', at: [1, 1, 1, 2], message: 'M.' })], {
      roots: [{ dir: LOTUS, name: 'lotus-lake', git: true }],
    });
    const findings = validate('single', sarif(single, context));
    expect(findings.filter((f) => f.level === 'error' || f.level === 'warning')).toEqual([]);
  });

  it('detects a broken log, so a passing check means something', () => {
    const log = parse(sarif(result, context));
    delete log.runs[0]?.tool.driver.rules?.[0]?.fullDescription;
    const findings = validate('broken', JSON.stringify(log));
    expect(findings.some((f) => f.level === 'error')).toBe(true);
  });
});

describe('sarif content', () => {
  const log = parse(sarif(result, context));
  const run = log.runs[0];

  it('declares one uriBaseId per root, named after the root', () => {
    expect(run?.originalUriBaseIds).toEqual({
      LOTUS_LAKE: { uri: 'file:///repos/lotus-lake/' },
      H_KUBE: { uri: 'file:///repos/h-kube/' },
    });
  });

  it('uses %SRCROOT% for a single root', () => {
    const single = parse(sarif(lintResult([], { roots: [{ dir: HKUBE, name: 'h-kube', git: true }] }), context));
    expect(single.runs[0]?.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///repos/h-kube/' } });
  });

  it('keeps uriBaseIds unique when root names collide', () => {
    const roots = [
      { dir: '/a/app', name: 'app', git: true },
      { dir: '/b/app', name: 'app', git: true },
      { dir: '/c/1st', name: '1st', git: true },
    ];
    expect(Object.keys(parse(sarif(lintResult([], { roots }), context)).runs[0]?.originalUriBaseIds ?? {})).toEqual(['APP', 'APP_2', 'ROOT_1ST']);
  });

  it('encodes path segments so `:` cannot look like a URI scheme', () => {
    expect(relativeUri('deploy/odd,name:v1.yaml')).toBe('deploy/odd%2Cname%3Av1.yaml');
    expect(relativeUri('a b/#1?.yaml')).toBe('a%20b/%231%3F.yaml');
  });

  it('marks suppressed findings with an inSource suppression', () => {
    const suppressed = run?.results?.filter((r) => r.suppressions !== undefined);
    expect(suppressed?.map((r) => r.suppressions)).toEqual([[{ kind: 'inSource', justification: 'Dev deployment tracks main on purpose.' }]]);
  });

  it('points every result at its rule', () => {
    for (const r of run?.results ?? []) {
      expect(run?.tool.driver.rules?.[r.ruleIndex ?? -1]?.id).toBe(r.ruleId);
    }
  });

  it('adds a descriptor for a finding whose rule did not report metadata', () => {
    const orphan = parse(sarif(lintResult([finding({ ruleId: 'yaml-syntax', level: 'error', file: 'a.yaml', at: [1, 1, 1, 2], message: 'M.' })]), context));
    const rules = orphan.runs[0]?.tool.driver.rules ?? [];
    expect(orphan.runs[0]?.results?.[0]?.ruleIndex).toBe(rules.length - 1);
    expect(rules.at(-1)?.id).toBe('yaml-syntax');
  });

  it('reports run errors as failed execution', () => {
    expect(run?.invocations?.[0]?.executionSuccessful).toBe(false);
    expect(parse(sarif(lintResult([]), context)).runs[0]?.invocations?.[0]).toEqual({ executionSuccessful: true });
  });

  it('turns rule ids into PascalCase names', () => {
    expect(pascalCase('kustomization-path-exists')).toBe('KustomizationPathExists');
  });
});
