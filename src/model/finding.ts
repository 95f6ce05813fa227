/** Severity of a finding; the values are SARIF `result.level` values. */
export type Level = 'error' | 'warning' | 'note';

/** A rule's configured level; `off` disables it. */
export type RuleLevel = Level | 'off';

/** A path into a YAML/JSON document: mapping keys and sequence indexes. */
export type YamlPath = ReadonlyArray<string | number>;

/**
 * A text region. Lines and columns are 1-based and `endColumn` is exclusive, like SARIF
 * regions. Columns count UTF-16 code units, as editors and the LSP do.
 */
export interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface FindingLocation extends Region {
  /** Absolute directory of the workspace root the file belongs to. */
  root: string;
  /** Path relative to `root`, with forward slashes. */
  file: string;
}

/** The resource a finding is about, when it is about one. */
export interface FindingResource {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  docIndex: number;
}

export interface Suppression {
  kind: 'inSource' | 'external';
  justification?: string;
}

/** One problem found by one rule, with its position resolved by the engine. */
export interface Finding {
  ruleId: string;
  level: Level;
  /** Interpolated message. Never contains a secret value. */
  message: string;
  messageId: string;
  location: FindingLocation;
  resource?: FindingResource;
  path?: YamlPath;
  /** Line-independent hash of rule, file, resource identity, path and message. */
  fingerprint: string;
  /** Present (possibly empty justification) when the finding is suppressed. */
  suppressions?: Suppression[];
}

/** Something the run wants the user to know that is not a rule finding (skipped files, etc.). */
export interface RunNote {
  message: string;
  /** Absolute path of the file concerned, if any. */
  file?: string;
}

/** An error that stops a part of the run (bad config, unreadable root). */
export interface RunError {
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface RootInfo {
  /** Absolute directory. */
  dir: string;
  /** The repo name used to link Flux sources to this root (folder name unless configured). */
  name: string;
  /** True when the root is (inside) a git work tree. */
  git: boolean;
  /**
   * Top level of the git work tree holding the root (the root itself, or a folder above it
   * when a subfolder is linted); absent outside git. SARIF paths are relative to it.
   */
  repo?: string;
}
