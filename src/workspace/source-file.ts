import { Buffer, isUtf8 } from 'node:buffer';
import type { LineCounter } from 'yaml';
import type { FileFormat, FileProblem, ParsedDocument, Root, SourceFile } from '../model/workspace.js';
import { documentsOfValues, lineCounterOf, parseYamlText } from '../yaml/parse.js';
import type { ParseCache } from './parse-cache.js';

/** Files larger than this are not parsed (generated bundles, dumps); a note says so. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** File names kustomize looks for in a folder, in the order it prefers them. */
export const KUSTOMIZATION_FILE_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

function baseName(relativePath: string): string {
  return relativePath.slice(relativePath.lastIndexOf('/') + 1);
}

export function formatOf(relativePath: string): FileFormat {
  const base = baseName(relativePath);
  if (/\.ya?ml$/i.test(base) || KUSTOMIZATION_FILE_NAMES.includes(base)) return 'yaml';
  if (/\.json$/i.test(base)) return 'json';
  return 'other';
}

/**
 * Whether the last name of `relativePath` is `name`, compared in place: no substring per call
 * (the model asks for every document and folder, and each substring was garbage).
 */
function hasBaseName(relativePath: string, name: string): boolean {
  const start = relativePath.length - name.length;
  // The slash before the name first: it rules out almost every other path without a call.
  return start >= 0 && (start === 0 || relativePath.charCodeAt(start - 1) === 47 /* / */) && relativePath.startsWith(name, start);
}

export function isKustomizationFile(relativePath: string): boolean {
  return hasBaseName(relativePath, 'kustomization.yaml') || hasBaseName(relativePath, 'kustomization.yml') || hasBaseName(relativePath, 'Kustomization');
}

/** The kustomization file among the files directly in one folder (kustomize's preferred name first), if any. */
export function kustomizationIn(dirFiles: readonly SourceFile[]): SourceFile | undefined {
  for (let name = 0; name < KUSTOMIZATION_FILE_NAMES.length; name++) {
    for (let index = 0; index < dirFiles.length; index++) {
      const file = dirFiles[index]!;
      if (hasBaseName(file.path, KUSTOMIZATION_FILE_NAMES[name]!)) return file;
    }
  }
  return undefined;
}

/** A Flux `.sourceignore` file (reference §1.2): not YAML, but its text is read like a manifest's. */
export function isSourceIgnoreFile(relativePath: string): boolean {
  return hasBaseName(relativePath, '.sourceignore');
}

/** Terraform/OpenTofu configuration and dbt SQL: not YAML, but read as text (src/terraform, src/dbt). */
export function isTextSource(relativePath: string): boolean {
  return /\.(tf|tofu|sql)$/.test(relativePath);
}

export type LoadOutcome = { file: SourceFile; skipped?: string };

/**
 * A SourceFile as the loader makes it. A class, not an object literal: a literal with a getter
 * that closes over its own state gets a hidden class of its own, so V8 keeps every such object
 * as a dictionary, slower to make (a few microseconds each, thousands a run) and to read in
 * every later phase; instances of a class share one.
 */
class LoadedFile implements SourceFile {
  root: Root;
  path: string;
  absPath: string;
  format: FileFormat;
  text: string | undefined = undefined;
  documents: ParsedDocument[] = [];
  reported = true;
  problems: FileProblem[] = [];
  #lineCounter: LineCounter | undefined = undefined;

  constructor(root: Root, relativePath: string, absPath: string, format: FileFormat) {
    this.root = root;
    this.path = relativePath;
    this.absPath = absPath;
    this.format = format;
  }

  /** Positions are needed for few files: line offsets are computed on first use. */
  get lineCounter(): LineCounter {
    this.#lineCounter ??= lineCounterOf(this.text ?? '');
    return this.#lineCounter;
  }
}

/**
 * Turn raw content into a SourceFile; YAML and JSON are parsed once, here (or their values read
 * from `cache`); `.sourceignore` keeps its text.
 */
export function loadSourceFile(root: Root, relativePath: string, absPath: string, content: Uint8Array | string | undefined, cache?: ParseCache): LoadOutcome {
  const format = formatOf(relativePath);
  const file = new LoadedFile(root, relativePath, absPath, format);
  if (content === undefined || (format === 'other' && !isSourceIgnoreFile(relativePath) && !isTextSource(relativePath))) return { file };
  const decoded = decode(content);
  if (typeof decoded === 'object') return { file, skipped: decoded.reason };
  file.text = decoded;
  if (format === 'other') return { file };
  const cached = cache?.values(decoded, relativePath);
  if (cached !== undefined) {
    file.documents = documentsOfValues(decoded, cached);
    return { file };
  }
  const parsed = parseYamlText(decoded);
  if (parsed.values !== undefined) cache?.remember(decoded, parsed.values, relativePath);
  file.documents = parsed.documents;
  file.problems = parsed.problems;
  return { file };
}

/**
 * `UTF-16LE`/`UTF-16BE` when the bytes are UTF-16 text: a byte-order mark, or (without one) a
 * NUL in every other byte and none between, as ASCII-range text in UTF-16 has. Editors on
 * Windows save YAML this way; its NUL bytes would otherwise look binary.
 */
function utf16Encoding(head: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return 'UTF-16LE';
  if (head[0] === 0xfe && head[1] === 0xff) return 'UTF-16BE';
  // Without a BOM, one of the first two bytes is zero (ASCII in UTF-16): most files stop here.
  if (head[0] !== 0 && head[1] !== 0) return undefined;
  const pairs = Math.floor(head.length / 2);
  if (pairs < 2) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  if (oddZeros === pairs && evenZeros === 0) return 'UTF-16LE';
  if (evenZeros === pairs && oddZeros === 0) return 'UTF-16BE';
  return undefined;
}

function decode(content: Uint8Array | string): string | { reason: string } {
  if (typeof content === 'string') {
    return content.length > MAX_FILE_BYTES ? { reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` } : content;
  }
  if (content.byteLength > MAX_FILE_BYTES) return { reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` };
  const head = content.subarray(0, 8000);
  const utf16 = utf16Encoding(head);
  if (utf16) return { reason: `${utf16} text, which the linter does not read (it reads UTF-8; save the file as UTF-8)` };
  if (head.includes(0)) return { reason: 'binary content' };
  // isUtf8 validates as a fatal TextDecoder does, several times faster on many small files.
  if (!isUtf8(content)) return { reason: 'not valid UTF-8' };
  let text = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8');
  // The decoder drops a byte order mark; a second one is dropped too.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
