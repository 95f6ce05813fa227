/**
 * The values of YAML files parsed on an earlier run, kept in the repository's own git folder
 * (`.git/gitops-lint/parse-cache/`), one file per linted root. Parsing is the largest part of
 * reading a repository, and most files are unchanged from one commit or save to the next;
 * reading values back as JSON costs a fraction of parsing YAML again. Every rule still runs on
 * every file: only the parse is saved.
 *
 * An entry is keyed by the file's whole text (no hash that could collide) and holds the
 * values as JSON, parsed again for each file that asks (two files with the same text never
 * share objects). Entries of YAML files also name the file's path: a file is looked up by its
 * path and its text compared with the entry's (equal texts compare in one pass of memory
 * compare, where a lookup by text hashed every text, stored and asked, in JavaScript's string
 * hash); only a path the cache does not know (a new or renamed file) is looked up by text. Only files js-yaml parsed without a problem are kept, and only when their
 * values survive JSON (no NaN, infinities or negative zero). The cache stays inside the
 * repository (the values of a file may be secret: they are never copied out of the repository
 * folder), holds only the files of the last run, is written only when that set changed, and is
 * ignored whenever it cannot be read, is of another format or is damaged.
 */
import { isAscii } from 'node:buffer';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Changes whenever the values the parser gives could change: the cache layout, the YAML
 * schema and the js-yaml version (test/workspace/parse-cache.test.ts checks it against the
 * installed js-yaml).
 */
export const PARSE_CACHE_FORMAT = 'gitops-lint parse cache 1; js-yaml 4.3.2 core+merge';

/** What is cached: YAML values (js-yaml), or what the Terraform checks read of the files the JS HCL parser accepts. */
export type ParseCacheKind = 'yaml' | 'hcl';

/**
 * The code that made the entries: the bundle (or this module) by size and time. The HCL
 * structure is this project's own, so any other build of it starts an empty cache.
 */
function codeIdentity(): string {
  try {
    const { size, mtimeMs } = statSync(fileURLToPath(import.meta.url));
    return `${size}-${Math.floor(mtimeMs)}`;
  } catch {
    return 'unknown';
  }
}

/**
 * What the entries of a kind hold: for `hcl`, the facts the Terraform checks read
 * (src/terraform/hcl-facts.ts), whose layout this names (a change to it changes this too: a
 * run from the sources, whose code identity is this module's, must not read older entries).
 */
const KIND_FORMAT: Record<ParseCacheKind, string> = { yaml: 'yaml', hcl: 'hcl facts 5' };

/** The first line of a cache file of this kind, made by this build. */
export function parseCacheFormat(kind: ParseCacheKind): string {
  return `${PARSE_CACHE_FORMAT}; ${KIND_FORMAT[kind]}; code ${codeIdentity()}`;
}

export interface ParseCache {
  /**
   * The values of a text seen before, as fresh objects; `undefined` when not cached. `path`
   * (the file's, relative to the root) is where to look first; the text decides either way.
   */
  values(text: string, path?: string): unknown[] | undefined;
  /** Keep the values of a text parsed now (of the file at `path`, when given). */
  remember(text: string, values: readonly unknown[], path?: string): void;
  /** Write the entries of this run when they differ from what was read. Never throws. */
  save(): void;
  readonly stats: { hits: number; misses: number };
}

/** The cache file of a root inside its repository's git folder. */
export function parseCacheFile(gitDir: string, rootRelative: string, kind: ParseCacheKind): string {
  return path.join(gitDir, 'gitops-lint', 'parse-cache', `${encodeURIComponent(rootRelative === '' ? '.' : rootRelative)}.${kind}`);
}

/** A stored entry: the text, its values as JSON, and the path of the file that had it ('' when not named). */
interface Entry {
  text: string;
  json: string;
  path: string;
}

/**
 * Entries are framed by lengths, so one read and slices give every text and its values:
 * `FORMAT\n` then, per entry, `<text length> <values length>\n<text><values>`, or
 * `<text length> <values length> <path length>\n<text><values><path>` for an entry that names its file.
 */
function readEntries(file: string, format: string): Entry[] {
  const entries: Entry[] = [];
  let content: string;
  try {
    // Most caches are ASCII (manifests and their JSON): decoded as latin1, which gives the same
    // text without UTF-8 decoding, in a third of the time, and for a file over a megabyte into
    // a string Node keeps outside V8's heap (the entries are slices of it).
    const bytes = readFileSync(file);
    content = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  } catch {
    return entries;
  }
  const header = `${format}\n`;
  if (!content.startsWith(header)) return entries;
  let at = header.length;
  while (at < content.length) {
    // `<text length> <values length>\n`, read digit by digit (no match array or substring per entry).
    const textLength = digitsAt(content, at);
    if (textLength === undefined || content.charCodeAt(textLength.end) !== 32) return [];
    const valuesLength = digitsAt(content, textLength.end + 1);
    if (valuesLength === undefined) return [];
    let lineEnd = valuesLength.end;
    let pathLength = 0;
    if (content.charCodeAt(lineEnd) === 32) {
      const named = digitsAt(content, lineEnd + 1);
      if (named === undefined) return [];
      pathLength = named.value;
      lineEnd = named.end;
    }
    if (content.charCodeAt(lineEnd) !== 10) return [];
    const start = lineEnd + 1;
    const textEnd = start + textLength.value;
    const valuesEnd = textEnd + valuesLength.value;
    const end = valuesEnd + pathLength;
    if (end > content.length) return [];
    entries.push({ text: content.slice(start, textEnd), json: content.slice(textEnd, valuesEnd), path: pathLength === 0 ? '' : content.slice(valuesEnd, end) });
    at = end;
  }
  return entries;
}

/** The decimal number written at `at` (one digit or more) and where it ends, or undefined. */
function digitsAt(content: string, at: number): { value: number; end: number } | undefined {
  let value = 0;
  let end = at;
  for (let code = content.charCodeAt(end); code >= 48 && code <= 57; code = content.charCodeAt(++end)) value = value * 10 + (code - 48);
  return end === at ? undefined : { value, end };
}

/** Whether JSON gives these values back unchanged: every number finite and not negative zero. */
function survivesJson(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (!survivesJson(item)) return false;
    return true;
  }
  for (const key in value) if (!survivesJson((value as Record<string, unknown>)[key])) return false;
  return true;
}

/** Open the cache of a root; its file is read at once (one read, no parse of its values yet). */
export function openParseCache(file: string, kind: ParseCacheKind = 'yaml'): ParseCache {
  const format = parseCacheFormat(kind);
  const stored = readEntries(file, format);
  // By path (short keys, cheap to hash); by text only when a lookup needs it (each text hashed then).
  const storedByPath = new Map<string, Entry>();
  for (let index = 0; index < stored.length; index++) if (stored[index]!.path !== '') storedByPath.set(stored[index]!.path, stored[index]!);
  let storedByText: Map<string, Entry> | undefined;
  const byText = (): Map<string, Entry> => {
    if (!storedByText) {
      storedByText = new Map();
      for (let index = 0; index < stored.length; index++) storedByText.set(stored[index]!.text, stored[index]!);
    }
    return storedByText;
  };
  // What this run used, to save: entries of named files by path, the others by text.
  const usedByPath = new Map<string, Entry>();
  const usedByText = new Map<string, Entry>();
  let changed = false;
  const stats = { hits: 0, misses: 0 };
  const drop = (entry: Entry): void => {
    if (storedByPath.get(entry.path) === entry) storedByPath.delete(entry.path);
    if (storedByText?.get(entry.text) === entry) storedByText.delete(entry.text);
    changed = true;
  };
  return {
    stats,
    values(text, path) {
      let entry: Entry | undefined;
      if (path !== undefined && path !== '') {
        entry = usedByPath.get(path) ?? storedByPath.get(path);
        // A known file whose text changed is parsed again: its old text says nothing of the new one.
        if (entry !== undefined && entry.text !== text) entry = undefined;
        else if (entry === undefined) entry = usedByText.get(text) ?? byText().get(text);
      } else entry = usedByText.get(text) ?? byText().get(text);
      if (entry === undefined) {
        stats.misses++;
        return undefined;
      }
      try {
        const values = JSON.parse(entry.json) as unknown;
        if (!Array.isArray(values)) throw new Error('not a list');
        if (path !== undefined && path !== '') {
          // Found under another path (or none): kept under this one from now on.
          if (entry.path !== path) {
            entry = { text: entry.text, json: entry.json, path };
            changed = true;
          }
          usedByPath.set(path, entry);
        } else usedByText.set(text, entry);
        stats.hits++;
        return values;
      } catch {
        // A damaged entry: parsed again and replaced.
        drop(entry);
        stats.misses++;
        return undefined;
      }
    },
    remember(text, values, path) {
      const named = path !== undefined && path !== '';
      if ((named ? usedByPath.has(path) : usedByText.has(text)) || !survivesJson(values)) return;
      const entry: Entry = { text, json: JSON.stringify(values), path: named ? path : '' };
      if (named) usedByPath.set(path, entry);
      else usedByText.set(text, entry);
      changed = true;
    },
    save() {
      // Entries of files gone since the last run are dropped.
      if (!changed && usedByPath.size + usedByText.size === stored.length) return;
      const parts = [`${format}\n`];
      for (const entry of usedByPath.values()) parts.push(`${entry.text.length} ${entry.json.length} ${entry.path.length}\n`, entry.text, entry.json, entry.path);
      for (const entry of usedByText.values()) parts.push(`${entry.text.length} ${entry.json.length}\n`, entry.text, entry.json);
      const partial = `${file}.${process.pid}`;
      try {
        mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        writeFileSync(partial, parts.join(''), { mode: 0o600 });
        renameSync(partial, file);
      } catch {
        // A read-only checkout: no cache this time.
      }
    },
  };
}
