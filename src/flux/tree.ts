/** The two ways Flux turns a path into a set of files (§2.3), over the model's per-root file index. */
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { KustomizeIndex, KustomizeNode, Resource, RootFiles, SourceFile } from '../model/workspace.js';
import { dirOf } from '../engine/collections.js';
import { reuse } from '../engine/reuse.js';
import { asArray, asRecord, asString, getIn } from '../engine/values.js';
import { isSourceIgnoreFile, kustomizationIn } from '../workspace/source-file.js';
import type { RepeatedInclusion } from './types.js';

/**
 * Normalise a Flux `spec.path` to a root-relative folder. Flux joins it securely under the
 * artifact root, so a leading `/` is relative to the root; `..` above the root is refused.
 */
/** An empty, `.` or `..` segment (a leading, trailing or doubled slash included). */
const UNNORMALIZED = /(?:^|\/)\.{0,2}(?:\/|$)/;

export function fluxDir(written: string | undefined): string | undefined {
  if (written === undefined) return '';
  // `./apps/x` and `apps/x` are the common, already normal, case.
  const relative = written.startsWith('./') ? written.slice(2) : written;
  if (relative !== '' && !UNNORMALIZED.test(relative)) return relative;
  const joined = path.posix.normalize(`./${written.replace(/^\/+/, '')}`);
  if (joined === '..' || joined.startsWith('../')) return undefined;
  return joined === '.' || joined === './' ? '' : joined.replace(/\/$/, '');
}

export interface Build {
  files: SourceFile[];
  repeats: RepeatedInclusion[];
  /** Files a generated kustomization lists itself (not through a kustomization file below). */
  scanned: SourceFile[];
}

/** Files a `kustomize build` of `start` reads objects from, and entries that repeat an inclusion. */
export function kustomizeBuild(start: KustomizeNode, kustomize: KustomizeIndex, tree: RootFiles, into: Build = { files: [], repeats: [], scanned: [] }, seen = new Set<SourceFile | KustomizeNode>()): Build {
  seen.add(start);
  const visit = (node: KustomizeNode): void => {
    for (const entry of node.entries) {
      if (entry.target === undefined) continue;
      if (entry.kind === 'file') {
        const file = tree.files.get(entry.target);
        if (!file) continue;
        if (seen.has(file)) into.repeats.push({ node, entry });
        else {
          seen.add(file);
          into.files.push(file);
        }
      } else if (entry.kind === 'directory') {
        const child = kustomize.at(tree.root, entry.target);
        if (!child || child === node) continue;
        if (seen.has(child)) {
          // A Component runs inside each kustomization that includes it (with that one's
          // namespace and patches): several includers in one build are no repeat, one
          // kustomization listing it twice is.
          const listedBefore = node.entries.some((other) => other.field === entry.field && other.index < entry.index && other.target === entry.target);
          if (entry.field !== 'components' || listedBefore) into.repeats.push({ node, entry });
          continue;
        }
        seen.add(child);
        visit(child);
      }
    }
  };
  visit(start);
  return into;
}

/**
 * Files of the kustomization Flux generates for a folder without one: every `.yaml`/`.yml`
 * below it that the source's ignore rules keep; a sub-folder with its own kustomization file
 * is included as a whole and not descended into.
 */
export function generatedBuild(dir: string, kustomize: KustomizeIndex, tree: RootFiles, ignored: (relative: string) => boolean): Build {
  const build: Build = { files: [], repeats: [], scanned: [] };
  const seen = new Set<SourceFile | KustomizeNode>();
  const walk = (current: string): void => {
    for (const file of tree.filesIn.get(current) ?? []) {
      if (!/\.ya?ml$/.test(file.path) || ignored(file.path)) continue;
      seen.add(file);
      build.files.push(file);
      build.scanned.push(file);
    }
    for (const sub of tree.dirsIn.get(current) ?? []) {
      if (ignored(`${sub}/`)) continue;
      if (hasKustomizationFile(tree, sub)) {
        // An unparsable kustomization file fails the build; yaml-syntax reports it.
        const node = kustomize.at(tree.root, sub);
        if (node && !seen.has(node)) kustomizeBuild(node, kustomize, tree, build, seen);
      } else {
        walk(sub);
      }
    }
  };
  walk(dir);
  return build;
}

const VCS_PATTERNS = ['.git/', '.gitignore', '.gitmodules', '.gitattributes'];
/** source-controller's default exclusions besides VCS files (fluxcd/pkg `sourceignore`). */
const DEFAULT_PATTERNS = [
  '*.jpg', '*.jpeg', '*.gif', '*.png', '*.wmv', '*.flv', '*.tar.gz', '*.zip',
  '.github/', '.circleci/', '.travis.yml', '.gitlab-ci.yml', 'appveyor.yml', '.drone.yml', 'cloudbuild.yaml',
  'codeship-services.yml', 'codeship-steps.yml',
  '**/.goreleaser.yml', '**/.sops.yaml', '**/.flux.yaml',
];

const sourceIgnoreFiles = new WeakMap<RootFiles, SourceFile[]>();

/** The `.sourceignore` files of a root, found once per model. */
function sourceIgnoresIn(tree: RootFiles): SourceFile[] {
  let found = sourceIgnoreFiles.get(tree);
  if (!found) sourceIgnoreFiles.set(tree, (found = [...tree.files.values()].filter((file) => isSourceIgnoreFile(file.path))));
  return found;
}

function patternLines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line.trim().length > 0 && !line.trimStart().startsWith('#'));
}

/**
 * What source-controller leaves out of a GitRepository artifact (reference §1.2): VCS files,
 * plus its default exclusions unless any user pattern exists (`spec.ignore` or a
 * `.sourceignore` anywhere), in which case only the user patterns are added. A `.sourceignore`
 * whose content cannot be read counts as user patterns that are not known.
 */
export function sourceIgnoreMatcher(tree: RootFiles, gitRepository: Resource | undefined): (relative: string) => boolean {
  const specIgnore = gitRepository ? asString(getIn(gitRepository.value, ['spec', 'ignore'])) : undefined;
  if (!reuse.enabled) return makeIgnoreMatcher(tree, specIgnore);
  // The language server's next run: the same patterns and `.sourceignore` files give the same matcher (and its answers so far).
  const key = `${tree.root.dir}\0${specIgnore === undefined ? '' : `=${specIgnore}`}`;
  const files = sourceIgnoresIn(tree);
  const kept = matchers.get(key);
  if (kept && kept.files.length === files.length && kept.files.every((file, index) => file === files[index])) return kept.matcher;
  const matcher = makeIgnoreMatcher(tree, specIgnore);
  // Every `spec.ignore` typed in the editor is a new key: the least recently made go first.
  matchers.delete(key);
  if (matchers.size >= MAX_KEPT_MATCHERS) matchers.delete(matchers.keys().next().value as string);
  matchers.set(key, { files, matcher });
  return matcher;
}

/** Matchers by root folder and `spec.ignore`, with the `.sourceignore` files they were made from (see `reuse`). */
const matchers = new Map<string, { files: readonly SourceFile[]; matcher: (relative: string) => boolean }>();

/** Far more GitRepositories than a workspace has, few enough that a long editing session keeps no garbage to speak of. */
const MAX_KEPT_MATCHERS = 256;

/** How many source-ignore matchers the language server keeps (for tests). */
export function keptSourceIgnoreMatchers(): number {
  return matchers.size;
}

function makeIgnoreMatcher(tree: RootFiles, specIgnore: string | undefined): (relative: string) => boolean {
  const specPatterns = specIgnore === undefined ? [] : patternLines(specIgnore);
  const nested: Array<{ base: string; matches: (relative: string) => boolean }> = [];
  let userPatterns = specPatterns.length > 0;
  for (const file of sourceIgnoresIn(tree)) {
    // The workspace reads `.sourceignore` text like YAML (disk, git index or editor buffer).
    const patterns = file.text === undefined ? undefined : patternLines(file.text);
    if (patterns === undefined || patterns.length > 0) userPatterns = true;
    if (!patterns || patterns.length === 0) continue;
    const base = dirOf(file.path);
    nested.push({ base: base === '' ? '' : `${base}/`, matches: ignoreMatcher(patterns) });
  }
  const top = ignoreMatcher([...VCS_PATTERNS, ...(userPatterns ? specPatterns : DEFAULT_PATTERNS)]);
  return (relative) => top(relative) || nested.some(({ base, matches }) => relative.startsWith(base) && matches(relative.slice(base.length)));
}

/**
 * `ignore` instances by their pattern list: a run makes a matcher per GitRepository and one
 * for no source, most with the same patterns (the defaults), and each instance compiled every
 * pattern into regular expressions on its first question (V8 compiles each again). The answers
 * depend on the patterns alone, so instances with the same list are one. Bounded: the language
 * server sees every `spec.ignore` typed.
 */
const compiled = new Map<string, Ignore>();
const MAX_COMPILED = 64;

function compiledPatterns(patterns: readonly string[]): Ignore {
  const key = patterns.join('\n');
  let matcher = compiled.get(key);
  if (!matcher) {
    matcher = ignore().add(patterns);
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, matcher);
  }
  return matcher;
}

/**
 * A pattern without a slash (but a trailing one, or a leading `**\/`), negation, escape,
 * bracket or space: it matches a name at any depth, by that name alone (gitignore; the
 * `ignore` package anchors it at a slash or the start and lets it match no slash).
 */
const NAME_PATTERN = /^(?:\*\*\/)?[^/\\!#[\s]+\/?$/;

/**
 * `ignore().add(patterns).ignores`, for root-relative paths (`dir/` for a folder). When every
 * pattern is a name pattern, whether a path is ignored depends only on its folder (ignored as
 * a whole) and its last name, so the answer is asked (and kept) for those two: a tree of
 * thousands of files with a few distinct names tests each folder and name once instead of
 * every path.
 */
export function ignoreMatcher(patterns: readonly string[]): (relative: string) => boolean {
  const matcher = compiledPatterns(patterns);
  if (!patterns.every((pattern) => NAME_PATTERN.test(pattern) && !(pattern.startsWith('**/') ? pattern.slice(3) : pattern).includes('**'))) return (relative) => matcher.ignores(relative);
  const known = new Map<string, boolean>();
  const ignores = (part: string): boolean => {
    let answer = known.get(part);
    if (answer === undefined) known.set(part, (answer = matcher.ignores(part)));
    return answer;
  };
  return (relative) => {
    const end = relative.endsWith('/') ? relative.length - 1 : relative.length;
    const slash = relative.lastIndexOf('/', end - 1);
    if (slash <= 0) return matcher.ignores(relative);
    return ignores(relative.slice(0, slash + 1)) || ignores(relative.slice(slash + 1));
  };
}

/** True when a folder has a kustomization file (Flux then uses it as is). */
export function hasKustomizationFile(tree: RootFiles, dir: string): boolean {
  return kustomizationIn(tree.filesIn.get(dir) ?? []) !== undefined;
}

/**
 * `spec.include` of a GitRepository (FLUX-LAYOUTS §4): the included GitRepository's files from
 * `fromPath` (default its root) sit at `toPath` (default its name). For a path at or below the
 * deepest matching `toPath`: the included GitRepository's name and the folder in its checkout.
 */
export function includeAt(source: Resource, dir: string): { name: string; to: string; dir: string } | undefined {
  let best: { to: string; from: string; name: string } | undefined;
  for (const raw of asArray(getIn(source.value, ['spec', 'include']))) {
    const item = asRecord(raw);
    const name = asString(asRecord(item?.repository)?.name);
    if (!item || name === undefined) continue;
    const to = fluxDir(asString(item.toPath) ?? name);
    const from = fluxDir(asString(item.fromPath));
    if (to === undefined || to === '' || from === undefined) continue;
    if ((dir === to || dir.startsWith(`${to}/`)) && (!best || to.length >= best.to.length)) best = { to, from, name };
  }
  if (!best) return undefined;
  const rest = dir.slice(best.to.length).replace(/^\//, '');
  return { name: best.name, to: best.to, dir: best.from === '' ? rest : rest === '' ? best.from : `${best.from}/${rest}` };
}
