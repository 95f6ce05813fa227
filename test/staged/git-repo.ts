import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A real git repository in a temporary folder, driven with the real `git`. */
export class GitRepo {
  readonly dir: string;

  constructor(parent?: string, name?: string) {
    if (parent !== undefined && name !== undefined) {
      this.dir = path.join(parent, name);
      mkdirSync(this.dir, { recursive: true });
    } else {
      this.dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-staged-'));
    }
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.name', 'test');
    this.git('config', 'user.email', 'test@example.invalid');
    this.git('config', 'commit.gpgsign', 'false');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  }

  write(files: Record<string, string>): this {
    for (const [file, text] of Object.entries(files)) {
      const target = path.join(this.dir, file);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
    return this;
  }

  link(file: string, target: string): this {
    symlinkSync(target, path.join(this.dir, file));
    return this;
  }

  remove(...files: string[]): this {
    for (const file of files) rmSync(path.join(this.dir, file), { recursive: true, force: true });
    return this;
  }

  add(...files: string[]): this {
    this.git('add', '--', ...files);
    return this;
  }

  commit(message = 'commit'): this {
    this.git('commit', '-q', '--no-verify', '-m', message);
    return this;
  }

  path(file: string): string {
    return path.join(this.dir, file);
  }
}
