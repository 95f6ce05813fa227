/** Small helpers shared by the engine, the Flux graph and rules: map-of-lists, string order, folders. */

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

/** Folder of a root-relative path, `''` for the root: `deploy/app.yaml` → `deploy`, `app.yaml` → `''`. */
export function dirOf(relativePath: string): string {
  const slash = relativePath.lastIndexOf('/');
  return slash === -1 ? '' : relativePath.slice(0, slash);
}
