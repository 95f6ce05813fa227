import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempRepo } from './temp-repo.js';

// Issue 10, item 4: a repository's config cannot make the linter read outside the root.
const clean = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';

describe('extends stays inside the root', () => {
  it('refuses an absolute extends outside the root, naming the config line, without reading it', async () => {
    const outside = tempRepo({ 'base.yaml': 'rules:\n  leaked-key-name: error\n' });
    const dir = tempRepo({ 'a.yaml': clean, '.gitops-lint.yaml': `rules:\n  yaml-syntax: error\nextends:\n  - recommended\n  - ${path.join(outside, 'base.yaml')}\n` });
    const run = await runCli([], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`gitops-lint: .gitops-lint.yaml:5:5: "extends" names "${path.join(outside, 'base.yaml')}", which is outside ${path.basename(dir)}, the folder of the config; it is not read.\n`);
    // Before, the file was read and its key names echoed in the config error.
    expect(run.stderr).not.toContain('leaked-key-name');
  });

  it('refuses a ../ extends and one through a symlink that points out', async () => {
    const parent = tempRepo({ 'shared.yaml': 'rules:\n  yaml-syntax: off\n', 'repo/a.yaml': clean, 'repo/.gitops-lint.yaml': 'extends: ../shared.yaml\n' });
    const up = await runCli([], path.join(parent, 'repo'));
    expect(up).toMatchObject({ code: 2, stderr: 'gitops-lint: .gitops-lint.yaml:1:10: "extends" names "../shared.yaml", which is outside repo, the folder of the config; it is not read.\n' });
    const dir = tempRepo({ 'a.yaml': clean, '.gitops-lint.yaml': 'extends: [configs/base.yaml]\n' });
    mkdirSync(path.join(dir, 'configs'));
    symlinkSync(path.join(parent, 'shared.yaml'), path.join(dir, 'configs', 'base.yaml'));
    const link = await runCli([], dir);
    expect(link).toMatchObject({ code: 2, stderr: 'gitops-lint: .gitops-lint.yaml:1:11: "extends" names "configs/base.yaml", which is outside ' + path.basename(dir) + ', the folder of the config; it is not read.\n' });
  });

  it('refuses a .gitops-lint.yaml that is a symlink out of the root', async () => {
    const outside = tempRepo({ 'config.yaml': 'rules:\n  yaml-syntax: off\n' });
    const dir = tempRepo({ 'a.yaml': clean });
    symlinkSync(path.join(outside, 'config.yaml'), path.join(dir, '.gitops-lint.yaml'));
    expect(await runCli([], dir)).toMatchObject({ code: 2, stderr: 'gitops-lint: .gitops-lint.yaml: .gitops-lint.yaml is a symlink that points outside the root; it is not read.\n' });
  });

  it('follows extends inside the root, also through a symlink that stays inside', async () => {
    const dir = tempRepo({
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n',
      'configs/base.yaml': 'rules:\n  yaml-syntax: warning\n',
      '.gitops-lint.yaml': 'extends: [recommended, configs/link.yaml]\n',
    });
    symlinkSync('base.yaml', path.join(dir, 'configs', 'link.yaml'));
    const run = await runCli(['-f', 'compact'], dir);
    expect(run.stdout).toMatch(/^a\.yaml:5:3: warning: Duplicate key/);
  });

  it('lets --config point anywhere the user chooses, its own extends confined to its folder', async () => {
    const elsewhere = tempRepo({ 'base.yaml': 'rules:\n  yaml-syntax: warning\n', 'team.yaml': 'extends: base.yaml\n', 'escape.yaml': 'extends: ../x.yaml\n' });
    const dir = tempRepo({ 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n' });
    const run = await runCli(['-f', 'compact', '--config', path.join(elsewhere, 'team.yaml')], dir);
    expect(run.stdout).toMatch(/^a\.yaml:5:3: warning: Duplicate key/);
    const escape = await runCli(['--config', path.join(elsewhere, 'escape.yaml')], dir);
    expect(escape.code).toBe(2);
    expect(escape.stderr).toContain('"extends" names "../x.yaml", which is outside');
  });
});

describe('policies and the baseline stay inside the root too', () => {
  const bundle = path.join(import.meta.dirname, '..', '..', 'examples', 'policies', 'bundle', 'bundle.tar.gz');

  it('refuses a policy bundle and policy data outside the root, naming the config line, without reading them', async () => {
    const dir = tempRepo({ 'a.yaml': clean, '.gitops-lint.yaml': `policies:\n  - ${bundle}\n` });
    const run = await runCli([], dir);
    expect(run).toMatchObject({ code: 2, stderr: `gitops-lint: .gitops-lint.yaml:2:5: The policy "${bundle}" is outside ${path.basename(dir)}, the folder of the config; it is not read.\n` });
    const data = tempRepo({ 'a.yaml': clean, 'policy/bundle.tar.gz': '', '.gitops-lint.yaml': 'policies:\n  - path: policy/bundle.tar.gz\n    data: ../../etc/passwd\n' });
    const withData = await runCli([], data);
    expect(withData).toMatchObject({ code: 2, stderr: `gitops-lint: .gitops-lint.yaml:3:11: The policy data "../../etc/passwd" is outside ${path.basename(data)}, the folder of the config; it is not read.\n` });
  });

  it('refuses a baseline outside the root', async () => {
    const dir = tempRepo({ 'a.yaml': clean, '.gitops-lint.yaml': 'baseline: ../baseline.json\n' });
    expect(await runCli([], dir)).toMatchObject({ code: 2, stderr: `gitops-lint: .gitops-lint.yaml:1:11: "baseline" names "../baseline.json", which is outside ${path.basename(dir)}, the folder of the config; it is not read.\n` });
  });
});
