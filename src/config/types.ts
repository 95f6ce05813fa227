import type { RuleLevel } from '../model/finding.js';
import type { PolicyConfig, PolicyEntry } from '../policies/config.js';

/** A level as written in `.gitops-lint.yaml`: `warn` is accepted for `warning`. */
export type RuleSettingLevel = RuleLevel | 'warn';

/** A rule entry as written in `.gitops-lint.yaml`: a level, or a level plus options. */
export type RuleSetting = RuleSettingLevel | [RuleSettingLevel] | [RuleSettingLevel, Record<string, unknown>];

/** `.gitops-lint.yaml` as written (after schema validation). */
export interface ConfigFile {
  extends?: string | string[];
  rules?: Record<string, RuleSetting>;
  ignore?: string[];
  /** GitRepository name (or `namespace/name`) → local path of the repo it fetches. */
  repos?: Record<string, string>;
  /** Secrets that exist in the cluster but not in git. */
  externalSecrets?: Array<string | { name: string; namespace?: string; keys?: string[] }>;
  /** Flux sources that exist in the cluster but not in git. */
  externalSources?: Array<Omit<ExternalSource, 'declaredIn'>>;
  /** Rego policies compiled to Wasm: bundles or modules, relative to the config file. */
  policies?: PolicyEntry[];
  /** A baseline file (`--write-baseline`), relative to this config file. */
  baseline?: string;
}

/** Kinds an `externalSources` entry may have. */
export const EXTERNAL_SOURCE_KINDS = ['GitRepository', 'OCIRepository', 'Bucket', 'HelmRepository', 'HelmChart'] as const;

/** A Flux source created in the cluster outside git (by hand, by Terraform, by another tool). */
export interface ExternalSource {
  kind: (typeof EXTERNAL_SOURCE_KINDS)[number];
  name: string;
  namespace: string;
  /** Repository URL; a GitRepository with one links to a linted root like one written in git. */
  url?: string;
  branch?: string;
  tag?: string;
  /** The config file that declares it and its index in that file's list. */
  declaredIn?: { file: string; index: number };
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
  externalSources: ExternalSource[];
  /** Policies loaded from `policies:` (of this file and the files it extends). */
  policies?: PolicyConfig[];
  /** Absolute path of the baseline file whose findings are hidden, if the config names one. */
  baseline?: string;
}
