/** What a build reads (one root's parsed files) and what every transform reports into. */
import type { SourceFile } from '../model/workspace.js';
import type { Location } from './origin.js';

/** Read access to one root's parsed files; paths are root-relative with forward slashes. */
export interface KustomizeHost {
  file(path: string): SourceFile | undefined;
  isDirectory(path: string): boolean;
  /** The directory's `kustomization.yaml`, `kustomization.yml` or `Kustomization`. */
  kustomizationFile(dir: string): SourceFile | undefined;
  /** Files directly in a directory. */
  filesIn(dir: string): readonly SourceFile[];
  /** Directories directly in a directory. */
  dirsIn(dir: string): readonly string[];
  /** Whether a kind is cluster-scoped; `undefined` for a kind the host does not know. */
  isClusterScoped(apiVersion: string, kind: string): boolean | undefined;
  /**
   * Optional: the UTF-8 text of a file the loader did not read (a generator input such as
   * `app.env` or `script.sh`); `undefined` when it cannot be read or is not UTF-8 text.
   * Without it such inputs are unknown (`nameUnknown`).
   */
  readText?(path: string): string | undefined;
}

/**
 * Problem codes. Notes (the build is incomplete, not wrong; see `isNote`):
 * - `remote`: a remote resource or component, not built;
 * - `unsupported`: a kustomize feature not emulated (replacements, vars, helmCharts, plugins,
 *   crds, openapi, buildMetadata, configurations other than nameReference);
 * - `unknown-input`: a file whose content the build cannot know (not read by the loader,
 *   SOPS-encrypted generator input); generated objects then have `nameUnknown`.
 * Failures (kustomize or kustomize-controller would reject the build):
 * - `invalid-kustomization`, `invalid-yaml`, `invalid-object` (no kind/name), `missing-file`,
 *   `missing-kustomization`, `outside-root` (leaves the source), `cycle`, `duplicate-id`,
 *   `component-as-resource`, `kustomization-as-component`;
 * - patches: `invalid-patch`, `invalid-target`, `patch-failed` (a JSON 6902 operation),
 *   `patch-no-match` / `patch-multiple-matches` (an untargeted strategic merge patch);
 * - generators: `invalid-generator`, `generator-no-base` (merge/replace without an object);
 * - `internal-error`: a bug in this build (no objects).
 */
export type BuildProblemCode =
  | 'remote'
  | 'unsupported'
  | 'unknown-input'
  | 'invalid-kustomization'
  | 'invalid-yaml'
  | 'invalid-object'
  | 'missing-file'
  | 'missing-kustomization'
  | 'outside-root'
  | 'cycle'
  | 'duplicate-id'
  | 'component-as-resource'
  | 'kustomization-as-component'
  | 'invalid-patch'
  | 'invalid-target'
  | 'patch-failed'
  | 'patch-no-match'
  | 'patch-multiple-matches'
  | 'invalid-generator'
  | 'generator-no-base'
  | 'internal-error';

/** Something kustomize (or Flux) would reject or that the build does not emulate, at the entry causing it. */
export interface BuildProblem {
  code: BuildProblemCode;
  message: string;
  at: Location;
}

const NOTE_CODES: ReadonlySet<BuildProblemCode> = new Set(['remote', 'unsupported', 'unknown-input']);

/** True for problems that make the build incomplete rather than failing (report them as notes). */
export function isNote(problem: BuildProblem): boolean {
  return NOTE_CODES.has(problem.code);
}

export interface BuildContext {
  host: KustomizeHost;
  problem(code: BuildProblemCode, message: string, at: Location): void;
  resourceFiles: Set<SourceFile>;
  patchFiles: Set<SourceFile>;
  kustomizations: Set<SourceFile>;
}

export function docLocation(file: SourceFile, docIndex: number, path: Location['path'] = []): Location {
  return { file, docIndex, path };
}
