/**
 * Applied namespaces (reference §2.4): kustomize `namespace:` and Flux `targetNamespace` set the
 * namespace of every namespaced object they apply and rename `Namespace` objects; namespaces
 * written inside specs are never rewritten.
 */
import type { Model, Resource } from '../model/workspace.js';
import { isClusterScoped } from '../engine/model.js';
import { kustomizeNamespace } from '../engine/kustomize.js';
import { buildFluxGraph } from './graph.js';
import { KUSTOMIZE_GROUP, SOURCE_GROUP, SOURCE_KINDS, TERRAFORM_GROUP } from './kinds.js';
import { followCreators } from './synthesized.js';
import type { FluxGraph } from './types.js';

/** A Kustomization applied by another one with `targetNamespace` moves too; a few rounds settle nesting. */
const MAX_ROUNDS = 6;

function isNamespaceObject(resource: Resource): boolean {
  return resource.kind === 'Namespace' && resource.group === '';
}

/**
 * Run after the engine's kustomize pass, inside `buildModel`. Returns the Flux graph when it
 * had to build one and that graph matches the final namespaces, so the model can reuse it.
 */
export function applyFluxNamespaces(model: Model): FluxGraph | undefined {
  const baseline = model.resources.map((resource) => ({ resource, namespace: resource.appliedNamespace, name: resource.name }));
  try {
    return applyNamespaces(model);
  } catch (error) {
    // Bad input must not stop the run: keep kustomize's namespaces and say so.
    for (const { resource, namespace, name } of baseline) {
      resource.appliedNamespace = namespace;
      resource.name = name;
    }
    model.note({ message: `Flux targetNamespace was not applied: ${error instanceof Error ? error.message : String(error)}. Please report this.` });
    return undefined;
  }
}

function applyNamespaces(model: Model): FluxGraph | undefined {
  // The engine leaves Namespace objects alone; kustomize's transformer renames them.
  for (const resource of model.ofKind('Namespace')) {
    if (!isNamespaceObject(resource)) continue;
    const namespace = kustomizeNamespace(model.kustomize.chain(resource.file));
    if (namespace !== undefined) resource.name = namespace;
  }
  const targeted = model.ofKind('Kustomization', KUSTOMIZE_GROUP).some((resource) => typeof resource.get(['spec', 'targetNamespace']) === 'string');
  if (!targeted) return undefined;

  const baseline = model.resources.map((resource) => ({ resource, namespace: resource.appliedNamespace, name: resource.name }));
  const structural = model.resources.filter(
    (resource) =>
      (resource.group === KUSTOMIZE_GROUP && resource.kind === 'Kustomization') ||
      (resource.group === TERRAFORM_GROUP && resource.kind === 'Terraform') ||
      (resource.group === SOURCE_GROUP && (SOURCE_KINDS as readonly string[]).includes(resource.kind)),
  );
  let structuralBefore = structural.map((resource) => resource.appliedNamespace);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // Where a Kustomization's source resolves depends on its own applied namespace, which
    // another Kustomization's targetNamespace may change: rebuild until nothing moves.
    const graph = buildFluxGraph(model);
    for (const { resource, namespace, name } of baseline) {
      resource.appliedNamespace = namespace;
      resource.name = name;
    }
    const moved = new Set<Resource>();
    for (const kustomization of graph.kustomizations) {
      const target = kustomization.targetNamespace;
      if (target === undefined) continue;
      for (const resource of kustomization.resources) {
        // An object applied by several Kustomizations takes the first one's namespace.
        if (moved.has(resource)) continue;
        moved.add(resource);
        if (isNamespaceObject(resource)) resource.name = target;
        else if (!isClusterScoped(resource.kind)) resource.appliedNamespace = target;
      }
    }
    // Objects the Flux Operator creates follow their FluxInstance (or flux-instance release).
    followCreators(model.resources);
    // Which files a Kustomization applies depends only on where Kustomizations, Terraforms and
    // sources are (references resolve their namespace when read): when none of those moved
    // since the graph was built, it is the final one.
    if (structural.every((resource, index) => resource.appliedNamespace === structuralBefore[index])) return graph;
    structuralBefore = structural.map((resource) => resource.appliedNamespace);
  }
  return undefined;
}
