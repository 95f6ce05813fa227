import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedVersion: string | undefined;

/**
 * The package version, read from the package.json above this module (src or dist). Read
 * synchronously: from the bundle it is the third folder up, and three reads through the thread
 * pool left the CLI waiting ~1-2 ms for them between the lint and its output.
 */
export async function toolVersion(): Promise<string> {
  if (cachedVersion) return cachedVersion;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    const text = readText(path.join(dir, 'package.json'));
    if (text) {
      const pkg = JSON.parse(text) as { name?: string; version?: string };
      if (pkg.name === 'gitops-lint' && pkg.version) return (cachedVersion = pkg.version);
    }
    dir = path.dirname(dir);
  }
  return (cachedVersion = '0.0.0');
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
