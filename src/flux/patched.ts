/**
 * Interim guard until the model applies patches (issue 8, part 1): whether a kustomize or Flux
 * patch that mentions some field may reach an object. Rules skip what such a patch may
 * change instead of judging the object as written.
 */
import { resolveInRoot } from '../engine/kustomize.js';
import { asArray, asRecord, asString } from '../engine/values.js';
import type { KustomizeNode, Model, Resource } from '../model/workspace.js';

/** kustomization.yaml fields whose entries rewrite objects. */
const PATCH_FIELDS = ['patches', 'patchesStrategicMerge', 'patchesJson6902', 'replacements'];

/** The kustomizations whose transformers reach a file's objects: its chain and the Components they include. */
function transformers(model: Model, resource: Resource): KustomizeNode[] {
  const out: KustomizeNode[] = [];
  const seen = new Set<KustomizeNode>();
  const visit = (node: KustomizeNode): void => {
    if (seen.has(node)) return;
    seen.add(node);
    out.push(node);
    for (const entry of node.entries) {
      if (entry.field !== 'components' || entry.kind !== 'directory' || entry.target === undefined) continue;
      const component = model.kustomize.at(node.file.root, entry.target);
      if (component) visit(component);
    }
  };
  for (const node of model.kustomize.chain(resource.file)) visit(node);
  return out;
}

/** True when a patch entry mentions `pattern`, inline or in its file; a patch file that cannot be read counts. */
function entryMentions(model: Model, node: KustomizeNode, entry: unknown, pattern: RegExp): boolean {
  if (pattern.test(JSON.stringify(entry))) return true;
  const file = typeof entry === 'string' && !entry.includes('\n') ? entry : asString(asRecord(entry)?.path);
  if (file === undefined) return false;
  const target = resolveInRoot(node.dir, file);
  const text = target === undefined ? undefined : model.fileAt(node.file.root, target)?.text;
  return text === undefined || pattern.test(text);
}

/**
 * True when a patch or replacement that mentions `pattern` may reach the object: one of the
 * kustomizations that include its file (or their Components), or `spec.patches` of a Flux
 * Kustomization that applies it. Targets are not matched: any mention counts.
 */
export function mayBePatched(model: Model, resource: Resource, pattern: RegExp): boolean {
  const byKustomize = transformers(model, resource).some((node) => {
    const value = asRecord(node.file.documents[node.docIndex]?.value) ?? {};
    return PATCH_FIELDS.some((field) => asArray(value[field]).some((entry) => entryMentions(model, node, entry, pattern)));
  });
  if (byKustomize) return true;
  return model.flux.appliedBy(resource).some((kustomization) => {
    const patches = kustomization.resource.get(['spec', 'patches']);
    return patches !== undefined && pattern.test(JSON.stringify(patches));
  });
}
