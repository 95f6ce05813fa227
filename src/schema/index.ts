/** Offline schema validation of Kubernetes-style objects. */
import { SchemaRegistry } from './registry.js';
import type { SchemaProblem } from './types.js';
import { validateValue, type ValidateOptions } from './validate.js';

export { SchemaRegistry, findSchemaDir } from './registry.js';
export { crdSchema, crdVersions, convertNode } from './crd.js';
export { UNKNOWN_VALUE, validateValue } from './validate.js';
export type { Schema, SchemaFamily, SchemaMessageId, SchemaProblem } from './types.js';

export interface ObjectToValidate {
  apiVersion: string;
  kind: string;
  value: Record<string, unknown>;
  /** SOPS-encrypted: the top-level `sops` block is metadata, not part of the object. */
  encrypted?: boolean;
}

/** Problems of one object, or `undefined` when no schema is known for its kind. */
export function validateObject(registry: SchemaRegistry, object: ObjectToValidate, maxProblems?: number): SchemaProblem[] | undefined {
  const resolved = registry.lookup(object.apiVersion, object.kind);
  if (!resolved) return undefined;
  let value = object.value;
  if (object.encrypted && 'sops' in value) {
    const { sops: _sops, ...rest } = value;
    value = rest;
  }
  const options: ValidateOptions = { definitions: registry.definitions, rootName: object.kind };
  if (maxProblems !== undefined) options.maxProblems = maxProblems;
  return validateValue(value, resolved.schema, options);
}
