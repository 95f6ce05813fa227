/**
 * The values of YAML files parsed on an earlier run, kept in the repository's own git folder
 * (`.git/gitops-lint/parse-cache/`), one file per linted root. Parsing is the largest part of
 * reading a repository, and most files are unchanged from one commit or save to the next;
 * reading values back as JSON costs a fraction of parsing YAML again. Every rule still runs on
 * every file: only the parse is saved.
 *
 * An entry is keyed by the file's whole text (no hash that could collide) and holds the
 * values as JSON, parsed again for each file that asks (two files with the same text never
 * share objects). Only files js-yaml parsed without a problem are kept, and only when their
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
  /** The values of a text seen before, as fresh objects; `undefined` when not cached. */
  values(text: string): unknown[] | undefined;
  /** Keep the values of a text parsed now. */
  remember(text: string, values: readonly unknown[]): void;
  /** Write the entries of this run when they differ from what was read. Never throws. */
  save(): void;
  readonly stats: { hits: number; misses: number };
}

/** The cache file of a root inside its repository's git folder. */
export function parseCacheFile(gitDir: string, rootRelative: string, kind: ParseCacheKind): string {
  return path.join(gitDir, 'gitops-lint', 'parse-cache', `${encodeURIComponent(rootRelative === '' ? '.' : rootRelative)}.${kind}`);
}

/**
 * Entries are framed by lengths, so one read and slices give every text and its values:
 * `FORMAT\n` then, per entry, `<text length> <values length>\n<text><values>`.
 */
function readEntries(file: string, format: string): Map<string, string> {
  const entries = new Map<string, string>();
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
    if (textLength === undefined || content.charCodeAt(textLength.end) !== 32) return new Map();
    const valuesLength = digitsAt(content, textLength.end + 1);
    if (valuesLength === undefined || content.charCodeAt(valuesLength.end) !== 10) return new Map();
    const start = valuesLength.end + 1;
    const textEnd = start + textLength.value;
    const end = textEnd + valuesLength.value;
    if (end > content.length) return new Map();
    entries.set(content.slice(start, textEnd), content.slice(textEnd, end));
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
  const used = new Map<string, string>();
  let changed = false;
  const stats = { hits: 0, misses: 0 };
  return {
    stats,
    values(text) {
      const json = used.get(text) ?? stored.get(text);
      if (json === undefined) {
        stats.misses++;
        return undefined;
      }
      try {
        const values = JSON.parse(json) as unknown;
        if (!Array.isArray(values)) throw new Error('not a list');
        used.set(text, json);
        stats.hits++;
        return values;
      } catch {
        // A damaged entry: parsed again and replaced.
        stored.delete(text);
        changed = true;
        stats.misses++;
        return undefined;
      }
    },
    remember(text, values) {
      if (used.has(text) || !survivesJson(values)) return;
      used.set(text, JSON.stringify(values));
      changed = true;
    },
    save() {
      // Entries of files gone since the last run are dropped.
      if (!changed && used.size === stored.size) return;
      const parts = [`${format}\n`];
      for (const [text, json] of used) parts.push(`${text.length} ${json.length}\n`, text, json);
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
