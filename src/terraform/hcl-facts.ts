/**
 * What the Terraform checks read of a configuration file (`HclFacts`), taken once from a parse
 * (`HclFile`, either parser): every top-level block (type, labels, places) with the attributes
 * the checks read (`readOf`: names and places, and the static part of some values) and the
 * nested blocks of `terraform` blocks; the calls they read (`CALLS_READ`) with the static part
 * of their arguments; the references to variables, locals and module calls; the conditional
 * branches and the syntax error. The module index and the `terraform-*` rules read only this,
 * and the parse cache keeps only this (src/workspace/parse-cache.ts). The whole `HclFile`
 * holds every attribute and expression, with every call and reference nested in them: on issue
 * 14's bench (200 generated files) its JSON was 3.0 MB and 129,000 objects that a warm run
 * parsed back (~35 ms) and then collected as garbage; the facts are a fraction of that.
 *
 * Reducing an expression to its static part (`staticExpr`) keeps literals, templates,
 * references (`a.b.c`) and objects, and turns anything else (calls, tuples, operators,
 * conditionals, `for`) into `other` with its offsets; what `staticString` and
 * `resolveStaticPath` answer is the same for both (they read only literals, templates of
 * literals and `path.*` references, and give up on anything else). A check that needs more
 * of a file adds it here (the parse cache is keyed by the build, so old entries are dropped).
 *
 * Only the places the checks read are kept (no type keyword offsets, no value offsets of
 * attributes whose value is not read, no offsets of nested parts of values, references as one
 * flat list, a block's attributes and nested blocks on the block itself): on the bench's 200
 * files the cached facts went from 1.14 MB of JSON to 0.79 MB, and the objects a warm run
 * parses back and keeps (the garbage collector copies each of them) from ~300 to ~190 a file.
 */
import { FILE_FUNCTIONS } from './files.js';
import type { HclExpr, HclFile, HclSyntaxError, HclTraversal, Offsets } from './hcl.js';

/**
 * The static part of an expression inside another one (a template part, an object item's
 * value): what it is, without where (the checks place findings on whole arguments and values).
 */
export type HclStaticValue =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'template'; parts: Array<string | HclStaticValue> }
  | { kind: 'traversal'; root: string; attrs: string[] }
  | { kind: 'object'; items: Array<{ key: string | undefined; value: HclStaticValue }> }
  | { kind: 'other' };

/** The static part of an expression, with its offsets; computed parts are `other`. */
export type HclStaticExpr = HclStaticValue & { offsets: Offsets };

/** An attribute the checks read; only the places they read are kept (`readOf`). */
export interface HclFactsAttribute {
  name: string;
  /** Where the name is written: for `locals` entries and attributes whose value is read. */
  nameOffsets?: Offsets;
  /** The static part of the value, for the attributes whose value the checks read. */
  value?: HclStaticExpr;
  /** Where the value expression is written (its text is the file's text there): for a variable's `type` and attributes whose value is read. */
  textOffsets?: Offsets;
}

/**
 * What the checks read of an attribute of a block of a type (`undefined` at the top level):
 * its name only (a variable's `default`: whether it is there), its name and where it is
 * written (`locals` entries, declarations), its name and the text of its value (a variable's
 * `type`), or everything with the static part of its value (`source` of module calls,
 * `provider` of resources and data sources, the entries of `required_providers`). No other
 * attribute is kept. Each place is a JSON array a warm run parses back from the cache and
 * keeps: only the ones read are stored.
 */
function readOf(blockType: string | undefined, name: string): 'name' | 'place' | 'text' | 'value' | undefined {
  if (blockType === undefined) return undefined;
  if (blockType === 'required_providers' || name === 'source' || name === 'provider') return 'value';
  if (blockType === 'locals') return 'place';
  if (blockType === 'variable') return name === 'default' ? 'name' : name === 'type' ? 'text' : undefined;
  return undefined;
}

/** Blocks whose nested blocks the checks read: `terraform` (its `backend`, `cloud` and `required_providers`). */
const NESTED_READ = new Set(['terraform']);

/**
 * A block with what the checks read of its body (its attributes and nested blocks, on the
 * block itself: no object per body); where its type keyword is written is `typeOffsetsOf`
 * (not stored: it is where the block starts).
 */
export interface HclFactsBlock extends HclFactsBody {
  type: string;
  labels: string[];
  labelOffsets: Offsets[];
  /** From the type keyword to the closing brace. */
  offsets: Offsets;
}

/** Where a block's type keyword is written: the block starts with it (both parsers). */
export function typeOffsetsOf(block: Pick<HclFactsBlock, 'type' | 'offsets'>): Offsets {
  return [block.offsets[0], block.offsets[0] + block.type.length];
}

export interface HclFactsBody {
  attributes: HclFactsAttribute[];
  blocks: HclFactsBlock[];
}

/**
 * The calls the checks read: the file functions (files.ts), `fileset`, `fileexists`, and
 * `try`/`can`, which turn a failed read into a fallback.
 */
export const CALLS_READ = new Set([...FILE_FUNCTIONS, 'fileset', 'fileexists', 'try', 'can']);

/** A function call; its arguments reduced to their static part. */
export interface HclFactsCall {
  name: string;
  args: HclStaticExpr[];
  offsets: Offsets;
}

/** Roots of the references kept: what a module declares (`var.x`, `local.y`, `module.z`). */
const DECLARED_ROOTS = new Set(['var', 'local', 'module']);

export interface HclFacts {
  body: HclFactsBody;
  /** The first syntax error, if any. */
  errors: HclSyntaxError[];
  /** The calls named in `CALLS_READ`, in source order. */
  calls: HclFactsCall[];
  /**
   * The references to variables, locals and module calls by name (`var.x`, `local.y`,
   * `module.z.out`), in source order, as one flat list of four entries each: the root (`var`,
   * `local` or `module`), the name, and the start and end offsets of the whole reference (see
   * `referencesOf`). Flat, not an object per reference: a module has hundreds, each kept for
   * the run and read back from the parse cache on every warm run.
   */
  references: Array<string | number>;
  /** The true and false branches of every conditional. */
  branches: Offsets[];
}

/** The static part of an expression, with its offsets (a new object; the parse is not shared). */
export function staticExpr(expr: HclExpr): HclStaticExpr {
  return { ...staticValue(expr), offsets: expr.offsets };
}

/** The static part of an expression nested in another one, without offsets. */
function staticValue(expr: HclExpr): HclStaticValue {
  switch (expr.kind) {
    case 'literal':
      return { kind: 'literal', value: expr.value };
    case 'traversal':
      return { kind: 'traversal', root: expr.root, attrs: [...expr.attrs] };
    case 'template':
      return { kind: 'template', parts: expr.parts.map((part) => (typeof part === 'string' ? part : staticValue(part))) };
    case 'object':
      return { kind: 'object', items: expr.items.map((item) => ({ key: item.key, value: staticValue(item.value) })) };
    default:
      return { kind: 'other' };
  }
}

/** The facts of a body: of a block of type `blockType`, or the file's (`undefined`). */
function factsBody(body: HclFile['body'], blockType: string | undefined): HclFactsBody {
  const attributes: HclFactsAttribute[] = [];
  for (const attribute of body.attributes) {
    const read = readOf(blockType, attribute.name);
    if (read === undefined) continue;
    if (read === 'name') attributes.push({ name: attribute.name });
    else if (read === 'place') attributes.push({ name: attribute.name, nameOffsets: attribute.nameOffsets });
    else if (read === 'text') attributes.push({ name: attribute.name, textOffsets: attribute.textOffsets });
    else attributes.push({ name: attribute.name, nameOffsets: attribute.nameOffsets, textOffsets: attribute.textOffsets, value: staticExpr(attribute.value) });
  }
  const nested = blockType === undefined || NESTED_READ.has(blockType);
  return {
    attributes,
    blocks: nested ? body.blocks.map((block) => ({ type: block.type, labels: block.labels, labelOffsets: block.labelOffsets, offsets: block.offsets, ...factsBody(block.body, block.type) })) : [],
  };
}

/** The facts of a parsed file. */
export function hclFactsOf(hcl: HclFile): HclFacts {
  return {
    body: factsBody(hcl.body, undefined),
    errors: hcl.errors,
    calls: hcl.calls.filter((call) => CALLS_READ.has(call.name)).map((call) => ({ name: call.name, args: call.args.map(staticExpr), offsets: call.offsets })),
    references: referenceList(hcl.traversals),
    branches: hcl.branches,
  };
}

/** The flat `references` list of a file's traversals: those with a declared root and a name. */
function referenceList(traversals: readonly HclTraversal[]): Array<string | number> {
  const out: Array<string | number> = [];
  for (const traversal of traversals) {
    const name = traversal.attrs[0];
    if (DECLARED_ROOTS.has(traversal.root) && name !== undefined) out.push(traversal.root, name, traversal.offsets[0], traversal.offsets[1]);
  }
  return out;
}

/** A reference of `HclFacts.references`. */
export interface HclFactsReference {
  root: 'var' | 'local' | 'module';
  name: string;
  offsets: Offsets;
}

/** The references of a file's facts, one object each (made on each call: for checks that report, and tests). */
export function referencesOf(facts: Pick<HclFacts, 'references'>): HclFactsReference[] {
  const out: HclFactsReference[] = [];
  const list = facts.references;
  for (let index = 0; index + 3 < list.length; index += 4) {
    out.push({ root: list[index] as HclFactsReference['root'], name: list[index + 1] as string, offsets: [list[index + 2] as number, list[index + 3] as number] });
  }
  return out;
}
