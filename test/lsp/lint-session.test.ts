import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LintSession, LintWorker, type LintRequest } from '../../src/lsp/lint-session.js';

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
