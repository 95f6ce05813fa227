import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BundleError, readPolicyFile, readTar } from '../../src/policies/bundle.js';
// @ts-expect-error: a plain ESM script without types
import { BUNDLES, bundleHash, opaArgs, sourcesHash } from '../../scripts/build-policies.mjs';

const repoRoot = path.resolve(import.meta.dirname, '../..');

interface BundleSpec {
  dir: string;
  sources: string[];
  entrypoints: string[];
}

describe('committed bundles are built from their committed sources', () => {
  for (const bundle of BUNDLES as BundleSpec[]) {
    it(`${bundle.dir}/bundle/bundle.tar.gz`, () => {
      // Written by `node scripts/build-policies.mjs` (opa on the PATH) after each build.
      const record = JSON.parse(readFileSync(path.join(repoRoot, bundle.dir, 'bundle', 'SOURCES.json'), 'utf8')) as Record<string, string>;
      expect(record.command, 'the recorded command is the one the script runs').toBe(`opa ${(opaArgs(bundle) as string[]).join(' ')}`);
      expect(record.sourcesSha256, `sources changed since the bundle was built: rebuild with \`node scripts/build-policies.mjs\``).toBe(sourcesHash(bundle));
      expect(record.bundleSha256, 'the bundle changed without a rebuild').toBe(bundleHash(bundle));
    });
  }
});

describe('reading bundles', () => {
  it('the example bundle: module, data.json and manifest entrypoints', () => {
    const archive = readPolicyFile(readFileSync(path.join(repoRoot, 'examples/policies/bundle/bundle.tar.gz')));
    expect(Array.from(archive.wasm.subarray(0, 4))).toEqual([0x00, 0x61, 0x73, 0x6d]);
    expect(archive.data).toEqual({ registries: ['ghcr.io/acme/', 'registry.k8s.io/'] });
    expect(archive.manifestEntrypoints).toContain('main');
  });

  it('the files of a tar archive by path', () => {
    const files = readTar(gzipUnwrap(readFileSync(path.join(repoRoot, 'examples/policies/bundle/bundle.tar.gz'))));
    expect([...files.keys()].sort()).toEqual(['.manifest', 'data.json', 'policy.wasm', 'policy/workloads.rego']);
  });

  it('a truncated archive is refused', () => {
    const tar = gzipUnwrap(readFileSync(path.join(repoRoot, 'examples/policies/bundle/bundle.tar.gz')));
    expect(() => readPolicyFile(gzipSync(tar.subarray(0, 2048)))).toThrow(BundleError);
  });

  it('a gzip file without policy.wasm is refused', () => {
    expect(() => readPolicyFile(gzipSync(Buffer.alloc(1024)))).toThrow('it has no policy.wasm (build it with `opa build -t wasm`)');
  });
});

function gzipUnwrap(bytes: Buffer): Buffer {
  return gunzipSync(bytes);
}
