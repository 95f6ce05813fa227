import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveInside } from '../../src/workspace/confine.js';

describe('resolveInside', () => {
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'gitops-lint-confine-')));
  const root = path.join(base, 'root');
  mkdirSync(path.join(root, 'sub'), { recursive: true });
  mkdirSync(path.join(base, 'outside'));
  writeFileSync(path.join(root, 'sub', 'file.yaml'), '');
  writeFileSync(path.join(base, 'outside', 'file.yaml'), '');
  symlinkSync('sub/file.yaml', path.join(root, 'in.yaml'));
  symlinkSync('../outside/file.yaml', path.join(root, 'out.yaml'));
  symlinkSync(path.join(base, 'outside'), path.join(root, 'out-dir'));
  symlinkSync('in.yaml', path.join(root, 'chain.yaml'));
  symlinkSync('loop-b', path.join(root, 'loop-a'));
  symlinkSync('loop-a', path.join(root, 'loop-b'));
  symlinkSync('sub/../../outside/file.yaml', path.join(root, 'dotdot.yaml'));
  // The root given through a symlink; a link inside names the root by its real path.
  symlinkSync(root, path.join(base, 'alias'));
  symlinkSync(path.join(root, 'sub', 'file.yaml'), path.join(root, 'absolute.yaml'));

  it('resolves plain paths and links that stay inside', () => {
    expect(resolveInside(root, path.join(root, 'sub', 'file.yaml'))).toEqual({ path: path.join(root, 'sub', 'file.yaml') });
    expect(resolveInside(root, path.join(root, 'in.yaml'))).toEqual({ path: path.join(root, 'sub', 'file.yaml') });
    expect(resolveInside(root, path.join(root, 'chain.yaml'))).toEqual({ path: path.join(root, 'sub', 'file.yaml') });
    expect(resolveInside(path.join(base, 'alias'), path.join(base, 'alias', 'absolute.yaml'))).toEqual({ path: path.join(base, 'alias', 'sub', 'file.yaml') });
  });

  it('refuses paths and links that leave, and link loops', () => {
    expect(resolveInside(root, path.join(base, 'outside', 'file.yaml'))).toEqual({ escapes: true });
    expect(resolveInside(root, path.join(root, '..', 'outside', 'file.yaml'))).toEqual({ escapes: true });
    expect(resolveInside(root, path.join(root, 'out.yaml'))).toEqual({ escapes: true });
    expect(resolveInside(root, path.join(root, 'out-dir', 'file.yaml'))).toEqual({ escapes: true });
    expect(resolveInside(root, path.join(root, 'dotdot.yaml'))).toEqual({ escapes: true });
    expect(resolveInside(root, path.join(root, 'loop-a'))).toEqual({ escapes: true });
  });

  it('gives a missing file its path, for the caller to fail reading', () => {
    expect(resolveInside(root, path.join(root, 'sub', 'missing.yaml'))).toEqual({ path: path.join(root, 'sub', 'missing.yaml') });
  });
});
