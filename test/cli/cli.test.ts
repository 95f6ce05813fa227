import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempRepo } from './temp-repo.js';

const broken = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: fast\n  mode: safe\n';
const clean = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: fast\n';

describe('gitops-lint CLI', () => {
  it('exits 0 on a clean folder that is not a git repository', async () => {
    const dir = tempRepo({ 'deploy/app.yaml': clean });
    const run = await runCli(['--format', 'compact'], dir);
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 1 and prints file:line:col for an error', async () => {
    const dir = tempRepo({ 'deploy/app.yaml': broken }, { git: true });
    const run = await runCli(['--format', 'compact', '.'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('deploy/app.yaml:7:3: error: Duplicate key: the last value silently wins in most tools and sops refuses the file. [yaml-syntax]\n');
  });

  it('shows paths relative to the working directory for several roots', async () => {
    const parent = tempRepo({ 'app/deploy/a.yaml': broken, 'cluster/c.yaml': broken });
    const run = await runCli(['-f', 'compact', 'app', 'cluster'], parent);
    expect(run.stdout.split('\n').filter(Boolean).map((line) => line.split(':').slice(0, 3).join(':'))).toEqual(['app/deploy/a.yaml:7:3', 'cluster/c.yaml:7:3']);
  });

  it('honours .gitignore and the config ignore globs', async () => {
    const dir = tempRepo({
      '.gitignore': 'generated/\n',
      'generated/out.yaml': broken,
      'vendor/x.yaml': broken,
      '.gitops-lint.yaml': 'ignore:\n  - "vendor/**"\n',
      'deploy/app.yaml': clean,
    }, { git: true });
    const run = await runCli(['-f', 'json'], dir);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { fileCount: number };
    expect(json.fileCount).toBe(3);
  });

  it('marks suppressed findings and does not fail on them', async () => {
    const dir = tempRepo({
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  mode: fast\n  # gitops-lint-disable-next-line yaml-syntax -- migrated later\n  mode: safe\n',
      'b.yaml': '# gitops-lint-disable yaml-syntax -- vendored file\nx: 1\nx: 2\n',
    });
    const run = await runCli(['-f', 'json'], dir);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { findings: Array<{ location: { file: string }; suppressions?: unknown[] }> };
    expect(json.findings.map((finding) => [finding.location.file, finding.suppressions])).toEqual([
      ['a.yaml', [{ kind: 'inSource', justification: 'migrated later' }]],
      ['b.yaml', [{ kind: 'inSource', justification: 'vendored file' }]],
    ]);
  });

  it('turns a rule off and lowers levels through the config', async () => {
    const dir = tempRepo({ 'a.yaml': broken, '.gitops-lint.yaml': 'rules:\n  yaml-syntax: warning\n' });
    expect((await runCli(['-f', 'compact'], dir)).code).toBe(0);
    expect((await runCli(['-f', 'compact', '--max-warnings', '0'], dir)).code).toBe(1);
    expect((await runCli(['-f', 'compact', '--quiet'], dir)).stdout).toBe('');
    const off = tempRepo({ 'a.yaml': broken, '.gitops-lint.yaml': 'rules:\n  yaml-syntax: off\n' });
    expect(await runCli(['-f', 'compact'], off)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 2 for a bad config, naming file, line and problem', async () => {
    const dir = tempRepo({ 'a.yaml': clean, '.gitops-lint.yaml': 'rules:\n  yaml-syntax: error\n  no-such-rule: warning\n' });
    const run = await runCli([], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('gitops-lint: .gitops-lint.yaml:3:3: Unknown rule "no-such-rule".\n');
    const level = tempRepo({ '.gitops-lint.yaml': 'rules:\n  yaml-syntax: loud\n' });
    expect((await runCli([], level)).stderr).toBe('gitops-lint: .gitops-lint.yaml:2:16: Invalid value at rules.yaml-syntax: expected one of error, warning, warn, note, off.\n');
    const syntax = tempRepo({ '.gitops-lint.yaml': 'rules: [\n' });
    expect((await runCli([], syntax)).stderr).toMatch(/^gitops-lint: \.gitops-lint\.yaml:2:1: Invalid YAML: /);
    const unknownKey = tempRepo({ '.gitops-lint.yaml': 'ignore: []\nrepo:\n  a: b\n' });
    expect((await runCli([], unknownKey)).stderr).toBe('gitops-lint: .gitops-lint.yaml:2:1: Unknown key "repo" in the config.\n');
  });

  it('exits 2 for usage errors and unknown formats', async () => {
    const dir = tempRepo({ 'a.yaml': clean });
    expect((await runCli(['--bogus'], dir)).code).toBe(2);
    expect((await runCli(['-f', 'xml'], dir)).stderr).toBe('gitops-lint: unknown format "xml" (known: stylish, compact, json, sarif, github, junit).\n');
    expect((await runCli(['missing-dir'], dir)).code).toBe(2);
    expect((await runCli(['--max-warnings', 'many'], dir)).code).toBe(2);
  });

  it('writes several formats, one to a file', async () => {
    const dir = tempRepo({ 'a.yaml': broken });
    const run = await runCli(['-f', 'compact', '-f', 'sarif=out/result.sarif'], dir);
    expect(run.stdout).toBe('a.yaml:7:3: error: Duplicate key: the last value silently wins in most tools and sops refuses the file. [yaml-syntax]\n');
    const sarif = JSON.parse(readFileSync(path.join(dir, 'out', 'result.sarif'), 'utf8')) as { version: string; runs: Array<{ results: unknown[] }> };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results).toHaveLength(1);
    const single = await runCli(['-o', 'report.txt', '-f', 'compact'], dir);
    // Every output went to a file: the summary line alone on stdout.
    expect(single.stdout).toBe('✖ 1 problem (1 error, 0 warnings)\n');
    expect(readFileSync(path.join(dir, 'report.txt'), 'utf8')).toContain('a.yaml:7:3');
  });

  it('picks the github format in GitHub Actions and colours only on a terminal without NO_COLOR', async () => {
    const dir = tempRepo({ 'a.yaml': broken });
    expect((await runCli([], dir, { GITHUB_ACTIONS: 'true' })).stdout).toMatch(/^::error file=a\.yaml,line=7,/m);
    expect((await runCli([], dir, {}, true)).stdout).toContain('\u001b[');
    expect((await runCli([], dir, { NO_COLOR: '1' }, true)).stdout).not.toContain('\u001b[');
    expect((await runCli([], dir, {}, false)).stdout).not.toContain('\u001b[');
  });

  it('lists rules, prints help and version', async () => {
    const dir = tempRepo({});
    const rules = await runCli(['rules'], dir);
    expect(rules.code).toBe(0);
    expect(rules.stdout).toMatch(/^yaml-syntax +error +Require YAML and JSON files to parse/m);
    expect((await runCli(['--help'], dir)).stdout).toMatch(/^Usage: gitops-lint/);
    const pkg = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect((await runCli(['--version'], dir)).stdout).toBe(`${pkg.version}\n`);
  });

  it('lints a single file given as a path and reports only on it', async () => {
    const dir = tempRepo({ 'a.yaml': broken, 'b.yaml': broken }, { git: true });
    const run = await runCli(['-f', 'compact', 'b.yaml'], dir);
    expect(run.stdout).toBe('b.yaml:7:3: error: Duplicate key: the last value silently wins in most tools and sops refuses the file. [yaml-syntax]\n');
  });

  it('says UTF-16 (with or without a byte-order mark), not binary, for a UTF-16 file', async () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';
    const dir = tempRepo({});
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, 'le-bom.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    writeFileSync(path.join(dir, 'be-bom.yaml'), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
    writeFileSync(path.join(dir, 'le.yaml'), Buffer.from(text, 'utf16le'));
    writeFileSync(path.join(dir, 'be.yaml'), Buffer.from(text, 'utf16le').swap16());
    const run = await runCli(['-f', 'json'], dir);
    const json = JSON.parse(run.stdout) as { notes: Array<{ message: string }> };
    expect(json.notes.map((note) => note.message)).toEqual([
      'Skipped be-bom.yaml: UTF-16BE text, which the linter does not read (it reads UTF-8; save the file as UTF-8).',
      'Skipped be.yaml: UTF-16BE text, which the linter does not read (it reads UTF-8; save the file as UTF-8).',
      'Skipped le-bom.yaml: UTF-16LE text, which the linter does not read (it reads UTF-8; save the file as UTF-8).',
      'Skipped le.yaml: UTF-16LE text, which the linter does not read (it reads UTF-8; save the file as UTF-8).',
    ]);
  });

  it('skips binary, huge and invalid UTF-8 files and symlinks leaving the root with a note', async () => {
    const outside = tempRepo({ 'secret.yaml': broken });
    const dir = tempRepo({ 'bin.yaml': 'a: \u0000\u0001', 'latin1.yaml': '' });
    const { writeFileSync, symlinkSync } = await import('node:fs');
    writeFileSync(path.join(dir, 'latin1.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
    writeFileSync(path.join(dir, 'huge.yaml'), `a: "${'x'.repeat(4 * 1024 * 1024)}"\n`);
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, 'link.yaml'));
    const run = await runCli(['-f', 'json'], dir);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { notes: Array<{ message: string }> };
    expect(json.notes.map((note) => note.message).sort()).toEqual([
      'Skipped bin.yaml: binary content.',
      'Skipped huge.yaml: larger than 4 MiB.',
      'Skipped latin1.yaml: not valid UTF-8.',
      'Skipped symlink link.yaml: it points outside the root.',
    ]);
  });
});
