/**
 * Terraform/OpenTofu modules of the linted roots: every folder with `.tf`/`.tofu` files
 * (reference VALIDATE-STAGE §1.6: a module is the top-level configuration files of one
 * folder), parsed once per run and summarised into the declarations rules check.
 */
import type { Model } from '../model/model.js';
import type { Root, SourceFile } from '../model/workspace.js';
import { dirOf, resolvePath } from '../engine/collections.js';
import { FILE_FUNCTIONS, resolveStaticPath, type StaticPath } from './files.js';
import { hclFactsOfFile, hclParserLoadError, type HclExpr, type Offsets } from './hcl.js';
import {
  attributeValueAt, attributeValueOf, blockOf, blockTypeOf, callArgAt, callArgCountAt, callNameAt, entriesStart, labelOf, nextCall, nextEntry, TEXT_MODE,
  type HclFacts, type HclFactsBlock, type HclFactsBlockRecord, type HclFactsCallList, type HclStaticValue,
} from './hcl-facts.js';

/** Below a `.terraform/` cache folder (providers, downloaded modules). */
function inTerraformCache(relativePath: string): boolean {
  return relativePath.startsWith('.terraform/') || relativePath.includes('/.terraform/');
}

/**
 * A native-syntax configuration file (`.tf`, `.tofu`), outside `.terraform/` caches. Called for
 * every file of every root (the engine asks whether to load the parser): string tests, no regex.
 */
export function isHclFile(relativePath: string): boolean {
  return (relativePath.endsWith('.tf') || relativePath.endsWith('.tofu')) && !inTerraformCache(relativePath);
}

/** A JSON-syntax configuration file: read by Terraform, not checked here. */
function isJsonConfig(relativePath: string): boolean {
  return (relativePath.endsWith('.tf.json') || relativePath.endsWith('.tofu.json')) && !inTerraformCache(relativePath);
}

/** `override.tf`, `*_override.tf` (and `.tofu`): merged into the other files' blocks. */
export function isOverrideFile(relativePath: string): boolean {
  // `(^|/|_)override\.(tf|tofu)$`, with string tests (asked for every configuration file).
  const stem = relativePath.endsWith('override.tf') ? relativePath.length - 11 : relativePath.endsWith('override.tofu') ? relativePath.length - 13 : -1;
  if (stem === -1) return false;
  const before = relativePath.charCodeAt(stem - 1);
  return stem === 0 || before === 47 || before === 95;
}

export interface TfFile {
  file: SourceFile;
  /** What the checks read of the file. */
  hcl: HclFacts;
  override: boolean;
}

/** A declared name: a `variable`, `output`, `locals` entry, `resource`, `data`, `module` or provider. */
export interface TfDecl {
  readonly kind: 'variable' | 'output' | 'local' | 'resource' | 'data' | 'module';
  /** `name` for most; `type.name` for resources and data sources. */
  readonly name: string;
  readonly file: TfFile;
  /** Where the name is written (the label, or the local's attribute name). */
  readonly offsets: Offsets;
}

export interface TfVariable extends TfDecl {
  readonly kind: 'variable';
  /** No `default` argument (reference §1.6: `default = null` makes it optional). */
  readonly required: boolean;
  /** The `type` expression as written, if any. */
  readonly type: string | undefined;
}

/**
 * A declaration made by `collect`: where its name is written is read from its block's record
 * when asked (only findings ask), not kept as a pair per declaration for the run.
 */
class Declaration implements TfDecl {
  constructor(
    readonly kind: TfDecl['kind'],
    readonly name: string,
    readonly file: TfFile,
    /** The block's record and the index of the name's start in it (its end follows). */
    private readonly record: HclFactsBlockRecord,
    private readonly at: number,
  ) {}

  get offsets(): Offsets {
    return [this.record[this.at] as number, this.record[this.at + 1] as number];
  }
}

class Variable extends Declaration implements TfVariable {
  declare readonly kind: 'variable';

  constructor(
    name: string,
    file: TfFile,
    record: HclFactsBlockRecord,
    readonly required: boolean,
    readonly type: string | undefined,
  ) {
    super('variable', name, file, record, LABEL_START);
  }
}

/**
 * A module's declarations of one kind by name. A name declared once (nearly all) maps to its
 * declaration itself, not to a list of one: every list is kept for the run (on issue 14's
 * validate bench ~2,900 of them), and only `terraform-duplicate-name` needs more than one.
 * A `Map` itself, so `has` and `size` are the built-ins (`terraform-undeclared-reference` asks
 * `has` for every reference, mostly in code V8 has not optimised, where a method of our own
 * would be one more call each); read the declarations with `list`, `forEachName` and
 * `forEachDuplicate`, not with `get` and `forEach`, which give a declaration or a list.
 */
export class Declarations<T extends TfDecl> extends Map<string, T | T[]> {
  add(name: string, decl: T): void {
    const known = this.get(name);
    if (known === undefined) this.set(name, decl);
    else if (Array.isArray(known)) known.push(decl);
    else this.set(name, [known, decl]);
  }

  /** The declarations of a name, in the order of the module's files (a new list for a name declared once). */
  list(name: string): readonly T[] | undefined {
    const known = this.get(name);
    return known === undefined ? undefined : Array.isArray(known) ? known : [known];
  }

  /** Each name with its declarations, in the order names were first declared (a new list for a name declared once). */
  forEachName(callback: (decls: readonly T[], name: string) => void): void {
    this.forEach((known, name) => callback(Array.isArray(known) ? known : [known], name));
  }

  /** Each name declared more than once, with its declarations, in the order names were first declared. */
  forEachDuplicate(callback: (decls: readonly T[], name: string) => void): void {
    this.forEach((known, name) => {
      if (Array.isArray(known)) callback(known, name);
    });
  }
}

/** Where the first label's start is in a block's record (hcl-facts.ts). */
const LABEL_START = 5;

export interface TfModule {
  root: Root;
  /** Root-relative folder (`''` for the root). */
  dir: string;
  files: TfFile[];
  /** False when some declarations cannot be seen: `.tf.json` files, files that did not parse. */
  complete: boolean;
  /** Why it is incomplete, for notes. */
  incompleteReason?: string;
  variables: Declarations<TfVariable>;
  outputs: Declarations<TfDecl>;
  locals: Declarations<TfDecl>;
  resources: Declarations<TfDecl>;
  data: Declarations<TfDecl>;
  modules: Declarations<TfDecl>;
  /** `required_providers` entries by local name, with the `source` when written. */
  requiredProviders: Map<string, { source: string | undefined }>;
  /** `backend` and `cloud` blocks inside `terraform` blocks. */
  backends: Array<{ file: TfFile; block: HclFactsBlock }>;
  /** Local child modules called from this one (`module { source = "./x" }`), root-relative. */
  children: string[];
}

export interface TerraformIndex {
  modules: TfModule[];
  /** The module in a root's folder, if it has configuration files. */
  at(root: Root, dir: string): TfModule | undefined;
  /** Folders (root-relative, per root) that some module of the same root calls as a local child module. */
  isChild(root: Root, dir: string): boolean;
  /** The parsed file, when it is a configuration file that parsed. */
  parsed(file: SourceFile): TfFile | undefined;
  /**
   * Whether a folder of configuration files is known to be a module: it has a `terraform {}`
   * block or a `.terraform.lock.hcl`, a tofu-controller Terraform runs it (`spec.path`), or a
   * module of its root calls it (`source = "./…"`). Anything else may be a folder of fragments
   * copied into modules elsewhere (cloudposse `mixins/`), whose names are declared there.
   */
  known(module: TfModule): boolean;
  /**
   * Where the file function call at `at` of a file's call list (`file.hcl.calls`) reads, given
   * its first argument (`resolveStaticPath`, with the module's folder and whether a module of its
   * root calls it), resolved once per folder and argument text.
   */
  staticPath(module: TfModule, file: TfFile, at: number): StaticPath;
}

/**
 * True when the cross-file rules must skip the module (not known to be one), after one note
 * per root naming every such folder (notes with the same message are kept once).
 */
export function skipUnknownModule(model: Model, module: TfModule): boolean {
  const index = terraformIndex(model);
  if (index.known(module)) return false;
  // Written once per root (three rules ask for every unknown folder).
  let messages = unknownNotes.get(index);
  if (!messages) unknownNotes.set(index, (messages = new Map()));
  let message = messages.get(module.root);
  if (message === undefined) {
    const folders = index.modules.filter((other) => other.root === module.root && !index.known(other)).map((other) => other.dir || '.');
    message = `Terraform folders of ${module.root.name} not known to be modules were not checked for undeclared references, duplicate names and required providers: ${folders.join(', ')} (no terraform {} block, no .terraform.lock.hcl, not the spec.path of a Terraform object, not called by a local module block; fragments copied into modules are declared there).`;
    messages.set(module.root, message);
  }
  model.note({ message });
  return true;
}

const unknownNotes = new WeakMap<TerraformIndex, Map<Root, string>>();

const cache = new WeakMap<Model, TerraformIndex>();

/** The Terraform modules of the model's roots, parsed once per model. */
export function terraformIndex(model: Model): TerraformIndex {
  let index = cache.get(model);
  if (!index) cache.set(model, (index = model.files.some((file) => isHclFile(file.path)) ? build(model) : NO_MODULES));
  return index;
}

/** The index of roots without any `.tf`/`.tofu` file (most repositories): nothing to build. */
const NO_MODULES: TerraformIndex = {
  modules: [],
  known: () => false,
  at: () => undefined,
  isChild: () => false,
  parsed: () => undefined,
  staticPath: (module, file, at) => resolveStaticPath(callArgAt(file.hcl.calls, at, 0), module, false),
};

/** The string value of an expression when it is a literal or a template of literal text only. */
export function staticString(expr: HclExpr | HclStaticValue | undefined): string | undefined {
  if (!expr) return undefined;
  if (expr.kind === 'literal') return typeof expr.value === 'string' ? expr.value : undefined;
  if (expr.kind === 'template' && expr.parts.every((part) => typeof part === 'string')) return expr.parts.join('');
  return undefined;
}

function build(model: Model): TerraformIndex {
  const modules: TfModule[] = [];
  const byKey = new Map<string, TfModule>();
  const parsedFiles = new Map<SourceFile, TfFile>();
  const childDirs = new Set<string>();
  let unparsed = false;
  // Parse every configuration file first: a `.tf` file that a module reads with templatefile()
  // or file() (`templates/backend.tf` with `%{ if }` directives) is an input, not configuration.
  // Indexed loops and `Map.forEach` here and in `collect`: until V8 optimises them (most runs
  // end before), a `for…of` step allocates an iterator result and a destructuring an iterator,
  // garbage that made the index build the largest allocator of the validate stage's rules.
  const folders: Folder[] = [];
  const readTargets = new Set<string>();
  // The roots and folders are few: a `for…of` here costs little (and keeps this one function
  // whose loop V8 compiles on stack), unlike one per file, block, call or declaration.
  for (const root of model.roots) {
    for (const [dir, files] of model.rootFiles(root).filesIn) {
      let config: SourceFile[] | undefined;
      for (let index = 0; index < files.length; index++) {
        const file = files[index] as SourceFile;
        if (isHclFile(file.path)) (config ??= []).push(file);
      }
      if (!config) continue;
      // Where the file functions of this folder read, as if it were a root module (the usual
      // case), by the argument's text (`pathOf`); terraform-file-path asks again through
      // `staticPath` and gets these.
      const paths: FolderPaths = { byText: new Map() };
      const facts: Array<HclFacts | undefined> = [];
      folders.push({ root, dir, files, config, facts, paths });
      const module = { dir };
      for (let index = 0; index < config.length; index++) {
        const text = (config[index] as SourceFile).text;
        const hcl = hclFactsOfFile(config[index] as SourceFile);
        facts.push(hcl);
        const calls = hcl?.calls;
        if (calls === undefined) continue;
        for (let at = 0; at < calls.length; at = nextCall(calls, at)) {
          if (!FILE_FUNCTIONS.has(callNameAt(calls, at))) continue;
          // Relative paths as if this were a root module: generous, it only ever skips files.
          const target = pathOf(paths, calls, at, text as string, module);
          if (target.status === 'resolved' && isHclFile(target.path)) readTargets.add(`${root.dir}\0${target.path}`);
        }
      }
    }
  }
  const rootPaths = new Map<TfModule, FolderPaths>();
  for (let folderIndex = 0; folderIndex < folders.length; folderIndex++) {
    const { root, dir, files, config, facts, paths } = folders[folderIndex] as Folder;
    if (readTargets.size > 0 && config.every((file) => readTargets.has(`${root.dir}\0${file.path}`))) continue;
    const module: TfModule = {
      root, dir, files: [], complete: true, variables: new Declarations(), outputs: new Declarations(), locals: new Declarations(), resources: new Declarations(),
      data: new Declarations(), modules: new Declarations(), requiredProviders: new Map(), backends: [], children: [],
    };
    if (files.some((file) => isJsonConfig(file.path))) {
      module.complete = false;
      module.incompleteReason = 'it has .tf.json files, which are not read';
    }
    // OpenTofu loads `x.tofu` instead of `x.tf` when both exist; Terraform ignores `.tofu`
    // files. Declarations in either count, so no reference is reported that one of them sees.
    for (let index = 0; index < config.length; index++) {
      const file = config[index] as SourceFile;
      // A file another module reads through a file function is that module's input.
      if (readTargets.size > 0 && readTargets.has(`${root.dir}\0${file.path}`)) continue;
      if (file.text === undefined) {
        module.complete = false;
        module.incompleteReason ??= `${file.path} was not read`;
        continue;
      }
      const hcl = facts[index];
      if (!hcl) {
        unparsed = true;
        module.complete = false;
        module.incompleteReason ??= hclParserLoadError() === undefined ? 'the HCL parser is not loaded' : `${file.path} could not be parsed (tree-sitter could not be loaded)`;
        continue;
      }
      const tfFile: TfFile = { file, hcl, override: isOverrideFile(file.path) };
      parsedFiles.set(file, tfFile);
      module.files.push(tfFile);
      if (hcl.errors.length > 0) {
        module.complete = false;
        module.incompleteReason ??= `${file.path} has a syntax error`;
      }
      collect(module, tfFile);
    }
    for (const child of module.children) childDirs.add(`${root.dir}\0${child}`);
    modules.push(module);
    byKey.set(`${root.dir}\0${dir}`, module);
    rootPaths.set(module, paths);
  }
  // A child module's relative paths depend on its caller: its calls are resolved again, as such.
  for (const module of modules) if (childDirs.has(`${module.root.dir}\0${module.dir}`)) rootPaths.delete(module);
  // When loading failed, loadWorkspace's note names the files; this one is for a model built without loading.
  if (unparsed && hclParserLoadError() === undefined) model.note({ message: 'Terraform files were not checked: the HCL parser was not loaded (call loadHclParser() before building the model).' });
  let knownKeys: Set<string> | undefined;
  const knownModules = (): Set<string> => {
    if (knownKeys) return knownKeys;
    const keys = new Set(childDirs);
    for (const terraform of model.flux.terraforms) {
      if (terraform.link.status === 'linked' && terraform.path.status === 'directory' && terraform.path.dir !== undefined) keys.add(`${terraform.link.root.dir}\0${terraform.path.dir}`);
    }
    for (const module of modules) {
      const lock = module.dir === '' ? '.terraform.lock.hcl' : `${module.dir}/.terraform.lock.hcl`;
      if (module.files.some((file) => file.hcl.blocks.some((block) => blockTypeOf(block) === 'terraform')) || model.rootFiles(module.root).files.has(lock)) keys.add(`${module.root.dir}\0${module.dir}`);
    }
    return (knownKeys = keys);
  };
  const isChild = (root: Root, dir: string): boolean => childDirs.has(`${root.dir}\0${dir}`);
  return {
    modules,
    known: (module) => knownModules().has(`${module.root.dir}\0${module.dir}`),
    at: (root, dir) => byKey.get(`${root.dir}\0${dir}`),
    isChild,
    parsed: (file) => parsedFiles.get(file),
    staticPath(module, file, at) {
      const paths = rootPaths.get(module);
      if (!paths) return resolveStaticPath(callArgAt(file.hcl.calls, at, 0), module, isChild(module.root, module.dir));
      return pathOf(paths, file.hcl.calls, at, file.file.text as string, module);
    },
  };
}

/**
 * Where a file function's argument points when the module is a root module, kept by the
 * argument's text in `paths` (one map per folder): it depends only on that text and the folder,
 * so the same path written in many files of a folder (`"${path.module}/files/policy.json"`)
 * is resolved once.
 */
function pathOf(paths: FolderPaths, calls: HclFactsCallList, at: number, text: string, module: Pick<TfModule, 'dir'>): StaticPath {
  // Read from the list in place (no pair, no destructuring: this runs for every call).
  if (callArgCountAt(calls, at) === 0) return resolveStaticPath(undefined, module, false);
  const start = calls[at + 4] as number;
  const end = calls[at + 5] as number;
  // The argument the folder's last call had, compared in place (most calls of a folder repeat it).
  const last = paths.last;
  if (last !== undefined && last.written.length === end - start && text.startsWith(last.written, start)) return last.target;
  const written = text.slice(start, end);
  let target = paths.byText.get(written);
  if (target === undefined) {
    // Its static part is decoded only here (hcl-facts.ts `callArgAt`).
    target = resolveStaticPath(callArgAt(calls, at, 0), module, false);
    paths.byText.set(written, target);
  }
  paths.last = { written, target };
  return target;
}

/** A folder with configuration files, and their facts in the same order (`undefined` for a file not read or not parsed). */
interface Folder {
  root: Root;
  dir: string;
  files: readonly SourceFile[];
  config: SourceFile[];
  facts: Array<HclFacts | undefined>;
  paths: FolderPaths;
}

/** Where the file-function arguments of a folder point, by their text (`pathOf`). */
interface FolderPaths {
  byText: Map<string, StaticPath>;
  last?: { written: string; target: StaticPath };
}

function collect(module: TfModule, file: TfFile): void {
  // One walk over each block's record (hcl-facts.ts): no object per block, label or attribute.
  const blocks = file.hcl.blocks;
  for (let blockIndex = 0; blockIndex < blocks.length; blockIndex++) {
    const block = blocks[blockIndex] as HclFactsBlockRecord;
    const type = blockTypeOf(block);
    const first = labelOf(block, 0);
    switch (type) {
      case 'variable': {
        if (first === undefined) break;
        let required = true;
        let typeText: string | undefined;
        for (let at = entriesStart(block); at < block.length; at = nextEntry(block, at)) {
          const name = block[at];
          if (name === 'default') required = false;
          // A `type` keeps the start and end of its text after its name and mode (hcl-facts.ts).
          else if (name === 'type' && typeText === undefined && block[at + 1] === TEXT_MODE) typeText = (file.file.text as string).slice(block[at + 2] as number, block[at + 3] as number);
        }
        module.variables.add(first, new Variable(first, file, block, required, typeText));
        break;
      }
      case 'output':
        if (first !== undefined) module.outputs.add(first, new Declaration('output', first, file, block, LABEL_START));
        break;
      case 'resource':
      case 'data': {
        const second = labelOf(block, 1);
        if (first === undefined || second === undefined) break;
        const name = `${first}.${second}`;
        (type === 'resource' ? module.resources : module.data).add(name, new Declaration(type, name, file, block, LABEL_START));
        break;
      }
      case 'module': {
        if (first === undefined) break;
        module.modules.add(first, new Declaration('module', first, file, block, LABEL_START));
        const source = staticString(attributeValueOf(block, 'source'));
        if (source !== undefined && (source.startsWith('./') || source.startsWith('../'))) {
          const child = resolvePath(module.dir, source);
          if (child !== undefined) module.children.push(child);
        }
        break;
      }
      case 'locals':
        for (let at = entriesStart(block); at < block.length; at = nextEntry(block, at)) {
          const name = block[at];
          if (typeof name !== 'string') continue;
          // A `locals` entry keeps where its name is written (mode PLACE: name, mode, start, end).
          module.locals.add(name, new Declaration('local', name, file, block, at + 2));
        }
        break;
      case 'terraform':
        for (let at = entriesStart(block); at < block.length; at = nextEntry(block, at)) {
          const entry = block[at];
          if (!Array.isArray(entry)) continue;
          const inner = entry as HclFactsBlockRecord;
          const innerType = blockTypeOf(inner);
          if (innerType === 'backend' || innerType === 'cloud') module.backends.push({ file, block: blockOf(inner) });
          if (innerType !== 'required_providers') continue;
          for (let innerAt = entriesStart(inner); innerAt < inner.length; innerAt = nextEntry(inner, innerAt)) {
            const name = inner[innerAt];
            if (typeof name !== 'string') continue;
            const value = attributeValueAt(inner, innerAt);
            const source = value?.kind === 'object' ? staticString(value.items.find((item) => item.key === 'source')?.value) : undefined;
            // A bare version string (`aws = "~> 5.0"`, Terraform 0.12 style) implies hashicorp/<name>.
            module.requiredProviders.set(name, { source });
          }
        }
        break;
      default:
        break;
    }
  }
}

/** The module folder of a configuration file. */
export function moduleDirOf(file: SourceFile): string {
  return dirOf(file.path);
}
