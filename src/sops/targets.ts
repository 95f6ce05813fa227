/**
 * Where SOPS rules report a document: as its resource when the model has one (so findings
 * carry the object's identity), otherwise as the file and document index.
 */
import type { Model, Resource, SourceFile } from '../model/workspace.js';

export type DocumentTarget = { resource: Resource } | { file: SourceFile; docIndex: number };

const indexes = new WeakMap<Model, Map<SourceFile, Map<number, Resource>>>();

/** The resource made from a document, if any. Indexed once per model. */
export function resourceAt(model: Model, file: SourceFile, docIndex: number): Resource | undefined {
  let index = indexes.get(model);
  if (!index) {
    index = new Map();
    for (const resource of model.resources) {
      let byDoc = index.get(resource.file);
      if (!byDoc) index.set(resource.file, (byDoc = new Map()));
      byDoc.set(resource.docIndex, resource);
    }
    indexes.set(model, index);
  }
  return index.get(file)?.get(docIndex);
}

export function documentTarget(model: Model, file: SourceFile, docIndex: number): DocumentTarget {
  const resource = resourceAt(model, file, docIndex);
  return resource ? { resource } : { file, docIndex };
}

/** A core `v1` Secret. */
export function isSecret(resource: Resource | undefined): resource is Resource {
  return resource !== undefined && resource.kind === 'Secret' && resource.group === '';
}
