/**
 * Which `.sops.yaml` and which creation rule govern a file (DOMAIN §6.4): the nearest config
 * in the file's folder or above; rules tried in order, first match wins; `path_regex` tested
 * unanchored against the path relative to the config's folder.
 */
import type { SourceFile } from '../model/workspace.js';
import type { Model } from '../model/model.js';
import { cleanSopsConfig, readSopsConfig, type CreationRule, type SopsConfig } from './config.js';
import { valuesMirrorAst } from './facts.js';

/** The file name SOPS looks for; `.sops.yml` is ignored. */
export const SOPS_CONFIG_NAME = '.sops.yaml';

/** Outcome of looking up the creation rule for a file. */
export type RuleMatch =
  | { kind: 'match'; rule: CreationRule }
  | { kind: 'none' }
  /** A rule before any match has a `path_regex` that cannot be evaluated. */
  | { kind: 'unknown'; rule: CreationRule };

/**
 * The `.sops.yaml` SOPS would use for a file: the nearest one in the file's folder or above,
 * within the file's root.
 */
export function findSopsConfig(model: Pick<Model, 'fileAt'>, file: SourceFile): SourceFile | undefined {
  let dir = dirname(file.path);
  for (;;) {
    const found = model.fileAt(file.root, dir === '' ? SOPS_CONFIG_NAME : `${dir}/${SOPS_CONFIG_NAME}`);
    if (found) return found;
    if (dir === '') return undefined;
    dir = dirname(dir);
  }
}

/**
 * {@link readSopsConfig} of a `.sops.yaml` file: from its plain value when that holds a usual
 * config without issues, from the AST otherwise. The same config either way; most runs then
 * build no `yaml` AST at all.
 */
export function sopsConfigOf(file: SourceFile): SopsConfig {
  const parsed = file.documents[0];
  const clean = parsed && valuesMirrorAst(file) ? cleanSopsConfig(parsed.value) : undefined;
  return clean ?? readSopsConfig(parsed?.doc);
}

/** Path of a file relative to the folder of a `.sops.yaml` in the same root. */
export function pathFromConfig(configPath: string, filePath: string): string {
  const dir = dirname(configPath);
  return dir === '' ? filePath : filePath.slice(dir.length + 1);
}

/** The creation rule SOPS picks for a path relative to the config folder. */
export function matchCreationRule(config: SopsConfig, relativePath: string): RuleMatch {
  for (const rule of config.rules) {
    if (rule.catchAll) return { kind: 'match', rule };
    if (!rule.pathRegexp) return { kind: 'unknown', rule };
    if (rule.pathRegexp.test(relativePath)) return { kind: 'match', rule };
  }
  return { kind: 'none' };
}

/**
 * The creation rule with a `path_regex` that covers a file, and the `.sops.yaml` holding it.
 * A catch-all rule says nothing about which files are meant to be encrypted, so it does not count.
 */
export function coveringCreationRule(
  model: Pick<Model, 'fileAt'>,
  file: SourceFile,
): { rule: CreationRule; configFile: SourceFile } | undefined {
  const configFile = findSopsConfig(model, file);
  if (!configFile || configFile === file) return undefined;
  const match = matchCreationRule(sopsConfigOf(configFile), pathFromConfig(configFile.path, file.path));
  return match.kind === 'match' && !match.rule.catchAll ? { rule: match.rule, configFile } : undefined;
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? '' : path.slice(0, i);
}
