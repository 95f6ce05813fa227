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
 * attributes whose value is not read, no offsets of nested parts of values). Blocks, calls and
 * references are flat lists (`HclFactsBlockRecord`, `HclFactsCallList`, `references`) rather
 * than an object, array or pair per block, label, place, attribute and call: every object of
 * the facts is one that a warm run parses back from the cache, keeps for the run and has the
 * garbage collector copy. On the bench's 200 files the cached facts went from 1.14 MB of JSON
 * to 0.79 MB (~190 objects a file) with the places trimmed, then to 0.47 MB (~46 objects a
 * file) as flat lists; the checks read the lists in place (`blockTypeOf`, `labelOf`,
 * `entriesStart`/`nextEntry`, `nextCall`/`callArgAt`), and `blocksOf`/`callsOf` decode them.
 */
import { FILE_FUNCTIONS } from './files.js';
import type { HclBlock, HclExpr, HclFile, HclSyntaxError, HclTraversal, Offsets } from './hcl.js';

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
 * attribute is kept. Each place is a pair of numbers a warm run parses back from the cache and
 * keeps: only the ones read are stored.
 */
function readOf(blockType: string, name: string): AttributeMode | undefined {
  if (blockType === 'required_providers' || name === 'source' || name === 'provider') return VALUE;
  if (blockType === 'locals') return PLACE;
  if (blockType === 'variable') return name === 'default' ? NAME : name === 'type' ? TEXT : undefined;
  return undefined;
}

/** How much of an attribute a block's record keeps (`readOf`), written after its name. */
type AttributeMode = typeof NAME | typeof PLACE | typeof TEXT | typeof VALUE;
/** The name only. */
const NAME = 0;
/** The name and its start and end. */
const PLACE = 1;
/** The name and the start and end of the value's text. */
const TEXT = 2;
/** The name, its start and end, the value text's start and end, and the static part of the value. */
const VALUE = 3;
/** The mode of an entry that keeps the start and end of its value's text right after the mode (a variable's `type`). */
export const TEXT_MODE = TEXT;

/** Blocks whose nested blocks the checks read: `terraform` (its `backend`, `cloud` and `required_providers`). */
const NESTED_READ = new Set(['terraform']);

/**
 * A block as the facts keep it: one flat list, no object per label, place, attribute or body
 * (each of those was a JSON object or array that every warm run parsed back from the cache and
 * kept for the run; on issue 14's bench a block is now one array instead of eight to ten):
 *
 *     type, start, end, label count, (label, label start, label end) per label,
 *     then the attributes read, each: name, mode (`readOf`), then by mode nothing | name start,
 *     name end | text start, text end | name start, name end, text start, text end, static value;
 *     then the nested blocks read (`terraform` blocks only), each a list of its own.
 *
 * `start` is where the type keyword is written (`typeOffsetsOf`), `end` after the closing
 * brace. Read it with `blockTypeOf`, `labelOf`, `labelOffsetsOf`, `blockOffsetsOf` and the
 * entry walk (`entriesStart`, `nextEntry`), or decode it whole with `blockOf` (tests, rare
 * blocks).
 */
export type HclFactsBlockRecord = Array<string | number | HclStaticExpr | HclFactsBlockRecord>;

/** A block's type. */
export function blockTypeOf(block: HclFactsBlockRecord): string {
  return block[0] as string;
}

/** From the type keyword to the closing brace (a new pair). */
export function blockOffsetsOf(block: HclFactsBlockRecord): Offsets {
  return [block[1] as number, block[2] as number];
}

/** The number of labels. */
function labelCountOf(block: HclFactsBlockRecord): number {
  return block[3] as number;
}

/** The label at `index` (from 0), if the block has one. */
export function labelOf(block: HclFactsBlockRecord, index: number): string | undefined {
  return index < (block[3] as number) ? (block[4 + 3 * index] as string) : undefined;
}

/** Where the label at `index` is written, quotes included (a new pair), if the block has one. */
export function labelOffsetsOf(block: HclFactsBlockRecord, index: number): Offsets | undefined {
  return index < (block[3] as number) ? [block[5 + 3 * index] as number, block[6 + 3 * index] as number] : undefined;
}

/** Where the first entry (attribute or nested block) of a block's record is; `block.length` when it has none. */
export function entriesStart(block: HclFactsBlockRecord): number {
  return 4 + 3 * (block[3] as number);
}

/** Where the entry after the one at `at` is. An entry is an attribute when `block[at]` is a string (its name), else a nested block. */
export function nextEntry(block: HclFactsBlockRecord, at: number): number {
  if (typeof block[at] !== 'string') return at + 1;
  const mode = block[at + 1] as AttributeMode;
  return at + (mode === NAME ? 2 : mode === VALUE ? 7 : 4);
}

/** The attribute entry at `at`, decoded (a new object with the places its mode keeps). */
function attributeAt(block: HclFactsBlockRecord, at: number): HclFactsAttribute {
  const name = block[at] as string;
  const mode = block[at + 1] as AttributeMode;
  const pair = (index: number): Offsets => [block[index] as number, block[index + 1] as number];
  if (mode === NAME) return { name };
  if (mode === PLACE) return { name, nameOffsets: pair(at + 2) };
  if (mode === TEXT) return { name, textOffsets: pair(at + 2) };
  return { name, nameOffsets: pair(at + 2), textOffsets: pair(at + 4), value: block[at + 6] as HclStaticExpr };
}

/** The static value of the attribute entry at `at`, when the facts keep it (`readOf`: the attributes whose value is read). */
export function attributeValueAt(block: HclFactsBlockRecord, at: number): HclStaticExpr | undefined {
  return block[at + 1] === VALUE ? (block[at + 6] as HclStaticExpr) : undefined;
}

/** The static value of the attribute `name` of a block, when the facts keep it (`readOf`). */
export function attributeValueOf(block: HclFactsBlockRecord, name: string): HclStaticExpr | undefined {
  for (let at = entriesStart(block); at < block.length; at = nextEntry(block, at)) {
    if (block[at] === name && block[at + 1] === VALUE) return block[at + 6] as HclStaticExpr;
  }
  return undefined;
}

/** A block's record decoded whole: for tests and the few blocks kept as objects (backends). */
export function blockOf(block: HclFactsBlockRecord): HclFactsBlock {
  const labels: string[] = [];
  const labelOffsets: Offsets[] = [];
  for (let index = 0; index < labelCountOf(block); index++) {
    labels.push(labelOf(block, index) as string);
    labelOffsets.push(labelOffsetsOf(block, index) as Offsets);
  }
  const attributes: HclFactsAttribute[] = [];
  const blocks: HclFactsBlock[] = [];
  for (let at = entriesStart(block); at < block.length; at = nextEntry(block, at)) {
    if (typeof block[at] === 'string') attributes.push(attributeAt(block, at));
    else blocks.push(blockOf(block[at] as HclFactsBlockRecord));
  }
  return { type: blockTypeOf(block), labels, labelOffsets, offsets: blockOffsetsOf(block), attributes, blocks };
}

/** Every top-level block of a file's facts, decoded (`blockOf`). */
export function blocksOf(facts: Pick<HclFacts, 'blocks'>): HclFactsBlock[] {
  return facts.blocks.map(blockOf);
}

/** A block decoded from its record (`blockOf`): what the checks read of it, as objects. */
export interface HclFactsBlock {
  type: string;
  labels: string[];
  labelOffsets: Offsets[];
  /** From the type keyword to the closing brace. */
  offsets: Offsets;
  attributes: HclFactsAttribute[];
  blocks: HclFactsBlock[];
}

/** Where a block's type keyword is written: the block starts with it (both parsers). */
export function typeOffsetsOf(block: Pick<HclFactsBlock, 'type' | 'offsets'> | HclFactsBlockRecord): Offsets {
  if (Array.isArray(block)) return [block[1] as number, (block[1] as number) + (block[0] as string).length];
  const { type, offsets } = block as Pick<HclFactsBlock, 'type' | 'offsets'>;
  return [offsets[0], offsets[0] + type.length];
}

/**
 * The calls the checks read: the file functions (files.ts), `fileset`, `fileexists`, and
 * `try`/`can`, which turn a failed read into a fallback.
 */
export const CALLS_READ = new Set([...FILE_FUNCTIONS, 'fileset', 'fileexists', 'try', 'can']);

/** A function call decoded from `HclFacts.calls` (`callsOf`); its arguments reduced to their static part. */
export interface HclFactsCall {
  name: string;
  args: HclStaticExpr[];
  offsets: Offsets;
}

/**
 * `HclFacts.calls`: per call, name, start, end, argument count, then per argument its start, its
 * end and its static part without offsets as JSON text (`ARG_OTHER`, `''`, for anything computed).
 */
export type HclFactsCallList = Array<string | number>;

/** The encoded static part of an argument that is computed (`{ kind: 'other' }`): most arguments of `try`/`can`. */
const ARG_OTHER = '';

/** Entries per argument in a call list: start, end, encoded static part. */
const ARG_ENTRIES = 3;

/** The flat call list of a file's calls: those named in `CALLS_READ`. */
function callList(calls: HclFile['calls']): HclFactsCallList {
  const out: HclFactsCallList = [];
  for (const call of calls) {
    if (!CALLS_READ.has(call.name)) continue;
    out.push(call.name, call.offsets[0], call.offsets[1], call.args.length);
    for (const arg of call.args) {
      const value = staticValue(arg);
      out.push(arg.offsets[0], arg.offsets[1], value.kind === 'other' ? ARG_OTHER : JSON.stringify(value));
    }
  }
  return out;
}

/** Where the call after the one at `at` starts in a call list (`calls.length` after the last). */
export function nextCall(calls: HclFactsCallList, at: number): number {
  return at + 4 + ARG_ENTRIES * (calls[at + 3] as number);
}

/** The name of the call at `at`. */
export function callNameAt(calls: HclFactsCallList, at: number): string {
  return calls[at] as string;
}

/** Where the call at `at` is written, from its name to the closing parenthesis (a new pair). */
export function callOffsetsAt(calls: HclFactsCallList, at: number): Offsets {
  return [calls[at + 1] as number, calls[at + 2] as number];
}

/** The number of arguments of the call at `at`. */
export function callArgCountAt(calls: HclFactsCallList, at: number): number {
  return calls[at + 3] as number;
}

/** Where argument `index` (from 0) of the call at `at` is written (a new pair), if it has one. */
export function callArgOffsetsAt(calls: HclFactsCallList, at: number, index: number): Offsets | undefined {
  if (index >= (calls[at + 3] as number)) return undefined;
  const entry = at + 4 + ARG_ENTRIES * index;
  return [calls[entry] as number, calls[entry + 1] as number];
}

/**
 * The static part of argument `index` (from 0) of the call at `at`, if it has one: a new object,
 * decoded from the list (the checks read it only when a path is not resolved yet, or reported).
 */
export function callArgAt(calls: HclFactsCallList, at: number, index: number): HclStaticExpr | undefined {
  if (index >= (calls[at + 3] as number)) return undefined;
  const entry = at + 4 + ARG_ENTRIES * index;
  const encoded = calls[entry + 2] as string;
  const value = (encoded === ARG_OTHER ? { kind: 'other' } : JSON.parse(encoded)) as HclStaticExpr;
  value.offsets = [calls[entry] as number, calls[entry + 1] as number];
  return value;
}

/** A file's calls decoded, one object each (tests, and checks that report). */
export function callsOf(facts: Pick<HclFacts, 'calls'>): HclFactsCall[] {
  const out: HclFactsCall[] = [];
  const calls = facts.calls;
  for (let at = 0; at < calls.length; at = nextCall(calls, at)) {
    const args: HclStaticExpr[] = [];
    for (let index = 0; index < (calls[at + 3] as number); index++) args.push(callArgAt(calls, at, index) as HclStaticExpr);
    out.push({ name: callNameAt(calls, at), args, offsets: callOffsetsAt(calls, at) });
  }
  return out;
}

/** Roots of the references kept: what a module declares (`var.x`, `local.y`, `module.z`). */
const DECLARED_ROOTS = new Set(['var', 'local', 'module']);

export interface HclFacts {
  /** The top-level blocks, one record each (`HclFactsBlockRecord`), in source order. */
  blocks: HclFactsBlockRecord[];
  /** The first syntax error, if any. */
  errors: HclSyntaxError[];
  /**
   * The calls named in `CALLS_READ`, in source order, as one flat list: per call its name, start,
   * end, the number of its arguments and per argument its start, end and static part as JSON
   * text (read with `nextCall`, `callArgAt`, `callArgOffsetsAt`, `callOffsetsAt`, or decoded with
   * `callsOf`). Flat, not an object, an argument list and a pair per call, and an argument's
   * static part one string until a check decodes it: a module reads a file in many of its files.
   */
  calls: HclFactsCallList;
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

/** The record of a block (`HclFactsBlockRecord`): what the checks read of it. */
function recordOf(block: HclBlock): HclFactsBlockRecord {
  const labels = block.labels;
  const record: HclFactsBlockRecord = [block.type, block.offsets[0], block.offsets[1], labels.length];
  for (let index = 0; index < labels.length; index++) {
    const offsets = block.labelOffsets[index] as Offsets;
    record.push(labels[index] as string, offsets[0], offsets[1]);
  }
  for (const attribute of block.body.attributes) {
    const mode = readOf(block.type, attribute.name);
    if (mode === undefined) continue;
    record.push(attribute.name, mode);
    if (mode === PLACE) record.push(attribute.nameOffsets[0], attribute.nameOffsets[1]);
    else if (mode === TEXT) record.push(attribute.textOffsets[0], attribute.textOffsets[1]);
    else if (mode === VALUE) record.push(attribute.nameOffsets[0], attribute.nameOffsets[1], attribute.textOffsets[0], attribute.textOffsets[1], staticExpr(attribute.value));
  }
  if (NESTED_READ.has(block.type)) for (const inner of block.body.blocks) record.push(recordOf(inner));
  return record;
}

/** The facts of a parsed file. */
export function hclFactsOf(hcl: HclFile): HclFacts {
  return {
    // Attributes at the top level of a file are not read (Terraform allows none).
    blocks: hcl.body.blocks.map(recordOf),
    errors: hcl.errors,
    calls: callList(hcl.calls),
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
