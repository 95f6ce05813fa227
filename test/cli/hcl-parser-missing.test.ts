/**
 * An install whose tree-sitter Wasm files are gone (a copied bundle, a stripped package): valid
 * Terraform is still checked by the JS parser, and the files only tree-sitter could read are
 * named in one note instead of being reported or silently skipped.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempRepo } from './temp-repo.js';

const repoDir = path.join(import.meta.dirname, '..', '..');

/** The bin, the bundle and the schemas in a folder with no Wasm files and no node_modules above it. */
function installWithoutWasm(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-nowasm-'));
  cpSync(path.join(repoDir, 'bin'), path.join(dir, 'bin'), { recursive: true });
  cpSync(path.join(repoDir, 'schemas'), path.join(dir, 'schemas'), { recursive: true });
  mkdirSync(path.join(dir, 'dist', 'cli'), { recursive: true });
  cpSync(path.join(repoDir, 'dist', 'cli', 'main.cjs'), path.join(dir, 'dist', 'cli', 'main.cjs'));
  cpSync(path.join(repoDir, 'package.json'), path.join(dir, 'package.json'));
  return dir;
}

describe('Terraform without the tree-sitter parser', () => {
  it('checks the files the JS parser reads and names the others in one note', () => {
    const install = installWithoutWasm();
    const repo = tempRepo({
      'infra/versions.tf': 'terraform {\n  required_version = ">= 1.6"\n}\n',
      'infra/main.tf': 'variable "name" {\n  type = string\n}\n\nlocals {\n  full = "${var.name}-${var.missing}"\n}\n',
      'other/versions.tf': 'terraform {\n  required_version = ">= 1.6"\n}\n',
      'other/broken.tf': 'locals {\n  a = [1, 2]]\n}\n',
    });
    const run = spawnSync(process.execPath, [path.join(install, 'bin', 'gitops-lint.js'), '-f', 'json', '--no-cache', '.'], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, GITOPS_LINT_NO_CACHE: '1', NODE_PATH: '' },
    });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as { findings: Array<{ ruleId: string; location: { file: string; startLine: number } }>; notes: Array<{ message: string }> };
    expect(result.findings.map((finding) => [finding.ruleId, finding.location.file, finding.location.startLine])).toEqual([['terraform-undeclared-reference', 'infra/main.tf', 6]]);
    const notes = result.notes.map((note) => note.message).filter((message) => message.startsWith('Terraform files were not checked'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(new RegExp(`^Terraform files were not checked: ${path.basename(repo)}/other/broken\\.tf \\(the JavaScript parser does not accept them, .* could not be loaded: [^\\n]+\\)\\.$`));
    expect(result.notes.map((note) => note.message)).toContain(`References in the Terraform module ${path.basename(repo)}/other were not checked: other/broken.tf could not be parsed (tree-sitter could not be loaded).`);
  });
});
