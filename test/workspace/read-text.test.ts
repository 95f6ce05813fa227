import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadWorkspace } from '../../src/engine/lint.js';
import type { Rule } from '../../src/model/rule.js';
import { readText } from '../../src/workspace/load.js';
import { GitRepo } from '../staged/git-repo.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const rules: Rule<string, never>[] = [];
const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';

describe('readText', () => {
  it('reads UTF-8 text in one call and drops a byte order mark, twice as the decoder does', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-read-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'plain.yaml'), 'a: é\n');
    writeFileSync(path.join(dir, 'bom.yaml'), '\uFEFF\uFEFFa: 1\n');
    expect(readText(path.join(dir, 'plain.yaml'))).toBe('a: é\n');
    expect(readText(path.join(dir, 'bom.yaml'))).toBe('a: 1\n');
  });

  it('leaves to the byte reader what only the bytes can tell: not UTF-8, NUL, U+FFFD, a symlink, a missing file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-read-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'latin1.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
    writeFileSync(path.join(dir, 'utf16.yaml'), Buffer.from(text, 'utf16le'));
    writeFileSync(path.join(dir, 'replacement.yaml'), 'a: \uFFFD\n');
    symlinkSync(path.join(dir, 'replacement.yaml'), path.join(dir, 'link.yaml'));
    for (const file of ['latin1.yaml', 'utf16.yaml', 'replacement.yaml', 'link.yaml', 'missing.yaml']) {
      expect(readText(path.join(dir, file)), file).toBeUndefined();
    }
  });
});

describe('reading files git knows to be small', () => {
  it('gives the notes and values the byte reader gives: UTF-16, binary, not UTF-8, grown past 4 MiB since the commit, byte order marks, U+FFFD', async () => {
    const repo = new GitRepo().write({ 'bin.yaml': 'a: \u0000\u0001', 'grown.yaml': 'a: 1\n', 'bom.yaml': '\uFEFFa: 1\n', 'replacement.yaml': 'a: "\uFFFD"\n' });
    dirs.push(repo.dir);
    writeFileSync(repo.path('latin1.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
    writeFileSync(repo.path('le-bom.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    writeFileSync(repo.path('be.yaml'), Buffer.from(text, 'utf16le').swap16());
    repo.add('.').commit();
    // Tracked and small in the index; changed and huge in the work tree. Untracked files are read by size too.
    writeFileSync(repo.path('grown.yaml'), `a: "${'x'.repeat(4 * 1024 * 1024)}"\n`);
    writeFileSync(repo.path('untracked-bom.yaml'), '\uFEFF\uFEFFb: 2\n');

    const { files, notes } = await loadWorkspace({ roots: ['.'], cwd: repo.dir, rules });
    expect(notes.map((note) => note.message).sort()).toEqual([
      'Skipped be.yaml: UTF-16BE text, which the linter does not read (it reads UTF-8; save the file as UTF-8).',
      'Skipped bin.yaml: binary content.',
      'Skipped grown.yaml: larger than 4 MiB.',
      'Skipped latin1.yaml: not valid UTF-8.',
      'Skipped le-bom.yaml: UTF-16LE text, which the linter does not read (it reads UTF-8; save the file as UTF-8).',
    ]);
    const value = (file: string) => files.find((entry) => entry.path === file)?.documents.map((document) => document.value);
    expect(value('bom.yaml')).toEqual([{ a: 1 }]);
    expect(value('replacement.yaml')).toEqual([{ a: '\uFFFD' }]);
    expect(value('untracked-bom.yaml')).toEqual([{ b: 2 }]);
    expect(files.find((entry) => entry.path === 'bom.yaml')?.text).toBe('a: 1\n');
  });
});
