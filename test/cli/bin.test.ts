import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.join(import.meta.dirname, '..', '..');

/** The built bin as users run it (npm test builds dist/ first). */
function runBin(args: string[]) {
  const result = spawnSync(process.execPath, [path.join(repo, 'bin', 'gitops-lint.js'), ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the built gitops-lint bin', () => {
  it('lints the correct examples clean', () => {
    const run = runBin(['-f', 'compact', 'examples/lotus-lake', 'examples/h-kube']);
    expect(run.stderr).toBe('');
    expect(run).toMatchObject({ code: 0, stdout: '' });
  });

  it('reports the broken examples with file:line:col and exits 1', () => {
    const run = runBin(['-f', 'compact', 'examples/broken/lotus-lake', 'examples/broken/h-kube']);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(line).toMatch(/^examples\/broken\/[\w./-]+:\d+:\d+: (error|warning|note): .+ \[[a-z-]+\]$/);
  });

  it('validates a config without loading ajv and reports a bad one with exit code 2', () => {
    const run = runBin(['-c', 'examples/lotus-lake/deploy/dagster/release.yaml', 'examples/lotus-lake']);
    expect(run.code).toBe(2);
    // Every problem of the file, one line each.
    expect(run.stderr).toMatch(/^gitops-lint: examples\/lotus-lake\/deploy\/dagster\/release\.yaml:1:1: Unknown key "apiVersion" in the config\.\n(examples\/lotus-lake\/deploy\/dagster\/release\.yaml:\d+:1: Unknown key "\w+" in the config\.\n){3}$/);
  });
});
