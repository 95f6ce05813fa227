import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const repo = path.join(import.meta.dirname, '..', '..');

const LINT = ['-f', 'compact', 'examples/broken/lotus-lake', 'examples/broken/h-kube'];

function run(cacheHome: string, extraEnv: Record<string, string> = {}, args = LINT) {
  const result = spawnSync(process.execPath, [path.join(repo, 'bin', 'gitops-lint.js'), ...args], {
    cwd: repo,
    encoding: 'utf8',
    // A hang guard, not a timing: a run that hangs is killed and fails the test.
    timeout: 25_000,
    env: { ...process.env, XDG_CACHE_HOME: cacheHome, NO_COLOR: '1', GITHUB_ACTIONS: '', ...extraEnv },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const builtIn = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';

describe('the bin compile cache', () => {
  it('writes one cache in the user cache folder and gives the same output with it', () => {
    const home = mkdtempSync(path.join(tmpdir(), 'gitops-lint-cache-'));
    const first = run(home);
    // Node's own compile cache where the running Node has one (>= 22.1), else the bin's V8 cache file.
    const expected = builtIn ? 'node' : expect.stringMatching(/^main-v\d+\.\d+\.\d+-\w+-\d+-\d+\.v8$/);
    expect(readdirSync(path.join(home, 'gitops-lint'))).toEqual([expected]);
    const second = run(home);
    expect(second).toEqual(first);
    expect(first.code).toBe(1);
  });

  // The cache holds what the run that wrote it compiled: one written by `--version` lacks the
  // lint path, and one written by a run without findings the code of findings, which every
  // such later run would then compile again. The file's name says which run wrote it.
  it.skipIf(builtIn)('is rewritten, once, by a run that does more than the run that wrote it', () => {
    const home = mkdtempSync(path.join(tmpdir(), 'gitops-lint-cache-'));
    const folder = path.join(home, 'gitops-lint');
    const cacheFile = () => {
      const names = readdirSync(folder);
      expect(names).toHaveLength(1);
      const { size, mtimeMs } = statSync(path.join(folder, names[0]!));
      return { name: names[0]!, size, mtimeMs };
    };
    const named = (suffix: string) => new RegExp(`^main-v\\d+\\.\\d+\\.\\d+-\\w+-\\d+-\\d+${suffix}\\.v8$`);
    expect(run(home, {}, ['--version']).code).toBe(0);
    const small = cacheFile();
    expect(small.name).toMatch(named('-partial'));
    // The examples lint clean: the lint path without the code of findings.
    const clean = run(home, {}, ['-f', 'compact', 'examples/lotus-lake', 'examples/h-kube']);
    expect(clean.code).toBe(0);
    const lintPath = cacheFile();
    expect(lintPath.name).toBe(small.name.replace('-partial', '-clean'));
    expect(lintPath.size).toBeGreaterThan(small.size);
    const first = run(home);
    expect(first.code).toBe(1);
    const refreshed = cacheFile();
    expect(refreshed.name).toBe(small.name.replace('-partial', ''));
    expect(refreshed.size).toBeGreaterThan(lintPath.size);
    // Runs the cache covers leave it alone (a sampled one finds it grew by far less than GROWTH).
    for (let again = 0; again < 3; again++) expect(run(home)).toEqual(first);
    expect(run(home, {}, ['-f', 'compact', 'examples/lotus-lake', 'examples/h-kube'])).toEqual(clean);
    expect(run(home, {}, ['--version']).code).toBe(0);
    expect(cacheFile()).toEqual(refreshed);
  });

  // `build` lists and parses files but runs no rule: named clean, its cache would be left alone
  // by clean lint runs (a sampled one in eight replaces it), each compiling the rules again.
  it.skipIf(builtIn)('written by `build`, is partial, and the next lint run replaces it at once', () => {
    const home = mkdtempSync(path.join(tmpdir(), 'gitops-lint-cache-'));
    const folder = path.join(home, 'gitops-lint');
    expect(run(home, {}, ['build', 'examples/lotus-lake']).code).toBe(0);
    const [built] = readdirSync(folder);
    expect(built).toMatch(/^main-v\d+\.\d+\.\d+-\w+-\d+-\d+-partial\.v8$/);
    const builtSize = statSync(path.join(folder, built!)).size;
    const clean = run(home, {}, ['-f', 'compact', 'examples/lotus-lake', 'examples/h-kube']);
    expect(clean.code).toBe(0);
    const linted = built!.replace('-partial', '-clean');
    expect(readdirSync(folder)).toEqual([linted]);
    expect(statSync(path.join(folder, linted)).size).toBeGreaterThan(builtSize);
  });

  // A write that fails half-way (a full disk) must not leave its temporary file: each run's has
  // its own name, so every later failing run would add one. The failure here: the cache's name
  // is taken by a folder, which the finished file cannot be renamed over.
  it.skipIf(builtIn)('leaves no temporary file behind when the cache cannot be put in place', () => {
    const home = mkdtempSync(path.join(tmpdir(), 'gitops-lint-cache-'));
    const off = run(home, { GITOPS_LINT_NO_CACHE: '1' });
    const { size, mtimeMs } = statSync(path.join(repo, 'dist', 'cli', 'main.cjs'));
    const taken = `main-${process.version}-${process.arch}-${size}-${Math.floor(mtimeMs)}.v8`;
    mkdirSync(path.join(home, 'gitops-lint', taken, 'inside'), { recursive: true });
    expect(run(home)).toEqual(off);
    expect(run(home)).toEqual(off);
    expect(readdirSync(path.join(home, 'gitops-lint'))).toEqual([taken]);
  });

  it('runs without a cache when the folder cannot be written or caching is off', () => {
    const home = mkdtempSync(path.join(tmpdir(), 'gitops-lint-cache-'));
    const off = run(home, { GITOPS_LINT_NO_CACHE: '1' });
    expect(readdirSync(home)).toEqual([]);
    // A cache folder below a regular file cannot be created.
    const blocker = path.join(home, 'not-a-folder');
    writeFileSync(blocker, '');
    const unwritable = run(blocker);
    expect(unwritable).toEqual(off);
    expect(off.code).toBe(1);
  });

  it('runs without a cache, and does not hang, when XDG_CACHE_HOME is under /proc', () => {
    const home = mkdtempSync(path.join(tmpdir(), 'gitops-lint-cache-'));
    const off = run(home, { GITOPS_LINT_NO_CACHE: '1' });
    // mkdir -p below /proc answers ENOENT for a parent that exists; Node's recursive mkdir retried forever.
    const proc = run('/proc/gitops-lint-cache-home');
    expect(proc).toEqual(off);
    expect(proc.code).toBe(1);
  });
});

describe('the CLI tells its io what a run linted, for the name of the cache it writes', () => {
  async function linted(argv: string[]): Promise<number[]> {
    const calls: number[] = [];
    await main(argv, { stdout: () => {}, stderr: () => {}, cwd: repo, env: { GITOPS_LINT_NO_CACHE: '1' }, isTTY: false, onLinted: (findings) => calls.push(findings) });
    return calls;
  }

  it('once per lint run, with its number of findings', async () => {
    expect(await linted(['-f', 'json', 'examples/lotus-lake'])).toEqual([0]);
    const [findings] = await linted(['-f', 'json', 'examples/broken/h-kube']);
    expect(findings).toBeGreaterThan(0);
  });

  // A run that reports nothing compiles none of the formatters' code for findings.
  it('with the findings it reports: --quiet leaves out the warnings', async () => {
    const [all] = await linted(['-f', 'json', 'examples/broken/h-kube']);
    const quiet = await linted(['-f', 'json', '--quiet', 'examples/broken/h-kube']);
    const errors = JSON.parse(run(tmpdir(), { GITOPS_LINT_NO_CACHE: '1' }, ['-f', 'json', '--quiet', 'examples/broken/h-kube']).stdout).findings.length;
    expect(quiet).toEqual([errors]);
    expect(errors).toBeLessThan(all!);
  });

  it('never for a run that lints nothing', async () => {
    for (const argv of [['--version'], ['rules'], ['build', 'examples/lotus-lake']]) expect(await linted(argv), argv.join(' ')).toEqual([]);
  });
});
