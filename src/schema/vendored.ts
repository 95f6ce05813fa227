/**
 * A vendored schema file (`schemas/**.json`), read so that a run parses only the definitions it
 * uses. The files hold ~500 definitions (kubernetes.json: 186 KB); a repository meets a few
 * dozen kinds, and parsing every definition on a fresh heap cost 7-15 ms of every run, most of
 * it the young-generation collections of the ~3 MB of objects. scripts/generate-schemas.ts
 * writes one kind or definition per line, so a definition's JSON text is its line: it is kept
 * as text and parsed on first use. A file in any other layout is parsed whole, as before.
 */
import type { Schema } from './types.js';

export interface VendoredFamily {
  /** Definition names by `apiVersion/Kind`. */
  readonly kinds: Readonly<Record<string, string>>;
  has(name: string): boolean;
  /** The definition, parsed once (and shared by every registry: the files never change while the process runs). */
  definition(name: string): Schema | undefined;
  names(): Iterable<string>;
}

/** The family in a vendored file's text; throws on text that is not JSON, as JSON.parse does. */
export function parseVendoredFamily(text: string): VendoredFamily {
  return byLines(text) ?? whole(JSON.parse(text) as { kinds?: Record<string, string>; definitions?: Record<string, Schema> });
}

function whole(parsed: { kinds?: Record<string, string>; definitions?: Record<string, Schema> }): VendoredFamily {
  const definitions = new Map(Object.entries(parsed.definitions ?? {}));
  return { kinds: parsed.kinds ?? {}, has: (name) => definitions.has(name), definition: (name) => definitions.get(name), names: () => definitions.keys() };
}

/**
 * The end of the quoted key of the entry whose line starts at `start` and ends at `eol` (the
 * offset after its closing quote, where `: ` follows), or -1 when the line is not `{0,2 spaces}"key": …` (a JSON string key: no
 * unescaped quote, escapes of any one character). `indent` is the exact number of spaces
 * wanted, or -1 for 0 to 2. Walked by offset: no line, match or tuple is made.
 */
function keyEnd(text: string, start: number, eol: number, indent: number): number {
  let quote = start;
  while (quote < eol && quote - start < 3 && text.charCodeAt(quote) === 32) quote++;
  if (quote - start > 2 || (indent !== -1 && quote - start !== indent) || text.charCodeAt(quote) !== 34) return -1;
  for (let i = quote + 1; i < eol; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      // `\.`: any one character but a line terminator.
      const escaped = text.charCodeAt(++i);
      if (escaped === 13 || escaped === 0x2028 || escaped === 0x2029) return -1;
    } else if (c === 34) return i + 2 < eol && text.charCodeAt(i + 1) === 58 && text.charCodeAt(i + 2) === 32 ? i + 1 : -1;
  }
  return -1;
}

/** The key (unquoted) of an entry whose quoted key spans `from` to `to` (both quotes included). */
function keyText(text: string, from: number, to: number): string {
  const quoted = text.slice(from, to);
  // A key without escapes is its text between the quotes.
  return quoted.includes('\\') ? (JSON.parse(quoted) as string) : quoted.slice(1, -1);
}

/**
 * The layout scripts/generate-schemas.ts writes: `{`, then top-level entries, each one line
 * (`"$id": "…",`) or a block (`"kinds": {`, one `  "key": value` line per entry, `}`), then `}`.
 * Every entry but the last of its object ends with a comma. `undefined` for anything else.
 * The text is walked by line offsets; a definition is kept as the offset of its value in the
 * text (the text is kept all the same: the values were slices of it before).
 */
function byLines(text: string): VendoredFamily | undefined {
  // `{` first, `}` last, each a line of its own, and a final newline.
  if (!text.startsWith('{\n') || !text.endsWith('\n}\n')) return undefined;
  const end = text.length - 2; // where the closing `}` line starts
  let kinds: Record<string, string> | undefined;
  const raw = new Map<string, number>();
  for (let line = 2; line < end; ) {
    const start = line;
    const eol = text.indexOf('\n', line);
    const close = keyEnd(text, line, eol, 0);
    if (close === -1) return undefined;
    const value = close + 2;
    if (!(eol - value === 1 && text.charCodeAt(value) === 123)) {
      // A one-line entry ($id, $comment): not used at run time, but it must be where the layout says.
      if ((text.charCodeAt(eol - 1) === 44 && eol > value) !== eol + 1 < end) return undefined;
      line = eol + 1;
      continue;
    }
    const first = eol + 1;
    let at = first;
    for (;;) {
      if (at >= end) return undefined;
      const next = text.indexOf('\n', at);
      if (text.charCodeAt(at) === 125 && (next === at + 1 || (next === at + 2 && text.charCodeAt(at + 1) === 44))) {
        if ((next === at + 2) !== next + 1 < end) return undefined;
        line = next + 1;
        break;
      }
      at = next + 1;
    }
    // `at` is where the block's closing line starts; its inner lines run from `first` to `at - 1`.
    const name = keyText(text, start, close);
    if (name === 'kinds') kinds = JSON.parse(`{${at > first ? text.slice(first, at - 1) : ''}}`) as Record<string, string>;
    if (name !== 'definitions') continue;
    for (let inner = first; inner < at; ) {
      const innerEol = text.indexOf('\n', inner);
      const innerClose = keyEnd(text, inner, innerEol, 2);
      if (innerClose === -1) return undefined;
      const last = innerEol + 1 === at;
      if ((text.charCodeAt(innerEol - 1) === 44 && innerEol > innerClose + 2) === last) return undefined;
      raw.set(keyText(text, inner + 2, innerClose), innerClose + 2);
      inner = innerEol + 1;
    }
  }
  const parsed = new Map<string, Schema>();
  return {
    kinds: kinds ?? {},
    has: (name) => raw.has(name),
    definition(name) {
      let schema = parsed.get(name);
      if (schema === undefined) {
        const start = raw.get(name);
        if (start === undefined) return undefined;
        const eol = text.indexOf('\n', start);
        // Every definition but the last ends with a comma (checked above).
        schema = JSON.parse(text.slice(start, text.charCodeAt(eol - 1) === 44 && eol > start ? eol - 1 : eol)) as Schema;
        parsed.set(name, schema);
      }
      return schema;
    },
    names: () => raw.keys(),
  };
}

/**
 * `#/definitions/<name>` of the vendored files a registry loaded, in load order: a name two
 * files define is the first one's. A Map (what the schema validator reads) that parses a
 * definition on its first `get`.
 */
export class DefinitionMap extends Map<string, Schema> {
  private readonly families: VendoredFamily[] = [];

  addFamily(family: VendoredFamily): void {
    this.families.push(family);
  }

  override get(name: string): Schema | undefined {
    const found = super.get(name);
    if (found !== undefined) return found;
    for (const family of this.families) {
      if (!family.has(name)) continue;
      const schema = family.definition(name)!;
      super.set(name, schema);
      return schema;
    }
    return undefined;
  }

  override has(name: string): boolean {
    return super.has(name) || this.families.some((family) => family.has(name));
  }

  /** Every definition, parsed and in load order (as the map held them when files were parsed whole): what iterating it needs. */
  private complete(): void {
    const all = new Map<string, Schema>();
    for (const family of this.families) for (const name of family.names()) if (!all.has(name)) all.set(name, this.get(name)!);
    super.clear();
    for (const [name, schema] of all) super.set(name, schema);
  }

  override get size(): number {
    this.complete();
    return super.size;
  }

  override entries(): MapIterator<[string, Schema]> {
    this.complete();
    return super.entries();
  }

  override keys(): MapIterator<string> {
    this.complete();
    return super.keys();
  }

  override values(): MapIterator<Schema> {
    this.complete();
    return super.values();
  }

  override forEach(callback: (value: Schema, key: string, map: Map<string, Schema>) => void, thisArg?: unknown): void {
    this.complete();
    super.forEach(callback, thisArg);
  }

  override [Symbol.iterator](): MapIterator<[string, Schema]> {
    return this.entries();
  }
}
