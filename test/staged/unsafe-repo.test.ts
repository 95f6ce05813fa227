import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitRepo } from './git-repo.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/gitops-lint.js');

// Issue 10, item 5: a repository git refuses (owned by another user, not in safe.directory).
// GIT_TEST_ASSUME_DIFFERENT_OWNER is git's own switch to behave as if the owner differed.
describe('gitops-lint --staged in a repository git refuses as unsafe', () => {
  it('exits 2 with git safe.directory message, not "not inside a git work tree"', async () => {
    const repo = new GitRepo().write({ 'app.yaml': 'a: 1\n' }).add('.');
    const run = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, [BIN, '--staged', '-f', 'compact'], { cwd: repo.dir, env: { ...process.env, GIT_TEST_ASSUME_DIFFERENT_OWNER: '1', GITHUB_ACTIONS: '', NO_COLOR: '1' } }, (error, _stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr });
      });
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `gitops-lint: ${repo.dir}: --staged reads the git index, but git refuses this repository as unsafe: detected dubious ownership in repository at '${repo.dir}' To add an exception for this directory, call: git config --global --add safe.directory ${repo.dir}\n`,
    );
  });
});
