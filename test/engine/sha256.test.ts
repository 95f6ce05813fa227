/**
 * Findings' fingerprints hash with src/engine/sha256.ts instead of node:crypto: the digests
 * must be node:crypto's, byte for byte, whatever the text (block boundaries, non-ASCII, the
 * separators fingerprints join with).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/engine/sha256.js';

const nodeSha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('sha256Hex', () => {
  it('gives the FIPS 180-4 test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('gives what node:crypto gives for every length around the block boundaries, non-ASCII text and fingerprint separators', () => {
    const texts: string[] = [];
    for (let length = 0; length <= 200; length++) texts.push('x'.repeat(length));
    texts.push('Größe ✓ 🚀 \u0000\u0001 日本語', ['image-tag-mutable', 'apps/a.yaml', 'Deployment//app', 'spec\u0001containers\u00010', 'mutableTag', 'Image <root>:latest'].join('\u0000'));
    texts.push('a'.repeat(100_000));
    for (const text of texts) expect(sha256Hex(text), JSON.stringify(text.slice(0, 40))).toBe(nodeSha256(text));
  });
});
