import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import rule from '../../rules/no-committed-terraform-state.js';
import { lint } from '../../src/index.js';
import { RuleTester, yaml } from '../../src/testing/index.js';

const app = yaml`
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: app
`;

new RuleTester().run(rule, {
  valid: [
    {
      name: 'ignored state that is not tracked',
      files: { '.gitignore': '*.tfstate\n*.tfstate.*\n.terraform/\n', 'infra/terraform.tfstate': '{}\n', 'infra/terraform.tfstate.backup': '{}\n', 'deploy/app.yaml': app },
      tracked: ['.gitignore', 'deploy/app.yaml'],
    },
    {
      name: 'the provider lock file and files that only mention tfstate',
      files: { 'infra/.terraform.lock.hcl': '# locks\n', 'docs/tfstate.md': '# state\n', 'scripts/check-tfstate.sh': 'find . -name "*.tfstate*"\n', 'infra/main.tf': 'terraform {}\n' },
      tracked: ['infra/.terraform.lock.hcl', 'docs/tfstate.md', 'scripts/check-tfstate.sh', 'infra/main.tf'],
    },
    {
      name: 'a folder that is not a git repository, without state',
      files: { 'deploy/app.yaml': app, 'infra/main.tf': 'terraform {}\n' },
    },
  ],
  invalid: [
    {
      name: 'state force-added despite .gitignore',
      files: { '.gitignore': '*.tfstate\n', 'orchestration/airbyte/terraform/terraform.tfstate': '{"version": 4}\n' },
      tracked: ['.gitignore', 'orchestration/airbyte/terraform/terraform.tfstate'],
      errors: [
        {
          messageId: 'trackedState',
          data: { file: 'orchestration/airbyte/terraform/terraform.tfstate' },
          file: 'orchestration/airbyte/terraform/terraform.tfstate',
          line: 1, column: 1, endLine: 1, endColumn: 1,
        },
      ],
    },
    {
      name: 'a tracked state backup and a tracked .terraform directory, one finding for the directory',
      files: {
        'infra/.terraform/modules/modules.json': '{"Modules": []}\n',
        'infra/.terraform/environment': 'default\n',
        'infra/terraform.tfstate.1712345678.backup': '{}\n',
      },
      tracked: ['infra/.terraform/environment', 'infra/.terraform/modules/modules.json', 'infra/terraform.tfstate.1712345678.backup'],
      errors: [
        { messageId: 'trackedDirectory', data: { dir: 'infra/.terraform', count: 2 }, file: 'infra/.terraform/environment', line: 1, column: 1, endLine: 1, endColumn: 1 },
        { messageId: 'trackedState', data: { file: 'infra/terraform.tfstate.1712345678.backup' }, file: 'infra/terraform.tfstate.1712345678.backup', line: 1, column: 1, endLine: 1, endColumn: 1 },
      ],
    },
    {
      name: 'a tracked .terraform file that is read as JSON is reported on its first line',
      files: { 'tf/.terraform/modules/modules.json': '{"Modules": []}\n' },
      tracked: ['tf/.terraform/modules/modules.json'],
      errors: [{ messageId: 'trackedDirectory', data: { dir: 'tf/.terraform', count: 1 }, file: 'tf/.terraform/modules/modules.json', line: 1, column: 1, endLine: 1, endColumn: 16 }],
    },
    {
      name: 'outside git, state files and a .terraform directory that are present',
      files: {
        'deploy/app.yaml': app,
        'infra/.terraform/terraform.tfstate': '{}\n',
        'infra/terraform.tfstate': '{}\n',
      },
      errors: [
        { messageId: 'presentDirectory', data: { dir: 'infra/.terraform', count: 1 }, file: 'infra/.terraform/terraform.tfstate', line: 1, column: 1, endLine: 1, endColumn: 1 },
        { messageId: 'presentState', data: { file: 'infra/terraform.tfstate' }, file: 'infra/terraform.tfstate', line: 1, column: 1, endLine: 1, endColumn: 1 },
      ],
    },
  ],
});

describe('no-committed-terraform-state on a git repository on disk', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function write(dir: string, file: string, text: string): Promise<void> {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }

  it('reports a force-added ignored state file and a tracked .terraform directory', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gitops-lint-tfstate-'));
    dirs.push(dir);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    await write(dir, '.gitignore', '*.tfstate\n');
    await write(dir, 'deploy/app.yaml', app);
    await write(dir, 'orchestration/airbyte/terraform/terraform.tfstate', '{"version": 4}\n');
    await write(dir, 'orchestration/airbyte/terraform/.terraform/modules/modules.json', '{\n  "Modules": []\n}\n');
    git('add', '.gitignore', 'deploy/app.yaml', 'orchestration/airbyte/terraform/.terraform');
    git('add', '-f', 'orchestration/airbyte/terraform/terraform.tfstate');

    const result = await lint({ roots: [dir], rules: [rule] });

    expect(result.errors).toEqual([]);
    expect(result.roots.map((root) => root.git)).toEqual([true]);
    expect(
      result.findings.map((finding) => ({
        messageId: finding.messageId,
        file: finding.location.file,
        line: finding.location.startLine,
        column: finding.location.startColumn,
        endLine: finding.location.endLine,
        endColumn: finding.location.endColumn,
      })),
    ).toEqual([
      { messageId: 'trackedDirectory', file: 'orchestration/airbyte/terraform/.terraform/modules/modules.json', line: 1, column: 1, endLine: 1, endColumn: 2 },
      { messageId: 'trackedState', file: 'orchestration/airbyte/terraform/terraform.tfstate', line: 1, column: 1, endLine: 1, endColumn: 1 },
    ]);
    expect(result.findings[1]?.message).toContain('`git rm --cached orchestration/airbyte/terraform/terraform.tfstate`');
    expect(result.findings[1]?.message).toContain('`*.tfstate`, `*.tfstate.*` and `.terraform/`');
  });
});
