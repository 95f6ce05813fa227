import { describe, expect, it } from 'vitest';
import type { Root } from '../../src/model/workspace.js';
import { loadSourceFile } from '../../src/workspace/source-file.js';

const root = { dir: '/repo', name: 'repo', git: false, tracked: null, trackedIgnored: new Set() } as unknown as Root;
const load = (bytes: number[] | string) => loadSourceFile(root, 'a.yaml', '/repo/a.yaml', typeof bytes === 'string' ? new TextEncoder().encode(bytes) : Uint8Array.from(bytes));

describe('reading a file', () => {
  it('decodes UTF-8 and drops a byte order mark', () => {
    const outcome = load([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('name: Größe\n')]);
    expect(outcome.skipped).toBeUndefined();
    expect(outcome.file.text).toBe('name: Größe\n');
    expect(outcome.file.documents[0]?.value).toEqual({ name: 'Größe' });
  });

  it('skips text that is not UTF-8, an encoded surrogate included, and binary content', () => {
    expect(load([0x6b, 0x3a, 0x20, 0xe9, 0x0a]).skipped).toBe('not valid UTF-8');
    expect(load([0x6b, 0x3a, 0x20, 0xed, 0xa0, 0x80, 0x0a]).skipped).toBe('not valid UTF-8');
    expect(load([0x6b, 0x3a, 0x00]).skipped).toBe('binary content');
  });

  it('reads a buffer that is a view into a larger one', () => {
    const backing = new TextEncoder().encode('xxxxa: 1\nyyyy');
    expect(loadSourceFile(root, 'a.yaml', '/repo/a.yaml', backing.subarray(4, 9)).file.text).toBe('a: 1\n');
  });
});
