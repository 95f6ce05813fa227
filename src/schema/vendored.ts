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

/** A line's key; the value is the rest of the line (not matched: the regex would scan each definition). */
const ENTRY = /^ {0,2}("(?:[^"\\]|\\.)*"): /;

/** A line's key (unquoted) and value text. */
function entryOf(line: string): [key: string, value: string] | undefined {
  const match = ENTRY.exec(line);
  if (!match) return undefined;
  // A key without escapes is its text between the quotes.
  const key = match[1]!;
  return [key.includes('\\') ? (JSON.parse(key) as string) : key.slice(1, -1), line.slice(match[0].length)];
}

/**
 * The layout scripts/generate-schemas.ts writes: `{`, then top-level entries, each one line
 * (`"$id": "…",`) or a block (`"kinds": {`, one `  "key": value` line per entry, `}`), then `}`.
 * Every entry but the last of its object ends with a comma. `undefined` for anything else.
 */
function byLines(text: string): VendoredFamily | undefined {
  const lines = text.split('\n');
  const end = lines.length - 2;
  if (lines[0] !== '{' || lines[end] !== '}' || lines[end + 1] !== '') return undefined;
  let kinds: Record<string, string> | undefined;
  const raw = new Map<string, string>();
  for (let i = 1; i < end; ) {
    const entry = entryOf(lines[i]!);
    if (!entry || lines[i]!.startsWith(' ')) return undefined;
    if (entry[1] !== '{') {
      // A one-line entry ($id, $comment): not used at run time, but it must be where the layout says.
      if (entry[1].endsWith(',') !== i + 1 < end) return undefined;
      i++;
      continue;
    }
    const first = ++i;
    while (i < end && lines[i] !== '}' && lines[i] !== '},') i++;
    if (i === end || (lines[i] === '},') !== i + 1 < end) return undefined;
    const inner = lines.slice(first, i++);
    const key = entry[0];
    if (key === 'kinds') kinds = JSON.parse(`{${inner.join('\n')}}`) as Record<string, string>;
    if (key !== 'definitions') continue;
    for (const [index, line] of inner.entries()) {
      const definition = entryOf(line);
      if (!definition || !line.startsWith('  "')) return undefined;
      const last = index === inner.length - 1;
      if (definition[1].endsWith(',') === last) return undefined;
      raw.set(definition[0], last ? definition[1] : definition[1].slice(0, -1));
    }
  }
  const parsed = new Map<string, Schema>();
  return {
    kinds: kinds ?? {},
    has: (name) => raw.has(name),
    definition(name) {
      let schema = parsed.get(name);
      if (schema === undefined) {
        const json = raw.get(name);
        if (json === undefined) return undefined;
        schema = JSON.parse(json) as Schema;
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
