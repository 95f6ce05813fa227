import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempRepo } from './temp-repo.js';

const pod = (name: string, image: string, above = '') => `${above}apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: ${name}\n      image: ${image}\n`;
const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2-plain-value\n';
const LATEST = 'Image nginx:latest has a mutable tag (latest): Flux applies manifests, not registry updates, so an image pushed again under this tag never rolls the pods, and nodes may run different builds. Pin a version tag or a digest, or let Flux image automation write the tag.';

interface Entry {
  rule: string;
  file: string;
  fingerprint: string;
  count: number;
  message: string;
}

function repo(): string {
  return tempRepo({ 'deploy/web.yaml': pod('web', 'nginx:latest'), 'deploy/worker.yaml': pod('worker', 'busybox'), 'deploy/secret.yaml': secret }, { git: true });
}

function readEntries(file: string): Entry[] {
  const baseline = JSON.parse(readFileSync(file, 'utf8')) as { version: number; findings: Entry[] };
  expect(baseline.version).toBe(1);
  return baseline.findings;
}

describe('--write-baseline and --baseline', () => {
  it('writes every finding as rule, file, fingerprint, count and message, sorted and byte-stable, without secret values', async () => {
    const dir = repo();
    const first = await runCli(['--write-baseline', 'gitops-lint.baseline.json', '.'], dir);
    expect(first).toEqual({ code: 0, stdout: '✔ 0 problems (3 files); 3 hidden by the baseline\n', stderr: 'gitops-lint: wrote 3 findings to gitops-lint.baseline.json.\n' });
    const file = path.join(dir, 'gitops-lint.baseline.json');
    const text = readFileSync(file, 'utf8');
    const entries = readEntries(file);
    expect(entries.map(({ rule, file: name, count }) => [name, rule, count])).toEqual([
      ['deploy/secret.yaml', 'sops-secret-encrypted', 1],
      ['deploy/web.yaml', 'image-tag-mutable', 1],
      ['deploy/worker.yaml', 'image-tag-mutable', 1],
    ]);
    expect(entries[1]).toEqual({ rule: 'image-tag-mutable', file: 'deploy/web.yaml', fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/), count: 1, message: LATEST });
    expect(text).not.toContain('hunter2');
    // Written again over itself: the same bytes.
    await runCli(['--baseline', 'gitops-lint.baseline.json', '--write-baseline', 'gitops-lint.baseline.json', '.'], dir);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('keeps hiding a finding when lines are added above it', async () => {
    const dir = repo();
    await runCli(['--write-baseline', 'baseline.json', '.'], dir);
    writeFileSync(path.join(dir, 'deploy', 'web.yaml'), pod('web', 'nginx:latest', '# The web front end.\n# Owned by the platform team.\n---\n'));
    const run = await runCli(['-f', 'compact', '--max-warnings', '0', '--baseline', 'baseline.json', '.'], dir);
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
    const json = await runCli(['-f', 'json', '--baseline', 'baseline.json', '.'], dir);
    const findings = (JSON.parse(json.stdout) as { findings: Array<{ location: { file: string; startLine: number }; suppressions?: Array<{ kind: string }> }> }).findings;
    expect(findings.filter((finding) => finding.location.file === 'deploy/web.yaml').map((finding) => [finding.location.startLine, finding.suppressions])).toEqual([
      [11, [{ kind: 'external', justification: 'In the baseline baseline.json.' }]],
    ]);
  });

  it('reports the finding again when the offending value changes', async () => {
    const dir = repo();
    await runCli(['--write-baseline', 'baseline.json', '.'], dir);
    writeFileSync(path.join(dir, 'deploy', 'web.yaml'), pod('web', 'nginx'));
    const run = await runCli(['-f', 'compact', '--max-warnings', '0', '--baseline', 'baseline.json', '.'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^deploy\/web\.yaml:8:14: warning: Image nginx has a mutable tag \(no tag, which means latest\).*\[image-tag-mutable\]\n$/);
    const stylish = await runCli(['--baseline', 'baseline.json', '.'], dir);
    expect(stylish.stdout).toContain('✖ 1 problem (0 errors, 1 warning); 2 hidden by the baseline\n');
  });

  it('drops a fixed finding when the baseline is written again', async () => {
    const dir = repo();
    await runCli(['--write-baseline', 'baseline.json', '.'], dir);
    writeFileSync(path.join(dir, 'deploy', 'web.yaml'), pod('web', 'nginx:1.27.3'));
    const run = await runCli(['--baseline', 'baseline.json', '--write-baseline', 'baseline.json', '.'], dir);
    expect(run.stderr).toBe('gitops-lint: wrote 2 findings to baseline.json.\n');
    expect(readEntries(path.join(dir, 'baseline.json')).map((entry) => entry.file)).toEqual(['deploy/secret.yaml', 'deploy/worker.yaml']);
  });

  it('reports all of a kind when there are more now than the baseline counted', async () => {
    const dir = repo();
    await runCli(['--write-baseline', 'baseline.json', '.'], dir);
    writeFileSync(path.join(dir, 'deploy', 'web.yaml'), `${pod('web', 'nginx:latest')}---\n${pod('web', 'nginx:latest')}`);
    const run = await runCli(['-f', 'compact', '--baseline', 'baseline.json', '.'], dir);
    expect(run.stdout.split('\n').filter(Boolean).map((line) => line.split(': ')[0])).toEqual(['deploy/web.yaml:8:14', 'deploy/web.yaml:17:14']);
  });

  it('reads the baseline named by the config key baseline:, relative to the config', async () => {
    const dir = repo();
    await runCli(['--write-baseline', 'ci/baseline.json', '.'], dir);
    writeFileSync(path.join(dir, '.gitops-lint.yaml'), 'baseline: ci/baseline.json\n');
    const run = await runCli(['.'], dir);
    expect(run).toEqual({ code: 0, stdout: '✔ 0 problems (5 files); 3 hidden by the baseline\n', stderr: '' });
    // Without the config's baseline (another one given), everything is back.
    writeFileSync(path.join(dir, 'empty.json'), '{ "version": 1, "findings": [] }\n');
    expect((await runCli(['-f', 'compact', '--baseline', 'empty.json', '.'], dir)).code).toBe(1);
  });

  it('hides baselined findings in a pre-commit run (--staged) through the config key', async () => {
    const dir = repo();
    await runCli(['--write-baseline', '.gitops-lint-baseline.json', '.'], dir);
    writeFileSync(path.join(dir, '.gitops-lint.yaml'), 'baseline: .gitops-lint-baseline.json\n');
    writeFileSync(path.join(dir, 'deploy', 'web.yaml'), pod('web', 'nginx:latest', '# moved down\n'));
    writeFileSync(path.join(dir, 'deploy', 'worker.yaml'), pod('worker', 'busybox:latest'));
    execFileSync('git', ['add', '.'], { cwd: dir });
    const run = await runCli(['-f', 'compact', '--staged'], dir);
    expect(run.stdout).toMatch(/^deploy\/worker\.yaml:8:14: warning: Image busybox:latest has a mutable tag \(latest\).*\[image-tag-mutable\]\n$/);
  });

  it('says what is wrong with a missing or malformed baseline (exit 2)', async () => {
    const dir = repo();
    const missing = await runCli(['--baseline', 'nope.json', '.'], dir);
    expect(missing).toEqual({ code: 2, stdout: '', stderr: 'gitops-lint: nope.json: Cannot read the baseline file (ENOENT); write one with --write-baseline.\n' });
    writeFileSync(path.join(dir, 'bad.json'), '{ "version": 1, "findings": [{ "rule": "x" }] }\n');
    const bad = await runCli(['--baseline', 'bad.json', '.'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('gitops-lint: bad.json: Invalid baseline file: findings[0] needs rule, file, fingerprint, message (strings) and count (a whole number above 0).\n');
  });

  it('refuses to write a baseline from part of a root', async () => {
    const dir = repo();
    const run = await runCli(['--write-baseline', 'b.json', 'deploy/web.yaml'], dir);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'gitops-lint: --write-baseline lints whole roots; deploy/web.yaml is a file.\nRun gitops-lint --help for usage.\n' });
    expect((await runCli(['--write-baseline', 'b.json', '--staged'], dir)).stderr).toBe('gitops-lint: --write-baseline lints whole roots; it cannot be used with --staged.\nRun gitops-lint --help for usage.\n');
  });
});
