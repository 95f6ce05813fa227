/**
 * `.sops.yaml` (DOMAIN §6.4) as SOPS reads it: its creation rules with their recipients and
 * selection, and what SOPS would silently ignore or reject. Which rule governs a file is in
 * `config-lookup.ts`.
 */
import { isMap, isScalar, isSeq, type Document, type YAMLMap } from 'yaml';
import type { YamlPath } from '../model/finding.js';
import { keyText, pairOf, stringValue } from './ast.js';
import { convertGoRegexp } from './regexp.js';
import { azureKey, normaliseRecipient, type Recipient, type RecipientType } from './recipients.js';
import { SELECTION_KEYS, defaultSelection, isSelectionKey, makeSelection, type Selection, type SelectionKey } from './selection.js';

export type ConfigIssueCode =
  | 'notMapping'
  | 'unknownKey'
  | 'unknownKeySuggestion'
  | 'invalidType'
  | 'multipleSelection'
  | 'invalidRegex'
  | 'regexMatchesMetadata'
  | 'unreachableRule';

/** A problem in `.sops.yaml`; the codes double as message ids of `sops-config-valid`. */
export interface ConfigIssue {
  code: ConfigIssueCode;
  path: YamlPath;
  key?: boolean;
  data: Record<string, string | number>;
}

export interface CreationRule {
  /** 0-based position in `creation_rules`. */
  index: number;
  path: YamlPath;
  /** `path_regex` as written; `undefined` when absent (the rule matches every file). */
  pathRegex: string | undefined;
  /** The converted `path_regex`; `undefined` when absent or not convertible. */
  pathRegexp: RegExp | undefined;
  /** Matches every path (no `path_regex`, or a match-all one). */
  catchAll: boolean;
  /** Recipients of the key groups, or of the per-rule keys when there are no key groups. */
  recipients: Recipient[];
  /** The selection the rule encrypts with; `undefined` when it cannot be decided. */
  selection: Selection | undefined;
}

export interface SopsConfig {
  rules: CreationRule[];
  issues: ConfigIssue[];
}

const TOP_KEYS = ['creation_rules', 'destination_rules', 'stores'];
const RECIPIENT_KEYS = ['age', 'pgp', 'kms', 'gcp_kms', 'azure_keyvault', 'hc_vault_transit_uri', 'hckms'];
const RULE_KEYS = [
  'path_regex',
  ...RECIPIENT_KEYS,
  'aws_profile',
  'key_groups',
  'shamir_threshold',
  'mac_only_encrypted',
  ...SELECTION_KEYS,
];
const GROUP_KEYS = ['age', 'pgp', 'kms', 'gcp_kms', 'azure_keyvault', 'hc_vault', 'hckms', 'merge'];
const GROUP_OBJECT_KEYS: Record<string, readonly string[]> = {
  kms: ['arn', 'role', 'context', 'aws_profile'],
  gcp_kms: ['resource_id'],
  azure_keyvault: ['vaultUrl', 'key', 'version'],
  hckms: ['key_id'],
};
const DESTINATION_KEYS = [
  'path_regex',
  's3_bucket',
  's3_prefix',
  'gcs_bucket',
  'gcs_prefix',
  'vault_path',
  'vault_address',
  'vault_kv_mount_name',
  'vault_kv_version',
  'recreation_rule',
  'omit_extensions',
];
const STORE_KEYS = ['yaml', 'json', 'json_binary', 'dotenv', 'ini'];
/** Misspellings seen in docs and in the wild. */
const ALIASES: Record<string, string> = {
  hc_vault_uris: 'hc_vault_transit_uri',
  hc_vault_uri: 'hc_vault_transit_uri',
  hc_vault: 'hc_vault_transit_uri',
  azure_kv: 'azure_keyvault',
  gcpkms: 'gcp_kms',
  encrypted_regexp: 'encrypted_regex',
  unencrypted_regexp: 'unencrypted_regex',
};
/** Keys whose value names the Kubernetes object; Flux needs them in plaintext. */
const IDENTITY_KEYS = ['apiVersion', 'kind', 'metadata'];
const MATCH_ALL = /^\^?\.[*+]\$?$/;
/** Keys a `.sops.yaml` may spell as a comma-separated string or (since 3.11) a list. */
const RULE_RECIPIENT_TYPES: Record<string, RecipientType> = {
  age: 'age',
  pgp: 'pgp',
  kms: 'kms',
  gcp_kms: 'gcp_kms',
  azure_keyvault: 'azure_kv',
  hc_vault_transit_uri: 'hc_vault',
  hckms: 'hckms',
};

const cache = new WeakMap<Document.Parsed, SopsConfig>();

/** Reads `.sops.yaml` from its (first) document. Cached per document; never throws. */
export function readSopsConfig(doc: Document.Parsed | undefined): SopsConfig {
  if (!doc) return { rules: [], issues: [] };
  let config = cache.get(doc);
  if (!config) {
    config = parse(doc.contents);
    cache.set(doc, config);
  }
  return config;
}

function parse(root: unknown): SopsConfig {
  const config: SopsConfig = { rules: [], issues: [] };
  if (root == null || (isScalar(root) && root.value == null)) return config;
  if (!isMap(root)) {
    config.issues.push({ code: 'notMapping', path: [], data: { what: '.sops.yaml' } });
    return config;
  }
  checkKeys(root, [], TOP_KEYS, 'the top level', config.issues);
  const rules = pairOf(root, 'creation_rules')?.value;
  if (isSeq(rules)) {
    rules.items.forEach((item, i) => {
      const rule = readRule(item, i, config.issues);
      if (rule) config.rules.push(rule);
    });
  } else if (rules != null && !isNull(rules)) {
    config.issues.push(invalidType(['creation_rules'], 'creation_rules', 'a list of rules'));
  }
  checkUnreachable(config);
  checkDestinations(pairOf(root, 'destination_rules')?.value, config.issues);
  const stores = pairOf(root, 'stores')?.value;
  if (isMap(stores)) checkKeys(stores, ['stores'], STORE_KEYS, 'stores', config.issues);
  return config;
}

function readRule(node: unknown, index: number, issues: ConfigIssue[]): CreationRule | undefined {
  const path: YamlPath = ['creation_rules', index];
  if (!isMap(node)) {
    issues.push({ code: 'notMapping', path, data: { what: `creation rule ${index + 1}` } });
    return undefined;
  }
  checkKeys(node, path, RULE_KEYS, `creation rule ${index + 1}`, issues);
  const rule: CreationRule = {
    index,
    path,
    pathRegex: undefined,
    pathRegexp: undefined,
    catchAll: true,
    recipients: [],
    selection: undefined,
  };
  readPathRegex(node, rule, issues);
  rule.recipients = readRuleRecipients(node, path, issues);
  rule.selection = readSelection(node, path, issues);
  checkScalarType(node, path, 'shamir_threshold', 'number', 'a whole number', issues);
  checkScalarType(node, path, 'mac_only_encrypted', 'boolean', 'true or false', issues);
  checkScalarType(node, path, 'aws_profile', 'string', 'a string', issues);
  return rule;
}

function readPathRegex(node: YAMLMap, rule: CreationRule, issues: ConfigIssue[]): void {
  const pair = pairOf(node, 'path_regex');
  if (!pair || isNull(pair.value)) return;
  const source = scalarText(pair.value);
  if (source === undefined) {
    issues.push(invalidType([...rule.path, 'path_regex'], 'path_regex', 'a string'));
    rule.catchAll = false;
    return;
  }
  rule.pathRegex = source;
  rule.catchAll = source === '' || MATCH_ALL.test(source);
  const converted = convertGoRegexp(source);
  if (converted.ok) rule.pathRegexp = converted.regexp;
  else issues.push({ code: 'invalidRegex', path: [...rule.path, 'path_regex'], data: { key: 'path_regex', reason: converted.reason } });
}

function readRuleRecipients(node: YAMLMap, path: YamlPath, issues: ConfigIssue[]): Recipient[] {
  const groups = pairOf(node, 'key_groups')?.value;
  if (groups != null && !isNull(groups) && !isSeq(groups)) {
    issues.push(invalidType([...path, 'key_groups'], 'key_groups', 'a list of key groups'));
  }
  // With key groups present SOPS ignores the per-rule keys.
  if (isSeq(groups) && groups.items.length > 0) {
    const out: Recipient[] = [];
    groups.items.forEach((group, i) => readGroup(group, [...path, 'key_groups', i], out, issues, 0));
    return out;
  }
  const out: Recipient[] = [];
  for (const key of RECIPIENT_KEYS) {
    const pair = pairOf(node, key);
    if (!pair || isNull(pair.value)) continue;
    const type = RULE_RECIPIENT_TYPES[key] as RecipientType;
    const items = recipientStrings(pair.value);
    if (!items) {
      issues.push(invalidType([...path, key], key, 'a comma-separated string or a list of strings'));
      continue;
    }
    for (const [text, itemPath] of items) addRecipient(out, type, text, [...path, key, ...itemPath]);
  }
  return out;
}

/** A key group; `merge` nests groups, so the depth is bounded against hostile input. */
function readGroup(node: unknown, path: YamlPath, out: Recipient[], issues: ConfigIssue[], depth: number): void {
  if (!isMap(node)) {
    issues.push({ code: 'notMapping', path, data: { what: 'a key group' } });
    return;
  }
  checkKeys(node, path, GROUP_KEYS, 'a key group', issues);
  for (const key of GROUP_KEYS) {
    const value = pairOf(node, key)?.value;
    if (value == null || isNull(value)) continue;
    if (!isSeq(value)) {
      issues.push(invalidType([...path, key], key, 'a list'));
      continue;
    }
    value.items.forEach((item, i) => {
      const itemPath = [...path, key, i];
      if (key === 'merge') {
        if (depth < 8) readGroup(item, itemPath, out, issues, depth + 1);
        return;
      }
      const objectKeys = GROUP_OBJECT_KEYS[key];
      if (objectKeys && isMap(item)) checkKeys(item, itemPath, objectKeys, `a ${key} entry`, issues);
      const text = groupEntryId(key, item);
      if (text === undefined) issues.push(invalidType(itemPath, key, objectKeys ? 'a mapping' : 'a string'));
      else addRecipient(out, key === 'azure_keyvault' ? 'azure_kv' : (key as RecipientType), text, itemPath);
    });
  }
}

function groupEntryId(key: string, item: unknown): string | undefined {
  switch (key) {
    case 'kms':
      return stringValue(pairOf(item, 'arn')?.value);
    case 'gcp_kms':
      return stringValue(pairOf(item, 'resource_id')?.value);
    case 'hckms':
      return stringValue(pairOf(item, 'key_id')?.value);
    case 'azure_keyvault': {
      const url = stringValue(pairOf(item, 'vaultUrl')?.value);
      const name = stringValue(pairOf(item, 'key')?.value);
      return url !== undefined && name !== undefined ? azureKey(url, name) : undefined;
    }
    default:
      return stringValue(item);
  }
}

/** Items of a comma-separated string or a list of strings, with their sub-paths. */
function recipientStrings(value: unknown): Array<[string, YamlPath]> | undefined {
  const text = stringValue(value);
  if (text !== undefined) return text.split(',').map((part) => [part, []]);
  if (!isSeq(value)) return undefined;
  const items: Array<[string, YamlPath]> = [];
  for (const [i, item] of value.items.entries()) {
    const itemText = stringValue(item);
    if (itemText === undefined) return undefined;
    items.push([itemText, [i]]);
  }
  return items;
}

function addRecipient(out: Recipient[], type: RecipientType, text: string, path: YamlPath): void {
  const id = normaliseRecipient(type, text);
  if (id !== undefined) out.push({ type, id, path });
}

function readSelection(node: YAMLMap, path: YamlPath, issues: ConfigIssue[]): Selection | undefined {
  // As in SOPS, an empty value counts as unset.
  const present = node.items.filter((pair) => {
    const key = keyText(pair);
    return key !== undefined && isSelectionKey(key) && !isNull(pair.value) && stringValue(pair.value) !== '';
  });
  if (present.length > 1) {
    const keys = present.map((pair) => keyText(pair)).join(', ');
    for (const pair of present.slice(1)) {
      issues.push({ code: 'multipleSelection', path: [...path, keyText(pair) as string], key: true, data: { keys } });
    }
    return undefined;
  }
  const pair = present[0];
  if (!pair) return defaultSelection();
  const key = keyText(pair) as SelectionKey;
  const value = stringValue(pair.value);
  if (value === undefined) {
    issues.push(invalidType([...path, key], key, 'a string'));
    return undefined;
  }
  const made = makeSelection(key, value);
  if (!made.ok) {
    issues.push({ code: 'invalidRegex', path: [...path, key], data: { key, reason: made.reason } });
    return undefined;
  }
  checkIdentity(made.selection, [...path, key], issues);
  return made.selection;
}

/** Flux must read `apiVersion`, `kind` and `metadata` in plaintext (DOMAIN §6.5). */
function checkIdentity(selection: Selection, path: YamlPath, issues: ConfigIssue[]): void {
  const { key, value, regexp } = selection;
  if (key !== 'encrypted_regex' && key !== 'encrypted_suffix') return;
  const field = IDENTITY_KEYS.find((name) => (regexp ? regexp.test(name) : name.endsWith(value)));
  if (field !== undefined) issues.push({ code: 'regexMatchesMetadata', path, data: { key, field } });
}

function checkUnreachable(config: SopsConfig): void {
  const catchAll = config.rules.find((rule) => rule.catchAll);
  if (!catchAll) return;
  for (const rule of config.rules) {
    if (rule.index <= catchAll.index) continue;
    config.issues.push({
      code: 'unreachableRule',
      path: rule.path,
      data: { index: rule.index + 1, catchAll: catchAll.index + 1 },
    });
  }
}

function checkDestinations(value: unknown, issues: ConfigIssue[]): void {
  if (!isSeq(value)) return;
  value.items.forEach((item, i) => {
    if (isMap(item)) checkKeys(item, ['destination_rules', i], DESTINATION_KEYS, `destination rule ${i + 1}`, issues);
  });
}

function checkKeys(node: YAMLMap, path: YamlPath, known: readonly string[], where: string, issues: ConfigIssue[]): void {
  for (const pair of node.items) {
    const key = keyText(pair);
    if (key === undefined || known.includes(key)) continue;
    const suggestion = suggest(key, known);
    issues.push(
      suggestion
        ? { code: 'unknownKeySuggestion', path: [...path, key], key: true, data: { key, where, suggestion } }
        : { code: 'unknownKey', path: [...path, key], key: true, data: { key, where } },
    );
  }
}

function suggest(key: string, known: readonly string[]): string | undefined {
  const alias = ALIASES[key];
  if (alias && known.includes(alias)) return alias;
  const normalised = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toLowerCase();
  return known.find((k) => k === normalised) ?? known.find((k) => editDistance(k, normalised) <= 2 && normalised.length > 3);
}

/** Levenshtein distance; the keys compared are short. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

function checkScalarType(
  node: YAMLMap,
  path: YamlPath,
  key: string,
  type: 'number' | 'boolean' | 'string',
  expected: string,
  issues: ConfigIssue[],
): void {
  const pair = pairOf(node, key);
  if (!pair || isNull(pair.value)) return;
  const value = isScalar(pair.value) ? pair.value.value : undefined;
  const ok = typeof value === type && (type !== 'number' || Number.isInteger(value));
  if (!ok) issues.push(invalidType([...path, key], key, expected));
}

function invalidType(path: YamlPath, key: string, expected: string): ConfigIssue {
  return { code: 'invalidType', path, data: { key, expected } };
}

function isNull(node: unknown): boolean {
  return node == null || (isScalar(node) && node.value == null);
}

/** A scalar's text; numbers and booleans count, since SOPS unmarshals them into strings. */
function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(node.source ?? v) : undefined;
}
