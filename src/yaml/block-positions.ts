/**
 * The position trees of `value-positions.ts`, read from the text line by line for the plain
 * block YAML most manifests are written in, without a parser.
 *
 * A file with findings needs the offsets of a few paths. Its values come from the parse cache,
 * so js-yaml's code is cold when the first findings come, and its pass with a listener (the
 * trees `documentPositions` gives) cost about a third of what such a run adds to a clean one.
 * This reads the same trees from the lines of the text and the values it already has.
 *
 * The trees must answer exactly what the `yaml` AST does (the position tests and the redaction
 * tests judge both). So this reads only text where the answer is certain, and gives `undefined`
 * for anything else (the caller then asks js-yaml):
 * - no tab, carriage return, byte order mark or other Unicode space, no `...` line, no content after `---`, and no
 *   line ends in a space; comments on lines of their own or after the content of a line without
 *   quotes; no node that starts with a block scalar, tag, anchor, alias or explicit key;
 * - block mappings whose keys are plain words (`name`, `app.kubernetes.io/name`; not `true`,
 *   `null` or a number) in the order of the value's keys, block sequences of `- ` items whose
 *   items are scalars, flow collections or mappings;
 * - scalars on one line: plain, or quoted and closed on it; flow collections of plain scalars
 *   and flow collections, closed on their line;
 * - every node lines up with the document's value (the same keys, as many items), and the
 *   documents are as many as the values.
 */
import type { DocumentPositions, Frame } from './value-positions.js';

/**
 * Text this does not read at all. Block scalars, tags, anchors, aliases, directives and explicit
 * keys start a node, where `NOT_PLAIN_START` and `KEY` turn them away; escapes in double quotes
 * do not move a scalar's ends.
 */
const NOT_PLAIN = /[\t\r\uFEFF\v\f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]| $|^\.\.\.|^---[ ]*\S/m;
/**
 * A plain key, followed by `:` and a space or the end of the line's content, matched at an
 * offset of the whole text (sticky: no slice of the line per key). The text at the end of a
 * line's content is a space (before a comment), a line break or the end of the text (there is
 * no `\r`), which neither a key character nor `:` can cross: the match is the one on the
 * line's content alone.
 */
const KEY = /[A-Za-z_][A-Za-z0-9_./-]*:(?=[ \n]|$)/y;

/** The length of the key and its `:` at `at`, or -1 when no plain key starts there. */
function keyLengthAt(text: string, at: number): number {
  KEY.lastIndex = at;
  return KEY.test(text) ? KEY.lastIndex - at : -1;
}

/** Spaces at an offset (sticky); always matches. */
const INDENT = / */y;

const SPACE = 32;
const DASH = 45;
const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** Keys the core schema reads as something other than a string. */
const NOT_STRING_KEY = /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;
/** Characters a plain scalar cannot start with (`-` only when a space follows). */
const NOT_PLAIN_START = /^(?:[?:,[\]{}#&*!|>'"%@`]|- |-$)/;

/** Thrown when the text is not certain to read as the values say. */
const UNSURE = Symbol('unsure');

interface Line {
  start: number;
  /** Offset of the first character that is not a space (`end` for a blank or comment line). */
  content: number;
  /** Where the content ends: before a comment and the spaces before it. */
  end: number;
  /** Where the line ends, a comment included. */
  lineEnd: number;
}

/** The position trees of `text`'s documents, one per value, or undefined when not certain. */
export function blockPositions(text: string, values: readonly unknown[]): DocumentPositions[] | undefined {
  if (NOT_PLAIN.test(text)) return undefined;
  const lines: Line[] = [];
  // The first `#` at or after the line's content: searched again only once a line passes it
  // (one search per `#`, not one to the end of the text per line).
  let hash = text.indexOf('#');
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    // The indentation, matched natively (spaces cannot run past the line break).
    INDENT.lastIndex = start;
    INDENT.test(text);
    const content = INDENT.lastIndex;
    // A comment starts with `#` at the start of the content or after a space; a line with a
    // quote and a comment is left to js-yaml (the `#` may be inside the quotes).
    let contentEnd = end;
    if (hash !== -1 && hash < content) hash = text.indexOf('#', content);
    if (hash !== -1 && hash < end) {
      const comment = hash === content ? hash : text.indexOf(' #', content);
      if (comment !== -1 && comment < end) {
        if (/["']/.test(text.slice(content, comment))) return undefined;
        contentEnd = comment;
        while (contentEnd > content && text.charCodeAt(contentEnd - 1) === 32) contentEnd--;
      }
    }
    lines.push({ start, content: contentEnd === content ? end : content, end: contentEnd === content ? end : contentEnd, lineEnd: end });
    start = end + 1;
  }
  // Documents: the lines between `---` markers.
  const documents: Line[][] = [];
  let current: Line[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.content === line.start && line.end === line.start + 3 && text.startsWith('---', line.start)) {
      if (index > 0 || current.length > 0) documents.push(current);
      current = [];
    } else if (line.content < line.end) current.push(line);
  }
  if (current.length > 0) documents.push(current);
  if (documents.length !== values.length) return undefined;
  try {
    return documents.map((document, index) => readDocument(text, document, values[index]));
  } catch (error) {
    if (error === UNSURE) return undefined;
    throw error;
  }
}

function readDocument(text: string, lines: Line[], value: unknown): Frame {
  if (lines.length === 0) throw UNSURE;
  const reader = new Reader(text, lines);
  const first = lines[0]!;
  const root = reader.block(0, first.content - first.start, value);
  if (root.next !== lines.length) throw UNSURE;
  return root.frame;
}

function frame(open: number, close: number, kind: string | null, result: unknown, children: Frame[] = []): Frame {
  return { open, close, kind, result, children };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

class Reader {
  constructor(
    private readonly text: string,
    private readonly lines: Line[],
  ) {}

  private indent(index: number): number {
    const line = this.lines[index]!;
    return line.content - line.start;
  }

  private startsItem(index: number, column: number): boolean {
    const line = this.lines[index];
    return line !== undefined && line.content - line.start === column && this.text.charCodeAt(line.content) === DASH && this.text.charCodeAt(line.content + 1) === SPACE;
  }

  /** The block node whose first line is `index`, starting at `column` of it. */
  block(index: number, column: number, value: unknown): { frame: Frame; next: number } {
    const line = this.lines[index]!;
    const at = line.start + column;
    if (this.text.charCodeAt(at) === DASH && this.text.charCodeAt(at + 1) === SPACE) {
      if (column !== this.indent(index)) throw UNSURE;
      return this.sequence(index, column, value);
    }
    if (keyLengthAt(this.text, at) !== -1) return this.mapping(index, column, value);
    throw UNSURE;
  }

  /** A block mapping: its first key at `column` of line `index`, the others at that indentation. */
  private mapping(index: number, column: number, value: unknown): { frame: Frame; next: number } {
    if (!isRecord(value)) throw UNSURE;
    const keys = Object.keys(value);
    const children: Frame[] = [];
    let next = index;
    let first = true;
    while (next < this.lines.length && (first || this.indent(next) === column)) {
      const line = this.lines[next]!;
      const keyStart = first ? line.start + column : line.content;
      const length = keyLengthAt(this.text, keyStart);
      if (length === -1) throw UNSURE;
      const key = this.text.slice(keyStart, keyStart + length - 1);
      if (NOT_STRING_KEY.test(key) || keys[children.length / 2] !== key) throw UNSURE;
      const child = value[key];
      children.push(frame(keyStart, keyStart + key.length, 'scalar', key));
      let rest = keyStart + length;
      while (rest < line.end && this.text.charCodeAt(rest) === 32) rest++;
      if (rest < line.end) {
        children.push(this.inline(rest, line.end, child));
        next++;
        if (next < this.lines.length && this.indent(next) > column) throw UNSURE;
      } else if (next + 1 < this.lines.length && this.indent(next + 1) > column) {
        const read = this.block(next + 1, this.indent(next + 1), child);
        children.push(read.frame);
        next = read.next;
      } else if (this.startsItem(next + 1, column)) {
        const read = this.sequence(next + 1, column, child);
        children.push(read.frame);
        next = read.next;
      } else {
        if (child !== null) throw UNSURE;
        children.push(frame(rest, rest, null, null));
        next++;
      }
      first = false;
    }
    if (children.length / 2 !== keys.length) throw UNSURE;
    if (next < this.lines.length && this.indent(next) > column) throw UNSURE;
    // A block collection ends with its last line, a trailing comment included (as the AST's range does).
    return { frame: frame(children[0]!.open, this.lines[next - 1]!.lineEnd, 'mapping', value, children), next };
  }

  /** A block sequence: `- ` items at `column`. */
  private sequence(index: number, column: number, value: unknown): { frame: Frame; next: number } {
    if (!Array.isArray(value)) throw UNSURE;
    const children: Frame[] = [];
    let next = index;
    const open = this.lines[index]!.start + column;
    while (this.startsItem(next, column)) {
      if (children.length >= value.length) throw UNSURE;
      const item = value[children.length];
      const line = this.lines[next]!;
      let at = line.content + 1;
      while (at < line.end && this.text.charCodeAt(at) === 32) at++;
      if (at === line.end || (this.text.charCodeAt(at) === DASH && (this.text.charCodeAt(at + 1) === SPACE || at + 1 === line.end))) throw UNSURE;
      if (keyLengthAt(this.text, at) !== -1) {
        const read = this.mapping(next, at - line.start, item);
        children.push(read.frame);
        next = read.next;
      } else {
        children.push(this.inline(at, line.end, item));
        next++;
        if (next < this.lines.length && this.indent(next) > column) throw UNSURE;
      }
    }
    if (children.length !== value.length || children.length === 0) throw UNSURE;
    if (next < this.lines.length && this.indent(next) > column) throw UNSURE;
    return { frame: frame(open, this.lines[next - 1]!.lineEnd, 'sequence', value, children), next };
  }

  /** A scalar or flow collection filling `[start, end)` of one line. */
  private inline(start: number, end: number, value: unknown): Frame {
    const first = this.text[start];
    if (first === '{' || first === '[') {
      const read = this.flow(start, end, value);
      if (read.next !== end) throw UNSURE;
      return read.frame;
    }
    if (value !== null && typeof value === 'object') throw UNSURE;
    if (first === '"') {
      // An escaped quote (`"x\\"`) does not close the scalar: any backslash leaves it to js-yaml.
      if (this.text.indexOf('"', start + 1) !== end - 1 || this.text.lastIndexOf('\\', end - 1) > start) throw UNSURE;
    } else if (first === "'") {
      let at = start + 1;
      for (;;) {
        const quote = this.text.indexOf("'", at);
        if (quote === -1 || quote >= end) throw UNSURE;
        if (this.text[quote + 1] === "'" && quote + 1 < end - 1) at = quote + 2;
        else if (quote === end - 1) break;
        else throw UNSURE;
      }
    } else if (NOT_PLAIN_START.test(this.text.slice(start, Math.min(end, start + 2))) || this.text.slice(start, end).includes(': ')) {
      throw UNSURE;
    }
    return frame(start, end, 'scalar', value);
  }

  /** A flow collection of plain scalars and flow collections, from `start` on one line. */
  private flow(start: number, end: number, value: unknown): { frame: Frame; next: number } {
    // Loops of char codes, no closure over `at` and no slice per key: this runs cold (once per
    // file with findings), where each builtin call and context slot costs.
    const text = this.text;
    const mapping = text.charCodeAt(start) === OPEN_BRACE;
    const close = mapping ? CLOSE_BRACE : CLOSE_BRACKET;
    if (mapping ? !isRecord(value) : !Array.isArray(value)) throw UNSURE;
    const keys = mapping ? Object.keys(value as object) : [];
    const items = mapping ? [] : (value as unknown[]);
    const children: Frame[] = [];
    let at = start + 1;
    while (at < end && text.charCodeAt(at) === SPACE) at++;
    let count = 0;
    while (text.charCodeAt(at) !== close) {
      if (at >= end) throw UNSURE;
      if (count > 0) {
        if (text.charCodeAt(at) !== COMMA) throw UNSURE;
        at++;
        while (at < end && text.charCodeAt(at) === SPACE) at++;
      }
      let child: unknown;
      if (mapping) {
        const length = keyLengthAt(text, at);
        const key = length === -1 ? undefined : text.slice(at, at + length - 1);
        if (key === undefined || NOT_STRING_KEY.test(key) || keys[count] !== key || text.charCodeAt(at + length) !== SPACE) throw UNSURE;
        children.push(frame(at, at + key.length, 'scalar', key));
        at += length;
        while (at < end && text.charCodeAt(at) === SPACE) at++;
        child = (value as Record<string, unknown>)[key];
      } else {
        if (count >= items.length) throw UNSURE;
        child = items[count];
      }
      const first = text.charCodeAt(at);
      if (first === OPEN_BRACE || first === OPEN_BRACKET) {
        const read = this.flow(at, end, child);
        children.push(read.frame);
        at = read.next;
      } else {
        const scalarStart = at;
        for (; at < end; at++) {
          const code = text.charCodeAt(at);
          if (code === COMMA || code === OPEN_BRACKET || code === CLOSE_BRACKET || code === OPEN_BRACE || code === CLOSE_BRACE) break;
        }
        let scalarEnd = at;
        while (scalarEnd > scalarStart && text.charCodeAt(scalarEnd - 1) === SPACE) scalarEnd--;
        const source = text.slice(scalarStart, scalarEnd);
        if (source === '' || NOT_PLAIN_START.test(source.slice(0, 2)) || source.includes(': ') || source.endsWith(':') || source.includes("'") || source.includes('"')) throw UNSURE;
        if (child !== null && typeof child === 'object') throw UNSURE;
        children.push(frame(scalarStart, scalarEnd, 'scalar', child));
      }
      while (at < end && text.charCodeAt(at) === SPACE) at++;
      count++;
    }
    if (count !== (mapping ? keys.length : items.length)) throw UNSURE;
    return { frame: frame(start, at + 1, mapping ? 'mapping' : 'sequence', value, children), next: at + 1 };
  }
}
