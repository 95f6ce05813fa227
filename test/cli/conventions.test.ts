import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempRepo } from './temp-repo.js';

const repoDir = path.join(import.meta.dirname, '..', '..');
const pod = (image: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: ${image}\n`;
const duplicate = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: fast\n  mode: safe\n';
const USAGE = 'Run gitops-lint --help for usage.\n';

/** The built bin as users run it, with stdin (npm test bundles dist/ first). */
function runBin(args: string[], cwd: string, options: { input?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [path.join(repoDir, 'bin', 'gitops-lint.js'), ...args], {
    cwd,
    encoding: 'utf8',
    input: options.input ?? '',
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', GITHUB_ACTIONS: '', GITOPS_LINT_NO_CACHE: '1', ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('--print-config', () => {
  it('prints the resolved config of a file\'s root: levels (warn read as warning), options, --rule and --ignore-pattern applied', async () => {
    const dir = tempRepo({
      '.gitops-lint.yaml': 'rules:\n  image-tag-mutable: warn\n  yaml-syntax: [note]\nignore:\n  - "vendor/**"\nbaseline: ci/baseline.json\n',
      'deploy/web.yaml': pod('nginx:1.27.3'),
    }, { git: true });
    const run = await runCli(['--print-config', 'deploy/web.yaml', '--rule', 'sops-secret-encrypted:off', '--ignore-pattern', 'tmp/**'], path.join(dir, 'deploy'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as { root: string; config: string; baseline: string; ignore: string[]; rules: Record<string, { level: string; options: Record<string, unknown> }> };
    expect(printed).toMatchObject({ root: '..', config: '../.gitops-lint.yaml', baseline: '../ci/baseline.json', ignore: ['vendor/**', 'tmp/**'] });
    expect(printed.rules['image-tag-mutable']?.level).toBe('warning');
    expect(printed.rules['yaml-syntax']).toEqual({ level: 'note', options: {} });
    expect(printed.rules['sops-secret-encrypted']?.level).toBe('off');
  });

  it('prints the defaults for a root without a config, and works for a file that does not exist yet', async () => {
    const dir = tempRepo({ 'deploy/web.yaml': pod('nginx:1.27.3') });
    const printed = JSON.parse((await runCli(['--print-config', 'deploy/new.yaml'], dir)).stdout) as { root: string; config: null; rules: Record<string, { level: string }> };
    expect(printed.config).toBeNull();
    expect(printed.rules['yaml-syntax']?.level).toBe('error');
  });
});

describe('gitops-lint rules', () => {
  it('shows the levels of the config in use and each rule\'s docs link', async () => {
    const dir = tempRepo({ '.gitops-lint.yaml': 'rules:\n  image-tag-mutable: off\n' });
    const run = await runCli(['rules'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^image-tag-mutable +off +Disallow .* \(default: warning\)\n +https:\/\/github\.com\/gitops-lint\/gitops-lint\/blob\/main\/docs\/rules\/image-tag-mutable\.md\n/m);
    expect(run.stdout).toContain('Levels from .gitops-lint.yaml; change them under `rules:` there.\n');
  });

  it('prints JSON with --format json, honouring --rule and -c', async () => {
    const dir = tempRepo({ 'team.yaml': 'rules:\n  yaml-syntax: warn\n' });
    const run = await runCli(['rules', '--format', 'json', '-c', 'team.yaml', '--rule', 'image-tag-mutable:error'], dir);
    const json = JSON.parse(run.stdout) as { config: string; rules: Array<{ id: string; level: string; defaultLevel: string; docs: string }> };
    expect(json.config).toBe('team.yaml');
    expect(json.rules.find((rule) => rule.id === 'yaml-syntax')).toMatchObject({ level: 'warning', defaultLevel: 'error', docs: 'https://github.com/gitops-lint/gitops-lint/blob/main/docs/rules/yaml-syntax.md' });
    expect(json.rules.find((rule) => rule.id === 'image-tag-mutable')?.level).toBe('error');
  });
});

describe('--rule and --ignore-pattern', () => {
  it('set a level over the config and skip files for one run', async () => {
    const dir = tempRepo({ '.gitops-lint.yaml': 'rules:\n  image-tag-mutable: warning\n', 'deploy/web.yaml': pod('nginx:latest'), 'vendor/x.yaml': duplicate });
    const strict = await runCli(['-f', 'compact', '--rule', 'image-tag-mutable:error', '--ignore-pattern', 'vendor/**'], dir);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^deploy\/web\.yaml:8:14: error: Image nginx:latest .*\[image-tag-mutable\]\n$/);
    const off = await runCli(['-f', 'compact', '--rule', 'image-tag-mutable:off', '--rule', 'yaml-syntax:warn'], dir);
    expect(off.stdout).toBe('vendor/x.yaml:7:3: warning: Duplicate key: the last value silently wins in most tools and sops refuses the file. [yaml-syntax]\n');
  });

  it('reject an unknown rule or level with a usage error', async () => {
    const dir = tempRepo({ 'a.yaml': duplicate });
    expect(await runCli(['--rule', 'no-such-rule:error'], dir)).toEqual({ code: 2, stdout: '', stderr: `gitops-lint: Unknown rule "no-such-rule" in --rule (gitops-lint rules lists them).\n${USAGE}` });
    expect(await runCli(['--rule', 'yaml-syntax:loud'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: `gitops-lint: --rule needs ID:LEVEL with LEVEL one of error, warning (or warn), note, off; got "yaml-syntax:loud".\n${USAGE}`,
    });
  });
});

describe('config errors', () => {
  it('lists every problem of a config file, each with its line', async () => {
    const dir = tempRepo({ '.gitops-lint.yaml': 'rules:\n  no-such-rule: error\n  yaml-syntax: loud\n  image-tag-mutable: [warn, {nope: 1}]\nrepo:\n  a: b\nignore: 3\n' });
    const run = await runCli([], dir);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        'gitops-lint: .gitops-lint.yaml:2:3: Unknown rule "no-such-rule".',
        '.gitops-lint.yaml:3:16: Invalid value at rules.yaml-syntax: expected one of error, warning, warn, note, off.',
        '.gitops-lint.yaml:4:30: Unknown key "nope" in rules.image-tag-mutable.1.',
        '.gitops-lint.yaml:5:1: Unknown key "repo" in the config.',
        '.gitops-lint.yaml:7:9: Invalid value at ignore: expected array.',
        '',
      ].join('\n'),
    });
  });
});

describe('usage errors', () => {
  it('say what is wrong in one line, without the argument parser\'s text', async () => {
    const dir = tempRepo({ 'a.yaml': duplicate });
    expect(await runCli(['--bogus'], dir)).toEqual({ code: 2, stdout: '', stderr: `gitops-lint: Unknown option --bogus.\n${USAGE}` });
    expect(await runCli(['-f'], dir)).toEqual({ code: 2, stdout: '', stderr: `gitops-lint: --format needs a value.\n${USAGE}` });
    expect(await runCli(['--quiet=yes'], dir)).toEqual({ code: 2, stdout: '', stderr: `gitops-lint: --quiet takes no value.\n${USAGE}` });
    expect(await runCli(['-'], dir)).toEqual({ code: 2, stdout: '', stderr: `gitops-lint: "-" reads stdin and needs --stdin-filename FILE, the path the text is linted as.\n${USAGE}` });
  });

  it('lsp without --stdio exits 2 with a message, not a stack trace (the real bin)', () => {
    const dir = tempRepo({ 'a.yaml': duplicate });
    expect(runBin(['lsp'], dir)).toEqual({ code: 2, stdout: '', stderr: `gitops-lint: lsp needs --stdio, the one transport it speaks: gitops-lint lsp --stdio.\n${USAGE}` });
  });
});

describe('stdin', () => {
  it('lints one document from stdin as the named file, reporting only on it (the real bin)', () => {
    const dir = tempRepo({ 'deploy/web.yaml': pod('nginx:1.27.3'), 'other/broken.yaml': duplicate }, { git: true });
    const run = runBin(['-f', 'compact', '--stdin-filename', 'deploy/web.yaml', '-'], dir, { input: duplicate });
    expect(run).toEqual({ code: 1, stdout: 'deploy/web.yaml:7:3: error: Duplicate key: the last value silently wins in most tools and sops refuses the file. [yaml-syntax]\n', stderr: '' });
    // A file that is not on disk yet, from a sub-folder: the root is still the repository.
    const fresh = runBin(['-f', 'compact', '--stdin-filename', 'new.yaml'], path.join(dir, 'deploy'), { input: pod('nginx:latest') });
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toMatch(/^new\.yaml:8:14: warning: Image nginx:latest .*\[image-tag-mutable\]\n$/);
  });
});

describe('colours', () => {
  it('FORCE_COLOR turns them on off a terminal and FORCE_COLOR=0 off; --no-color wins', async () => {
    const dir = tempRepo({ 'a.yaml': duplicate });
    expect((await runCli([], dir, { FORCE_COLOR: '1' })).stdout).toContain('\u001b[');
    expect((await runCli([], dir, { FORCE_COLOR: '0' }, true)).stdout).not.toContain('\u001b[');
    expect((await runCli(['--no-color'], dir, { FORCE_COLOR: '1' })).stdout).not.toContain('\u001b[');
    expect((await runCli([], dir, {}, true)).stdout).toContain('\u001b[');
  });
});

describe('TIMING=1', () => {
  it('prints the phases of the run in order, then every rule that ran, slowest first, on stderr only', async () => {
    const dir = tempRepo({ 'deploy/web.yaml': pod('nginx:latest') });
    const quiet = await runCli([], dir);
    const timed = await runCli([], dir, { TIMING: '1' });
    expect(timed.stdout).toBe(quiet.stdout);
    const lines = timed.stderr.split('\n');
    expect(lines.slice(0, 5).map((line) => line.split(/ +/)[0])).toEqual(['Phase', 'load', 'model', 'rules', 'report']);
    for (const line of lines.slice(1, 5)) expect(line).toMatch(/^\w+ +\d+\.\d$/);
    expect(lines[5]).toBe('');
    expect(lines[6]).toMatch(/^Rule +Time \(ms\)$/);
    const rules = lines.slice(7).filter(Boolean);
    expect(rules.map((line) => line.split(/ +/)[0])).toContain('image-tag-mutable');
    const times = rules.map((line) => Number(line.split(/ +/).at(-1)));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});
