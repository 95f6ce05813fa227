import type { Level, YamlPath } from './finding.js';
import type { Model } from './model.js';
import type { Resource, SourceFile } from './workspace.js';

/** One documentation example: files by root-relative path (or `<root>/<path>` with `roots`). */
export interface DocExample {
  title?: string;
  /** Files of a single root, by root-relative path. */
  files?: Record<string, string>;
  /** Several roots, by root folder name, each with its files. Use instead of `files`. */
  roots?: Record<string, Record<string, string>>;
  /** Rule options to use for this example. */
  options?: unknown;
  /** Tracked files (makes the root a git root); defaults to every file when omitted. */
  tracked?: string[];
}

export type RuleCategory = 'correctness' | 'security' | 'reliability' | 'style';

/**
 * What a rule judges. `cluster`: the objects as Flux applies them (`model.resources`, after
 * every transform; objects no build applies do not exist in the cluster). `repository`: every
 * tracked file as written (`model.files`, `model.written`), applied or not.
 */
export type RuleScope = 'cluster' | 'repository';

export interface RuleDocs {
  /** Markdown: why this matters in a Flux repo. */
  rationale: string;
  /** Each must yield at least one finding of this rule (checked by the meta test). */
  incorrect: DocExample[];
  /** Each must yield no finding of this rule (checked by the meta test). */
  correct: DocExample[];
  whenNotToUse?: string;
}

export interface RuleMeta<M extends string = string> {
  /** Kebab-case id, equal to the module's file name. */
  id: string;
  /** Starts with Require, Disallow or Enforce; no trailing period. */
  description: string;
  category: RuleCategory;
  scope: RuleScope;
  defaultLevel: Level;
  recommended: boolean;
  /** Message templates with `{{placeholder}}`s. Capitalised, ending with a period. */
  messages: Record<M, string>;
  /**
   * The most severe level some messages are reported at: a configured level above it is
   * lowered (a message about something that still works today, say). Config still decides.
   */
  messageLevels?: Partial<Record<M, Level>>;
  /** JSON Schema of the options object; every property has a description. */
  options?: Record<string, unknown>;
  defaultOptions?: Record<string, unknown>;
  /**
   * What the rule's findings on a file depend on. `file`: only that file (its text, parse and
   * written resources, through `model.files`, `model.written`, `model.resourcesIn`/`resourceAt`
   * of that file), the files it looks up by path (`model.fileAt`, such as the covering
   * `.sops.yaml`) and the rule's config: after an edit the language server re-checks only the
   * files whose content changed and keeps the findings of the others, and re-checks every file
   * when a lookup finds another file (src/engine/incremental.ts).
   * Unset: the whole workspace (every run checks every file).
   */
  dependsOn?: 'file';
  docs: RuleDocs;
}

/** What a rule reports. The engine resolves position, level and fingerprint. */
export type Report<M extends string> = {
  messageId: M;
  data?: Record<string, string | number>;
  /** Extra fields passed through to the finding (a policy result's `details`, `metadata`…). */
  metadata?: Record<string, unknown>;
} & (
  | {
      /** The resource the finding is about. */
      resource: Resource;
      /** Path inside the resource; the closest existing parent is used when missing. */
      path?: YamlPath;
      /** Highlight the mapping key instead of the value at `path`. */
      key?: boolean;
    }
  | {
      /** A file-level finding: whole first line unless a range or document path is given. */
      file: SourceFile;
      /** Document index and path inside it, for files that are YAML but not resources. */
      docIndex?: number;
      path?: YamlPath;
      key?: boolean;
      /** Explicit character offsets into the file text (e.g. from a parser error). */
      offsets?: readonly [number, number];
    }
);

export interface RuleContext<M extends string = string, O = Record<string, unknown>> {
  /** Options after defaults and config are merged and validated. */
  readonly options: O;
  readonly model: Model;
  report(report: Report<M>): void;
}

export interface Rule<M extends string = string, O = Record<string, unknown>> {
  meta: RuleMeta<M>;
  check(ctx: RuleContext<M, O>): void;
}

/** Identity helper that gives rule modules their types. */
export function defineRule<M extends string, O = Record<string, unknown>>(rule: Rule<M, O>): Rule<M, O> {
  return rule;
}

/** The docs URL of a rule, used by SARIF `helpUri` and LSP `codeDescription.href`. */
export function ruleDocsUrl(id: string): string {
  // Policy rules (`policy/<package>/<rule>`) are the user's own: the README says how they run.
  if (id.startsWith('policy/')) return 'https://github.com/gitops-lint/gitops-lint/blob/main/README.md#team-policies-in-rego';
  return `https://github.com/gitops-lint/gitops-lint/blob/main/docs/rules/${id}.md`;
}
