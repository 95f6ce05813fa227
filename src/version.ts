import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedVersion: string | undefined;

/** The package version, read from the package.json above this module (src or dist). */
export async function toolVersion(): Promise<string> {
  if (cachedVersion) return cachedVersion;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    const text = await readFile(path.join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (text) {
      const pkg = JSON.parse(text) as { name?: string; version?: string };
      if (pkg.name === 'gitops-lint' && pkg.version) return (cachedVersion = pkg.version);
    }
    dir = path.dirname(dir);
  }
  return (cachedVersion = '0.0.0');
}
