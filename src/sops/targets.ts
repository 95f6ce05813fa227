/**
 * Where SOPS rules report a document: as its resource when the model has one (so findings
 * carry the object's identity), otherwise as the file and document index.
 */
import type { Resource, SourceFile } from '../model/workspace.js';
import type { Model } from '../model/model.js';

export type DocumentTarget = { resource: Resource } | { file: SourceFile; docIndex: number };

export function documentTarget(model: Model, file: SourceFile, docIndex: number): DocumentTarget {
  const resource = model.resourceAt(file, docIndex);
  return resource ? { resource } : { file, docIndex };
}

/** A core `v1` Secret. */
export function isSecret(resource: Resource | undefined): resource is Resource {
  return resource !== undefined && resource.kind === 'Secret' && resource.group === '';
}
