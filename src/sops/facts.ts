/**
 * What the SOPS rules ask of a document, answered from its plain JS value (`parsed.value`,
 * parsed by js-yaml) when that says exactly what the `yaml` AST would, and from the AST
 * otherwise. The AST is several times slower to build, and a clean repository needs it for
 * no document at all: it is built when a document may produce a finding, not to find out
 * that it does not.
 */
import type { SourceFile } from '../model/workspace.js';
import { fileTextIncludes } from '../workspace/text-facts.js';
import { mayHaveAnchor } from '../yaml/parse.js';
import { pairOf } from './ast.js';
import { analyzeDocument, analyzeValue, type DuplicateKey, type ValueFact } from './document.js';
import { cleanSopsMetadata, hasSopsKey, isSopsEncrypted, sopsMetadata, type SopsMetadata } from './metadata.js';

/**
 * An alias (`*name`) needs an anchor (`&name`) before it, or the file does not parse (and has
 * problems); a file failing either test (the anchor one is the YAML parser's) cannot have one.
 * Both match supersets: `*` also starts `"0 3 * * *"`.
 */
const MAY_HAVE_ALIAS = /(^|[\s[{,:-])\*[^\s,\]}]/m;
/**
 * Syntax whose plain value differs from the AST's pairs: merge keys (`<<`), explicit keys
 * (`? key`, which may be a collection), flow collections used as keys (`[a, b]: c`, which
 * js-yaml turns into the key "a,b"), and directives (`%YAML 1.1` changes the schema of the
 * AST only). Matches a superset; a false match only costs an AST.
 */
const AST_ONLY_SYNTAX = /<<|\?(\s|$)|[\]}][ \t]*:|^%/m;

const mirrors = new WeakMap<SourceFile, boolean>();

/**
 * True when the file's plain values mirror its ASTs: same documents, same mapping keys in
 * the same order, same scalars. That holds for a file js-yaml parsed (no duplicate keys) or
 * the `yaml` package parsed without a problem, with no alias and none of the syntax above
 * (mapping keys are further checked by `analyzeValue`).
 */
export function valuesMirrorAst(file: SourceFile): boolean {
  let mirror = mirrors.get(file);
  if (mirror === undefined) {
    const text = file.text;
    mirror =
      text !== undefined &&
      file.problems.length === 0 &&
      !mayHaveAlias(text) &&
      !AST_ONLY_SYNTAX.test(text);
    mirrors.set(file, mirror);
  }
  return mirror;
}

function mayHaveAlias(text: string): boolean {
  return mayHaveAnchor(text) && text.includes('*') && MAY_HAVE_ALIAS.test(text);
}

const spellings = new WeakMap<SourceFile, boolean>();

/**
 * False when no document of the file can have a top-level `sops` key, answered from the text
 * alone: most files are not SOPS files, and this spares them the checks below (and the AST of
 * a file with anchors or merge keys). A key reads `sops` only if the text spells it, or writes
 * it with a double-quoted escape (`"\x73ops"`), which needs a backslash.
 */
export function maySpellSops(file: SourceFile): boolean {
  // Asked for every document by every SOPS rule: one lookup instead of two text facts.
  let spells = spellings.get(file);
  if (spells === undefined) {
    // Plain scans, not cached text facts: nothing else asks these two, and this answer is kept.
    const text = file.text;
    spells = text === undefined || text.includes('sops') || text.includes('\\');
    spellings.set(file, spells);
  }
  return spells;
}

/** {@link hasSopsKey} of document `index`. */
export function hasSopsKeyAt(file: SourceFile, index: number): boolean {
  const parsed = file.documents[index];
  if (!parsed || !maySpellSops(file)) return false;
  if (!valuesMirrorAst(file)) return hasSopsKey(parsed.doc);
  return isPlainMap(parsed.value) && Object.hasOwn(parsed.value, 'sops');
}

/** {@link isSopsEncrypted} of document `index`: a top-level `sops` mapping. */
export function isSopsEncryptedAt(file: SourceFile, index: number): boolean {
  const parsed = file.documents[index];
  if (!parsed || !maySpellSops(file)) return false;
  if (!valuesMirrorAst(file)) return isSopsEncrypted(parsed.doc);
  return isPlainMap(parsed.value) && Object.hasOwn(parsed.value, 'sops') && isPlainMap(parsed.value.sops);
}

/** True when document `index` is a mapping with this top-level key, whatever its value. */
export function hasTopLevelKeyAt(file: SourceFile, index: number, key: string): boolean {
  const parsed = file.documents[index];
  if (!parsed) return false;
  if (!valuesMirrorAst(file)) return pairOf(parsed.doc.contents, key) !== undefined;
  return isPlainMap(parsed.value) && Object.hasOwn(parsed.value, key);
}

/**
 * {@link sopsMetadata} of document `index`: from the plain value when the metadata is clean,
 * from the AST (with its issues) otherwise.
 */
export function sopsMetadataAt(file: SourceFile, index: number): SopsMetadata | undefined {
  const parsed = file.documents[index];
  if (!parsed || !maySpellSops(file)) return undefined;
  if (valuesMirrorAst(file)) {
    if (!hasSopsKeyAt(file, index)) return undefined;
    const clean = cleanSopsMetadata(parsed.value);
    if (clean) return clean;
  }
  return sopsMetadata(parsed.doc);
}

/**
 * The values of document `index` outside its `sops` block, in document order, as
 * {@link analyzeDocument} lists them. For offsets and comment placement use that instead.
 */
export function valuesAt(file: SourceFile, index: number): readonly ValueFact[] {
  const parsed = file.documents[index];
  if (!parsed) return [];
  const facts = valuesMirrorAst(file) ? analyzeValue(parsed.value) : undefined;
  return facts ?? analyzeDocument(parsed.doc).values;
}

/** Repeated keys of document `index`: none in a file js-yaml accepted, unless keys are ambiguous. */
export function duplicatesAt(file: SourceFile, index: number): readonly DuplicateKey[] {
  const parsed = file.documents[index];
  if (!parsed) return [];
  if (valuesMirrorAst(file) && analyzeValue(parsed.value) !== undefined) return [];
  return analyzeDocument(parsed.doc).duplicates;
}

/** False when the file's text has no comment at all (every comment starts with `#`). */
export function mayHaveComments(file: SourceFile): boolean {
  return fileTextIncludes(file, '#');
}

/** False when no comment of the file can hold an `ENC[...]` value (one starts with `#ENC[`). */
export function mayHaveEncryptedComments(file: SourceFile): boolean {
  return fileTextIncludes(file, '#ENC[');
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
