/** Wording shared by the Flux rules' messages. */
import type { Resource } from '../model/workspace.js';
import type { FluxGraph, FluxKustomization } from './types.js';

/** `namespace/name`, or the bare name when the namespace is unknown. */
export function qualified(namespace: string | undefined, name: string): string {
  return namespace === undefined ? name : `${namespace}/${name}`;
}

/** `Kind namespace/name`, or `Kind name` when the namespace is unknown. */
export function describeObject(resource: Resource): string {
  return `${resource.kind} ${qualified(resource.appliedNamespace, resource.name)}`;
}

/** `namespace x`, or `any namespace` when unknown. */
export function describeNamespace(namespace: string | undefined): string {
  return namespace === undefined ? 'any namespace' : `namespace ${namespace}`;
}

/** The Flux Kustomization whose `targetNamespace` put this object in its applied namespace, if one did. */
export function movedBy(graph: FluxGraph, resource: Resource): FluxKustomization | undefined {
  if (resource.appliedNamespace === undefined || resource.appliedNamespace === resource.namespace) return undefined;
  return graph.appliedBy(resource).find((kustomization) => kustomization.targetNamespace === resource.appliedNamespace);
}
