/**
 * `CustomResourceDefinition` (apiextensions.k8s.io/v1) → schemas for its served versions.
 *
 * Kubernetes semantics kept:
 * - fields not declared under `properties` are pruned by the API server (and rejected by
 *   `kubectl apply`'s default strict field validation), so they are unknown fields here, unless
 *   `x-kubernetes-preserve-unknown-fields` is set or `additionalProperties` declares a map;
 * - `x-kubernetes-int-or-string` accepts an integer or a string;
 * - `x-kubernetes-embedded-resource` objects may carry apiVersion, kind and metadata;
 * - `nullable` allows null; `apiVersion`, `kind` and `metadata` (ObjectMeta) are always
 *   allowed at the top level.
 * CEL rules (`x-kubernetes-validations`) and formats are not checked.
 */
import type { JsonType, Schema } from './types.js';

export const OBJECT_META_REF = '#/definitions/IoK8sApimachineryPkgApisMetaV1ObjectMeta';

export interface CrdVersion {
  group: string;
  version: string;
  kind: string;
  /** `spec.scope`: whether the kind's objects live in a namespace. */
  scope: 'Namespaced' | 'Cluster' | undefined;
  /** The raw `openAPIV3Schema`, converted on first use. */
  openAPIV3Schema: Record<string, unknown>;
}

type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Served versions of a CRD object that carry a schema; empty when the object is not a usable CRD. */
export function crdVersions(crd: unknown): CrdVersion[] {
  if (!isObject(crd) || !isObject(crd.spec)) return [];
  const { group, names, versions, scope } = crd.spec;
  if (typeof group !== 'string' || !isObject(names) || typeof names.kind !== 'string' || !Array.isArray(versions)) return [];
  const out: CrdVersion[] = [];
  for (const entry of versions) {
    if (!isObject(entry) || typeof entry.name !== 'string' || entry.served === false) continue;
    const schema = isObject(entry.schema) ? entry.schema.openAPIV3Schema : undefined;
    if (!isObject(schema)) continue;
    out.push({ group, version: entry.name, kind: names.kind, scope: scope === 'Namespaced' || scope === 'Cluster' ? scope : undefined, openAPIV3Schema: schema });
  }
  return out;
}

const NUMBER_KEYS = ['minLength', 'maxLength', 'minimum', 'maximum', 'multipleOf', 'minItems', 'maxItems', 'minProperties', 'maxProperties'] as const;
const JSON_TYPES = new Set<string>(['string', 'number', 'integer', 'boolean', 'object', 'array']);

function isIntOrStringPair(list: unknown): boolean {
  if (!Array.isArray(list) || list.length !== 2) return false;
  const types = list.map((item) => (isObject(item) ? item.type : undefined)).sort();
  return types[0] === 'integer' && types[1] === 'string';
}

/**
 * Converts one OpenAPI v3 schema node. Inside `allOf`/`anyOf`/`oneOf`/`not`, properties only
 * add constraints to the enclosing object, so unknown-field checks are not set there.
 */
export function convertNode(node: unknown, inJunctor = false): Schema {
  if (!isObject(node)) return {};
  const out: Schema = {};
  const nullable = node.nullable === true;
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  if (intOrString) out.type = nullable ? ['integer', 'string', 'null'] : ['integer', 'string'];
  else if (typeof node.type === 'string' && JSON_TYPES.has(node.type)) {
    out.type = nullable ? [node.type as JsonType, 'null'] : (node.type as JsonType);
  }
  if (Array.isArray(node.enum)) out.enum = nullable ? [...node.enum, null] : [...node.enum];
  if (typeof node.pattern === 'string') out.pattern = node.pattern;
  for (const key of NUMBER_KEYS) if (typeof node[key] === 'number') out[key] = node[key];
  // OpenAPI 3.0 spells exclusive bounds as booleans next to minimum/maximum.
  if (node.exclusiveMinimum === true && out.minimum !== undefined) {
    out.exclusiveMinimum = out.minimum;
    delete out.minimum;
  }
  if (node.exclusiveMaximum === true && out.maximum !== undefined) {
    out.exclusiveMaximum = out.maximum;
    delete out.maximum;
  }
  if (node.uniqueItems === true) out.uniqueItems = true;
  if (Array.isArray(node.required)) out.required = node.required.filter((field): field is string => typeof field === 'string');
  if (isObject(node.items)) out.items = convertNode(node.items);

  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (isObject(node.properties)) {
    out.properties = {};
    for (const [name, child] of Object.entries(node.properties)) out.properties[name] = convertNode(child);
    if (node['x-kubernetes-embedded-resource'] === true) {
      out.properties.apiVersion ??= { type: 'string' };
      out.properties.kind ??= { type: 'string' };
      out.properties.metadata ??= { type: 'object' };
    }
  }
  if (isObject(node.additionalProperties)) out.additionalProperties = convertNode(node.additionalProperties);
  else if (node.additionalProperties === false || (out.properties && !preserve && !inJunctor && node.additionalProperties !== true)) {
    out.additionalProperties = false;
  }

  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = node[key];
    if (!Array.isArray(list)) continue;
    // The int-or-string pair is already expressed by `type`.
    if (intOrString && key === 'anyOf' && isIntOrStringPair(list)) continue;
    out[key] = list.map((item) => convertNode(item, true));
  }
  if (isObject(node.not)) out.not = convertNode(node.not, true);
  return out;
}

/** The schema of a whole custom resource of this version. */
export function crdSchema(version: CrdVersion): Schema {
  const root = convertNode(version.openAPIV3Schema);
  root.type = 'object';
  root.properties = {
    ...root.properties,
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { $ref: OBJECT_META_REF },
  };
  if (root.additionalProperties === undefined && version.openAPIV3Schema['x-kubernetes-preserve-unknown-fields'] !== true) {
    root.additionalProperties = false;
  }
  return root;
}
