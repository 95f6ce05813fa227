/**
 * What the Terraform checks read of a configuration file (`HclFacts`), taken once from a parse
 * (`HclFile`, either parser): its blocks, the names and places of its attributes, the static
 * part of the values the checks read (`VALUES_READ`), the calls they read (`CALLS_READ`) with
 * the static part of their arguments, the references to variables, locals and module calls,
 * the conditional branches and the syntax error. The module index and the `terraform-*` rules
 * read only this, and the parse cache keeps only this (src/workspace/parse-cache.ts). The
 * whole `HclFile` holds every expression with every call and reference nested in it; on issue
 * 14's bench (200 generated files) its JSON was 3.0 MB that a warm run parsed back and
 * collected as garbage (~35 ms and most of the collector's ~60 ms); the facts are 1.3 MB.
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
  /** The static part of the value, for the attributes whose value the checks read (`VALUES_READ`). */
  value?: HclStaticExpr;
  /** Where the value expression is written (its text is the file's text there). */
  textOffsets: Offsets;
}

/**
 * The attributes whose value is kept: a module call's `source`, a resource's `provider`, and
 * every entry of `required_providers` (keyed by the block type). The other values are not read.
 */
const VALUES_READ = new Set(['source', 'provider']);

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

function factsBody(body: HclFile['body'], keepValues: boolean): HclFactsBody {
  return {
    attributes: body.attributes.map((attribute) => {
      const facts: HclFactsAttribute = { name: attribute.name, nameOffsets: attribute.nameOffsets, textOffsets: attribute.textOffsets };
      if (keepValues || VALUES_READ.has(attribute.name)) facts.value = staticExpr(attribute.value);
      return facts;
    }),
    blocks: body.blocks.map((block) => ({ type: block.type, labels: block.labels, typeOffsets: block.typeOffsets, labelOffsets: block.labelOffsets, offsets: block.offsets, body: factsBody(block.body, block.type === 'required_providers') })),
  };
}

/** The facts of a parsed file. */
export function hclFactsOf(hcl: HclFile): HclFacts {
  return {
    body: factsBody(hcl.body, false),
    errors: hcl.errors,
    calls: hcl.calls.filter((call) => CALLS_READ.has(call.name)).map((call) => ({ name: call.name, args: call.args.map(staticExpr), offsets: call.offsets })),
    traversals: hcl.traversals.filter((traversal) => DECLARED_ROOTS.has(traversal.root)),
    branches: hcl.branches,
  };
}
