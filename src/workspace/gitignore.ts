import ignore from 'ignore';

/**
 * `.gitignore` semantics over a set of ignore files: each file's patterns apply to paths
 * below its folder, relative to it. Only the repository's own `.gitignore` files count (not
 * a user's global excludes), so results do not vary between machines.
 *
 * @param ignoreFiles Root-relative path of each `.gitignore` → its text.
 * @returns Whether a root-relative path is ignored.
 */
export function gitignoreMatcher(ignoreFiles: ReadonlyMap<string, string>): (file: string) => boolean {
  const matchers = [...ignoreFiles].map(([file, text]) => ({
    base: file === '.gitignore' ? '' : file.slice(0, -'.gitignore'.length),
    matcher: ignore().add(text),
  }));
  if (matchers.length === 0) return () => false;
  return (file) => matchers.some(({ base, matcher }) => file.startsWith(base) && file.length > base.length && matcher.ignores(file.slice(base.length)));
}

export function isGitignore(file: string): boolean {
  return file === '.gitignore' || file.endsWith('/.gitignore');
}
