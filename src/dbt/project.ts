/**
 * dbt projects of the linted roots, read the way `dbt parse` locates and names things
 * (reference VALIDATE-STAGE §2): the paths of `dbt_project.yml`, models (file stems), seeds,
 * snapshots, sources from property YAML, disabled nodes, installed packages, and every static
 * `ref()`/`source()` call in SQL.
 */
import type { Model } from '../model/model.js';
import type { Root, SourceFile } from '../model/workspace.js';
import { dirOf } from '../engine/collections.js';
import { asArray, asRecord, asString } from '../engine/values.js';

export interface DbtNode {
  kind: 'model' | 'seed' | 'snapshot';
  name: string;
  file: SourceFile;
  /** Offsets of the name (a snapshot block's name; a whole first line otherwise). */
  offsets: readonly [number, number] | undefined;
  /** `enabled` config: `'unknown'` when Jinja sets it (`enabled=var('x', false)`, `+enabled: "{{ … }}"`). */
  enabled: Enabled;
  /** Declared in a property file (a versioned model, a YAML snapshot), not defined by a file of its own. */
  declaredOnly?: boolean;
}

/** A `ref(...)` or `source(...)` call with literal arguments, in SQL. */
export interface DbtCall {
  fn: 'ref' | 'source';
  args: string[];
  /** From the function name to the closing parenthesis. */
  offsets: readonly [number, number];
}

export interface DbtSqlFile {
  file: SourceFile;
  kind: 'model' | 'analysis' | 'snapshot' | 'test';
  calls: DbtCall[];
  /** Calls with arguments that are not all string literals (not checked). */
  dynamic: number;
}

export interface DbtProject {
  root: Root;
  /** Root-relative folder of dbt_project.yml. */
  dir: string;
  projectFile: SourceFile;
  name: string | undefined;
  /** Path keys as written that point at no folder: key, value, index in the list. */
  missingPaths: Array<{ key: string; value: string; index: number | undefined }>;
  nodes: Map<string, DbtNode[]>;
  /** Source name → table names. */
  sources: Map<string, Set<string>>;
  sql: DbtSqlFile[];
  /** Packages by their project name (installed under packages-install-path). */
  packages: Map<string, DbtProject>;
  /** Package entries declared in packages.yml / dependencies.yml. */
  declaredPackages: number;
  /** Whether the packages-install-path folder exists. */
  packagesInstalled: boolean;
}

const cache = new WeakMap<Model, DbtProject[]>();

/** The dbt projects of the model's roots (packages are reachable through `packages`), read once per model. */
export function dbtProjects(model: Model): DbtProject[] {
  let projects = cache.get(model);
  if (!projects) cache.set(model, (projects = findProjects(model)));
  return projects;
}

function join(dir: string, relative: string): string {
  const parts = dir === '' ? [] : dir.split('/');
  for (const part of relative.replace(/\/+$/, '').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

function findProjects(model: Model): DbtProject[] {
  const projects: DbtProject[] = [];
  // Every file of the workspace is asked, once: a string test, no regex, no copy of the list.
  let projectFiles: Map<Root, SourceFile[]> | undefined;
  // Indexed loops and `Map.forEach` over the workspace's files (here and in `readProject`): in
  // unoptimised code (most runs) each `for…of` step allocates an iterator result.
  const files = model.files;
  for (let index = 0; index < files.length; index++) {
    const file = files[index] as SourceFile;
    if (!file.path.endsWith('dbt_project.yml') || (file.path !== 'dbt_project.yml' && !file.path.endsWith('/dbt_project.yml'))) continue;
    projectFiles ??= new Map();
    const list = projectFiles.get(file.root);
    if (list) list.push(file);
    else projectFiles.set(file.root, [file]);
  }
  if (!projectFiles) return projects;
  for (const root of model.roots) {
    const installed = new Set<string>();
    // In the order of the root's files (the model's order).
    for (const file of projectFiles.get(root) ?? []) {
      const project = readProject(model, root, file);
      if (!project) continue;
      for (const pkg of project.packages.values()) installed.add(pkg.projectFile.path);
      projects.push(project);
    }
    // A project inside another's packages folder is a package, not a project of its own.
    for (let i = projects.length - 1; i >= 0; i--) if (installed.has((projects[i] as DbtProject).projectFile.path) && projects[i]?.root === root) projects.splice(i, 1);
  }
  return projects;
}

function stringList(value: unknown, fallback: string[]): string[] | undefined {
  if (value === undefined) return fallback;
  if (typeof value === 'string') return [value];
  const list = asArray(value).filter((entry): entry is string => typeof entry === 'string');
  return list.length === asArray(value).length ? list : undefined;
}

function readProject(model: Model, root: Root, projectFile: SourceFile, nested = false): DbtProject | undefined {
  const config = asRecord(projectFile.documents[0]?.value);
  if (!config) return undefined;
  const dir = dirOf(projectFile.path);
  const tree = model.rootFiles(root);
  const project: DbtProject = {
    root, dir, projectFile, name: asString(config.name), missingPaths: [], nodes: new Map(), sources: new Map(), sql: [], packages: new Map(), declaredPackages: 0, packagesInstalled: false,
  };
  const paths = (key: string, alias: string | undefined, fallback: string[], legacy: string[] = []): string[] => {
    const usedKey = config[key] === undefined && alias !== undefined && config[alias] !== undefined ? alias : key;
    const list = stringList(config[usedKey], fallback) ?? [];
    const out: string[] = [];
    list.forEach((value, index) => {
      // Rendered with Jinja before use (env_var(), var()): not known here.
      if (value.includes('{{')) return;
      const target = join(dir, value);
      if (!tree.dirs.has(target)) {
        // git keeps no empty folders: a default path written out (dbt init does) may just be empty,
        // and so may the pre-1.0 `dbt init` defaults (`analysis`, `data`) many projects still carry.
        const bare = value.replace(/\/+$/, '');
        if (config[usedKey] !== undefined && !fallback.includes(bare) && !legacy.includes(bare)) project.missingPaths.push({ key: usedKey, value, index: Array.isArray(config[usedKey]) ? index : undefined });
        return;
      }
      out.push(target);
    });
    return out;
  };
  const modelPaths = paths('model-paths', 'source-paths', ['models']);
  const seedPaths = paths('seed-paths', 'data-paths', ['seeds'], ['data']);
  const snapshotPaths = paths('snapshot-paths', undefined, ['snapshots']);
  const analysisPaths = paths('analysis-paths', undefined, ['analyses'], ['analysis']);
  const macroPaths = paths('macro-paths', undefined, ['macros']);
  const testPaths = paths('test-paths', undefined, ['tests']);
  const packagesPath = join(dir, asString(config['packages-install-path']) ?? 'dbt_packages');
  // Folder prefixes, made once (every file of the root is tested against them).
  const prefixes = (bases: string[]): string[] => bases.map((base) => (base === '' ? '' : `${base}/`));
  const under = (bases: string[], file: SourceFile): boolean => {
    for (let index = 0; index < bases.length; index++) if (file.path.startsWith(bases[index] as string)) return true;
    return false;
  };
  const packagesPrefix = `${packagesPath}/`;
  const inPackages = (file: SourceFile): boolean => file.path.startsWith(packagesPrefix);
  const projectModels = asRecord(asRecord(config.models)?.[project.name ?? '']) ?? undefined;

  const enabledByProject = (file: SourceFile): Enabled | undefined => {
    // dbt_project.yml `models: <project>: <folder>: +enabled: false`, most specific folder wins.
    if (!projectModels) return undefined;
    let prefix: string | undefined;
    for (let index = 0; index < modelFolderPrefixes.length && prefix === undefined; index++) if (file.path.startsWith(modelFolderPrefixes[index] as string)) prefix = modelFolderPrefixes[index];
    if (prefix === undefined) return undefined;
    let node: Record<string, unknown> | undefined = projectModels;
    let enabled = enabledOf(node);
    // The folders below the model path, one at a time (`dirOf(…).split('/')` without its empty parts).
    const folders = dirOf(file.path.slice(prefix.length));
    for (let start = 0; start < folders.length;) {
      const slash = folders.indexOf('/', start);
      const end = slash === -1 ? folders.length : slash;
      if (end > start) {
        node = asRecord(node?.[folders.slice(start, end)]);
        if (!node) break;
        enabled = enabledOf(node) ?? enabled;
      }
      start = end + 1;
    }
    return enabled;
  };

  const yamlEnabled = new Map<string, Enabled>();
  const yamlNodes: DbtNode[] = [];
  const propertyBases = prefixes([...modelPaths, ...seedPaths, ...snapshotPaths, ...analysisPaths, ...macroPaths, ...testPaths]);
  // `${path}/` for each model path (`enabledByProject`), as `modelPaths.find` tested them.
  const modelFolderPrefixes = modelPaths.map((path) => `${path}/`);
  const modelPrefixes = prefixes(modelPaths);
  const seedPrefixes = prefixes(seedPaths);
  const snapshotPrefixes = prefixes(snapshotPaths);
  const analysisPrefixes = prefixes(analysisPaths);
  const testPrefixes = prefixes(testPaths);
  tree.files.forEach((file) => {
    if (inPackages(file) || file.path === projectFile.path) return;
    if ((file.path.endsWith('.yml') || file.path.endsWith('.yaml')) && under(propertyBases, file)) {
      const doc = asRecord(file.documents[0]?.value);
      for (const source of asArray(doc?.sources)) {
        const entry = asRecord(source);
        const name = asString(entry?.name);
        if (!entry || name === undefined) continue;
        const tables = project.sources.get(name) ?? new Set<string>();
        for (const table of asArray(entry.tables)) {
          const tableName = asString(asRecord(table)?.name);
          if (tableName !== undefined) tables.add(tableName);
        }
        project.sources.set(name, tables);
      }
      for (const node of asArray(doc?.models)) {
        const entry = asRecord(node);
        const name = asString(entry?.name);
        const enabled = enabledOf(asRecord(entry?.config));
        if (name !== undefined && enabled !== undefined) yamlEnabled.set(name, enabled);
        // Versioned models live in `<name>_v<N>.sql` (or `defined_in`): the name itself is refable.
        if (name !== undefined && entry?.versions !== undefined) yamlNodes.push({ kind: 'model', name, file, offsets: undefined, enabled: true, declaredOnly: true });
      }
      // Snapshots declared in YAML (dbt 1.9+).
      for (const node of asArray(doc?.snapshots)) {
        const name = asString(asRecord(node)?.name);
        if (name !== undefined && asRecord(node)?.relation !== undefined) yamlNodes.push({ kind: 'snapshot', name, file, offsets: undefined, enabled: enabledOf(asRecord(asRecord(node)?.config)) ?? true, declaredOnly: true });
      }
    }
  });

  const addNode = (node: DbtNode): void => {
    const list = project.nodes.get(node.name);
    if (list) list.push(node);
    else project.nodes.set(node.name, [node]);
  };
  for (const node of yamlNodes) addNode(node);
  tree.files.forEach((file) => {
    // The property bases hold every node folder: the rest of the repository is passed over at once.
    if (inPackages(file) || !under(propertyBases, file)) return;
    const base = file.path.slice(file.path.lastIndexOf('/') + 1);
    const sql = base.endsWith('.sql');
    if (under(modelPrefixes, file) && (sql || base.endsWith('.py'))) {
      const name = base.slice(0, -(sql ? 4 : 3));
      const text = file.text ?? '';
      // Comments are stripped once per file, for the config check and the ref scan alike.
      const stripped = stripJinjaComments(text);
      const enabled = enabledInFile(text, stripped) ?? yamlEnabled.get(name) ?? enabledByProject(file) ?? true;
      addNode({ kind: 'model', name, file, offsets: undefined, enabled });
      if (sql) project.sql.push(scanSql(file, 'model', stripped));
    } else if (under(seedPrefixes, file) && base.endsWith('.csv')) {
      addNode({ kind: 'seed', name: base.slice(0, -4), file, offsets: undefined, enabled: true });
    } else if (under(snapshotPrefixes, file) && base.endsWith('.sql')) {
      const text = stripJinjaComments(file.text ?? '');
      for (const match of text.matchAll(/\{%-?\s*snapshot\s+([A-Za-z_][\w]*)\s*-?%\}/g)) {
        const start = (match.index ?? 0) + match[0].indexOf(match[1] as string);
        addNode({ kind: 'snapshot', name: match[1] as string, file, offsets: [start, start + (match[1] as string).length], enabled: true });
      }
      project.sql.push(scanSql(file, 'snapshot', text));
    } else if (under(analysisPrefixes, file) && base.endsWith('.sql')) {
      project.sql.push(scanSql(file, 'analysis'));
    } else if (under(testPrefixes, file) && base.endsWith('.sql') && !file.path.includes('/generic/') && !file.path.includes('/fixtures/')) {
      project.sql.push(scanSql(file, 'test'));
    }
  });

  if (!nested) {
    for (const name of ['packages.yml', 'dependencies.yml']) {
      const file = tree.files.get(join(dir, name));
      project.declaredPackages += asArray(asRecord(file?.documents[0]?.value)?.packages).length;
    }
    project.packagesInstalled = tree.dirs.has(packagesPath);
    for (const pkgDir of model.rootFiles(root).dirsIn.get(packagesPath) ?? []) {
      const pkgFile = tree.files.get(`${pkgDir}/dbt_project.yml`);
      const pkg = pkgFile ? readProject(model, root, pkgFile, true) : undefined;
      if (pkg?.name !== undefined) project.packages.set(pkg.name, pkg);
    }
  }
  return project;
}

/** Whether dbt enables a node: `'unknown'` when Jinja decides it. */
export type Enabled = boolean | 'unknown';

function enabledOf(config: Record<string, unknown> | undefined): Enabled | undefined {
  const value = config?.['+enabled'] ?? config?.enabled;
  if (typeof value === 'boolean') return value;
  // `+enabled: "{{ target.type == 'snowflake' }}"` is rendered before use.
  return typeof value === 'string' && value.includes('{{') ? 'unknown' : undefined;
}

/** `{{ config(enabled=…) }}` in a model's SQL: a literal, or `'unknown'` for an expression (`var('x', false)`). */
function enabledInFile(text: string, stripped: string): Enabled | undefined {
  if (!text.includes('enabled')) return undefined;
  const config = /\bconfig\s*\([^)]*?\benabled\s*=\s*/.exec(stripped);
  if (config) {
    const value = stripped.slice(config.index + config[0].length);
    return /^(false|False)\b/.test(value) ? false : /^(true|True)\b/.test(value) ? true : 'unknown';
  }
  return /\benabled\s*=\s*(true|True)\b/.test(text) ? true : undefined;
}

/** Jinja comments `{# … #}` become spaces (offsets and lines are kept); raw blocks too. */
export function stripJinjaComments(text: string): string {
  // Each pass only where its markers are written (blanking never adds one).
  const uncommented = text.includes('{#') ? blankComments(text) : text;
  return uncommented.includes('endraw') ? uncommented.replace(RAW_BLOCK, blankMatch) : uncommented;
}

/** `{% raw %}…{% endraw %}` (rare: a regular expression). */
const RAW_BLOCK = /\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}/g;

function blankMatch(match: string): string {
  return match.replace(/[^\n]/g, ' ');
}

/**
 * Every `{# … #}` (from `{#` to the first `#}` after it) as spaces, line breaks kept: what
 * `text.replace(/\{#[\s\S]*?#\}/g, …)` gives, with string searches (most dbt models carry a
 * comment, and a regular expression with a callback per match cost more than the scan).
 */
function blankComments(text: string): string {
  let out = '';
  let last = 0;
  for (let open = text.indexOf('{#'); open !== -1; open = text.indexOf('{#', last)) {
    const close = text.indexOf('#}', open + 2);
    // No `#}` after this `{#`: none after a later one either.
    if (close === -1) break;
    out += text.slice(last, open);
    const end = close + 2;
    let at = open;
    for (let newline = text.indexOf('\n', at); newline !== -1 && newline < end; newline = text.indexOf('\n', at)) {
      out += `${' '.repeat(newline - at)}\n`;
      at = newline + 1;
    }
    out += ' '.repeat(end - at);
    last = end;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** JavaScript's `\s`. */
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/** JavaScript's `\w`. */
function isWord(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** The first index at or after `at` (below `end`) that is not a `\s`, or `end`. */
function skipSpaces(text: string, at: number, end: number): number {
  while (at < end && isSpace(text.charCodeAt(at))) at++;
  return at;
}

/**
 * Static `ref()`/`source()` calls inside Jinja expressions and statements. SQL comments are
 * not skipped: Jinja renders them too, so dbt still resolves a ref written in `-- {{ ref('x') }}`.
 *
 * A block is `{{` to the first `}}` after it, or `{%` to the first `%}` (scanning on after
 * it); a call is `ref` or `source` not preceded by a word character or `.` inside the block,
 * then `(` after optional spaces; its arguments are quoted strings without backslashes,
 * separated by commas, up to `)`, or up to a keyword argument (`v=2`), which ends them.
 * Written with string searches rather than regular expressions: the scan runs on every SQL
 * file of a dbt project on every run.
 */
export function scanSql(file: SourceFile, kind: DbtSqlFile['kind'], stripped?: string): DbtSqlFile {
  const text = stripped ?? stripJinjaComments(file.text ?? '');
  const out: DbtSqlFile = { file, kind, calls: NO_CALLS, dynamic: 0 };
  // Most SQL outside models holds no call at all.
  if (!text.includes('ref') && !text.includes('source')) return out;
  // Calls are gathered in a list kept for the process and copied out at their number: a list
  // pushed onto from empty keeps room for ~17 entries, and every SQL file keeps its list (and
  // every call its arguments) for the run. (Not emptied with `length = 0`, which drops the
  // list's room: `scratch.count` says how many entries are this file's.)
  scratch.calls = 0;
  // Where the next `ref` and `source` are (searched again only once passed: a file with many
  // blocks is not searched to its end for each).
  const next = { ref: -2, source: -2 };
  let from = 0;
  for (;;) {
    const open = text.indexOf('{', from);
    if (open === -1) break;
    const second = text.charCodeAt(open + 1);
    const close = second === 123 ? text.indexOf('}}', open + 2) : second === 37 ? text.indexOf('%}', open + 2) : -1;
    if (close === -1) {
      from = open + 1;
      continue;
    }
    from = close + 2;
    out.dynamic += scanBlock(text, open, from, next);
  }
  if (scratch.calls > 0) out.calls = scratchCalls.slice(0, scratch.calls);
  return out;
}

/** The calls of a file without any (shared: never appended to). */
const NO_CALLS: DbtCall[] = [];
/**
 * `scanSql`'s calls and `scanBlock`'s arguments while they scan a file (lists for the process:
 * the scan is synchronous), and how many entries of each are the current ones.
 */
const scratchCalls: DbtCall[] = [];
const scratchArgs: string[] = [];
const scratch = { calls: 0, args: 0 };

/**
 * The calls of the block `[start, end)` of `text`, appended to `calls`; the number of calls
 * with arguments that are not all string literals. `next` holds the next `ref` and `source`
 * found (-1: none left, -2: not searched yet).
 */
function scanBlock(text: string, start: number, end: number, next: { ref: number; source: number }): number {
  let dynamic = 0;
  let from = start;
  for (;;) {
    if (next.ref !== -1 && next.ref < from) next.ref = text.indexOf('ref', from);
    if (next.source !== -1 && next.source < from) next.source = text.indexOf('source', from);
    const { ref, source } = next;
    const at = ref === -1 || (source !== -1 && source < ref) ? source : ref;
    const fn = at === ref ? 'ref' : 'source';
    if (at === -1 || at + fn.length > end) return dynamic;
    const before = at > start ? text.charCodeAt(at - 1) : -1;
    const paren = skipSpaces(text, at + fn.length, end);
    if ((before !== -1 && (isWord(before) || before === 46)) || paren >= end || text.charCodeAt(paren) !== 40) {
      from = at + 1;
      continue;
    }
    from = paren + 1;
    scratch.args = 0;
    let cursor = paren + 1;
    let literal = true;
    for (;;) {
      const quoteAt = skipSpaces(text, cursor, end);
      const quote = text.charCodeAt(quoteAt);
      let closing = quoteAt + 1;
      if (quoteAt < end && (quote === 39 || quote === 34)) {
        for (let code = text.charCodeAt(closing); closing < end && code !== quote && code !== 92; code = text.charCodeAt(++closing));
      }
      if (quoteAt >= end || (quote !== 39 && quote !== 34) || closing >= end || text.charCodeAt(closing) !== quote) {
        literal = false;
        break;
      }
      scratchArgs[scratch.args++] = text.slice(quoteAt + 1, closing);
      cursor = skipSpaces(text, closing + 1, end);
      if (cursor < end && text.charCodeAt(cursor) === 44) {
        cursor++;
        // A keyword argument (`v=2`, `version=2`) ends the positional ones.
        const name = skipSpaces(text, cursor, end);
        let nameEnd = name;
        while (nameEnd < end && isWord(text.charCodeAt(nameEnd))) nameEnd++;
        const equals = skipSpaces(text, nameEnd, end);
        if (nameEnd > name && equals < end && text.charCodeAt(equals) === 61) {
          const close = text.indexOf(')', cursor);
          if (close === -1 || close >= end) literal = false;
          else cursor = close;
          break;
        }
        continue;
      }
      break;
    }
    if (!literal || cursor >= end || text.charCodeAt(cursor) !== 41 || scratch.args === 0) {
      dynamic++;
      continue;
    }
    scratchCalls[scratch.calls++] = { fn, args: scratchArgs.slice(0, scratch.args), offsets: [at, cursor + 1] };
  }
}
