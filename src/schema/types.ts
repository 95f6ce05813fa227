/**
 * The JSON Schema subset the validator understands: what Kubernetes structural schemas use,
 * after CRD extensions are converted (see `crd.ts`). `$ref` only points into the shared
 * definitions (`#/definitions/<name>`).
 *
 * `additionalProperties` absent means "allowed", as in JSON Schema; vendored and CRD-derived
 * schemas set it to `false` wherever Kubernetes prunes or rejects unknown fields.
 */
export interface Schema {
  $ref?: string;
  type?: JsonType | JsonType[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  not?: Schema;
}

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

export type SchemaMessageId =
  | 'type'
  | 'unknownField'
  | 'unknownFieldSuggestion'
  | 'required'
  | 'requiredOneOf'
  | 'enum'
  | 'pattern'
  | 'minLength'
  | 'maxLength'
  | 'range'
  | 'multipleOf'
  | 'minItems'
  | 'maxItems'
  | 'uniqueItems'
  | 'minProperties'
  | 'maxProperties'
  | 'anyOf'
  | 'oneOf'
  | 'not';

/**
 * One schema violation. `data` never contains a value from the validated document (it could
 * be a secret): only field names, type names and values taken from the schema.
 */
export interface SchemaProblem {
  /** Path of the offending node; for a missing field, its parent (or `kind` at the top). */
  path: Array<string | number>;
  /** Highlight the mapping key rather than the value (unknown fields). */
  key?: boolean;
  messageId: SchemaMessageId;
  data: Record<string, string>;
}

/** A vendored schema file: kinds by `apiVersion/Kind`, each naming one of its definitions. */
export interface SchemaFamily {
  $id: string;
  kinds: Record<string, string>;
  definitions: Record<string, Schema>;
}
