import type { Finding, Region, RootInfo, RunError, RunNote } from './finding.js';
import type { RuleMeta } from './rule.js';

/** The outcome of one lint run: what formatters, the CLI and the LSP consume. */
export interface LintResult {
  /** Sorted by root, file, line, column, rule id. Suppressed findings are included and marked. */
  findings: Finding[];
  /** Metadata of every rule that ran, sorted by id. */
  rules: ReadonlyArray<RuleMeta>;
  roots: ReadonlyArray<RootInfo>;
  /** Number of files read. */
  fileCount: number;
  /** Number of resources (Kubernetes-style objects) in the model. */
  resourceCount: number;
  notes: RunNote[];
  errors: RunError[];
  /** Milliseconds each rule's check took (shown with TIMING=1, like ESLint). */
  timings?: Record<string, number>;
  /**
   * Milliseconds of each phase of the run (`load`: discovery, reading and parsing; `model`: the
   * model and the applied builds; `rules`: every rule, lazily built model views included;
   * `report`: masking, suppressions, baselines, sorting). Shown with TIMING=1.
   */
  phases?: Record<'load' | 'model' | 'rules' | 'report', number>;
  /** Files whose values the parse cache gave back (`hits`) or that were parsed (`misses`), when the run used it. */
  parseCache?: { hits: number; misses: number };
  /**
   * Source lines `startLine..endLine` (1-based, inclusive) of a file for code frames, with
   * every secret value replaced by `***`. `undefined` when the file has no text.
   */
  sourceLines(root: string, file: string, startLine: number, endLine: number): string[] | undefined;
  /**
   * A finding's region as it falls on `sourceLines`: a range over a masked value covers the
   * `***` mask, no more. Absent (or the region unchanged) when nothing on those lines is masked.
   */
  frameRegion?(root: string, file: string, region: Region): Region;
}

/** Context given to formatters. */
export interface FormatterContext {
  /** Directory paths are shown relative to. */
  cwd: string;
  toolVersion: string;
  /** Whether ANSI colours may be used. */
  color: boolean;
  /**
   * The GitHub Actions workspace (`GITHUB_WORKSPACE`), the folder the workflow checked out:
   * the `github` format names files relative to it, and files outside it in the message.
   */
  workspace?: string;
}

/** A formatter is a pure function of the result. */
export type Formatter = (result: LintResult, context: FormatterContext) => string;
