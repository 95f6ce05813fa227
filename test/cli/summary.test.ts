import { describe, expect, it } from 'vitest';
import { runCli, tempRepo } from './temp-repo.js';

const clean = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: fast\n';
const duplicateKey = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: fast\n  mode: safe\n';
/** yaml-syntax lowered to a warning, so the duplicate key is a warning. */
const warnConfig = 'rules:\n  yaml-syntax: warning\n';

describe('CLI summary, --max-warnings and --quiet', () => {
  it('ends a clean stylish run with a summary line counting the files', async () => {
    const dir = tempRepo({ 'deploy/app.yaml': clean, 'deploy/other.yaml': clean });
    expect(await runCli(['-f', 'stylish'], dir)).toEqual({ code: 0, stdout: '✔ 0 problems (2 files)\n', stderr: '' });
  });

  it("ends a run with findings with ESLint's summary shape", async () => {
    const dir = tempRepo({ 'deploy/app.yaml': duplicateKey });
    const run = await runCli(['-f', 'stylish'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('✖ 1 problem (1 error, 0 warnings)');
  });

  it('says so, as ESLint does, when --max-warnings fails the run', async () => {
    const dir = tempRepo({ 'a.yaml': duplicateKey, 'b.yaml': duplicateKey, '.gitops-lint.yaml': warnConfig });
    const run = await runCli(['-f', 'stylish', '--max-warnings', '1'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✖ 2 problems (0 errors, 2 warnings)');
    expect(run.stderr).toBe('gitops-lint found too many warnings (maximum: 1).\n');
    const within = await runCli(['-f', 'stylish', '--max-warnings', '2'], dir);
    expect(within.code).toBe(0);
    expect(within.stderr).toBe('');
  });

  it('--quiet hides warnings but not the reason the run failed', async () => {
    const dir = tempRepo({ 'a.yaml': duplicateKey, '.gitops-lint.yaml': warnConfig });
    const run = await runCli(['-f', 'stylish', '--quiet', '--max-warnings', '0'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('Duplicate key');
    expect(run.stderr).toBe('gitops-lint found too many warnings (maximum: 0).\n1 warning not shown because of --quiet.\n');
    const passing = await runCli(['-f', 'stylish', '--quiet'], dir);
    expect(passing).toEqual({ code: 0, stdout: '✔ 0 problems (2 files)\n', stderr: '' });
  });

  it('--quiet keeps errors and run errors visible', async () => {
    const dir = tempRepo({ 'a.yaml': duplicateKey });
    const run = await runCli(['-f', 'compact', '--quiet'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('a.yaml:7:3: error: Duplicate key');
    const badConfig = tempRepo({ 'a.yaml': clean, '.gitops-lint.yaml': 'rules:\n  no-such-rule: warning\n' });
    const failed = await runCli(['--quiet'], badConfig);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('Unknown rule "no-such-rule"');
  });

  it('prints the summary alone on stdout when every output goes to a file', async () => {
    const dir = tempRepo({ 'a.yaml': clean });
    expect(await runCli(['-f', 'sarif=out.sarif'], dir)).toEqual({ code: 0, stdout: '✔ 0 problems (1 file)\n', stderr: '' });
  });

  it('masks a secret in the code frame of a real file, keeping the line shape', async () => {
    const dir = tempRepo({
      'deploy/app.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/app:1.0.0\n          env:\n            - name: DB_PASSWORD\n              value: "hunter2-but-much-longer" # rotated monthly\n',
    });
    const run = await runCli(['-f', 'stylish'], dir);
    expect(run.stdout).not.toContain('hunter2');
    const lines = run.stdout.split('\n');
    const at = lines.findIndex((line) => line.includes('> 13 |'));
    expect(lines.slice(at, at + 2)).toEqual(['    > 13 |               value: *** # rotated monthly', '         |                      ^^^']);
  });
});
