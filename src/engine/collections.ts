/** Small helpers shared by the engine, the Flux graph and rules: map-of-lists, string order, root-relative paths. */

/** Append `value` to the list at `key`, creating the list on first use. */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Code-unit order of two strings (locale-independent, so output is the same everywhere). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const PLAIN_ID = /^[a-z0-9-]*$/;

/**
 * `a.localeCompare(b)` for rule ids, without starting ICU's collator where it need not: its
 * first use costs 5-20 ms, on every run. For built-in ids (`[a-z0-9-]`) the collation order is
 * the code-unit order; other ids (policy rules: `policy/<package>/<rule>`) are collated.
 */
export function compareRuleIds(a: string, b: string): number {
  return PLAIN_ID.test(a) && PLAIN_ID.test(b) ? compareStrings(a, b) : a.localeCompare(b);
}

/** Folder of a root-relative path, `''` for the root: `deploy/app.yaml` → `deploy`, `app.yaml` → `''`. */
export function dirOf(relativePath: string): string {
  const slash = relativePath.lastIndexOf('/');
  return slash === -1 ? '' : relativePath.slice(0, slash);
}

/** The root-relative path of `entry` written in `dir`, or `undefined` when it leaves the root. */
export function resolvePath(dir: string, entry: string): string | undefined {
  // Most entries are a plain name in the folder: nothing to resolve.
  if (isPlainName(entry)) return dir === '' ? entry : `${dir}/${entry}`;
  const parts: string[] = dir === '' ? [] : dir.split('/');
  if (entry.startsWith('/')) return undefined;
  for (const part of entry.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** A non-empty path segment other than `.` and `..`. */
export function isPlainName(entry: string): boolean {
  return entry !== '' && entry !== '.' && entry !== '..' && !entry.includes('/');
}
