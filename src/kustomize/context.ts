/** What a build reads (one root's parsed files) and what every transform reports into. */
import type { SourceFile } from '../model/workspace.js';
import type { Location } from './origin.js';

/** Read access to one root's parsed files; paths are root-relative with forward slashes. */
export interface KustomizeHost {
  file(path: string): SourceFile | undefined;
  isDirectory(path: string): boolean;
  /** The directory's `kustomization.yaml`, `kustomization.yml` or `Kustomization`. */
  kustomizationFile(dir: string): SourceFile | undefined;
  /** Files directly in a directory. */
  filesIn(dir: string): readonly SourceFile[];
  /** Directories directly in a directory. */
  dirsIn(dir: string): readonly string[];
  /** Whether a kind is cluster-scoped; `undefined` for a kind the host does not know. */
  isClusterScoped(apiVersion: string, kind: string): boolean | undefined;
}

/** Something kustomize (or Flux) would reject or that the build does not emulate, at the entry causing it. */
export interface BuildProblem {
  /** `remote` and `unsupported` mean "not built" (a note), the others are build failures. */
  code: string;
  message: string;
  at: Location;
}

export interface BuildContext {
  host: KustomizeHost;
  problem(code: string, message: string, at: Location): void;
  resourceFiles: Set<SourceFile>;
  patchFiles: Set<SourceFile>;
  kustomizations: Set<SourceFile>;
}

/** The root-relative path of `entry` written in `dir`, or `undefined` when it leaves the root. */
export function resolvePath(dir: string, entry: string): string | undefined {
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

export function docLocation(file: SourceFile, docIndex: number, path: Location['path'] = []): Location {
  return { file, docIndex, path };
}
