/** Build helpers for the kustomize tests: roots in memory or on disk, objects normalized for comparison. */
import path from 'node:path';
import { defaultConfig } from '../../src/config/load.js';
import type { SourceFile } from '../../src/model/workspace.js';
import { buildKustomization, type BuildOptions, type BuildResult } from '../../src/kustomize/build.js';
import { hostFromFiles } from '../../src/kustomize/host.js';
import { loadDiskRoot, loadMemoryRoot } from '../../src/workspace/load.js';
import { offsetsOfPath, regionOf } from '../../src/yaml/position.js';

export function memoryFiles(files: Record<string, string>): SourceFile[] {
  return loadMemoryRoot({ dir: path.join(path.sep, 'virtual', 'repo'), files }, defaultConfig([]), []).files;
}

/** Build `dir` of an in-memory root. */
export function buildMemory(files: Record<string, string>, dir = '', options?: BuildOptions): BuildResult {
  return buildKustomization(hostFromFiles(memoryFiles(files)), dir, options);
}

export async function diskFiles(root: string): Promise<SourceFile[]> {
  return (await loadDiskRoot(root, defaultConfig([]), [])).files;
}

type Obj = Record<string, unknown>;

function key(object: Obj): string {
  const metadata = (object.metadata ?? {}) as Obj;
  return `${String(object.apiVersion)}/${String(object.kind)}/${String(metadata.namespace ?? '')}/${String(metadata.name)}`;
}

/** Objects sorted by kind/namespace/name, as plain JSON values. */
export function normalize(objects: readonly unknown[]): Obj[] {
  return (JSON.parse(JSON.stringify(objects)) as Obj[]).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** `file:path` of where a value was written, for pinning positions. */
export function where(result: BuildResult, index: number, valuePath: ReadonlyArray<string | number>): string {
  const at = result.objects[index]!.locate(valuePath);
  return `${at.file.path}#${at.docIndex}:${at.path.join('.')}`;
}

/** The applied object with this kind and name. */
export function objectIndex(result: BuildResult, kind: string, name: string): number {
  const index = result.objects.findIndex((object) => object.value.kind === kind && (object.value.metadata as Obj | undefined)?.name === name);
  if (index < 0) throw new Error(`no ${kind} ${name} in ${result.objects.map((object) => key(object.value)).join(', ')}`);
  return index;
}

/** `file:line:column` where the value at `valuePath` of an applied object was written (the engine's closest-parent rule). */
export function lineOf(result: BuildResult, index: number, valuePath: ReadonlyArray<string | number>): string {
  const at = result.objects[index]!.locate(valuePath);
  const document = at.file.documents[at.docIndex]!;
  const region = regionOf(at.file.lineCounter, offsetsOfPath(document.doc, at.file.text ?? '', at.path));
  return `${at.file.path}:${region.startLine}:${region.startColumn}`;
}

/** Problems as `code @ file:path`. */
export function problemsOf(result: BuildResult): string[] {
  return result.problems.map((problem) => `${problem.code} @ ${problem.at.file.path}:${problem.at.path.join('.')}`);
}
