/**
 * The patch fields of a kustomization: `patches` (strategic merge or JSON 6902, inline or
 * `path:`, with an optional `target`), `patchesStrategicMerge` and `patchesJson6902`
 * (kustomize api/internal/builtins PatchTransformer, PatchStrategicMergeTransformer,
 * PatchJson6902Transformer; FLUX-LAYOUTS §1 "Patch targets"):
 * - a patch whose content is a list of operations is JSON 6902 and needs a target;
 * - a strategic merge patch with a target applies to every selected object (zero = no-op;
 *   several documents with a target are rejected); without one, each document must match
 *   exactly one object by its GVK, name (any name the object had) and namespace.
 * An inline patch locates to the `patch` scalar that holds it; a patch file's documents to
 * the file (which is then a patch file, not a resource).
 */
import { parseAllDocuments } from 'yaml';
import type { SourceFile } from '../model/workspace.js';
import { resolvePath } from '../engine/collections.js';
import type { BuildContext } from './context.js';
import { applyJsonPatch, JsonPatchError, parseOperations } from './json-patch.js';
import { childLocation, type Location } from './origin.js';
import { compileTarget, parseTarget, SelectorError, type Target } from './select.js';
import { applyStrategicMerge } from './smp.js';
import { currentId, describeId, idOf, isMap, notePatched, type KResource, type ResId, type Value } from './resource.js';

/** One patch document with where it was written. */
interface PatchDocument {
  value: unknown;
  at: Location;
}

/** A patch as a kustomization (or a Flux Kustomization) declares it. */
export interface PatchEntry {
  /** Inline patch text. */
  patch?: string;
  /** Path of a patch file, relative to the kustomization's directory. */
  path?: string;
  target?: Target;
  /** Where the entry was written (a `patches` item, or the string of `patchesStrategicMerge`). */
  at: Location;
  /** `options.allowNameChange` / `allowKindChange` of a `patches` entry. */
  allow?: { nameChange?: boolean; kindChange?: boolean };
  /** Where the inline text was written (defaults to `at` + `patch`). */
  textAt?: Location;
  field: 'patches' | 'patchesStrategicMerge' | 'patchesJson6902';
}

/**
 * Parsed inline patches by the file and place that hold them: several builds reading the same
 * kustomization share the parsed (never mutated) nodes, whose marks are that same place.
 */
const inlineCache = new WeakMap<SourceFile, Map<string, PatchDocument[] | string>>();

function parseInline(text: string, at: Location): PatchDocument[] | string {
  let byPlace = inlineCache.get(at.file);
  if (!byPlace) inlineCache.set(at.file, (byPlace = new Map()));
  const key = `${at.docIndex}\0${at.path.join('\0')}\0${text}`;
  let parsed = byPlace.get(key);
  if (parsed === undefined) byPlace.set(key, (parsed = parseInlineText(text, at)));
  return parsed;
}

/** Parse inline YAML/JSON patch text; every node locates to `at` (the scalar holding it). */
function parseInlineText(text: string, at: Location): PatchDocument[] | string {
  const documents = parseAllDocuments(text, { logLevel: 'error', merge: true });
  if (!Array.isArray(documents)) return [];
  const out: PatchDocument[] = [];
  for (const document of documents) {
    if (document.errors.length > 0) return document.errors[0]!.message;
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    out.push({ value, at });
  }
  return out;
}

/** The documents of a patch entry, or undefined after reporting a problem. */
function patchDocuments(context: BuildContext, dir: string, entry: PatchEntry): PatchDocument[] | undefined {
  if (entry.patch !== undefined && entry.path !== undefined) {
    context.problem('invalid-patch', 'patch and path can\'t be set at the same time', entry.at);
    return undefined;
  }
  if (entry.path !== undefined) {
    const pathAt = entry.field === 'patchesStrategicMerge' ? entry.at : childLocation(entry.at, 'path');
    const target = resolvePath(dir, entry.path);
    if (target === undefined) {
      context.problem('outside-root', `patch file "${entry.path}" is outside the source`, pathAt);
      return undefined;
    }
    const file = context.host.file(target);
    if (!file) {
      context.problem('missing-file', `patch file "${entry.path}" not found`, pathAt);
      return undefined;
    }
    context.patchFiles.add(file);
    if (file.problems.length > 0 || file.text === undefined) {
      context.problem('invalid-patch', `patch file "${entry.path}" cannot be read as YAML`, pathAt);
      return undefined;
    }
    return fileDocuments(file);
  }
  if (entry.patch !== undefined) {
    const textAt = entry.textAt ?? childLocation(entry.at, 'patch');
    const parsed = parseInline(entry.patch, textAt);
    if (typeof parsed === 'string') {
      context.problem('invalid-patch', `the patch does not parse: ${parsed}`, textAt);
      return undefined;
    }
    return parsed;
  }
  context.problem('invalid-patch', 'must specify one of patch and path', entry.at);
  return undefined;
}

function fileDocuments(file: SourceFile): PatchDocument[] {
  return file.documents
    .filter((document) => document.value !== null && document.value !== undefined)
    .map((document) => ({ value: document.value, at: { file, docIndex: document.index, path: [] } }));
}

function sameGvk(a: ResId, b: ResId): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

/** Objects that an untargeted strategic merge patch with this id applies to (any name or namespace they had). */
function matchingById(resources: readonly KResource[], id: ResId): KResource[] {
  return resources.filter((res) => {
    const current = currentId(res);
    if (!sameGvk(current, id)) return false;
    const names = new Set([res.orgId.name, ...res.previousNames, current.name]);
    const namespaces = new Set([res.orgId.namespace ?? 'default', ...res.previousNamespaces.map((ns) => ns ?? 'default'), current.namespace ?? 'default']);
    return names.has(id.name) && namespaces.has(id.namespace ?? 'default');
  });
}

/**
 * Apply one patch entry to the objects. Returns the objects left (a `$patch: delete` removes
 * one). Problems are reported at the entry; the objects stay as they were for a failing patch.
 */
export function applyPatchEntry(context: BuildContext, dir: string, resources: KResource[], entry: PatchEntry): KResource[] {
  const documents = patchDocuments(context, dir, entry);
  if (!documents || documents.length === 0) return resources;
  const isJson = documents.length === 1 && Array.isArray(documents[0]!.value);
  let select: ((res: KResource) => boolean) | undefined;
  if (entry.target) {
    try {
      select = compileTarget(entry.target, context.host);
    } catch (error) {
      if (!(error instanceof SelectorError)) throw error;
      context.problem('invalid-target', error.message, childLocation(entry.at, 'target'));
      return resources;
    }
  }
  if (isJson) {
    if (!select) {
      context.problem('invalid-patch', 'unable to apply a JSON 6902 patch without a target', entry.at);
      return resources;
    }
    let operations;
    try {
      operations = parseOperations(documents[0]!.value, documents[0]!.at);
    } catch (error) {
      if (!(error instanceof JsonPatchError)) throw error;
      context.problem('invalid-patch', error.message, entry.at);
      return resources;
    }
    for (const res of resources.filter(select)) {
      const before = { value: res.value, at: res.at };
      // Clone afresh so that a failing operation leaves the nodes of `before` untouched.
      res.owned = undefined;
      try {
        applyJsonPatch(res, operations);
        notePatched(res, entry.at);
      } catch (error) {
        if (!(error instanceof JsonPatchError)) throw error;
        res.value = before.value;
        res.at = before.at;
        context.problem('patch-failed', `JSON 6902 patch on ${describeId(currentId(res))} failed: ${error.message}`, entry.at);
      }
    }
    return resources;
  }
  for (const document of documents) {
    if (!isMap(document.value)) {
      context.problem('invalid-patch', 'a strategic merge patch must be a mapping', document.at);
      return resources;
    }
  }
  if (select) {
    if (documents.length > 1) {
      context.problem('invalid-patch', 'multiple strategic merge patches in one entry with a target', entry.at);
      return resources;
    }
    const document = documents[0]!;
    return resources.filter((res) => !select(res) || applySmp(res, document, entry));
  }
  let left = resources;
  for (const document of documents) {
    const id = idOf(document.value as Value);
    const matches = matchingById(left, id);
    if (matches.length !== 1) {
      const message = matches.length === 0 ? `no resource matches strategic merge patch "${describeId(id)}"` : `multiple matches for id ${describeId(id)}`;
      context.problem(matches.length === 0 ? 'patch-no-match' : 'patch-multiple-matches', message, entry.path !== undefined ? document.at : entry.at);
      continue;
    }
    const target = matches[0]!;
    if (!applySmp(target, document, entry)) left = left.filter((res) => res !== target);
  }
  return left;
}

/** Apply one strategic merge document; false when it deletes the object. */
function applySmp(res: KResource, document: PatchDocument, entry: PatchEntry): boolean {
  notePatched(res, entry.at);
  return applyStrategicMerge(res, document.value as Value, document.at, entry.allow);
}

/** Read the patch fields of a kustomization document into entries, in the order kustomize runs them. */
export function patchEntries(kustomization: Value, file: SourceFile, docIndex: number): { strategicMerge: PatchEntry[]; patches: PatchEntry[]; json6902: PatchEntry[] } {
  const at = (...path: Array<string | number>): Location => ({ file, docIndex, path });
  const strategicMerge: PatchEntry[] = [];
  const patches: PatchEntry[] = [];
  const json6902: PatchEntry[] = [];
  if (Array.isArray(kustomization.patchesStrategicMerge)) {
    kustomization.patchesStrategicMerge.forEach((raw, index) => {
      if (typeof raw !== 'string') return;
      // A single line without a mapping is a file name; anything else is an inline patch.
      const inline = raw.includes('\n') || /:\s/.test(raw);
      strategicMerge.push(inline ? { patch: raw, at: at('patchesStrategicMerge', index), textAt: at('patchesStrategicMerge', index), field: 'patchesStrategicMerge' } : { path: raw, at: at('patchesStrategicMerge', index), field: 'patchesStrategicMerge' });
    });
  }
  const read = (field: 'patches' | 'patchesJson6902', out: PatchEntry[]): void => {
    if (!Array.isArray(kustomization[field])) return;
    (kustomization[field] as unknown[]).forEach((raw, index) => {
      if (!isMap(raw)) return;
      out.push({
        patch: typeof raw.patch === 'string' ? raw.patch : undefined,
        path: typeof raw.path === 'string' ? raw.path : undefined,
        target: parseTarget(raw.target),
        allow: isMap(raw.options) ? { nameChange: raw.options.allowNameChange === true, kindChange: raw.options.allowKindChange === true } : undefined,
        at: at(field, index),
        field,
      });
    });
  };
  read('patches', patches);
  read('patchesJson6902', json6902);
  return { strategicMerge, patches, json6902 };
}
