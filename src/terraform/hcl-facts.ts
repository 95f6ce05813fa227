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
 */
import { FILE_FUNCTIONS } from './files.js';
import type { HclExpr, HclFile, HclSyntaxError, HclTraversal, Offsets } from './hcl.js';

/** The static part of an expression; computed parts are `other`. */
export type HclStaticExpr =
  | { kind: 'literal'; value: string | number | boolean | null; offsets: Offsets }
  | { kind: 'template'; parts: Array<string | HclStaticExpr>; offsets: Offsets }
  | { kind: 'traversal'; root: string; attrs: string[]; offsets: Offsets }
  | { kind: 'object'; items: Array<{ key: string | undefined; value: HclStaticExpr; offsets: Offsets }>; offsets: Offsets }
  | { kind: 'other'; offsets: Offsets };

export interface HclFactsAttribute {
  name: string;
  nameOffsets: Offsets;
  /** The static part of the value, for the attributes whose value the checks read (`readOf`). */
  value?: HclStaticExpr;
  /** Where the value expression is written (its text is the file's text there). */
  textOffsets: Offsets;
}

/**
 * Whether the checks read an attribute of a block of a type (`undefined` at the top level):
 * its name and place, or its value too. Read are the names of `locals` entries, a variable's
 * `default` and `type`, the value of `source` (module calls) and `provider` (resources,
 * data sources) arguments, and the entries of `required_providers`; no other attribute is kept.
 */
function readOf(blockType: string | undefined, name: string): 'name' | 'value' | undefined {
  if (blockType === undefined) return undefined;
  if (blockType === 'required_providers' || name === 'source' || name === 'provider') return 'value';
  if (blockType === 'locals' || (blockType === 'variable' && (name === 'default' || name === 'type'))) return 'name';
  return undefined;
}

/** Blocks whose nested blocks the checks read: `terraform` (its `backend`, `cloud` and `required_providers`). */
const NESTED_READ = new Set(['terraform']);

export interface HclFactsBlock {
  type: string;
  labels: string[];
  typeOffsets: Offsets;
  labelOffsets: Offsets[];
  offsets: Offsets;
  body: HclFactsBody;
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
  /** The references to variables, locals and module calls (`var.`, `local.`, `module.`), in source order. */
  traversals: HclTraversal[];
  /** The true and false branches of every conditional. */
  branches: Offsets[];
}

/** The static part of an expression (a new object; the parse is not shared). */
export function staticExpr(expr: HclExpr): HclStaticExpr {
  switch (expr.kind) {
    case 'literal':
      return { kind: 'literal', value: expr.value, offsets: expr.offsets };
    case 'traversal':
      return { kind: 'traversal', root: expr.root, attrs: [...expr.attrs], offsets: expr.offsets };
    case 'template':
      return { kind: 'template', parts: expr.parts.map((part) => (typeof part === 'string' ? part : staticExpr(part))), offsets: expr.offsets };
    case 'object':
      return { kind: 'object', items: expr.items.map((item) => ({ key: item.key, value: staticExpr(item.value), offsets: item.offsets })), offsets: expr.offsets };
    default:
      return { kind: 'other', offsets: expr.offsets };
  }
}

/** The facts of a body: of a block of type `blockType`, or the file's (`undefined`). */
function factsBody(body: HclFile['body'], blockType: string | undefined): HclFactsBody {
  const attributes: HclFactsAttribute[] = [];
  for (const attribute of body.attributes) {
    const read = readOf(blockType, attribute.name);
    if (read === undefined) continue;
    const facts: HclFactsAttribute = { name: attribute.name, nameOffsets: attribute.nameOffsets, textOffsets: attribute.textOffsets };
    if (read === 'value') facts.value = staticExpr(attribute.value);
    attributes.push(facts);
  }
  const nested = blockType === undefined || NESTED_READ.has(blockType);
  return {
    attributes,
    blocks: nested ? body.blocks.map((block) => ({ type: block.type, labels: block.labels, typeOffsets: block.typeOffsets, labelOffsets: block.labelOffsets, offsets: block.offsets, body: factsBody(block.body, block.type) })) : [],
  };
}

/** The facts of a parsed file. */
export function hclFactsOf(hcl: HclFile): HclFacts {
  return {
    body: factsBody(hcl.body, undefined),
    errors: hcl.errors,
    calls: hcl.calls.filter((call) => CALLS_READ.has(call.name)).map((call) => ({ name: call.name, args: call.args.map(staticExpr), offsets: call.offsets })),
    traversals: hcl.traversals.filter((traversal) => DECLARED_ROOTS.has(traversal.root)),
    branches: hcl.branches,
  };
}
