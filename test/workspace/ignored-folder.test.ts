import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import yamlSyntax from '../../rules/yaml-syntax.js';
import { lint } from '../../src/engine/lint.js';
import type { Rule } from '../../src/model/rule.js';
import { GitRepo } from '../staged/git-repo.js';

/** Every path the linter's own code hands to the file system, as a trace. */
const touched = vi.hoisted(() => [] as string[]);

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const traced = <F extends (...args: never[]) => unknown>(fn: F): F =>
    ((...args: Parameters<F>) => {
      if (typeof args[0] === 'string') touched.push(args[0]);
      return fn(...args);
    }) as F;
  const names = ['readdirSync', 'readFileSync', 'openSync', 'lstatSync', 'statSync', 'realpathSync', 'existsSync'] as const;
  const wrapped = Object.fromEntries(names.map((name) => [name, traced(actual[name] as never)]));
  return { ...actual, ...wrapped, default: { ...actual, ...wrapped } };
});

const rules = [yamlSyntax] as unknown as Rule<string, never>[];

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  touched.length = 0;
});

/** A root whose `.venv` (ignored by .gitignore) holds YAML with a syntax error in every file. */
function withVenv(dir: string): void {
  const files: Record<string, string> = {
    '.gitignore': '.venv/\n',
    'deploy/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n',
  };
  for (let i = 0; i < 50; i++) files[`.venv/lib/python3.12/site-packages/pkg${i}/data.yaml`] = 'a: [\n';
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
}

const below = (dir: string) => touched.filter((file) => file.startsWith(path.join(dir, '.venv')));

describe('an ignored folder is never walked', () => {
  it('outside git: the walk does not enter it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-venv-'));
    dirs.push(dir);
    withVenv(dir);
    touched.length = 0;

    const result = await lint({ roots: [dir], rules });

    expect(result.fileCount).toBe(2);
    expect(result.findings).toEqual([]);
    // The trace is real: entering a folder and reading a file show in it.
    expect(touched).toContain(path.join(dir, 'deploy'));
    expect(touched).toContain(path.join(dir, 'deploy/app.yaml'));
    expect(below(dir)).toEqual([]);
  });

  it('in a git work tree: git lists the files, and nothing below the folder is touched', async () => {
    const repo = new GitRepo();
    dirs.push(repo.dir);
    withVenv(repo.dir);
    repo.add('.').commit();
    touched.length = 0;

    const result = await lint({ roots: [repo.dir], rules });

    expect(result.fileCount).toBe(2);
    expect(result.findings).toEqual([]);
    expect(touched).toContain(path.join(repo.dir, 'deploy/app.yaml'));
    expect(below(repo.dir)).toEqual([]);
  });
});
