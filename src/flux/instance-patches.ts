/**
 * The Flux Operator applies a FluxInstance's `spec.kustomize.patches` to the objects it
 * generates, the sync source and Kustomization included (fluxoperator.dev, "Flux Instance
 * Customization") — commonly to add `decryption` or `postBuild` to the sync Kustomization.
 * This applies the patches that are plain enough to know (JSON 6902 `add`/`replace`/`remove`/
 * `test`, strategic merge of mappings) to a synthesized sync object, marking patched values
 * with the patch's place; anything else makes the object unknown.
 */
import { parse } from 'yaml';
import type { YamlPath } from '../model/finding.js';
import type { SourceFile } from '../model/workspace.js';
import { markKey, markNode, type Location } from '../kustomize/origin.js';
import { asArray, asRecord, asString } from '../engine/values.js';

export type PatchOutcome = { applied: number } | { unknown: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** kustomize matches target fields as anchored regular expressions. */
function matches(pattern: unknown, value: string): boolean {
  if (pattern === undefined) return true;
  if (typeof pattern !== 'string') return false;
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return pattern === value;
  }
}

function mark(parent: object, key: string | number, value: unknown, at: Location): void {
  if (typeof value === 'object' && value !== null) markNode(value, at);
  else markKey(parent, key, at);
}

/** Mark every node of a value that came from a patch, so nested findings land on the patch too. */
function markTree(value: unknown, at: Location): void {
  if (typeof value !== 'object' || value === null) return;
  markNode(value, at);
  for (const child of Object.values(value)) markTree(child, at);
}

function pointer(path: string): string[] | undefined {
  if (path === '') return [];
  if (!path.startsWith('/')) return undefined;
  return path.slice(1).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** RFC 6902 on a plain value: the operations kustomize's patches use most. */
function applyJson6902(target: Record<string, unknown>, ops: unknown[], at: Location): string | undefined {
  for (const raw of ops) {
    const op = asRecord(raw);
    const kind = asString(op?.op);
    const parts = pointer(asString(op?.path) ?? '-');
    if (!op || kind === undefined || !parts || parts.length === 0) return 'an operation without op or path';
    if (kind !== 'add' && kind !== 'replace' && kind !== 'remove' && kind !== 'test') return `a "${kind}" operation`;
    let parent: unknown = target;
    for (const part of parts.slice(0, -1)) {
      parent = Array.isArray(parent) ? parent[Number(part)] : isObject(parent) ? parent[part] : undefined;
      if (parent === undefined) return `the path ${String(op.path)}, which does not exist`;
    }
    const last = parts.at(-1)!;
    if (kind === 'test') continue;
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(index) || index < 0 || index > parent.length) return `the path ${String(op.path)}, which does not exist`;
      if (kind === 'remove') parent.splice(index, 1);
      else {
        parent.splice(index, kind === 'replace' ? 1 : 0, op.value);
        markTree(op.value, at);
        mark(parent, index, op.value, at);
      }
    } else if (isObject(parent)) {
      if ((kind === 'replace' || kind === 'remove') && !(last in parent)) return `the path ${String(op.path)}, which does not exist`;
      if (kind === 'remove') delete parent[last];
      else {
        parent[last] = op.value;
        markTree(op.value, at);
        mark(parent, last, op.value, at);
      }
    } else {
      return `the path ${String(op.path)}, which does not exist`;
    }
  }
  return undefined;
}

/** Strategic merge on a custom resource: mappings merge, lists and scalars are replaced, `null` deletes. */
function applyMerge(target: Record<string, unknown>, patch: Record<string, unknown>, at: Location): string | undefined {
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || (isObject(value) && '$patch' in value)) return 'a $patch directive';
    if (value === null) {
      delete target[key];
    } else if (isObject(value) && isObject(target[key])) {
      const problem = applyMerge(target[key] as Record<string, unknown>, value, at);
      if (problem) return problem;
    } else {
      target[key] = value;
      markTree(value, at);
      mark(target, key, value, at);
    }
  }
  return undefined;
}

/**
 * Apply the patches of `patchesPath` in `owner` (a FluxInstance or flux-instance HelmRelease)
 * that target `object` (kind and name as generated; the instance namespace is implied).
 */
export function applyInstancePatches(
  object: Record<string, unknown>,
  identity: { group: string; version: string; kind: string; name: string },
  patches: unknown,
  owner: { file: SourceFile; docIndex: number; path: YamlPath },
): PatchOutcome {
  let applied = 0;
  for (const [index, raw] of asArray(patches).entries()) {
    const entry = asRecord(raw);
    const text = asString(entry?.patch);
    if (!entry || text === undefined) continue;
    const at: Location = { file: owner.file, docIndex: owner.docIndex, path: [...owner.path, index, 'patch'] };
    let parsed: unknown;
    try {
      parsed = parse(text, { logLevel: 'error' });
    } catch {
      return { unknown: `patch ${index} does not parse` };
    }
    const target = asRecord(entry.target);
    if (target) {
      if (target.labelSelector !== undefined || target.annotationSelector !== undefined) return { unknown: `patch ${index} selects objects by label or annotation` };
      const fits =
        matches(target.kind, identity.kind) && matches(target.name, identity.name) && matches(target.group, identity.group) && matches(target.version, identity.version);
      if (!fits) continue;
    } else {
      // A strategic merge patch without target names its object itself.
      const own = asRecord(parsed);
      if (!own || asString(own.kind) !== identity.kind || asString(asRecord(own.metadata)?.name) !== identity.name) continue;
    }
    const problem = Array.isArray(parsed) ? applyJson6902(object, parsed, at) : isObject(parsed) ? applyMerge(object, parsed, at) : 'it is neither a list of operations nor a mapping';
    if (problem) return { unknown: `patch ${index} uses ${problem}` };
    applied++;
  }
  return { applied };
}
