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

/**
 * Results of earlier validations by value object. Parsed documents and kustomize outputs are
 * never modified once made, and the language server keeps both across edits (an unchanged
 * file keeps its parse, an unchanged build its output): an edit validates again only the
 * objects it changed. The key is everything the result depends on: the value (by identity),
 * kind, apiVersion, encryption, the problem limit, and the registry's inputs (its schema
 * folder and the very CRD objects it was given, in order).
 */
const validated = new WeakMap<object, Validated | Validated[]>();

interface Validated {
  inputs: RegistryInputs;
  apiVersion: string;
  kind: string;
  encrypted: boolean;
  maxProblems: number | undefined;
  problems: SchemaProblem[] | undefined;
}

function matches(entry: Validated, inputs: RegistryInputs, object: ObjectToValidate, encrypted: boolean, maxProblems: number | undefined): boolean {
  return entry.inputs === inputs && entry.apiVersion === object.apiVersion && entry.kind === object.kind && entry.encrypted === encrypted && entry.maxProblems === maxProblems;
}

type RegistryInputs = SchemaRegistry['inputs'];

/** Equal inputs of two registries are one object here, so a lookup compares identities. */
const canonical = new WeakMap<SchemaRegistry, { length: number; inputs: RegistryInputs }>();
let recentInputs: RegistryInputs[] = [];

function inputsOf(registry: SchemaRegistry): RegistryInputs {
  const known = canonical.get(registry);
  if (known && known.length === registry.inputs.crds.length) return known.inputs;
  const { schemaDir, crds } = registry.inputs;
  const same = recentInputs.find((other) => other.schemaDir === schemaDir && other.crds.length === crds.length && other.crds.every((crd, index) => crd === crds[index]));
  const inputs = same ?? { schemaDir, crds: [...crds] };
  if (!same) recentInputs = [inputs, ...recentInputs.slice(0, 3)];
  canonical.set(registry, { length: crds.length, inputs });
  return inputs;
}

/** Problems of one object, or `undefined` when no schema is known for its kind. The array is shared: do not modify it. */
export function validateObject(registry: SchemaRegistry, object: ObjectToValidate, maxProblems?: number): SchemaProblem[] | undefined {
  const inputs = inputsOf(registry);
  const encrypted = object.encrypted === true;
  // One entry per value (most values are validated once), a list once there are more.
  const earlier = validated.get(object.value);
  if (earlier !== undefined) {
    const found = Array.isArray(earlier) ? earlier.find((entry) => matches(entry, inputs, object, encrypted, maxProblems)) : matches(earlier, inputs, object, encrypted, maxProblems) ? earlier : undefined;
    if (found) return found.problems;
  }
  const problems = validateUncached(registry, object, maxProblems);
  const entry: Validated = { inputs, apiVersion: object.apiVersion, kind: object.kind, encrypted, maxProblems, problems };
  // A few entries per value: an edited CRD makes new registry inputs, and the old ones are done with.
  if (earlier === undefined) validated.set(object.value, entry);
  else if (Array.isArray(earlier)) earlier.splice(0, earlier.length - 3, entry);
  else validated.set(object.value, [earlier, entry]);
  return problems;
}

function validateUncached(registry: SchemaRegistry, object: ObjectToValidate, maxProblems?: number): SchemaProblem[] | undefined {
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
