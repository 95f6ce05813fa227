import type { SourceFile } from '../model/workspace.js';
import type { Discovery } from '../workspace/discover.js';
import { discoverFiles } from '../workspace/discover.js';
import { readGitFiles, type GitFiles } from '../workspace/git.js';
import type { LoadHooks } from '../workspace/load.js';
import { loadSourceFile, type LoadOutcome } from '../workspace/source-file.js';

type Content = Uint8Array | string | undefined;

function sameContent(a: Content, b: Content): boolean {
  if (typeof a === 'string' || typeof b === 'string' || a === undefined || b === undefined) return a === b;
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}

/**
 * What the language server keeps between lint runs: file discovery and git's tracked files
 * (until `invalidate()`), and parses of files whose content did not change. Rules see fresh
 * `SourceFile` objects each run; only the parsed documents are shared, and the model treats
 * them as read-only.
 */
export class LoadCache {
  private discoveries = new Map<string, { at: number; value: Promise<Discovery> }>();
  private gitFiles = new Map<string, { at: number; value: Promise<GitFiles | undefined> }>();
  private parsed = new Map<string, { content: Content; outcome: LoadOutcome }>();
  private used = new Set<string>();

  /** Forget discovery and git state (files were created, deleted, ignored, added to git). */
  invalidate(): void {
    this.discoveries.clear();
    this.gitFiles.clear();
  }

  /** Start a run: parses not used by the run are dropped at `endRun()`. */
  beginRun(): void {
    this.used.clear();
  }

  endRun(): void {
    for (const key of this.parsed.keys()) if (!this.used.has(key)) this.parsed.delete(key);
  }

  /**
   * @param maxAgeMs Discovery and git state older than this is read again even without
   *   `invalidate()`: a safety net for changes nobody reported (a `git add`, a checkout
   *   in an editor that does not watch files).
   */
  constructor(private readonly maxAgeMs = 5000) {}

  private memo<T>(map: Map<string, { at: number; value: Promise<T> }>, key: string, read: () => Promise<T>): Promise<T> {
    const now = performance.now();
    const entry = map.get(key);
    if (entry && now - entry.at <= this.maxAgeMs) return entry.value;
    const value = read();
    map.set(key, { at: now, value });
    value.catch(() => map.delete(key));
    return value;
  }

  readonly hooks: Required<LoadHooks> = {
    discover: (dir, ignore, gitFiles) => this.memo(this.discoveries, `${dir}\0${JSON.stringify(ignore)}`, () => discoverFiles(dir, ignore, gitFiles)),
    readGit: (dir) => this.memo(this.gitFiles, dir, () => readGitFiles(dir)),
    loadFile: (root, relativePath, absPath, content) => {
      const key = `${root.dir}\0${absPath}`;
      this.used.add(key);
      const cached = this.parsed.get(key);
      if (cached && sameContent(cached.content, content)) {
        const file: SourceFile = { ...cached.outcome.file, root, reported: true };
        return cached.outcome.skipped === undefined ? { file } : { file, skipped: cached.outcome.skipped };
      }
      const outcome = loadSourceFile(root, relativePath, absPath, content);
      this.parsed.set(key, { content, outcome });
      return outcome;
    },
  };
}
