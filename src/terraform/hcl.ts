/**
 * HCL (Terraform/OpenTofu native syntax) with positions: a hand-written parser in plain
 * TypeScript (hcl-parse.ts) for every file it accepts, and tree-sitter's Terraform grammar
 * compiled to Wasm (`web-tree-sitter` + `@tree-sitter-grammars/tree-sitter-hcl`) for the others,
 * which are the files with a syntax error (and a few odd forms the JS parser leaves to it).
 *
 * Why tree-sitter (reference VALIDATE-STAGE §1; measured with `node scripts/measure-hcl.mjs` on
 * a 2,009-line module with 392 blocks, on this shared 2-CPU machine under load): it is the only
 * maintained candidate that gives positions for every block, attribute and call, never throws,
 * and parses current syntax (provider functions, `optional()`, templates). Tree-sitter: cold
 * 200–390 ms (mostly Wasm tier-up on the first big parse), warm 21–39 ms, 63 MB RSS. The Go/Wasm
 * `@cdktn/hcl2json` has HashiCorp's messages but no positions at all: cold 2.2 s, warm 78 ms,
 * 150 MB. The older GopherJS builds reject current syntax. Tree-sitter's error recovery is not
 * HashiCorp's, so only the first syntax error is reported, placed where Terraform places it (an
 * unclosed block on its header, a missing token where it is missing);
 * `test/terraform/fmt-differential.test.ts` checks verdict and line against `terraform fmt`.
 *
 * Why the JS parser in front of it (issue 14's speed target): on the bench's validate
 * workspace (205 files, 15,600 lines) tree-sitter cost 0.6 s of CPU in a cold process: the Wasm
 * load (~20 ms; ~35 ms even for the examples' five files), the parse (240–490 ms, mostly Wasm
 * tier-up), the copy of its tree through Wasm calls (260–600 ms for ~170,000 nodes) and the
 * conversion (100–300 ms). The JS parser produces the same `HclFile` directly (no tree): about
 * 90–140 ms of CPU for those files in a cold process (most of it V8 running the parser before
 * it is optimized, and the garbage collector; warm it takes 7–9 ms), 2 ms for the examples.
 * `test/terraform/hcl-parse-differential.test.ts` runs both parsers on every `.tf` in the
 * repository, the bench workspace and a table of snippets and requires the same structure,
 * and requires every file tree-sitter rejects to be rejected by the JS parser too (so errors
 * and their positions stay tree-sitter's).
 *
 * `loadWorkspace` parses every Terraform file with the JS parser first (`hclNeedsTreeSitter`;
 * what the checks read of each, hcl-facts.ts, is kept for `hclFacts`) and loads tree-sitter
 * (`loadHclParser`, asynchronous, once per process) only when some file needs it; parsing is
 * synchronous. A tree-sitter tree is copied
 * once with a cursor (`mirror`), converted from the copy to the small plain structure below
 * and freed at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Node as TsNode, Parser as TsParser, TreeCursor as TsTreeCursor } from 'web-tree-sitter';
import { hclFactsOf, type HclFacts } from './hcl-facts.js';
import { parseHclFile, unescape } from './hcl-parse.js';
import type { ParseCache } from '../workspace/parse-cache.js';

/** `[start, end)` character offsets into the file text. */
export type Offsets = readonly [number, number];

/** A statically known part of an expression, or `unknown` for anything computed. */
export type HclExpr =
  | { kind: 'literal'; value: string | number | boolean | null; offsets: Offsets }
  /** A quoted or heredoc template: literal text and interpolated expressions. */
  | { kind: 'template'; parts: Array<string | HclExpr>; offsets: Offsets }
  /** `root.attr.attr…` (index and splat steps end the attribute list). */
  | { kind: 'traversal'; root: string; attrs: string[]; offsets: Offsets }
  | { kind: 'call'; name: string; args: HclExpr[]; offsets: Offsets }
  | { kind: 'object'; items: Array<{ key: string | undefined; value: HclExpr; offsets: Offsets }>; offsets: Offsets }
  | { kind: 'tuple'; items: HclExpr[]; offsets: Offsets }
  | { kind: 'other'; offsets: Offsets };

export interface HclAttribute {
  name: string;
  /** The attribute name. */
  nameOffsets: Offsets;
  value: HclExpr;
  /** The source text of the value expression. */
  text: string;
  /** Where `text` is. */
  textOffsets: Offsets;
}

export interface HclBlock {
  type: string;
  labels: string[];
  /** The block type keyword. */
  typeOffsets: Offsets;
  /** Each label, as written (quotes included). */
  labelOffsets: Offsets[];
  /** From the type keyword to the closing brace. */
  offsets: Offsets;
  body: HclBody;
}

export interface HclBody {
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

export interface HclSyntaxError {
  message: string;
  offsets: Offsets;
}

/** A reference `root.name…` as written anywhere in the file (`var.x`, `local.y`, `module.z.out`). */
export interface HclTraversal {
  root: string;
  attrs: string[];
  offsets: Offsets;
}

export interface HclFile {
  body: HclBody;
  /** The first syntax error (error recovery makes later ones unreliable), if any. */
  errors: HclSyntaxError[];
  /** Every function call, in source order. */
  calls: Array<Extract<HclExpr, { kind: 'call' }>>;
  /** Every traversal, in source order. */
  traversals: HclTraversal[];
  /** The true and false branches of every conditional (`c ? a : b`): code there runs only when its branch is taken. */
  branches: Offsets[];
}

let parser: TsParser | undefined;
let loading: Promise<void> | undefined;

/**
 * A Wasm file: next to the bundle (dist/cli/, where scripts/bundle.mjs copies it, so an
 * install or a plain clone needs no node_modules), else from its package (sources, tests).
 */
function wasmFile(name: string, packagePath: string): string {
  const beside = fileURLToPath(new URL(`./${name}`, import.meta.url));
  return existsSync(beside) ? beside : createRequire(import.meta.url).resolve(packagePath);
}

/** Why the parser could not be loaded, if it could not (Terraform checks are then skipped with a note). */
let loadError: string | undefined;

/** Load the Wasm runtime and the Terraform grammar (once per process). Never rejects. */
export function loadHclParser(): Promise<void> {
  loading ??= (async () => {
    try {
      const { Parser, Language } = (await import('web-tree-sitter')) as typeof import('web-tree-sitter');
      const runtime = wasmFile('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm');
      await Parser.init({ locateFile: () => runtime });
      const grammar = readFileSync(wasmFile('tree-sitter-terraform.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'));
      const language = await Language.load(grammar);
      const instance = new Parser();
      instance.setLanguage(language);
      parser = instance;
    } catch (error) {
      loadError = error instanceof Error ? error.message : String(error);
    }
  })();
  return loading;
}

/** The reason the HCL parser failed to load, once `loadHclParser` has settled without it. */
export function hclParserLoadError(): string | undefined {
  return loadError;
}

/** True once `loadHclParser` has finished: `parseHcl` and `hclFacts` work for every file from then on. */
export function hclParserLoaded(): boolean {
  return parser !== undefined;
}

/**
 * Parse one file: with the JS parser (hcl-parse.ts), or, when it does not accept the file (a
 * syntax error, or a rare form it leaves to tree-sitter), with tree-sitter. Returns `undefined`
 * when the JS parser does not accept the file and tree-sitter is not loaded. Never throws on
 * bad input. Not kept: the checks read `hclFacts`.
 */
export function parseHcl(text: string): HclFile | undefined {
  return parseHclWithJs(text) ?? parseHclWithTreeSitter(text);
}

/**
 * The facts of files by their text (hcl-facts.ts): a file is parsed once per process (the LSP
 * re-lints the same unchanged files on every keystroke). Never mutated once made.
 */
const factsByText = new Map<string, HclFacts>();
/** The entries of factsByText from the JS parser (what a parse cache may keep). */
const fromJs = new WeakSet<HclFacts>();
const PARSED_CACHE_LIMIT = 4096;

/**
 * What the checks read of one file (`hclFactsOf` of `parseHcl`), kept for the process;
 * `undefined` when the JS parser does not accept the file and tree-sitter is not loaded.
 */
export function hclFacts(text: string): HclFacts | undefined {
  const known = factsByText.get(text);
  if (known) return known;
  const js = factsWithJs(text);
  if (js) return js;
  const tree = parseHclWithTreeSitter(text);
  if (!tree) return undefined;
  const facts = hclFactsOf(tree);
  keep(text, facts);
  return facts;
}

/** Remember a file's facts for `hclFacts` (a bounded map: the LSP runs for hours). */
function keep(text: string, facts: HclFacts): void {
  if (factsByText.size >= PARSED_CACHE_LIMIT) factsByText.clear();
  factsByText.set(text, facts);
}

/**
 * The facts of the JS parser's result for a text: kept from earlier in this process, or from a
 * new parse (kept); `undefined` when the JS parser does not accept the text.
 */
function factsWithJs(text: string): HclFacts | undefined {
  const known = factsByText.get(text);
  if (known !== undefined) return fromJs.has(known) ? known : undefined;
  const out = parseHclWithJs(text);
  if (out === undefined) return undefined;
  const facts = hclFactsOf(out);
  fromJs.add(facts);
  keep(text, facts);
  return facts;
}

/**
 * Facts read back from a parse cache (`parseHclThrough`), by the file they are of, with the
 * text they were checked against: keyed by the object, so no text is hashed as a map key (a
 * file's text is compared with the cache entry's, in one pass of memory compare, and that is
 * all a cached file costs before its facts are parsed back).
 */
const factsByFile = new WeakMap<object, { text: string; facts: HclFacts }>();

/** A file with the text it was loaded with (a SourceFile). */
export interface HclTextFile {
  readonly path: string;
  readonly text?: string | undefined;
}

/**
 * A file's facts: those read back from the parse cache for it, or `hclFacts` of its text;
 * `undefined` when it has no text or neither parser accepts it.
 */
export function hclFactsOfFile(file: HclTextFile): HclFacts | undefined {
  const text = file.text;
  if (text === undefined) return undefined;
  const cached = factsByFile.get(file);
  return cached !== undefined && cached.text === text ? cached.facts : hclFacts(text);
}

/**
 * Parse with the JS parser every file it accepts (kept for `hclFacts`) unless its facts were
 * read from a parse cache; true when some file needs tree-sitter, which `loadWorkspace` then
 * loads before the model is built.
 */
export function hclNeedsTreeSitter(files: readonly HclTextFile[]): boolean {
  let needed = false;
  // Indexed: no iterator result per file before V8 optimises this (most runs).
  for (let index = 0; index < files.length; index++) {
    const file = files[index] as HclTextFile;
    const text = file.text;
    if (text === undefined || factsByFile.get(file)?.text === text) continue;
    if (!factsByText.has(text) && factsWithJs(text) === undefined) needed = true;
  }
  return needed;
}

/**
 * The facts of the files the JS parser accepts, read from `cache` when an earlier run kept
 * them (for `hclFactsOfFile`) and kept there otherwise (src/workspace/parse-cache.ts; kept for
 * `hclFacts` too). An entry is looked up by its file's path first and its text compared, where
 * a lookup by text hashed every stored text and every text asked (the text decides either
 * way; a renamed file is found by its text). Files it does not accept are left to
 * `hclNeedsTreeSitter`.
 */
export function parseHclThrough(cache: Pick<ParseCache, 'values' | 'remember'>, files: readonly HclTextFile[]): void {
  for (let index = 0; index < files.length; index++) {
    const file = files[index] as HclTextFile;
    const text = file.text;
    if (text === undefined) continue;
    const cached = cache.values(text, file.path)?.[0] as HclFacts | undefined;
    if (cached !== undefined) {
      fromJs.add(cached);
      factsByFile.set(file, { text, facts: cached });
      continue;
    }
    const facts = factsWithJs(text);
    if (facts !== undefined) cache.remember(text, [facts], file.path);
  }
}

/** The JS parser's result, or `undefined` when it does not accept the file (not cached). */
export function parseHclWithJs(text: string): HclFile | undefined {
  return parseHclFile(text);
}

/** Tree-sitter's result, or `undefined` when it is not loaded (not cached). */
export function parseHclWithTreeSitter(text: string): HclFile | undefined {
  if (!parser) return undefined;
  const tree = parser.parse(text);
  if (!tree) return undefined;
  try {
    const out: HclFile = { body: { attributes: [], blocks: [] }, errors: [], calls: [], traversals: [], branches: [] };
    const root = tree.rootNode;
    const body = mirror(tree.walk(), tree.language.types).children.find((child) => child.type === 'body');
    if (body) out.body = convertBody(body, text, out);
    if (root.hasError) {
      const error = firstSyntaxError(root, text);
      if (error) out.errors.push(error);
    }
    return out;
  } finally {
    tree.delete();
  }
}

/**
 * A plain copy of a tree-sitter node. Every property read on a web-tree-sitter `Node` is a
 * call into Wasm (and `children` allocates a node object per child), so the tree is copied
 * once with a cursor (a handful of calls per node) and converted from the copy; text is read
 * from the source string by offsets.
 */
interface SyntaxNode {
  type: string;
  named: boolean;
  start: number;
  end: number;
  children: SyntaxNode[];
}

/** Shared by every leaf (most nodes): no array per leaf. Never appended to. */
const NO_CHILDREN: SyntaxNode[] = [];

/** Whether a node type (by id) is named, as tree-sitter answered it the first time. */
const namedTypes = new Map<number, boolean>();

function mirror(cursor: TsTreeCursor, types: ReadonlyArray<string | null | undefined>): SyntaxNode {
  const current = (): SyntaxNode => {
    const id = cursor.nodeTypeId;
    let named = namedTypes.get(id);
    if (named === undefined) namedTypes.set(id, (named = cursor.nodeIsNamed));
    return { type: types[id] || 'ERROR', named, start: -1, end: -1, children: NO_CHILDREN };
  };
  const append = (parent: SyntaxNode, child: SyntaxNode): void => {
    if (parent.children === NO_CHILDREN) parent.children = [child];
    else parent.children.push(child);
  };
  try {
    const root = current();
    const stack: SyntaxNode[] = [root];
    let node = root;
    let first = true;
    // Depth-first: down to the first child, else on to the next sibling, else back up. Every
    // step and read is a call into Wasm, so only what the conversion uses is read:
    // - anonymous nodes are tokens of the grammar (`=`, `{`, `.`), which have no children;
    // - a node spans from its first child's start to its last child's end (tree-sitter sums
    //   a node's size from its children), so only leaves are asked for offsets, and a token
    //   only for the offsets that bound its parent (its text is never read, except `::`).
    for (;;) {
      if (node.named && cursor.gotoFirstChild()) {
        const child = current();
        append(node, child);
        stack.push(child);
        node = child;
        first = true;
        continue;
      }
      if (node.named || node.type === '::') {
        node.start = cursor.startIndex;
        node.end = cursor.endIndex;
      } else if (first) node.start = cursor.startIndex;
      for (;;) {
        const done = stack.pop() as SyntaxNode;
        const last = done.children[done.children.length - 1];
        if (last) {
          done.start = (done.children[0] as SyntaxNode).start;
          done.end = last.end;
        }
        if (stack.length === 0) return root;
        if (cursor.gotoNextSibling()) {
          const parent = stack[stack.length - 1] as SyntaxNode;
          const sibling = current();
          append(parent, sibling);
          stack.push(sibling);
          node = sibling;
          first = false;
          break;
        }
        if (done.end === -1) done.end = cursor.endIndex;
        cursor.gotoParent();
      }
    }
  } finally {
    cursor.delete();
  }
}

const offsetsOf = (node: SyntaxNode): Offsets => [node.start, node.end];

/** Index of the last traversal recorded at `start` (recorded just before, so found at once), or -1. */
function lastTraversalAt(out: HclFile, start: number): number {
  for (let index = out.traversals.length - 1; index >= 0; index--) if (out.traversals[index]?.offsets[0] === start) return index;
  return -1;
}

function children(node: TsNode): TsNode[] {
  return node.children.filter((child): child is TsNode => child !== null);
}

function convertBody(node: SyntaxNode, text: string, out: HclFile): HclBody {
  const body: HclBody = { attributes: [], blocks: [] };
  const textOf = (part: SyntaxNode): string => text.slice(part.start, part.end);
  for (const child of node.children) {
    if (child.type === 'attribute') {
      const parts = child.children;
      const name = parts[0]?.type === 'identifier' ? parts[0] : undefined;
      const expression = parts.find((c) => c.type === 'expression');
      if (!name || !expression) continue;
      body.attributes.push({ name: textOf(name), nameOffsets: offsetsOf(name), value: convertExpression(expression, text, out), text: textOf(expression), textOffsets: offsetsOf(expression) });
    } else if (child.type === 'block') {
      const parts = child.children;
      const type = parts[0];
      if (!type || type.type !== 'identifier') continue;
      const labels: string[] = [];
      const labelOffsets: Offsets[] = [];
      for (let index = 1; index < parts.length; index++) {
        const part = parts[index] as SyntaxNode;
        if (part.type === 'string_lit') {
          labels.push(unescape(part.children.filter((c) => c.type === 'template_literal').map(textOf).join('')));
          labelOffsets.push(offsetsOf(part));
        } else if (part.type === 'identifier') {
          labels.push(textOf(part));
          labelOffsets.push(offsetsOf(part));
        }
      }
      const inner = parts.find((part) => part.type === 'body');
      body.blocks.push({ type: textOf(type), labels, typeOffsets: offsetsOf(type), labelOffsets, offsets: offsetsOf(child), body: inner ? convertBody(inner, text, out) : { attributes: [], blocks: [] } });
    }
  }
  return body;
}

function convertExpression(node: SyntaxNode, text: string, out: HclFile): HclExpr {
  const parts = node.children;
  const first = parts[0];
  if (!first) return { kind: 'other', offsets: offsetsOf(node) };
  if (node.type === 'expression' && parts.length > 1) {
    // A primary followed by postfix steps (`.attr`, `[i]`, splats).
    const primary = convertExpression(first, text, out);
    if (primary.kind !== 'traversal') {
      for (let index = 1; index < parts.length; index++) walkNested(parts[index] as SyntaxNode, text, out);
      return { kind: 'other', offsets: offsetsOf(node) };
    }
    let end = primary.offsets[1];
    let open = true;
    for (let index = 1; index < parts.length; index++) {
      const step = parts[index] as SyntaxNode;
      const name = step.type === 'get_attr' ? step.children.find((c) => c.named) : undefined;
      if (open && name) {
        primary.attrs.push(text.slice(name.start, name.end));
        end = step.end;
      } else {
        open = false;
        walkNested(step, text, out);
      }
    }
    // The primary's traversal was the last one recorded before the steps' nested ones.
    const traversal = out.traversals[lastTraversalAt(out, primary.offsets[0])];
    if (traversal) {
      traversal.attrs = [...primary.attrs];
      traversal.offsets = [primary.offsets[0], end];
    }
    return { kind: 'traversal', root: primary.root, attrs: primary.attrs, offsets: [primary.offsets[0], end] };
  }
  const firstText = (): string => text.slice(first.start, first.end);
  switch (node.type) {
    case 'expression':
      return convertExpression(first, text, out);
    case 'variable_expr': {
      const root = firstText();
      const traversal: HclTraversal = { root, attrs: [], offsets: offsetsOf(node) };
      out.traversals.push(traversal);
      return { kind: 'traversal', root, attrs: [], offsets: offsetsOf(node) };
    }
    case 'literal_value': {
      const value =
        first.type === 'numeric_lit' ? Number(firstText())
        : first.type === 'bool_lit' ? firstText() === 'true'
        : first.type === 'null_lit' ? null
        : first.type === 'string_lit' ? unescape(first.children.filter((c) => c.type === 'template_literal').map((c) => text.slice(c.start, c.end)).join(''))
        : firstText();
      return { kind: 'literal', value, offsets: offsetsOf(node) };
    }
    case 'template_expr':
      return convertTemplate(first, text, out);
    case 'function_call': {
      const name = parts.filter((part) => part.type === 'identifier' || part.type === '::').map((part) => text.slice(part.start, part.end)).join('');
      const args = parts.find((part) => part.type === 'function_arguments');
      const call: Extract<HclExpr, { kind: 'call' }> = { kind: 'call', name, args: [], offsets: offsetsOf(node) };
      out.calls.push(call);
      for (const arg of args ? args.children : []) if (arg.type === 'expression') call.args.push(convertExpression(arg, text, out));
      return call;
    }
    case 'collection_value': {
      if (first.type === 'object') {
        const items: Array<{ key: string | undefined; value: HclExpr; offsets: Offsets }> = [];
        for (const element of first.children) {
          if (element.type !== 'object_elem') continue;
          const [keyNode, valueNode] = element.children.filter((c) => c.type === 'expression');
          if (!keyNode || !valueNode) continue;
          const key = convertExpression(keyNode, text, out);
          const keyText = key.kind === 'traversal' && key.attrs.length === 0 ? key.root : key.kind === 'template' && key.parts.every((p) => typeof p === 'string') ? key.parts.join('') : undefined;
          // A bare key is a name, not a reference.
          if (key.kind === 'traversal' && key.attrs.length === 0) {
            const index = lastTraversalAt(out, key.offsets[0]);
            if (index !== -1) out.traversals.splice(index, 1);
          }
          items.push({ key: keyText, value: convertExpression(valueNode, text, out), offsets: offsetsOf(element) });
        }
        return { kind: 'object', items, offsets: offsetsOf(node) };
      }
      if (first.type === 'tuple') {
        return { kind: 'tuple', items: first.children.filter((c) => c.type === 'expression').map((c) => convertExpression(c, text, out)), offsets: offsetsOf(node) };
      }
      walkNested(node, text, out);
      return { kind: 'other', offsets: offsetsOf(node) };
    }
    default:
      if (node.type === 'conditional') {
        for (const branch of parts.filter((part) => part.type === 'expression').slice(1)) out.branches.push(offsetsOf(branch));
      }
      walkNested(node, text, out);
      return { kind: 'other', offsets: offsetsOf(node) };
  }
}

function convertTemplate(node: SyntaxNode, text: string, out: HclFile): HclExpr {
  const parts: Array<string | HclExpr> = [];
  const heredoc = node.type === 'heredoc_template';
  for (const child of node.children) {
    if (child.type === 'template_literal') {
      const raw = text.slice(child.start, child.end);
      parts.push(heredoc ? raw : unescape(raw));
    } else if (child.type === 'template_interpolation') {
      const expression = child.children.find((c) => c.type === 'expression');
      parts.push(expression ? convertExpression(expression, text, out) : { kind: 'other', offsets: offsetsOf(child) });
    } else if (child.type === 'template_directive') {
      walkNested(child, text, out);
      parts.push({ kind: 'other', offsets: offsetsOf(child) });
    }
  }
  return { kind: 'template', parts, offsets: offsetsOf(node) };
}

/** Collect the calls and traversals inside an expression that is not converted itself. */
function walkNested(node: SyntaxNode, text: string, out: HclFile): void {
  for (const child of node.children) {
    if (child.type === 'expression') convertExpression(child, text, out);
    else walkNested(child, text, out);
  }
}

/**
 * The first syntax problem, placed where Terraform reports it: a missing closing brace of a
 * block on the block's header ("Unclosed configuration block"), a missing token where it is
 * missing, and for a region the parser skipped, the last token it could not fit (where
 * parsing stopped making sense, e.g. an unterminated string's opening quote).
 */
function firstSyntaxError(root: TsNode, text: string): HclSyntaxError | undefined {
  let found: TsNode | undefined;
  const visit = (node: TsNode): boolean => {
    if (node.isMissing || node.type === 'ERROR') {
      found = node;
      return true;
    }
    if (!node.hasError) return false;
    return children(node).some(visit);
  };
  visit(root);
  const node = found as TsNode | undefined;
  if (!node) return undefined;
  if (node.isMissing) {
    const block = node.parent?.type === 'block_end' ? node.parent.parent : undefined;
    if (block?.type === 'block') {
      const header = children(block).find((c) => c.type === 'block_start');
      return { message: 'Unclosed configuration block: there is no closing brace for this block before the end of the file', offsets: [block.startIndex, header ? header.endIndex : block.startIndex + 1] };
    }
    const message = /^[\])}]$/.test(node.type) ? `Missing "${node.type}"` : 'Invalid expression';
    return { message, offsets: [node.startIndex, Math.min(text.length, node.startIndex + 1)] };
  }
  // The first stray token directly in the skipped region is where Terraform's parser stops too;
  // a region of complete pieces (labels without a body) is reported where it starts.
  const parts = children(node);
  const afterBody = parts[parts.findIndex((child) => child.type === 'body') + 1];
  const stray = parts.find((child) => !child.isNamed && child.childCount === 0) ?? (parts.some((child) => child.type === 'body') ? afterBody : undefined) ?? node;
  const lineEnd = text.indexOf('\n', stray.startIndex);
  const end = Math.max(stray.startIndex + 1, Math.min(stray.endIndex, lineEnd === -1 ? text.length : lineEnd));
  const token = text.slice(stray.startIndex, end).trim();
  return { message: `Invalid syntax at ${token === '' ? 'this point' : `"${token.length > 20 ? `${token.slice(0, 20)}…` : token}"`}`, offsets: [stray.startIndex, end] };
}
