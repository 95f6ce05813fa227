/**
 * A direct schema walker for the structural subset in `types.ts`.
 *
 * Why not an ajv-compiled validator: compiling costs ~230 ms for a Deployment (the PodSpec
 * tree), ~70 ms for a HelmRelease and ~350 ms for a CRD-sized schema such as CloudNativePG's
 * Cluster, against a budget of 250 ms for a whole run; ahead-of-time ajv code for the
 * Kubernetes kinds is 1.9 MB and takes ~50 ms to import, and CRDs found in the linted repos
 * could not be compiled ahead at all. Walking the schema costs nothing up front and lets
 * every message name the field, suggest a spelling and keep Kubernetes' null semantics.
 */
import { compileGoRegexp, type GoRegexp } from '../engine/safe-regex.js';
import { describeFound, describeTypes, formatAllowed, formatPath, suggest, typeOf } from './describe.js';
import type { JsonType, Schema, SchemaMessageId, SchemaProblem } from './types.js';

export interface ValidateOptions {
  /** Resolves `#/definitions/<name>` references. */
  definitions: ReadonlyMap<string, Schema> | Record<string, Schema>;
  /** Name used for the document root in messages (the kind). */
  rootName: string;
  /** Stop after this many problems. */
  maxProblems?: number;
}

type Path = Array<string | number>;

/**
 * A value the validator accepts without looking at it: a field whose value is only known in
 * the cluster (a post-build variable from a Secret, say). Checks on the field itself are
 * skipped, and checks on an enclosing value that depend on it (enum, uniqueItems, oneOf, not)
 * never report.
 */
export const UNKNOWN_VALUE: unique symbol = Symbol('unknown value');

function containsUnknown(value: unknown, depth = 0): boolean {
  if (value === UNKNOWN_VALUE) return true;
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return false;
  return (Array.isArray(value) ? value : Object.values(value)).some((child) => containsUnknown(child, depth + 1));
}

/** Deeper documents are not looked into: no Kubernetes API nests this far, and the stack stays safe. */
const MAX_DEPTH = 256;

/**
 * A schema with its `$ref` resolved and what the walk asks of it read once, in one object
 * shape: the walk visits every value of every object, and reading each check from schema
 * objects of many shapes (as parsed from JSON) was most of its cost. Children are compiled on
 * first use; a child whose `$ref` does not resolve is looked up again each time, as before.
 */
class Compiled {
  readonly types: readonly JsonType[] | undefined;
  /** `types` as bits of {@link TYPE_BITS} (`number` admits integers); 0 when there is no type. */
  readonly typeMask: number;
  readonly enum: unknown[] | undefined;
  /** Whether a string, number, list or mapping has checks of its own beyond its type. */
  readonly stringChecks: boolean;
  readonly numberChecks: boolean;
  readonly arrayChecks: boolean;
  readonly objectCounts: boolean;
  readonly required: readonly string[] | undefined;
  readonly properties: Record<string, Schema> | undefined;
  readonly extra: boolean | Schema | undefined;
  readonly items: Schema | undefined;
  /** allOf, anyOf, oneOf or not. */
  readonly combined: boolean;
  /** A scalar here is checked for its type only (no enum, no string or number checks, no combinators). */
  readonly typeOnly: boolean;
  /** Compiled children by mapping key: `null` for a key with no schema (unknown or free-form). */
  readonly children = new Map<string, Compiled | null>();
  private itemNode: Compiled | undefined;

  constructor(readonly schema: Schema) {
    this.types = schema.type === undefined ? undefined : Array.isArray(schema.type) ? schema.type : [schema.type];
    this.typeMask = 0;
    for (const type of this.types ?? []) this.typeMask |= type === 'number' ? TYPE_BITS.number | TYPE_BITS.integer : (TYPE_BITS[type] ?? 0);
    this.enum = schema.enum;
    this.stringChecks = schema.minLength !== undefined || schema.maxLength !== undefined || schema.pattern !== undefined;
    this.numberChecks =
      schema.minimum !== undefined || schema.exclusiveMinimum !== undefined || schema.maximum !== undefined || schema.exclusiveMaximum !== undefined || !!schema.multipleOf;
    this.arrayChecks = schema.minItems !== undefined || schema.maxItems !== undefined || !!schema.uniqueItems;
    this.objectCounts = schema.minProperties !== undefined || schema.maxProperties !== undefined;
    this.required = schema.required;
    this.properties = schema.properties;
    this.extra = schema.additionalProperties;
    this.items = schema.items;
    this.combined = schema.allOf !== undefined || schema.anyOf !== undefined || schema.oneOf !== undefined || schema.not !== undefined;
    this.typeOnly = this.enum === undefined && !this.stringChecks && !this.numberChecks && !this.combined;
  }

  /** The compiled schema of a mapping key; `null` when the key has none; `undefined` when its `$ref` does not resolve. */
  child(key: string, compiler: Compiler): Compiled | null | undefined {
    const known = this.children.get(key);
    if (known !== undefined) return known;
    const properties = this.properties;
    const extra = this.extra;
    const raw = (properties && Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined) ?? (typeof extra === 'object' ? extra : undefined);
    if (!raw) {
      this.children.set(key, null);
      return null;
    }
    const compiled = compiler.compile(raw);
    if (compiled) this.children.set(key, compiled);
    return compiled;
  }

  item(compiler: Compiler): Compiled | undefined {
    if (this.itemNode) return this.itemNode;
    const compiled = compiler.compile(this.items as Schema);
    if (compiled) this.itemNode = compiled;
    return compiled;
  }
}

/** Compiles schemas against one set of definitions; shared by every walk over the same registry. */
class Compiler {
  private readonly compiled = new Map<Schema, Compiled>();
  private readonly refs = new Map<string, Schema>();
  /** Compiled `pattern`s (`null`: one Go cannot compile), shared by every walk. */
  readonly patterns = new Map<string, GoRegexp | null>();

  constructor(private readonly definitions: ValidateOptions['definitions']) {}

  /** The schema a `$ref` chain ends at, or undefined when it does not resolve. */
  resolve(schema: Schema): Schema | undefined {
    const ref = schema.$ref;
    if (ref === undefined) return schema;
    const resolved = this.refs.get(ref);
    if (resolved !== undefined) return resolved;
    let current: Schema | undefined = schema;
    // Bounded: a definition that refers to itself directly would otherwise loop forever.
    for (let hops = 0; current?.$ref !== undefined && hops < 32; hops++) {
      const name: string | undefined = current.$ref.startsWith('#/definitions/') ? current.$ref.slice('#/definitions/'.length) : undefined;
      const defs = this.definitions;
      current = name === undefined ? undefined : defs instanceof Map ? defs.get(name) : (defs as Record<string, Schema>)[name];
    }
    // Only what resolved is kept: a registry adds definitions as it loads more schema files.
    if (current !== undefined && current.$ref === undefined) this.refs.set(ref, current);
    return current;
  }

  compile(raw: Schema): Compiled | undefined {
    let compiled = this.compiled.get(raw);
    if (compiled) return compiled;
    const schema = this.resolve(raw);
    if (!schema) return undefined;
    compiled = this.compiled.get(schema);
    if (!compiled) this.compiled.set(schema, (compiled = new Compiled(schema)));
    if (raw !== schema && schema.$ref === undefined) this.compiled.set(raw, compiled);
    return compiled;
  }
}

const compilers = new WeakMap<object, Compiler>();

function compilerFor(definitions: ValidateOptions['definitions']): Compiler {
  let compiler = compilers.get(definitions);
  if (!compiler) compilers.set(definitions, (compiler = new Compiler(definitions)));
  return compiler;
}

class Walker {
  readonly problems: SchemaProblem[] = [];

  private readonly compiler: Compiler;

  private readonly patterns: Map<string, GoRegexp | null>;

  constructor(
    private readonly options: ValidateOptions,
    private readonly max: number,
  ) {
    this.compiler = compilerFor(options.definitions);
    this.patterns = this.compiler.patterns;
  }

  get full(): boolean {
    return this.problems.length >= this.max;
  }

  report(messageId: SchemaMessageId, path: Path, data: Record<string, string>, key = false): void {
    if (this.full) return;
    const problem: SchemaProblem = { path: path.slice(), messageId, data };
    if (key) problem.key = true;
    this.problems.push(problem);
  }

  name(path: Path): string {
    return formatPath(path, this.options.rootName);
  }

  resolve(schema: Schema): Schema | undefined {
    return this.compiler.resolve(schema);
  }

  /** The API server compiles a CRD `pattern` with Go's regexp; one it cannot compile is not checked here. */
  private regex(pattern: string): GoRegexp | null {
    let re = this.patterns.get(pattern);
    if (re === undefined) {
      const compiled = compileGoRegexp(pattern);
      re = compiled.ok ? compiled.regexp : null;
      this.patterns.set(pattern, re);
    }
    return re;
  }

  walk(value: unknown, raw: Schema, path: Path): void {
    if (this.full || path.length > MAX_DEPTH || value === UNKNOWN_VALUE) return;
    const node = this.compiler.compile(raw);
    if (node) this.visit(value, node, path);
  }

  /** A value of the wrong type gets one problem and is not looked into further. */
  private visit(value: unknown, node: Compiled, path: Path): void {
    if (this.problems.length >= this.max || path.length > MAX_DEPTH || value === UNKNOWN_VALUE) return;
    const schema = node.schema;
    // The type test inline (typeOf's answer as a bit): this runs for every value of every object.
    if (node.types !== undefined && (node.typeMask & typeBit(value)) === 0) {
      this.report('type', path, { expected: describeTypes(node.types), path: this.name(path), actual: describeFound(value) });
      return;
    }
    const allowed = node.enum;
    if (allowed && !isAllowed(allowed, value) && !containsUnknown(value)) {
      this.report('enum', path, { path: this.name(path), allowed: formatAllowed(allowed) });
    }
    if (typeof value === 'string') {
      if (node.stringChecks) this.checkString(value, schema, path);
    } else if (typeof value === 'number') {
      if (node.numberChecks) this.checkNumber(value, schema, path);
    } else if (Array.isArray(value)) this.checkArray(value, node, path);
    else if (value !== null && typeof value === 'object') this.checkObject(value as Record<string, unknown>, node, path);
    if (!node.combined) return;
    if (schema.allOf) for (const sub of schema.allOf) this.walk(value, sub, path);
    if (schema.anyOf) this.checkAlternatives(value, schema.anyOf, path, 'anyOf');
    if (schema.oneOf) this.checkAlternatives(value, schema.oneOf, path, 'oneOf');
    if (schema.not && this.passes(value, schema.not, path) && !containsUnknown(value)) this.report('not', path, { path: this.name(path) });
  }

  private checkString(value: string, schema: Schema, path: Path): void {
    if (schema.minLength !== undefined || schema.maxLength !== undefined) {
      const length = codePoints(value);
      if (schema.minLength !== undefined && length < schema.minLength) {
        this.report('minLength', path, { path: this.name(path), limit: String(schema.minLength) });
      }
      if (schema.maxLength !== undefined && length > schema.maxLength) {
        this.report('maxLength', path, { path: this.name(path), limit: String(schema.maxLength) });
      }
    }
    if (schema.pattern !== undefined && this.regex(schema.pattern)?.test(value) === false) {
      this.report('pattern', path, { path: this.name(path), pattern: schema.pattern });
    }
  }

  private checkNumber(value: number, schema: Schema, path: Path): void {
    const range = (comparison: string, limit: number): void =>
      this.report('range', path, { path: this.name(path), comparison, limit: String(limit) });
    if (schema.minimum !== undefined && value < schema.minimum) range('at least', schema.minimum);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) range('greater than', schema.exclusiveMinimum);
    if (schema.maximum !== undefined && value > schema.maximum) range('at most', schema.maximum);
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) range('less than', schema.exclusiveMaximum);
    if (schema.multipleOf && Math.abs(value / schema.multipleOf - Math.round(value / schema.multipleOf)) > 1e-9) {
      this.report('multipleOf', path, { path: this.name(path), limit: String(schema.multipleOf) });
    }
  }

  private checkArray(value: unknown[], node: Compiled, path: Path): void {
    if (node.arrayChecks) {
      const schema = node.schema;
      if (schema.minItems !== undefined && value.length < schema.minItems) {
        this.report('minItems', path, { path: this.name(path), limit: String(schema.minItems) });
      }
      if (schema.maxItems !== undefined && value.length > schema.maxItems) {
        this.report('maxItems', path, { path: this.name(path), limit: String(schema.maxItems) });
      }
      if (schema.uniqueItems && value.some((item, index) => value.findIndex((other) => equal(other, item)) !== index) && !containsUnknown(value)) {
        this.report('uniqueItems', path, { path: this.name(path) });
      }
    }
    if (node.items) {
      // The items' schema is compiled once per node (the same answer for every item).
      const item = value.length > 0 ? node.item(this.compiler) : undefined;
      if (!item) return;
      // Items that are mappings whose schema checks only their type (containers, env entries,
      // ports) go straight into checkObject, as in checkObject's own loop.
      const mappings = item.typeOnly && (item.types === undefined || (item.typeMask & TYPE_BITS.object) !== 0);
      for (let index = 0; index < value.length; index++) {
        if (this.full) return;
        const element = value[index];
        path.push(index);
        if (mappings && typeof element === 'object' && element !== null && !Array.isArray(element)) {
          if (path.length <= MAX_DEPTH) this.checkObject(element as Record<string, unknown>, item, path);
        } else this.visit(element, item, path);
        path.pop();
      }
    }
  }

  private checkObject(value: Record<string, unknown>, node: Compiled, path: Path): void {
    if (node.objectCounts) {
      const keys = Object.keys(value);
      const schema = node.schema;
      if (schema.minProperties !== undefined && keys.length < schema.minProperties) {
        this.report('minProperties', path, { path: this.name(path), limit: String(schema.minProperties) });
      }
      if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) {
        this.report('maxProperties', path, { path: this.name(path), limit: String(schema.maxProperties) });
      }
    }
    const required = node.required;
    if (required) {
      // Indexed loops: this runs for every mapping of every object, mostly before V8 optimises
      // it, where a for-of loop makes an iterator result per step.
      for (let index = 0; index < required.length; index++) {
        const field = required[index]!;
        // Kubernetes decodes `field: null` as an unset field.
        if (value[field] === undefined || value[field] === null) {
          const at = path.length === 0 && 'kind' in value ? ['kind'] : path;
          this.report('required', at, { field, parent: this.name(path) });
        }
      }
    }
    // for-in rather than Object.keys: no key array per mapping, and V8 reads `value[key]` by the
    // object's enum cache instead of a generic keyed lookup. Parsed values are plain objects
    // (JSON.parse, js-yaml, copies), with no enumerable inherited property, so the keys and their
    // order are those of Object.keys.
    for (const key in value) {
      const child = node.children.get(key) ?? node.child(key, this.compiler);
      if (child === null) {
        if (node.extra === false) {
          const suggestion = suggest(key, Object.keys(node.properties ?? {}));
          const data: Record<string, string> = { field: key, parent: this.name(path) };
          if (suggestion) data.suggestion = suggestion;
          this.report(suggestion ? 'unknownFieldSuggestion' : 'unknownField', [...path, key], data, true);
        }
      } else if (child !== undefined) {
        const childValue = value[key];
        const type = typeof childValue;
        if (child.typeOnly && (type === 'string' || type === 'number' || type === 'boolean')) {
          // Most values are scalars checked for their type only: what visit() would do, without
          // the call (typeBit's answer for the three scalar types written out, without its call either).
          const bit = type === 'string' ? TYPE_BITS.string : type === 'boolean' ? TYPE_BITS.boolean : Number.isInteger(childValue) ? TYPE_BITS.integer : TYPE_BITS.number;
          if (child.types !== undefined && (child.typeMask & bit) === 0 && path.length < MAX_DEPTH && !this.full) {
            path.push(key);
            this.report('type', path, { expected: describeTypes(child.types), path: this.name(path), actual: describeFound(childValue) });
            path.pop();
          }
        } else if (child.typeOnly && type === 'object' && childValue !== null && !Array.isArray(childValue)) {
          // A mapping whose schema has no check of its own beyond its type (most): what visit()
          // would do for it, without the call and its tests for scalars, enums and combinators.
          path.push(key);
          if (!this.full && path.length <= MAX_DEPTH) {
            if (child.types !== undefined && (child.typeMask & TYPE_BITS.object) === 0) {
              this.report('type', path, { expected: describeTypes(child.types), path: this.name(path), actual: describeFound(childValue) });
            } else this.checkObject(childValue as Record<string, unknown>, child, path);
          }
          path.pop();
        } else if (childValue !== null) {
          path.push(key);
          this.visit(childValue, child, path);
          path.pop();
        }
      }
    }
  }

  private passes(value: unknown, schema: Schema, path: Path): boolean {
    const probe = new Walker(this.options, 1);
    probe.walk(value, schema, path);
    return probe.problems.length === 0;
  }

  private checkAlternatives(value: unknown, options: Schema[], path: Path, kind: 'anyOf' | 'oneOf'): void {
    const passing = options.filter((option) => this.passes(value, option, path)).length;
    if (kind === 'anyOf' ? passing > 0 : passing === 1) return;
    // Alternatives that pass only because an unknown value passes everything may not all pass in the cluster.
    if (passing > 1 && containsUnknown(value)) return;
    const requiredOnly = options.map((option) => this.resolve(option)).every((option) => option && onlyRequired(option));
    if (passing === 0 && requiredOnly) {
      const fields = options.flatMap((option) => this.resolve(option)?.required ?? []);
      this.report('requiredOneOf', path, { fields: formatAllowed([...new Set(fields)]), parent: this.name(path) });
      return;
    }
    this.report(kind, path, { path: this.name(path) });
  }
}

const TYPE_BITS: Record<JsonType, number> = { string: 1, number: 2, integer: 4, boolean: 8, object: 16, array: 32, null: 64 };

/** {@link typeOf} as a bit of {@link TYPE_BITS}. */
function typeBit(value: unknown): number {
  if (typeof value === 'string') return TYPE_BITS.string;
  if (typeof value === 'number') return Number.isInteger(value) ? TYPE_BITS.integer : TYPE_BITS.number;
  if (typeof value === 'boolean') return TYPE_BITS.boolean;
  // Mappings and lists (every collection of every object) answered here, without typeOf's call and switch.
  if (value === null || value === undefined) return TYPE_BITS.null;
  if (Array.isArray(value)) return TYPE_BITS.array;
  if (typeof value === 'object') return TYPE_BITS.object;
  return TYPE_BITS[typeOf(value)];
}

/** Length in Unicode code points, as Kubernetes counts `minLength`/`maxLength`. */
function codePoints(value: string): number {
  let length = value.length;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    // A high surrogate followed by a low one is one code point.
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < value.length) {
      const next = value.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        index++;
      }
    }
  }
  return length;
}

function onlyRequired(schema: Schema): boolean {
  return Object.keys(schema).every((key) => key === 'required');
}

function isAllowed(allowed: readonly unknown[], value: unknown): boolean {
  for (let index = 0; index < allowed.length; index++) if (equal(allowed[index], value)) return true;
  return false;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Validates a plain JS value (a parsed YAML document) against a schema. */
export function validateValue(value: unknown, schema: Schema, options: ValidateOptions): SchemaProblem[] {
  const walker = new Walker(options, options.maxProblems ?? 50);
  // Every walk pushes and pops one path (a problem copies it), so one array serves them all
  // instead of one grown per object; a walk never starts another validateValue.
  walkPath.length = 0;
  walker.walk(value, schema, walkPath);
  return walker.problems;
}

const walkPath: Path = [];
