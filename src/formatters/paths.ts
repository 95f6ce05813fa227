import path from 'node:path';
import type { FindingLocation } from '../model/finding.js';

/** Forward slashes, so output is the same on every platform and matches git paths. */
export function toSlashes(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * The path a user sees for a finding: relative to `cwd`, with forward slashes. Relative to the
 * working directory (not the root) because that is what terminals, editors and the Actions
 * runner resolve against.
 */
export function displayPath(location: Pick<FindingLocation, 'root' | 'file'>, cwd: string): string {
  return guard(toSlashes(path.relative(cwd, path.join(location.root, location.file))));
}

/** Display form of a path given as absolute (run notes and errors) or already relative. */
export function displayFile(file: string, cwd: string): string {
  return guard(toSlashes(path.isAbsolute(file) ? path.relative(cwd, file) : file));
}

/**
 * The Actions runner reads any output line starting with `::` as a workflow command, so a file
 * named `::error::x.yaml` at the top of a root gets a `./` in front.
 */
function guard(p: string): string {
  return p.startsWith('::') ? `./${p}` : p;
}
