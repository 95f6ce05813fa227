/** Files a kustomization file names besides `resources`/`components` (reference §5.2, §5.5). */
import type { YamlPath } from '../model/finding.js';
import type { KustomizeNode } from '../model/workspace.js';
import { resolveInRoot } from '../kustomize/tree.js';
import { asArray, asRecord, asString } from '../engine/values.js';

export interface FileReference {
  /** Path of the entry inside the kustomization document. */
  path: YamlPath;
  /** The entry as written (for generators, without the `key=` part). */
  value: string;
  /** Root-relative target, or `undefined` when it leaves the root. */
  target: string | undefined;
  /** What kustomize accepts there. */
  expects: 'file' | 'fileOrDirectory';
}

const REMOTE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Every file reference of a kustomization: patches, generator inputs, configurations, ... */
export function kustomizationFileReferences(node: KustomizeNode): FileReference[] {
  const value = asRecord(node.file.documents[node.docIndex]?.value) ?? {};
  const out: FileReference[] = [];
  const add = (path: YamlPath, raw: unknown, expects: FileReference['expects']): void => {
    if (typeof raw !== 'string' || raw.length === 0 || REMOTE.test(raw)) return;
    out.push({ path, value: raw, target: resolveInRoot(node.dir, raw), expects });
  };
  asArray(value.patches).forEach((patch, index) => add(['patches', index, 'path'], asRecord(patch)?.path, 'file'));
  asArray(value.patchesJson6902).forEach((patch, index) => add(['patchesJson6902', index, 'path'], asRecord(patch)?.path, 'file'));
  asArray(value.replacements).forEach((replacement, index) => add(['replacements', index, 'path'], asRecord(replacement)?.path, 'file'));
  asArray(value.patchesStrategicMerge).forEach((patch, index) => {
    // Inline patches are YAML documents; a single line without a mapping is a file name.
    if (typeof patch === 'string' && !patch.includes('\n') && !/:\s/.test(patch)) add(['patchesStrategicMerge', index], patch, 'file');
  });
  for (const field of ['configurations', 'crds']) asArray(value[field]).forEach((entry, index) => add([field, index], entry, 'file'));
  for (const field of ['transformers', 'generators', 'validators']) {
    asArray(value[field]).forEach((entry, index) => {
      if (typeof entry === 'string' && !entry.includes('\n')) add([field, index], entry, 'fileOrDirectory');
    });
  }
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    asArray(value[field]).forEach((raw, index) => {
      const generator = asRecord(raw);
      if (!generator) return;
      asArray(generator.files).forEach((entry, fileIndex) => {
        if (typeof entry !== 'string') return;
        add([field, index, 'files', fileIndex], entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : entry, 'fileOrDirectory');
      });
      asArray(generator.envs).forEach((entry, envIndex) => add([field, index, 'envs', envIndex], entry, 'file'));
      add([field, index, 'env'], generator.env, 'file');
    });
  }
  add(['openapi', 'path'], asString(asRecord(value.openapi)?.path), 'file');
  return out;
}
