import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { LintSession, LintWorker, WORKER_V8_FLAGS, workerFlagsKnown, type LintRequest } from '../../src/lsp/lint-session.js';

const REPO = path.resolve(import.meta.dirname, '../..');
/** The committed bundle: the worker loads it (`npm test` bundles first). */
const BUNDLE = path.join(REPO, 'dist/cli/main.cjs');
const BROKEN = ['lotus-lake', 'h-kube'].map((name) => path.join(REPO, 'examples/broken', name));
const RELEASE = path.join(BROKEN[0]!, 'deploy/dagster/release.yaml');

const closers: Array<() => void> = [];
const dirs: string[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function request(overrides: Array<[string, string]> = []): LintRequest {
  return { roots: BROKEN, overrides, refresh: false, invalidations: [] };
}

describe('the language server lint worker', () => {
  it('sends the diagnostics of a run on this thread, edit after edit', async () => {
    const worker = new LintWorker(BUNDLE);
    const here = new LintSession();
    closers.push(() => worker.close());
    const text = readFileSync(RELEASE, 'utf8');
    const edits = [request(), request([[RELEASE, text.replace(/tag: .*/, 'tag: latest')]]), request([[RELEASE, `${text}\n---\nkind: [broken\n`]]), request([[RELEASE, text]])];
    for (const edit of edits) {
      const [there, local] = [await worker.run(edit), await here.run(edit)];
      expect(there.kind).toBe('done');
      // The broken examples have findings in several files.
      expect(there.kind === 'done' ? there.diagnostics.length : 0).toBeGreaterThan(1);
      expect(there).toEqual(local);
    }
    expect(worker.failed).toBe(false);
  });

  it('answers every run with a failure once the worker has stopped, so the server lints on its own thread', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-worker-'));
    dirs.push(dir);
    const broken = path.join(dir, 'broken.cjs');
    writeFileSync(broken, "throw new Error('cannot load');\n");
    const worker = new LintWorker(broken);
    closers.push(() => worker.close());
    const response = await worker.run(request());
    expect(response.kind).toBe('failed');
    expect(response.kind === 'failed' ? response.error : '').toMatch(/cannot load|stopped/);
    expect(worker.failed).toBe(true);
    expect((await worker.run(request())).kind).toBe('failed');
  });

  it('reports a configuration error with its place', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-worker-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, '.gitops-lint.yaml'), 'rules:\n  no-such-rule: error\n');
    const worker = new LintWorker(BUNDLE);
    closers.push(() => worker.close());
    const response = await worker.run({ roots: [dir], overrides: [], refresh: false, invalidations: [] });
    expect(response).toMatchObject({ kind: 'config', file: path.join(dir, '.gitops-lint.yaml') });
    expect(response).toEqual(await new LintSession().run({ roots: [dir], overrides: [], refresh: false, invalidations: [] }));
  });
});

describe("the lint worker's V8 flags", () => {
  it("are set only on the V8 major they were measured on (Node 20's)", () => {
    expect(workerFlagsKnown('11.3.244.8-node.38')).toBe(true);
    expect(workerFlagsKnown('11.8.172.17-node.19')).toBe(false);
    expect(workerFlagsKnown('12.4.254.21-node.33')).toBe(false);
    expect(workerFlagsKnown('13.6.233.10-node.24')).toBe(false);
    expect(workerFlagsKnown('10.2.154.26-node.30')).toBe(false);
    expect(workerFlagsKnown(process.versions.v8)).toBe(true);
  });

  it("are flags the running V8 knows (V8 prints an unknown flag's name on stderr instead of throwing)", () => {
    const set = spawnSync(process.execPath, ['-e', `require('node:v8').setFlagsFromString(${JSON.stringify(WORKER_V8_FLAGS)})`], { encoding: 'utf8' });
    expect(set.stderr).toBe('');
    const unknown = spawnSync(process.execPath, ['-e', "require('node:v8').setFlagsFromString('--no-such-flag-of-v8')"], { encoding: 'utf8' });
    expect(unknown.status).toBe(0);
    expect(unknown.stderr).toContain('unrecognized flag');
  });
});
