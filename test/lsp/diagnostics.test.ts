import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configErrorDiagnostic, diagnosticsByFile, toDiagnostic, toRange, toSeverity } from '../../src/lsp/diagnostics.js';
import type { Finding } from '../../src/model/finding.js';
import { ruleDocsUrl } from '../../src/model/rule.js';

const ROOT = path.join(path.sep, 'repos', 'lotus-lake');

const tagFinding: Finding = {
  ruleId: 'image-tag-mutable',
  level: 'warning',
  message: 'Image ghcr.io/matta-kelly/lotus-lake:latest has a mutable tag (latest).',
  messageId: 'mutableTag',
  location: { root: ROOT, file: 'deploy/dagster/release.yaml', startLine: 79, startColumn: 18, endLine: 79, endColumn: 24 },
  fingerprint: '0123456789abcdef0123456789abcdef',
};

const syntaxFinding: Finding = {
  ruleId: 'yaml-syntax',
  level: 'error',
  message: 'Invalid YAML: Tabs are not allowed as indentation.',
  messageId: 'syntax',
  location: { root: ROOT, file: 'deploy/app.yaml', startLine: 6, startColumn: 1, endLine: 6, endColumn: 2 },
  fingerprint: 'fedcba9876543210fedcba9876543210',
};

const multiLineNote: Finding = {
  ruleId: 'sops-metadata-valid',
  level: 'note',
  message: 'The sops block spans lines.',
  messageId: 'span',
  location: { root: ROOT, file: 'deploy/app.yaml', startLine: 10, startColumn: 1, endLine: 14, endColumn: 1 },
  fingerprint: '00000000000000000000000000000000',
};

const suppressed: Finding = {
  ...syntaxFinding,
  location: { ...syntaxFinding.location, startLine: 9, endLine: 9 },
  suppressions: [{ kind: 'inSource', justification: 'vendored' }],
};

describe('finding → LSP diagnostic', () => {
  it('converts a 1-based, end-exclusive region to a 0-based range', () => {
    expect(toRange(tagFinding.location)).toEqual({ start: { line: 78, character: 17 }, end: { line: 78, character: 23 } });
  });

  it('keeps an empty region empty', () => {
    expect(toRange({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 })).toEqual({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  });

  it('keeps a range across lines', () => {
    expect(toRange(multiLineNote.location)).toEqual({ start: { line: 9, character: 0 }, end: { line: 13, character: 0 } });
  });

  it('maps levels to LSP severities', () => {
    expect([toSeverity('error'), toSeverity('warning'), toSeverity('note')]).toEqual([1, 2, 3]);
  });

  it('sets the rule id as code and its docs as code description', () => {
    expect(toDiagnostic(tagFinding)).toEqual({
      range: { start: { line: 78, character: 17 }, end: { line: 78, character: 23 } },
      severity: 2,
      code: 'image-tag-mutable',
      codeDescription: { href: 'https://github.com/gitops-lint/gitops-lint/blob/main/docs/rules/image-tag-mutable.md' },
      source: 'gitops-lint',
      message: 'Image ghcr.io/matta-kelly/lotus-lake:latest has a mutable tag (latest).',
    });
    expect(toDiagnostic(tagFinding).codeDescription?.href).toBe(ruleDocsUrl('image-tag-mutable'));
  });
});

describe('diagnostics by file', () => {
  it('groups by absolute path in result order and leaves out suppressed findings', () => {
    const byFile = diagnosticsByFile({ findings: [syntaxFinding, suppressed, multiLineNote, tagFinding] });
    expect([...byFile.keys()]).toEqual([path.join(ROOT, 'deploy', 'app.yaml'), path.join(ROOT, 'deploy', 'dagster', 'release.yaml')]);
    expect(byFile.get(path.join(ROOT, 'deploy', 'app.yaml'))?.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.range.start.line])).toEqual([
      ['yaml-syntax', 1, 5],
      ['sops-metadata-valid', 3, 9],
    ]);
  });

  it('is empty for a result without findings', () => {
    expect(diagnosticsByFile({ findings: [] }).size).toBe(0);
  });
});

describe('config error diagnostic', () => {
  it('starts at the reported line and column and runs to the end of the line', () => {
    expect(configErrorDiagnostic('Unknown rule "x".', 3, 3)).toEqual({
      range: { start: { line: 2, character: 2 }, end: { line: 3, character: 0 } },
      severity: 1,
      code: 'config',
      source: 'gitops-lint',
      message: 'Unknown rule "x".',
    });
  });

  it('covers the first line when the error has no position', () => {
    expect(configErrorDiagnostic('Cannot read the extended config "base.yaml".').range).toEqual({ start: { line: 0, character: 0 }, end: { line: 1, character: 0 } });
  });
});
