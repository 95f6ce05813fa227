import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import path from 'node:path';

/**
 * Copies the files the next commit of the repository at `repo` would hold (tracked and new
 * files, not ignored ones such as node_modules) to `dest`: this checkout as a clone, a tag or
 * an action reference would fetch it.
 */
export function copyCommitFiles(repo: string, dest: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '');
  for (const file of files) {
    try {
      cpSync(path.join(repo, file), path.join(dest, file));
    } catch {
      // Deleted in the working tree but still in the index: not part of the next commit.
    }
  }
}
