/** A KustomizeHost over the loaded files of one root (tests, tools; the model may index its own). */
import { readFileSync } from 'node:fs';
import type { RootFiles, SourceFile } from '../model/workspace.js';
import type { KustomizeHost } from './context.js';
import { builtInClusterScoped } from './scope.js';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function hostFromFiles(files: readonly SourceFile[], isClusterScoped: KustomizeHost['isClusterScoped'] = builtInClusterScoped, readText?: KustomizeHost['readText']): KustomizeHost {
  const byPath = new Map<string, SourceFile>();
  const filesIn = new Map<string, SourceFile[]>();
  const dirsIn = new Map<string, Set<string>>();
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    byPath.set(file.path, file);
    const dir = parentOf(file.path);
    filesIn.set(dir, [...(filesIn.get(dir) ?? []), file]);
    for (let child = dir; child !== ''; child = parentOf(child)) {
      const parent = parentOf(child);
      const set = dirsIn.get(parent) ?? new Set<string>();
      set.add(child);
      dirsIn.set(parent, set);
    }
  }
  const isDirectory = (path: string): boolean => path === '' || dirsIn.has(path) || filesIn.has(path);
  return {
    file: (path) => byPath.get(path),
    isDirectory,
    kustomizationFile(dir) {
      for (const name of KUSTOMIZATION_FILES) {
        const file = byPath.get(dir === '' ? name : `${dir}/${name}`);
        if (file) return file;
      }
      return undefined;
    },
    filesIn: (dir) => filesIn.get(dir) ?? [],
    dirsIn: (dir) => [...(dirsIn.get(dir) ?? [])].sort(),
    isClusterScoped,
    readText,
  };
}

/** A KustomizeHost over the model's index of one root (`Model.rootFiles`). */
export function hostFromRootFiles(rootFiles: RootFiles, isClusterScoped: KustomizeHost['isClusterScoped'] = builtInClusterScoped, readText?: KustomizeHost['readText']): KustomizeHost {
  // Each folder's answer is kept (null: none): a run asks for the same folders in every build
  // and trial, and each question joined three paths. The index does not change while the host lives.
  const kustomizationFiles = new Map<string, SourceFile | null>();
  return {
    file: (path) => rootFiles.files.get(path),
    isDirectory: (path) => rootFiles.dirs.has(path),
    kustomizationFile(dir) {
      const known = kustomizationFiles.get(dir);
      if (known !== undefined) return known ?? undefined;
      let found: SourceFile | null = null;
      for (let index = 0; index < KUSTOMIZATION_FILES.length && found === null; index++) {
        const name = KUSTOMIZATION_FILES[index]!;
        found = rootFiles.files.get(dir === '' ? name : `${dir}/${name}`) ?? null;
      }
      kustomizationFiles.set(dir, found);
      return found ?? undefined;
    },
    filesIn: (dir) => rootFiles.filesIn.get(dir) ?? [],
    dirsIn: (dir) => rootFiles.dirsIn.get(dir) ?? [],
    isClusterScoped,
    readText,
  };
}

/**
 * A `readText` that reads a file of the loaded set from disk as UTF-8 (undefined when it
 * cannot be read or is not valid UTF-8). Not for `--staged` runs, where the index is the truth.
 */
export function diskTextReader(files: readonly SourceFile[]): (path: string) => string | undefined {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return (path) => {
    const file = byPath.get(path);
    if (!file) return undefined;
    try {
      return decoder.decode(readFileSync(file.absPath));
    } catch {
      return undefined;
    }
  };
}
