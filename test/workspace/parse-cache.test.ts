import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openParseCache, PARSE_CACHE_FORMAT, parseCacheFile, parseCacheFormat } from '../../src/workspace/parse-cache.js';
import { hclFacts, hclFactsOfFile, hclNeedsTreeSitter, parseHclThrough } from '../../src/terraform/hcl.js';
import { labelOf } from '../../src/terraform/hcl-facts.js';
import { runCli, tempRepo } from '../cli/temp-repo.js';

const repoDir = path.join(import.meta.dirname, '..', '..');
const cacheFileIn = (dir: string) => parseCacheFile(path.join(dir, '.git'), '', 'yaml');
const pod = (image: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: ${image}\n`;

function scratchFile(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'gitops-lint-cache-')), 'cache', 'root.cache');
}

describe('parse cache format', () => {
  it('names the installed js-yaml version: an upgrade must change the format, so old values are never read', () => {
    const { version } = JSON.parse(readFileSync(path.join(repoDir, 'node_modules', 'js-yaml', 'package.json'), 'utf8')) as { version: string };
    expect(PARSE_CACHE_FORMAT).toContain(`js-yaml ${version} `);
  });
});

describe('openParseCache', () => {
  it('gives back the values of a text seen on an earlier run, as new objects for every file that asks', () => {
    const file = scratchFile();
    const first = openParseCache(file);
    expect(first.values('a: 1\n')).toBeUndefined();
    first.remember('a: 1\n', [{ a: 1, list: ['x', true, null, 2.5] }]);
    first.save();
    const second = openParseCache(file);
    const one = second.values('a: 1\n');
    const other = second.values('a: 1\n');
    expect(one).toEqual([{ a: 1, list: ['x', true, null, 2.5] }]);
    expect(one).not.toBe(other);
    expect((one as Array<{ list: unknown[] }>)[0]!.list).not.toBe((other as Array<{ list: unknown[] }>)[0]!.list);
    expect(second.values('a: 2\n')).toBeUndefined();
    expect(second.stats).toEqual({ hits: 2, misses: 1 });
  });

  it('reads back texts and values beyond ASCII, and a cache of ASCII only, alike', () => {
    const file = scratchFile();
    const first = openParseCache(file);
    first.remember('plain: ascii\n', [{ plain: 'ascii' }]);
    first.remember('name: café ☕ 🚀\n', [{ name: 'café ☕ 🚀' }]);
    first.save();
    const second = openParseCache(file);
    expect(second.values('name: café ☕ 🚀\n')).toEqual([{ name: 'café ☕ 🚀' }]);
    expect(second.values('name: cafe ☕ 🚀\n')).toBeUndefined();
    expect(second.values('plain: ascii\n')).toEqual([{ plain: 'ascii' }]);
    // A run that reads only the ASCII text keeps only its entry: the file is all ASCII then.
    const third = openParseCache(file);
    expect(third.values('plain: ascii\n')).toEqual([{ plain: 'ascii' }]);
    third.save();
    expect(readFileSync(file).every((byte) => byte < 0x80)).toBe(true);
    const fourth = openParseCache(file);
    expect(fourth.values('plain: ascii\n')).toEqual([{ plain: 'ascii' }]);
    expect(fourth.values('name: café ☕ 🚀\n')).toBeUndefined();
    expect(fourth.stats).toEqual({ hits: 1, misses: 1 });
  });

  it('keys entries by the whole text: a one-character change is a miss', () => {
    const file = scratchFile();
    const cache = openParseCache(file);
    cache.remember('image: nginx:1.27\n', [{ image: 'nginx:1.27' }]);
    cache.save();
    expect(openParseCache(file).values('image: nginx:1.28\n')).toBeUndefined();
  });

  it('finds a file by its path and then compares the whole text; a path it does not know is found by the text', () => {
    const file = scratchFile();
    const first = openParseCache(file);
    first.remember('image: nginx:1.27\n', [{ image: 'nginx:1.27' }], 'deploy/web.yaml');
    first.remember('image: redis:7\n', [{ image: 'redis:7' }], 'deploy/cache.yaml');
    first.remember('a: 1\n', [{ a: 1 }]);
    first.save();
    const second = openParseCache(file);
    expect(second.values('image: nginx:1.27\n', 'deploy/web.yaml')).toEqual([{ image: 'nginx:1.27' }]);
    // Changed under its path: parsed again, never the old values.
    expect(second.values('image: redis:8\n', 'deploy/cache.yaml')).toBeUndefined();
    // A renamed file (a path the cache does not know) and an entry without a path: by text.
    expect(second.values('image: nginx:1.27\n', 'apps/web.yaml')).toEqual([{ image: 'nginx:1.27' }]);
    expect(second.values('a: 1\n', 'base/a.yaml')).toEqual([{ a: 1 }]);
    // The text of another file at a known path is not a hit for this one.
    expect(second.values('image: nginx:1.27\n', 'deploy/cache.yaml')).toBeUndefined();
    expect(second.stats).toEqual({ hits: 3, misses: 2 });
    second.save();
    // Saved under the paths this run read them at.
    const third = openParseCache(file);
    expect(third.values('a: 1\n', 'base/a.yaml')).toEqual([{ a: 1 }]);
    expect(third.values('image: nginx:1.27\n', 'apps/web.yaml')).toEqual([{ image: 'nginx:1.27' }]);
    expect(third.values('image: redis:7\n', 'deploy/cache.yaml')).toBeUndefined();
    expect(third.stats).toEqual({ hits: 2, misses: 1 });
  });

  it('does not keep values JSON would change: NaN, infinities, negative zero', () => {
    const file = scratchFile();
    const cache = openParseCache(file);
    cache.remember('a: .nan\n', [{ a: Number.NaN }]);
    cache.remember('a: .inf\n', [{ a: Number.POSITIVE_INFINITY }]);
    cache.remember('a: [-0]\n', [{ a: [-0] }]);
    cache.remember('a: 0\n', [{ a: 0 }]);
    cache.save();
    const reopened = openParseCache(file);
    expect(reopened.values('a: .nan\n')).toBeUndefined();
    expect(reopened.values('a: .inf\n')).toBeUndefined();
    expect(reopened.values('a: [-0]\n')).toBeUndefined();
    expect(reopened.values('a: 0\n')).toEqual([{ a: 0 }]);
  });

  it('keeps only the entries of the last run', () => {
    const file = scratchFile();
    const first = openParseCache(file);
    first.remember('old: 1\n', [{ old: 1 }]);
    first.remember('kept: 1\n', [{ kept: 1 }]);
    first.save();
    const second = openParseCache(file);
    expect(second.values('kept: 1\n')).toEqual([{ kept: 1 }]);
    second.save();
    const third = openParseCache(file);
    expect(third.values('old: 1\n')).toBeUndefined();
    expect(third.values('kept: 1\n')).toEqual([{ kept: 1 }]);
  });

  it('ignores a file of another format or a damaged one, and replaces it on save', () => {
    const header = parseCacheFormat('yaml');
    for (const content of ['gitops-lint parse cache 0; js-yaml 3.0.0\n3 8\na:1[{"a":1}]', `${parseCacheFormat('hcl')}\n4 9\na:1\n[{"a":1}]`, `${header}\n5 900\nshort`, `${header}\nnot a frame\n`, '\u0000\u0001binary']) {
      const file = scratchFile();
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      const cache = openParseCache(file);
      expect(cache.values('a:1')).toBeUndefined();
      cache.remember('a: 1\n', [{ a: 1 }]);
      cache.save();
      expect(readFileSync(file, 'utf8').startsWith(`${header}\n`)).toBe(true);
      expect(openParseCache(file).values('a: 1\n')).toEqual([{ a: 1 }]);
    }
  });

  it('does not read HCL entries of earlier layouts (whole parsed files; facts with every place, a reference per object, a body per block, arguments as objects) as facts', () => {
    const file = scratchFile();
    mkdirSync(path.dirname(file), { recursive: true });
    for (const layout of ['hcl', 'hcl facts 1', 'hcl facts 2', 'hcl facts 3', 'hcl facts 4']) {
      const before = parseCacheFormat('hcl').replace('; hcl facts 5; ', `; ${layout}; `);
      expect(before).not.toBe(parseCacheFormat('hcl'));
      writeFileSync(file, `${before}\n2 2\nx\n[]`);
      const cache = openParseCache(file, 'hcl');
      expect(cache.values('x\n')).toBeUndefined();
      expect(cache.stats.misses).toBe(1);
    }
    // The same entry under this build's header is read.
    writeFileSync(file, `${parseCacheFormat('hcl')}\n2 2\nx\n[]`);
    expect(openParseCache(file, 'hcl').values('x\n')).toEqual([]);
  });

  it('treats an entry whose values are not JSON as a miss', () => {
    const file = scratchFile();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${parseCacheFormat('yaml')}\n5 4\na: 1{"a"`);
    const cache = openParseCache(file);
    expect(cache.values('a: 1')).toBeUndefined();
    expect(cache.stats.misses).toBe(1);
  });

  it('saves nothing and throws nothing where the folder cannot be written', () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: a path under a regular file cannot be created by anyone.
      const blocker = path.join(mkdtempSync(path.join(tmpdir(), 'gitops-lint-cache-')), 'file');
      writeFileSync(blocker, 'x');
      const cache = openParseCache(path.join(blocker, 'cache', 'root.cache'));
      cache.remember('a: 1\n', [{ a: 1 }]);
      expect(() => cache.save()).not.toThrow();
      return;
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-cache-'));
    chmodSync(dir, 0o500);
    const cache = openParseCache(path.join(dir, 'cache', 'root.cache'));
    cache.remember('a: 1\n', [{ a: 1 }]);
    expect(() => cache.save()).not.toThrow();
    expect(existsSync(path.join(dir, 'cache'))).toBe(false);
  });
});

describe('the CLI and the parse cache', () => {
  it('keeps the values of a git root in its .git folder; the next run reads them back and reports the same', async () => {
    const dir = tempRepo({ 'deploy/web.yaml': pod('nginx:latest'), 'deploy/api.yaml': pod('nginx:1.27.3') }, { git: true });
    const first = await runCli(['-f', 'json'], dir, { TIMING: '1' });
    expect(existsSync(cacheFileIn(dir))).toBe(true);
    expect(first.stderr).toContain("Parse cache: 0 of 2 files' values read back");
    const second = await runCli(['-f', 'json'], dir, { TIMING: '1' });
    expect(second.stderr).toContain("Parse cache: 2 of 2 files' values read back");
    expect(second.stdout).toBe(first.stdout);
    expect(JSON.parse(second.stdout).findings.map((finding: { ruleId: string }) => finding.ruleId)).toContain('image-tag-mutable');
  });

  it('parses a file again when its text changed, and the findings follow the new text', async () => {
    const dir = tempRepo({ 'deploy/web.yaml': pod('nginx:1.27.3') }, { git: true });
    expect((await runCli([], dir)).stdout).toContain('0 problems');
    writeFileSync(path.join(dir, 'deploy/web.yaml'), pod('nginx:latest'));
    const run = await runCli([], dir, { TIMING: '1' });
    expect(run.stderr).toContain("Parse cache: 0 of 1 files' values read back");
    expect(run.stdout).toContain('image-tag-mutable');
  });

  it('reads staged blobs through the same cache (the pre-commit hook)', async () => {
    const dir = tempRepo({ 'deploy/web.yaml': pod('nginx:1.27.3') }, { git: true });
    writeFileSync(path.join(dir, 'deploy/web.yaml'), pod('nginx:latest'));
    execFileSync('git', ['add', 'deploy/web.yaml'], { cwd: dir });
    await runCli(['--staged'], dir);
    const run = await runCli(['--staged'], dir, { TIMING: '1' });
    expect(run.stderr).toContain("Parse cache: 1 of 1 files' values read back");
    expect(run.stdout).toContain('image-tag-mutable');
  });

  it('writes no cache with --no-cache or GITOPS_LINT_NO_CACHE=1, and none outside git', async () => {
    const dir = tempRepo({ 'deploy/web.yaml': pod('nginx:1.27.3') }, { git: true });
    const run = await runCli(['--no-cache'], dir, { TIMING: '1' });
    expect(run.stderr).not.toContain('Parse cache');
    await runCli([], dir, { GITOPS_LINT_NO_CACHE: '1' });
    expect(existsSync(path.join(dir, '.git', 'gitops-lint'))).toBe(false);
    const plain = tempRepo({ 'deploy/web.yaml': pod('nginx:1.27.3') });
    await runCli([], plain);
    expect(readdirSync(plain)).toEqual(['deploy']);
  });

  it('keeps Terraform files as the JS HCL parser read them; a file with a syntax error is parsed (and reported) every run', async () => {
    const dir = tempRepo(
      {
        'deploy/web.yaml': pod('nginx:1.27.3'),
        'infra/main.tf': 'terraform {\n  required_version = ">= 1.6"\n}\n\nvariable "name" {\n  type = string\n}\n\noutput "greeting" {\n  value = "hello ${var.name}"\n}\n',
        'infra/broken.tf': 'variable "x" {\n  default = [1, 2\n}\n',
      },
      { git: true },
    );
    const first = await runCli(['-f', 'json'], dir, { TIMING: '1' });
    expect(first.stderr).toContain("Parse cache: 0 of 3 files' values read back");
    const second = await runCli(['-f', 'json'], dir, { TIMING: '1' });
    expect(second.stderr).toContain("Parse cache: 2 of 3 files' values read back");
    expect(second.stdout).toBe(first.stdout);
    expect(JSON.parse(second.stdout).findings.map((finding: { ruleId: string; location: { file: string } }) => `${finding.ruleId} ${finding.location.file}`)).toContain('hcl-syntax infra/broken.tf');
    expect(readdirSync(path.join(dir, '.git', 'gitops-lint', 'parse-cache')).sort()).toEqual(['..hcl', '..yaml']);
  });

  it('keeps one cache file per root of a work tree, inside its git folder only', async () => {
    const dir = tempRepo({ 'a/web.yaml': pod('nginx:1.27.3'), 'b/web.yaml': pod('nginx:1.27.4') }, { git: true });
    await runCli(['a', 'b'], dir);
    expect(readdirSync(path.join(dir, '.git', 'gitops-lint', 'parse-cache')).sort()).toEqual(['a.yaml', 'b.yaml']);
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' })).toBe('');
  });
});

describe('the HCL parse cache by path (parseHclThrough)', () => {
  const main = 'variable "region" {\n  type = string\n}\n';
  const edited = 'variable "zone" {\n  type = string\n}\n';

  it('keeps an entry under its file\'s path, finds it by path while the text is the same, and parses a changed text again', () => {
    const file = scratchFile();
    const first = openParseCache(file, 'hcl');
    parseHclThrough(first, [{ path: 'infra/main.tf', text: main }]);
    expect(first.stats).toEqual({ hits: 0, misses: 1 });
    first.save();
    // The entry names its file: `<text length> <facts length> <path length>` then the path last.
    const saved = readFileSync(file, 'utf8');
    expect(saved).toContain(`${main.length} `);
    expect(saved.endsWith('infra/main.tf')).toBe(true);

    const same = openParseCache(file, 'hcl');
    parseHclThrough(same, [{ path: 'infra/main.tf', text: main }]);
    expect(same.stats).toEqual({ hits: 1, misses: 0 });

    const changed = openParseCache(file, 'hcl');
    parseHclThrough(changed, [{ path: 'infra/main.tf', text: edited }]);
    expect(changed.stats).toEqual({ hits: 0, misses: 1 });
    expect(labelOf(hclFactsOfFile({ path: 'infra/main.tf', text: edited })!.blocks[0]!, 0)).toBe('zone');
    expect(labelOf(hclFactsOfFile({ path: 'infra/main.tf', text: main })!.blocks[0]!, 0)).toBe('region');
  });

  it('gives a file the facts read back for it, and a file whose text is another one the facts of its own text', () => {
    const file = scratchFile();
    const first = openParseCache(file, 'hcl');
    parseHclThrough(first, [{ path: 'infra/main.tf', text: main }]);
    first.save();
    const loaded = { path: 'infra/main.tf', text: main };
    const second = openParseCache(file, 'hcl');
    parseHclThrough(second, [loaded]);
    expect(second.stats).toEqual({ hits: 1, misses: 0 });
    expect(hclNeedsTreeSitter([loaded])).toBe(false);
    expect(labelOf(hclFactsOfFile(loaded)!.blocks[0]!, 0)).toBe('region');
    expect(hclFactsOfFile(loaded)).toEqual(hclFacts(main));
    expect(hclFactsOfFile({ path: 'infra/main.tf' })).toBeUndefined();
    const broken = { path: 'infra/broken.tf', text: 'variable "x" {\n  default = [1, 2\n}\n' };
    const third = openParseCache(file, 'hcl');
    parseHclThrough(third, [broken]);
    // Not accepted by the JS parser: not kept, left to tree-sitter.
    expect(third.stats).toEqual({ hits: 0, misses: 1 });
    third.save();
    expect(readFileSync(file, 'utf8').includes('infra/broken.tf')).toBe(false);
  });

  it('finds a renamed file by its text, and keeps it under the new path from then on', () => {
    const file = scratchFile();
    const first = openParseCache(file, 'hcl');
    parseHclThrough(first, [{ path: 'infra/main.tf', text: main }]);
    first.save();
    const renamed = openParseCache(file, 'hcl');
    parseHclThrough(renamed, [{ path: 'infra/variables.tf', text: main }]);
    expect(renamed.stats).toEqual({ hits: 1, misses: 0 });
    renamed.save();
    expect(readFileSync(file, 'utf8').endsWith('infra/variables.tf')).toBe(true);
    const again = openParseCache(file, 'hcl');
    parseHclThrough(again, [{ path: 'infra/variables.tf', text: main }]);
    expect(again.stats).toEqual({ hits: 1, misses: 0 });
  });

  it('reads entries an earlier build kept by text only (no path)', () => {
    const file = scratchFile();
    const first = openParseCache(file, 'hcl');
    // As an earlier build kept it: by text, no path.
    first.remember(main, [hclFacts(main)]);
    first.save();
    expect(readFileSync(file, 'utf8').endsWith('infra/main.tf')).toBe(false);
    const second = openParseCache(file, 'hcl');
    parseHclThrough(second, [{ path: 'infra/main.tf', text: main }]);
    expect(second.stats).toEqual({ hits: 1, misses: 0 });
  });
});
