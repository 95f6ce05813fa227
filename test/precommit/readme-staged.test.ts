// The README's `gitops-lint --staged` commands, run as written by bash in a real repository
// (the lotus-lake example, h-kube next to it) with one staged change and `gitops-lint` on PATH.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../lsp/client.js';

const REPO = path.resolve(import.meta.dirname, '../..');

/** The `sh` block under "What `--staged` does": one command per line, comments dropped. */
function readmeCommands(): string[] {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('#### What `--staged` does'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '');
}

describe('README --staged commands', () => {
  let base: string;
  let lotus: string;
  let env: NodeJS.ProcessEnv;
  const commands = readmeCommands();

  beforeAll(() => {
    base = mkdtempSync(path.join(tmpdir(), 'gitops-lint-staged-readme-'));
    lotus = path.join(base, 'lotus-lake');
    cpSync(path.join(REPO, 'examples/lotus-lake'), lotus, { recursive: true });
    cpSync(path.join(REPO, 'examples/h-kube'), path.join(base, 'h-kube'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=d', '-c', 'user.email=d@example.invalid', ...args], { cwd: lotus, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'lotus-lake');
    // Staged: the user code image moves to `latest` (a warning, and an error with IfNotPresent).
    const release = path.join(lotus, 'deploy/dagster/release.yaml');
    writeFileSync(release, readFileSync(release, 'utf8').replace(/tag: "a8e5a37a0f7797e1465be66b5dbdb723a8089c09"/, 'tag: latest'));
    git('add', 'deploy/dagster/release.yaml');
    const bin = path.join(base, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'gitops-lint'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(path.join(bin, 'gitops-lint'), 0o755);
    env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, NO_COLOR: '1', GITOPS_LINT_NO_CACHE: '1' };
  });

  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  const run = (command: string) => spawnSync('bash', ['-c', command], { cwd: lotus, env, encoding: 'utf8' });

  it('lists the three commands', () => {
    expect(commands).toEqual(['gitops-lint --staged', 'gitops-lint --staged deploy/dagster/release.yaml', 'gitops-lint --staged --root ../h-kube']);
  });

  it('reports the staged mistake with each, and resolves references into h-kube with --root', () => {
    const [alone, oneFile, withRoot] = commands.map(run);
    for (const result of [alone, oneFile, withRoot]) {
      expect(result?.status).toBe(1);
      expect(result?.stdout).toContain('deploy/dagster/release.yaml');
      expect(result?.stdout).toContain('✖ 2 problems (1 error, 1 warning)');
    }
    const unlinked = 'References from lotus-lake to objects that are not in it were not checked';
    expect(alone?.stdout).toContain(unlinked);
    expect(withRoot?.stdout).not.toContain(unlinked);
  });
});
