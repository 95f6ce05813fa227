import { lstat } from 'node:fs/promises';
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import type { loadRootConfig } from '../config/load.js';
import type { BuildMemo } from '../kustomize/memo.js';
import type { ModelMemo } from '../lsp/model-memo.js';
import type { ResolvedConfig } from '../config/types.js';
import type { RunNote } from '../model/finding.js';
import type { Root, SourceFile } from '../model/workspace.js';
import { chartTemplateNotes, chartTemplates } from './chart-templates.js';
import { resolveInside } from './confine.js';
import { discoverFiles, isInside, type DiscoveredFile } from './discover.js';
import { gitignoreMatcher, isGitignore } from './gitignore.js';
import { gitDirsOf, readGitBranches, readGitFiles, workTreeTop } from './git.js';
import { openParseCache, parseCacheFile, type ParseCache, type ParseCacheKind } from './parse-cache.js';
import { isSourceIgnoreFile, isTextSource, loadSourceFile, MAX_FILE_BYTES } from './source-file.js';

/** A root whose files are given in memory (tests, docs examples, editors). */
export interface MemoryRoot {
  /** Absolute directory the root pretends to be at. */
  dir: string;
  /** Name used to link Flux sources to the root; the folder name by default. */
  name?: string;
  /** Files by root-relative path. */
  files: Record<string, string>;
  /** Tracked files: when given, the root behaves as a git work tree. */
  tracked?: string[];
  /** Resolved config to use instead of the root's `.gitops-lint.yaml`. */
  config?: ResolvedConfig;
  /** The checked-out branch, as a git work tree would say (see `Root.branch`). */
  branch?: string;
  /** The default branch, as a git work tree would say. */
  defaultBranch?: string;
}

export type RootInput = string | MemoryRoot;

export interface LoadedWorkspace {
  roots: Root[];
  files: SourceFile[];
  notes: RunNote[];
}

/**
 * Replacements for the steps of reading a disk root, so a long-running caller (the language
 * server) can reuse discovery and parses between runs. Each must behave like the default.
 */
export interface LoadHooks {
  discover?: typeof discoverFiles;
  readGit?: typeof readGitFiles;
  /** Read a file's content from disk (the language server keeps what it read until the file changes). */
  read?: typeof readContent;
  loadFile?: typeof loadSourceFile;
  /** Load a disk root's `.gitops-lint.yaml` (the language server keeps it until a file changes on disk). */
  config?: typeof loadRootConfig;
  /** Kustomize builds kept between runs: a build is reused while every file it read is the same. */
  buildMemo?: BuildMemo;
  /** Written resources, applied copies and containers kept between runs (the language server). */
  modelMemo?: ModelMemo;
}

export interface LoadOptions extends LoadHooks {
  /** Absolute path → text that replaces the file on disk (unsaved editor buffers). */
  overrides?: ReadonlyMap<string, string>;
  /**
   * Keep the values of parsed YAML files in the repository's git folder and read unchanged
   * files' values from there on the next run (see parse-cache.ts). Off unless asked (the CLI asks).
   */
  parseCache?: boolean;
  /** Called with the root's files once discovery has listed them, before any is read. */
  onListed?: (paths: readonly string[]) => void;
}



export function rootName(dir: string, explicit?: string): string {
  return explicit ?? path.basename(dir);
}

/** Whether a file's content is read: YAML, JSON, kustomization, `.sourceignore`, Terraform and dbt SQL files. */
export function needsContent(relativePath: string): boolean {
  return /\.(ya?ml|json)$/i.test(relativePath) || relativePath.endsWith('Kustomization') || isSourceIgnoreFile(relativePath) || isTextSource(relativePath);
}

/** Read a disk root: its files (honouring ignores), git tracking, contents. */
export async function loadDiskRoot(
  dir: string,
  config: ResolvedConfig,
  notes: RunNote[],
  options: LoadOptions = {},
): Promise<{ root: Root; files: SourceFile[]; parseCache?: ParseCache['stats'] }> {
  const cache = options.parseCache && !options.loadFile ? rootParseCache(dir) : undefined;
  const { discover = discoverFiles, readGit = readGitFiles, read = readContent } = options;
  const loadFile: typeof loadSourceFile = options.loadFile ?? ((fileRoot, relativePath, absPath, content) => loadSourceFile(fileRoot, relativePath, absPath, content, cache));
  // Files discovery knows to be small are read as text in one call, unless a caller reads.
  const small = (entry: DiscoveredFile): boolean => options.read === undefined && entry.link !== true && entry.size !== undefined && entry.size <= MAX_FILE_BYTES;
  const [gitFiles, branches] = await Promise.all([readGit(dir), readGitBranches(dir)]);
  // In a git work tree git lists the files (its exact ignore rules; ignored folders are never walked).
  const discovery = await discover(dir, config.ignore, gitFiles);
  const root: Root = {
    dir,
    name: rootName(dir),
    git: gitFiles !== undefined,
    ...(gitFiles === undefined ? {} : withRepo(workTreeTop(dir))),
    tracked: gitFiles?.tracked ?? null,
    trackedIgnored: gitFiles?.trackedIgnored ?? new Set(),
    config,
    ...(gitFiles === undefined ? {} : branches),
  };
  for (const link of discovery.escapingLinks) {
    notes.push({ message: `Skipped symlink ${link}: it points outside the root.`, file: path.join(dir, link) });
  }
  for (const folder of discovery.unreadableDirs ?? []) {
    notes.push({ message: `Skipped folder ${folder.path}: it cannot be read (${folder.code}), so nothing in it was checked.`, file: path.join(dir, folder.path) });
  }
  const unread = [...discovery.escapingLinks, ...(discovery.unreadableDirs ?? []).map((folder) => folder.path)];
  if (unread.length > 0) root.unread = new Set(unread);
  // The set of discovered paths is made only when git tracks ignored files (rarely).
  const entries = root.trackedIgnored.size === 0 ? discovery.files.slice() : [...discovery.files, ...trackedButIgnored(root, new Set(discovery.files.map((entry) => entry.path)))];
  for (const absPath of options.overrides?.keys() ?? []) {
    if (!isInside(dir, absPath)) continue;
    const relative = path.relative(dir, absPath).split(path.sep).join('/');
    if (entries.some((entry) => entry.path === relative)) continue;
    // A new, unsaved file is added; one on disk that discovery left out (ignored) stays out.
    if (!(await lstat(absPath).then(() => true, () => false))) entries.push({ path: relative, absPath });
  }
  const listed = entries.map((entry) => entry.path);
  options.onListed?.(listed);
  // Helm chart templates are not read: Helm renders them, nothing applies them as written.
  const templates = chartTemplates(listed);
  notes.push(...chartTemplateNotes(dir, templates));
  // Reads are synchronous: see readContent.
  const files = entries.map((entry) => {
    if (templates.has(entry.path)) return loadFile(root, entry.path, entry.absPath, undefined).file;
    const override = options.overrides?.get(entry.absPath);
    const content = override ?? (needsContent(entry.path) ? ((small(entry) && readText(entry.absPath)) || read(entry.absPath, entry.link === true)) : undefined);
    if (content === TOO_LARGE) {
      notes.push({ message: `Skipped ${entry.path}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB.`, file: entry.absPath });
      return loadFile(root, entry.path, entry.absPath, undefined).file;
    }
    if (content === null) {
      notes.push({ message: `Skipped ${entry.path}: the file cannot be read.`, file: entry.absPath });
      return loadFile(root, entry.path, entry.absPath, undefined).file;
    }
    const outcome = loadFile(root, entry.path, entry.absPath, content);
    if (outcome.skipped) notes.push({ message: `Skipped ${entry.path}: ${outcome.skipped}.`, file: entry.absPath });
    return outcome.file;
  });
  cache?.save();
  return { root, files, ...(cache ? { parseCache: cache.stats } : {}) };
}

/** The parse cache of a root in a git work tree (none elsewhere: it lives in the git folder). */
export function rootParseCache(dir: string, kind: ParseCacheKind = 'yaml'): ParseCache | undefined {
  const top = workTreeTop(dir);
  const gitDir = top === undefined ? undefined : gitDirsOf(top)?.gitDir;
  if (top === undefined || gitDir === undefined) return undefined;
  return openParseCache(parseCacheFile(gitDir, path.relative(top, dir).split(path.sep).join('/'), kind), kind);
}

/**
 * Tracked files that `.gitignore` hides from discovery are still committed, so they are in
 * the model too (a force-added tfstate, a manifest Flux applies anyway); the config's
 * `ignore` globs still leave them out.
 */
function trackedButIgnored(root: Root, discovered: ReadonlySet<string>): DiscoveredFile[] {
  const configIgnore = ignore().add(root.config.ignore);
  return [...root.trackedIgnored]
    .filter((file) => !discovered.has(file) && !configIgnore.ignores(file) && staysInside(root.dir, file))
    .sort()
    .map((file) => {
      const absPath = path.join(root.dir, ...file.split('/'));
      return lstatSync(absPath, { throwIfNoEntry: false })?.isSymbolicLink() ? { path: file, absPath, link: true as const } : { path: file, absPath };
    });
}

function withRepo(repo: string | undefined): { repo?: string } {
  return repo === undefined ? {} : { repo };
}

/** What `readContent` gives for a file larger than `MAX_FILE_BYTES` (not read). */
export const TOO_LARGE = Symbol('too large');

/** A committed symlink that .gitignore hid from discovery is still not followed out of the root. */
function staysInside(dir: string, file: string): boolean {
  const absPath = path.join(dir, ...file.split('/'));
  try {
    if (!lstatSync(absPath).isSymbolicLink()) return true;
    return !('escapes' in resolveInside(dir, absPath));
  } catch {
    // Deleted from the working tree: nothing to read, but still tracked.
    return true;
  }
}

/**
 * Synchronous reads: thousands of small files read several times faster this way than
 * through promise-based handles (open, fstat, read, close each cost a round trip).
 *
 * @param follow Whether the file is a symlink known to stay inside its root. Any other
 *   symlink is not opened (`O_NOFOLLOW`): a tracked file that the working tree replaced with
 *   a link is listed by git as a plain file, and must not be read through the link.
 */
export function readContent(absPath: string, follow = false): Uint8Array | null | typeof TOO_LARGE {
  let fd: number | undefined;
  try {
    fd = openSync(absPath, follow ? constants.O_RDONLY : constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    // Huge files (generated bundles, dumps) are never read into memory.
    const { size } = fstatSync(fd);
    if (size > MAX_FILE_BYTES) return TOO_LARGE;
    const buffer = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const count = readSync(fd, buffer, read, size - read, read);
      if (count === 0) break;
      read += count;
    }
    return buffer.subarray(0, read);
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The text of a file that discovery knows to be small, read and decoded in one call (Node's
 * native UTF-8 read: a third of the time of `readContent` and the decoding after it, on
 * thousands of small files); `undefined` when only its bytes can tell what `readContent` and
 * the decoding in source-file.ts would make of it: bytes that are not UTF-8 (the decoder
 * made them U+FFFD), a NUL (binary or UTF-16 content), more than `MAX_FILE_BYTES` bytes (the
 * file grew since git looked), or a read that failed. Symlinks are not opened (`O_NOFOLLOW`).
 * A leading byte order mark is dropped, twice, as the decoding drops it.
 */
export function readText(absPath: string): string | undefined {
  let text: string;
  try {
    // Node takes open(2) flags as a number too (its types say string); through a file
    // descriptor instead the read costs a third more.
    text = readFileSync(absPath, { encoding: 'utf8', flag: (constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)) as unknown as string });
  } catch {
    return undefined;
  }
  if (text.includes('\uFFFD') || text.includes('\0')) return undefined;
  // UTF-8 takes at most three bytes for each UTF-16 code unit.
  if (text.length > MAX_FILE_BYTES / 3 && Buffer.byteLength(text) > MAX_FILE_BYTES) return undefined;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Build a root from in-memory files; ignore rules come from in-memory `.gitignore` files. */
export function loadMemoryRoot(input: MemoryRoot, config: ResolvedConfig, notes: RunNote[]): { root: Root; files: SourceFile[] } {
  const ignored = gitignoreMatcher(new Map(Object.entries(input.files).filter(([file]) => isGitignore(file))));
  const tracked = input.tracked ? new Set(input.tracked) : null;
  const root: Root = {
    dir: input.dir,
    name: rootName(input.dir, input.name),
    git: tracked !== null,
    tracked,
    trackedIgnored: new Set(tracked ? [...tracked].filter((file) => ignored(file)) : []),
    config,
    ...(input.branch === undefined ? {} : { branch: input.branch }),
    ...(input.defaultBranch === undefined ? {} : { defaultBranch: input.defaultBranch }),
  };
  const configIgnore = ignore().add(config.ignore);
  const given = Object.entries(input.files)
    .filter(([relative]) => !((ignored(relative) && !root.trackedIgnored.has(relative)) || configIgnore.ignores(relative)))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // Tracked files given without content stand for files the linter does not read (binaries).
  const unread = [...(tracked ?? [])].filter((relative) => !(relative in input.files) && !configIgnore.ignores(relative)).sort();
  const templates = chartTemplates([...given.map(([relative]) => relative), ...unread]);
  notes.push(...chartTemplateNotes(input.dir, templates));
  const files: SourceFile[] = [];
  for (const [relative, text] of given) {
    const outcome = loadSourceFile(root, relative, path.join(input.dir, relative), templates.has(relative) ? undefined : text);
    if (outcome.skipped) notes.push({ message: `Skipped ${relative}: ${outcome.skipped}.`, file: outcome.file.absPath });
    files.push(outcome.file);
  }
  for (const relative of unread) files.push(loadSourceFile(root, relative, path.join(input.dir, relative), undefined).file);
  return { root, files };
}

