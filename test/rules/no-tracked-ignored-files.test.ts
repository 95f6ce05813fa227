import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import rule from '../../rules/no-tracked-ignored-files.js';
import { lint } from '../../src/index.js';
import { RuleTester } from '../../src/testing/index.js';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'ignored files that are not tracked',
      files: { '.gitignore': '__pycache__/\n*.pyc\n', 'orchestration/__pycache__/defs.cpython-312.pyc': 'x\n', 'orchestration/defs.py': 'defs = None\n' },
      tracked: ['.gitignore', 'orchestration/defs.py'],
    },
    {
      name: 'a negated ignore line keeps a tracked file legitimate',
      files: { '.gitignore': '*.env\n!example.env\n', 'example.env': 'A=1\n' },
      tracked: ['.gitignore', 'example.env'],
    },
    {
      name: 'tracked Terraform state is left to no-committed-terraform-state',
      files: { '.gitignore': '*.tfstate\n.terraform/\n', 'infra/terraform.tfstate': '{}\n', 'infra/.terraform/environment': 'default\n' },
      tracked: ['.gitignore', 'infra/terraform.tfstate', 'infra/.terraform/environment'],
    },
    {
      name: 'a folder that is not a git repository',
      files: { '.gitignore': '*.pyc\n', 'a.pyc': 'x\n' },
    },
  ],
  invalid: [
    {
      name: 'committed bytecode under an ignored directory',
      files: { '.gitignore': '__pycache__/\n', 'orchestration/__pycache__/defs.cpython-312.pyc': 'x\n' },
      tracked: ['.gitignore', 'orchestration/__pycache__/defs.cpython-312.pyc'],
      errors: [
        {
          messageId: 'trackedIgnored',
          data: { file: 'orchestration/__pycache__/defs.cpython-312.pyc' },
          file: 'orchestration/__pycache__/defs.cpython-312.pyc',
          line: 1, column: 1, endLine: 1, endColumn: 1,
        },
      ],
    },
    {
      name: 'two ignored files, one by a nested .gitignore',
      files: {
        '.gitignore': '.env\n',
        '.env': 'A=1\n',
        'deploy/.gitignore': 'rendered/\n',
        'deploy/rendered/all.yaml': 'a: 1\n',
        'deploy/app.yaml': 'a: 1\n',
      },
      tracked: ['.gitignore', '.env', 'deploy/.gitignore', 'deploy/rendered/all.yaml', 'deploy/app.yaml'],
      errors: [
        { messageId: 'trackedIgnored', data: { file: '.env' }, file: '.env', line: 1, column: 1, endLine: 1, endColumn: 1 },
        { messageId: 'trackedIgnored', data: { file: 'deploy/rendered/all.yaml' }, file: 'deploy/rendered/all.yaml', line: 1, column: 1, endLine: 1, endColumn: 5 },
      ],
    },
  ],
});

describe('no-tracked-ignored-files on a git repository on disk', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reports a force-added file that .gitignore ignores', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gitops-lint-ignored-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    await mkdir(path.join(dir, 'orchestration/__pycache__'), { recursive: true });
    await writeFile(path.join(dir, '.gitignore'), '__pycache__/\n');
    await writeFile(path.join(dir, 'orchestration/__pycache__/defs.pyc'), 'x');
    git('add', '.gitignore');
    git('add', '-f', 'orchestration/__pycache__/defs.pyc');

    const result = await lint({ roots: [dir], rules: [rule] });

    expect(result.errors).toEqual([]);
    expect(result.findings.map((finding) => [finding.messageId, finding.location.file, finding.location.startLine, finding.location.startColumn, finding.location.endLine, finding.location.endColumn])).toEqual([
      ['trackedIgnored', 'orchestration/__pycache__/defs.pyc', 1, 1, 1, 1],
    ]);
    expect(result.findings[0]?.message).toContain('`git rm --cached orchestration/__pycache__/defs.pyc`');
  });
});
