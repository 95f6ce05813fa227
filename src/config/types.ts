import type { RuleLevel } from '../model/finding.js';

/** A rule entry as written in `.gitops-lint.yaml`: a level, or a level plus options. */
export type RuleSetting = RuleLevel | [RuleLevel] | [RuleLevel, Record<string, unknown>];

/** `.gitops-lint.yaml` as written (after schema validation). */
export interface ConfigFile {
  extends?: string | string[];
  rules?: Record<string, RuleSetting>;
  ignore?: string[];
  /** GitRepository name (or `namespace/name`) → local path of the repo it fetches. */
  repos?: Record<string, string>;
  /** Secrets that exist in the cluster but not in git. */
  externalSecrets?: Array<string | { name: string; namespace?: string; keys?: string[] }>;
  policies?: string[];
}

export interface ExternalSecret {
  name: string;
  namespace?: string;
  /** Known keys; `undefined` means any key is accepted. */
  keys?: string[];
}

/** A config with `extends` resolved and every rule's level and options known. */
export interface ResolvedConfig {
  /** Absolute path of the config file, if one was loaded. */
  file?: string;
  rules: Record<string, { level: RuleLevel; options: Record<string, unknown> }>;
  ignore: string[];
  /** GitRepository name → absolute path. */
  repos: Record<string, string>;
  externalSecrets: ExternalSecret[];
}
