import jsYaml from 'js-yaml';
import { Document, isCollection, LineCounter, parseAllDocuments, visit } from 'yaml';
import type { YamlPath } from '../model/finding.js';
import type { FileProblem, ParsedDocument } from '../model/workspace.js';
import type { Offsets } from './position.js';
import { blockPositions } from './block-positions.js';
import { documentPositions, offsetsOfValuePath, type DocumentPositions } from './value-positions.js';

/**
 * Aliases are expanded by `toJS`; a small limit keeps "billion laughs" documents from
 * exhausting memory while leaving room for the anchors real manifests use.
 */
const MAX_ALIAS_COUNT = 200;

/** YAML 1.2 core schema plus merge keys: the same values the `yaml` package produces. */
const MERGE_TYPE = (jsYaml as unknown as { types: { merge: jsYaml.Type } }).types.merge;
const VALUE_SCHEMA = jsYaml.CORE_SCHEMA.extend({ implicit: [MERGE_TYPE] });

/**
 * An alias needs an anchor (`&name`) first; files that may define one take the bounded path.
 * (Testing for `*name` instead would send every CronJob schedule such as `"0 3 * * *"` there.)
 */
const MAY_HAVE_ANCHOR = /(^|[\s[{,:-])&[^\s,[\]{}]/m;

/**
 * A key that may be a collection (`? {token: …}`, `[a, b]: c`): js-yaml turns it into
 * `[object Object]`; the `yaml` path reports it (`COMPLEX_KEY`).
 */
const MAY_HAVE_COMPLEX_KEY = /(^|[\s[{,])\?([ \t]|$)|^[ \t-]*[[{][^\n]*[\]}][ \t]*:([ \t]|$)/m;

/**
 * The patterns above need a character most files lack; a native search for it first saves
 * running a multiline pattern over every file (~10 ms on 2,000 files).
 */
export function mayHaveAnchor(text: string): boolean {
  return text.includes('&') && MAY_HAVE_ANCHOR.test(text);
}

function mayHaveComplexKey(text: string): boolean {
  return (text.includes('?') || text.includes('[') || text.includes('{')) && MAY_HAVE_COMPLEX_KEY.test(text);
}

/**
 * The `yaml` package prints some warnings (a collection used as a key) with the source text in
 * them through `process.emitWarning`: never, here. They become file problems without values.
 */
const QUIET = { logLevel: 'error' } as const;

export interface ParsedText {
  documents: ParsedDocument[];
  problems: FileProblem[];
  /** The documents' values when js-yaml gave them without a problem (what a parse cache may keep). */
  values?: unknown[];
}

/**
 * Parse multi-document YAML (JSON is parsed the same way). Never throws.
 *
 * Values come from js-yaml, several times faster than the `yaml` package; the `yaml` AST
 * with node ranges (what positions, comments and SOPS checks need) is built on first use
 * only, so a run parses most files once and files with findings once more. Files that
 * js-yaml rejects (syntax errors, duplicate keys) or that use aliases take the `yaml`
 * path at once, which reports every problem with its position and bounds alias expansion.
 */
export function parseYamlText(text: string): ParsedText {
  if (!mayHaveAnchor(text) && !mayHaveComplexKey(text)) {
    let values: unknown[] | undefined;
    try {
      values = jsYaml.loadAll(text, undefined, { schema: VALUE_SCHEMA });
    } catch {
      values = undefined;
    }
    if (values !== undefined) return { documents: documentsOfValues(text, values), problems: [], values };
  }
  return parseWithPositions(text);
}

/**
 * What the documents of one file parsed by js-yaml (or read from a parse cache) share: the
 * text and values, the `yaml` ASTs and the position trees, each built on first use.
 */
class ValuesFile {
  readonly text: string;
  readonly values: unknown[];
  asts: Document.Parsed[] | undefined = undefined;
  /** `undefined`: not built yet; `null`: no tree lines up with the values. */
  positions: DocumentPositions[] | null | undefined = undefined;

  constructor(text: string, values: unknown[]) {
    this.text = text;
    this.values = values;
  }

  astAt(index: number): Document.Parsed {
    this.asts ??= astsOf(this.text);
    // A file of only comments is one empty document to js-yaml and none to `yaml`.
    return this.asts[index] ?? (new Document(null) as Document.Parsed);
  }

  trees(): DocumentPositions[] | null {
    if (this.positions === undefined) this.positions = positionTrees(this.text, this.values);
    return this.positions;
  }
}

/**
 * A document of a file parsed by js-yaml. A class, not an object literal with a getter and a
 * closure: thousands are made a run, and literals with accessors of their own are kept as
 * dictionaries (each with its closures and their context), a few hundred bytes more each.
 */
class ValueDocument implements ParsedDocument {
  readonly index: number;
  readonly value: unknown;
  readonly file: ValuesFile;

  constructor(file: ValuesFile, index: number, value: unknown) {
    this.file = file;
    this.index = index;
    this.value = value;
  }

  get doc(): Document.Parsed {
    return this.file.astAt(this.index);
  }

  // Until something needs the AST, positions come from the lines of plain block YAML
  // (block-positions.ts) or a js-yaml pass (value-positions.ts).
  offsets(path: YamlPath, key = false): Offsets | undefined {
    const file = this.file;
    if (file.asts !== undefined) return undefined;
    const positions = file.trees();
    return positions === null ? undefined : offsetsOfValuePath(positions[this.index], file.text, path, key);
  }
}

/** The documents of a text with these values (from js-yaml now or a parse cache): AST and positions come on first use. */
export function documentsOfValues(text: string, values: unknown[]): ParsedDocument[] {
  const file = new ValuesFile(text, values);
  const documents: ParsedDocument[] = new Array(values.length);
  for (let index = 0; index < values.length; index++) documents[index] = new ValueDocument(file, index, values[index]);
  return documents;
}

/** Position trees read from the lines of the text (block-positions.ts), not from a js-yaml pass. */
const readFromLines = new WeakSet<readonly DocumentPositions[]>();

/** Read from the lines of plain block YAML when that is certain (block-positions.ts), else from a js-yaml pass. */
function positionTrees(text: string, values: unknown[]): DocumentPositions[] | null {
  const fromLines = blockPositions(text, values);
  if (fromLines) {
    readFromLines.add(fromLines);
    return fromLines;
  }
  return documentPositions(text, VALUE_SCHEMA, values.length) ?? null;
}

/**
 * Whether position trees were read from the lines of the text: it is then plain block YAML whose
 * quoted scalars and flow collections each close on their line and whose keys are plain words.
 */
export function treesReadFromLines(trees: readonly DocumentPositions[]): boolean {
  return readFromLines.has(trees);
}

/**
 * The position trees of every document of the file `parsed` belongs to (the ones its `offsets`
 * answer from), or undefined when the file was parsed by the `yaml` package or no tree lines up
 * with its values.
 */
export function positionTreesOf(parsed: ParsedDocument): readonly DocumentPositions[] | undefined {
  return parsed instanceof ValueDocument ? (parsed.file.trees() ?? undefined) : undefined;
}

function astsOf(text: string): Document.Parsed[] {
  const parsed = parseAllDocuments(text, { ...QUIET, merge: true, uniqueKeys: false });
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** The `yaml` package path: every syntax error and duplicate key, with offsets. */
function parseWithPositions(text: string): ParsedText {
  const problems: FileProblem[] = [];
  const documents: ParsedDocument[] = [];
  let parsed;
  try {
    parsed = parseAllDocuments(text, { ...QUIET, lineCounter: new LineCounter(), merge: true, uniqueKeys: true, prettyErrors: false });
  } catch (error) {
    problems.push({ code: 'PARSE_FAILED', message: errorMessage(error), offsets: [0, Math.min(text.length, 1)] });
    return { documents, problems };
  }
  // parseAllDocuments returns an EmptyStream (an array) for empty input.
  const docs = Array.isArray(parsed) ? parsed : [parsed];
  docs.forEach((doc, index) => {
    for (const error of doc.errors) {
      problems.push({ code: error.code, message: firstLine(error.message), offsets: widen(text, error.code, clampOffsets(error.pos, text.length)) });
    }
    visit(doc, {
      Pair(_key, pair) {
        const key = pair.key as { range?: [number, number, number] } | null;
        if (isCollection(key) && key.range) {
          problems.push({
            code: 'COMPLEX_KEY',
            message: 'A mapping key is a collection; Kubernetes, kustomize and Helm accept only scalar keys',
            offsets: clampOffsets([key.range[0], key.range[1]], text.length),
          });
        }
      },
    });
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      if (doc.errors.length === 0) {
        const start = doc.contents?.range[0] ?? 0;
        problems.push({ code: 'ALIAS_LIMIT', message: firstLine(errorMessage(error)), offsets: clampOffsets([start, start + 1], text.length) });
      }
      value = undefined;
    }
    documents.push({ index, doc, value });
  });
  return { documents, problems };
}

/** Line offsets of a text, as the `yaml` package's LineCounter records them. */
export function lineCounterOf(text: string): LineCounter {
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) counter.addNewLine(index + 1);
  return counter;
}

const KEY_TOKEN = /^(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\s:#][^:#\n]*?)(?=[ \t]*:)/;

/** The parser points at one character; a duplicate key is shown whole. */
function widen(text: string, code: string, offsets: [number, number]): [number, number] {
  if (code === 'DUPLICATE_KEY') {
    const match = KEY_TOKEN.exec(text.slice(offsets[0], offsets[0] + 1024));
    if (match) return [offsets[0], offsets[0] + match[0].length];
  }
  return offsets;
}

function clampOffsets(pos: readonly [number, number], length: number): [number, number] {
  const start = Math.max(0, Math.min(pos[0], length));
  const end = Math.max(start, Math.min(pos[1], length));
  return [start, end];
}

/**
 * The parser's message without the source it quotes: `Not a YAML token: <text>` would copy
 * the text of a secret into every output format. Its first clause says what is wrong.
 */
function firstLine(message: string): string {
  const line = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
  return line.split(':')[0]?.trim() ?? line;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
