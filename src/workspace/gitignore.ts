import ignore, { type Ignore } from 'ignore';

interface Verdict {
  ignored: boolean;
  unignored: boolean;
}

/** The rule list of one `ignore` matcher (private in `ignore`, pinned to an exact version in package.json). */
interface RuleList {
  test(path: string, mode: string): Verdict;
}

/**
 * What one `.gitignore` says about a path itself: the last of its patterns that matches the
 * path decides, and its parents do not count (git settles them while it walks down, and a
 * deeper `.gitignore` may have re-included a folder this one ignores). `ignore`'s public
 * `test()` also applies the file's patterns to the parents, so it is used only when the
 * rule list is not reachable.
 */
function testItself(matcher: Ignore, relative: string): Verdict {
  const rules = (matcher as unknown as { _rules?: Partial<RuleList> })._rules;
  if (typeof rules?.test === 'function') return rules.test(relative, 'regex');
  return matcher.test(relative);
}

/**
 * `.gitignore` semantics over a set of ignore files, as git applies them: the patterns of a
 * file apply to paths below its folder, relative to it; the deepest file with a pattern that
 * matches a path decides (so a nested `!keep/` re-includes what a parent's `secrets/*`
 * ignores); and nothing below an ignored folder can be re-included. Only the repository's own
 * `.gitignore` files count (not a user's global excludes), so results do not vary between
 * machines.
 */
export class GitignoreRules {
  /** Matchers by the folder of their `.gitignore` (`''` for the root, else `dir/`). */
  private readonly levels = new Map<string, Ignore>();
  private readonly dirCache = new Map<string, boolean>();

  constructor(ignoreFiles: ReadonlyMap<string, string> = new Map()) {
    for (const [file, text] of ignoreFiles) this.add(file, text);
  }

  get empty(): boolean {
    return this.levels.size === 0;
  }

  /** Add the `.gitignore` at a root-relative path. */
  add(file: string, text: string): void {
    this.levels.set(file === '.gitignore' ? '' : file.slice(0, -'.gitignore'.length), ignore().add(text));
    this.dirCache.clear();
  }

  /**
   * Whether the path itself is excluded, its parent folders being known not to be (a walk
   * that does not descend into excluded folders asks this of each entry).
   */
  excludes(relative: string, isDir: boolean): boolean {
    if (this.levels.size === 0) return false;
    // Deepest folder first: walk the path's parent folders from the inside out.
    for (let end = relative.lastIndexOf('/'); ; end = relative.lastIndexOf('/', end - 1)) {
      const base = end === -1 ? '' : relative.slice(0, end + 1);
      const matcher = this.levels.get(base);
      if (matcher) {
        const verdict = testItself(matcher, relative.slice(base.length) + (isDir ? '/' : ''));
        if (verdict.ignored) return true;
        if (verdict.unignored) return false;
      }
      if (end === -1) return false;
    }
  }

  /** Whether a root-relative file is ignored: itself or any folder above it. */
  ignores(relative: string): boolean {
    if (this.levels.size === 0) return false;
    const slash = relative.lastIndexOf('/');
    if (slash !== -1 && this.dirIgnored(relative.slice(0, slash))) return true;
    return this.excludes(relative, false);
  }

  private dirIgnored(dir: string): boolean {
    const cached = this.dirCache.get(dir);
    if (cached !== undefined) return cached;
    const slash = dir.lastIndexOf('/');
    const result = (slash !== -1 && this.dirIgnored(dir.slice(0, slash))) || this.excludes(dir, true);
    this.dirCache.set(dir, result);
    return result;
  }
}

/**
 * @param ignoreFiles Root-relative path of each `.gitignore` → its text.
 * @returns Whether a root-relative path is ignored (see `GitignoreRules`).
 */
export function gitignoreMatcher(ignoreFiles: ReadonlyMap<string, string>): (file: string) => boolean {
  const rules = new GitignoreRules(ignoreFiles);
  if (rules.empty) return () => false;
  return (file) => rules.ignores(file);
}

export function isGitignore(file: string): boolean {
  return file === '.gitignore' || file.endsWith('/.gitignore');
}
