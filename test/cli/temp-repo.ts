import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';

/** A real folder with files, optionally a real git repository with some files committed. */
export function tempRepo(files: Record<string, string>, options: { git?: boolean; forceAdd?: string[] } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  if (options.git) {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    if (options.forceAdd?.length) git('add', '-f', ...options.forceAdd);
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'init');
  }
  return dir;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in-process, like the bin does. */
export async function runCli(argv: string[], cwd: string, env: Record<string, string | undefined> = {}, isTTY = false): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd,
    env,
    isTTY,
  });
  return { code, stdout, stderr };
}
