import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.join(import.meta.dirname, '..', '..');

describe('the committed bundle', () => {
  // npm test bundles first, so a stale committed bundle shows up here as a changed file.
  it('is tracked and matches the sources (run `npm run bundle` and commit dist/cli when this fails)', () => {
    const tracked = execFileSync('git', ['ls-files', 'dist/cli'], { cwd: repo, encoding: 'utf8' }).trim().split('\n').sort();
    expect(tracked).toEqual(['dist/cli/bundled-packages.json', 'dist/cli/main.cjs', 'dist/cli/main.d.cts', 'dist/cli/tree-sitter-terraform.wasm', 'dist/cli/web-tree-sitter.wasm']);
    const changed = execFileSync('git', ['status', '--porcelain', '--', 'dist/cli'], { cwd: repo, encoding: 'utf8' });
    expect(changed).toBe('');
  });

  // bin/gitops-lint.js reads the bundle as latin1, which is exact only for ASCII.
  it('is pure ASCII', () => {
    const bundle = readFileSync(path.join(repo, 'dist', 'cli', 'main.cjs'));
    expect(bundle.findIndex((byte) => byte > 0x7f)).toBe(-1);
  });
});
