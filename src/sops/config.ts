/**
 * `.sops.yaml` (DOMAIN §6.4) as SOPS reads it: its creation rules with their recipients and
 * selection, and what SOPS would silently ignore or reject. Which rule governs a file is in
 * `config-lookup.ts`.
 */
import { isAlias, isMap, isNode, isScalar, isSeq, Scalar, type Document, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { YamlPath } from '../model/finding.js';
import { keyText, stringValue } from './ast.js';
import { compileGoRegexp, type GoRegexp } from '../engine/safe-regex.js';
import { azureKey, normaliseRecipient, type Recipient, type RecipientType } from './recipients.js';
import { SELECTION_KEYS, defaultSelection, isSelectionKey, makeSelection, type Selection, type SelectionKey } from './selection.js';

export type ConfigIssueCode =
  | 'notMapping'
  | 'unknownKey'
  | 'unknownKeySuggestion'
  | 'invalidType'
  | 'multipleSelection'
  | 'invalidPathRegex'
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
  /** The compiled `path_regex`; `undefined` when absent, empty or invalid. */
  pathRegexp: GoRegexp | undefined;
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

/** What sops does with a selection regex it cannot compile: `regexp.Match` fails, the error is dropped, and nothing matches. */
const INVALID_REGEX_EFFECT: Partial<Record<SelectionKey, string>> = {
  encrypted_regex: 'no value is encrypted',
  unencrypted_regex: 'every value is encrypted, `apiVersion`, `kind` and `metadata` included',
  encrypted_comment_regex: 'no value is encrypted',
  unencrypted_comment_regex: 'every value is encrypted, `apiVersion`, `kind` and `metadata` included',
};
const YAML11_BOOLEANS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const cache = new WeakMap<Document.Parsed, SopsConfig>();

/** Reads `.sops.yaml` from its (first) document. Cached per document; never throws. */
export function readSopsConfig(doc: Document.Parsed | undefined): SopsConfig {
  if (!doc) return { rules: [], issues: [] };
  let config = cache.get(doc);
  if (!config) {
    config = parse(new Nodes(doc));
    cache.set(doc, config);
  }
  return config;
}

type PlainMap = Record<string, unknown>;
/** Keys of a creation rule the plain-value reader knows; any other sends it to the AST. */
const CLEAN_RULE_KEYS: ReadonlySet<string> = new Set(['path_regex', ...RECIPIENT_KEYS, ...SELECTION_KEYS]);
const valueCache = new WeakMap<object, SopsConfig | null>();

/**
 * {@link readSopsConfig} from a document's plain JS value, for the usual `.sops.yaml` (only
 * `creation_rules`, each rule with string `path_regex`, per-rule recipients and a selection
 * key) that has no issue: what the AST reader returns, read without building the AST.
 * `undefined` for any other shape or any issue: the caller then reads the AST, which says why.
 * Only meaningful for a value that mirrors its AST (see `valuesMirrorAst`: no aliases, merge
 * keys or duplicate keys). Cached per value.
 */
export function cleanSopsConfig(value: unknown): SopsConfig | undefined {
  if (!isPlainMap(value)) return undefined;
  let config = valueCache.get(value);
  if (config === undefined) {
    config = readCleanConfig(value) ?? null;
    valueCache.set(value, config);
  }
  return config ?? undefined;
}

/** Mirrors {@link parse} on a plain value; `undefined` at anything it does not cover. */
function readCleanConfig(root: PlainMap): SopsConfig | undefined {
  const keys = Object.keys(root);
  const rules = root.creation_rules;
  if (keys.length !== 1 || !Array.isArray(rules)) return undefined;
  const config: SopsConfig = { rules: [], issues: [] };
  for (const [index, node] of rules.entries()) {
    const rule = isPlainMap(node) ? readCleanRule(node, index) : undefined;
    if (!rule) return undefined;
    config.rules.push(rule);
  }
  checkUnreachable(config);
  return config.issues.length === 0 ? config : undefined;
}

/** Mirrors {@link readRule} for string values only; `undefined` where it would report an issue. */
function readCleanRule(node: PlainMap, index: number): CreationRule | undefined {
  const path: YamlPath = ['creation_rules', index];
  const rule: CreationRule = { index, path, pathRegex: undefined, pathRegexp: undefined, catchAll: true, recipients: [], selection: undefined };
  let selected: SelectionKey | undefined;
  for (const key of Object.keys(node)) {
    const value = node[key];
    // Numbers and booleans are read from their source text by the AST reader; null is skipped.
    if (!CLEAN_RULE_KEYS.has(key) || (typeof value !== 'string' && !(Array.isArray(value) && key !== 'path_regex'))) return undefined;
    if (isSelectionKey(key) && value !== '') {
      if (selected !== undefined || typeof value !== 'string') return undefined;
      selected = key;
    }
  }
  const source = node.path_regex;
  if (typeof source === 'string') {
    rule.pathRegex = source;
    rule.catchAll = source === '' || MATCH_ALL.test(source);
    if (source !== '') {
      const compiled = compileGoRegexp(source);
      if (!compiled.ok) return undefined;
      rule.pathRegexp = compiled.regexp;
    }
  }
  for (const key of RECIPIENT_KEYS) {
    const value = node[key];
    if (value === undefined) continue;
    const items = cleanRecipientStrings(value, key !== 'hckms');
    if (!items) return undefined;
    for (const [text, itemPath] of items) addRecipients(rule.recipients, RULE_RECIPIENT_TYPES[key] as RecipientType, text, [...path, key, ...itemPath]);
  }
  if (selected === undefined) {
    rule.selection = defaultSelection();
    return rule;
  }
  const made = makeSelection(selected, node[selected] as string);
  if (!made.ok) return undefined;
  const issues: ConfigIssue[] = [];
  checkIdentity(made.selection, [...path, selected], issues);
  if (issues.length > 0) return undefined;
  rule.selection = made.selection;
  return rule;
}

/** Mirrors {@link recipientStrings} on a plain value. */
function cleanRecipientStrings(value: unknown, acceptString: boolean): Array<[string, YamlPath]> | undefined {
  if (typeof value === 'string') return acceptString ? value.split(',').map((part) => [part, []]) : undefined;
  if (!Array.isArray(value)) return undefined;
  const items: Array<[string, YamlPath]> = [];
  for (const [i, item] of value.entries()) {
    if (typeof item !== 'string') return undefined;
    for (const part of item.split(',')) items.push([part, [i]]);
  }
  return items;
}

function isPlainMap(value: unknown): value is PlainMap {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A mapping entry as sops' YAML decoder sees it: aliases followed, merge keys expanded. */
interface Entry {
  key: string;
  /** The value, with an alias replaced by the node it refers to. */
  value: unknown;
}

/**
 * The document as go-yaml decodes it into sops' structs: `*alias` stands for its anchored
 * node, and `<<: *anchor` (or a list of them) adds the anchored mapping's keys that the
 * mapping does not set itself, earlier merges first. Paths keep pointing where the alias or
 * the mapping is written.
 */
class Nodes {
  constructor(private readonly doc: Document.Parsed) {}

  get root(): unknown {
    return this.deref(this.doc.contents);
  }

  deref(node: unknown): unknown {
    let current = node;
    // Bounded: an alias can only refer back to an anchor before it, but stay safe on broken input.
    for (let hops = 0; isAlias(current) && hops < 32; hops++) current = current.resolve(this.doc);
    return isAlias(current) ? undefined : current;
  }

  entries(node: YAMLMap, depth = 0): Entry[] {
    const own: Entry[] = [];
    const merged: Entry[] = [];
    for (const pair of node.items) {
      if (isMergeKey(pair)) {
        if (depth >= 8) continue;
        const source = this.deref(pair.value);
        const sources = isSeq(source) ? source.items.map((item) => this.deref(item)) : [source];
        for (const map of sources) if (isMap(map)) merged.push(...this.entries(map, depth + 1));
        continue;
      }
      const key = keyText(pair);
      if (key !== undefined) own.push({ key, value: this.deref(pair.value) });
    }
    const seen = new Set(own.map((entry) => entry.key));
    for (const entry of merged) {
      if (seen.has(entry.key)) continue;
      seen.add(entry.key);
      own.push(entry);
    }
    return own;
  }

  get(node: unknown, key: string): Entry | undefined {
    return isMap(node) ? this.entries(node).find((entry) => entry.key === key) : undefined;
  }

  items(node: YAMLSeq): unknown[] {
    return node.items.map((item) => this.deref(item));
  }
}

/** `<<` written plain is a merge key (YAML 1.1, go-yaml); `"<<"` is an ordinary key. */
function isMergeKey(pair: Pair): boolean {
  const key = pair.key;
  if (!isScalar(key) || (key.type !== undefined && key.type !== Scalar.PLAIN)) return false;
  return key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<');
}

function parse(nodes: Nodes): SopsConfig {
  const config: SopsConfig = { rules: [], issues: [] };
  const root = nodes.root;
  if (root == null || (isScalar(root) && root.value == null)) return config;
  if (!isMap(root)) {
    config.issues.push({ code: 'notMapping', path: [], data: { what: '.sops.yaml' } });
    return config;
  }
  checkKeys(root, [], TOP_KEYS, 'the top level', config.issues);
  const rules = nodes.get(root, 'creation_rules')?.value;
  if (isSeq(rules)) {
    nodes.items(rules).forEach((item, i) => {
      const rule = readRule(nodes, item, i, config.issues);
      if (rule) config.rules.push(rule);
    });
  } else if (!isNull(rules)) {
    config.issues.push(invalidType(['creation_rules'], 'creation_rules', 'a list of rules'));
  }
  checkUnreachable(config);
  checkDestinations(nodes, nodes.get(root, 'destination_rules')?.value, config.issues);
  const stores = nodes.get(root, 'stores')?.value;
  if (isMap(stores)) checkKeys(stores, ['stores'], STORE_KEYS, 'stores', config.issues);
  return config;
}

function readRule(nodes: Nodes, node: unknown, index: number, issues: ConfigIssue[]): CreationRule | undefined {
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
  readPathRegex(nodes, node, rule, issues);
  rule.recipients = readRuleRecipients(nodes, node, path, issues);
  rule.selection = readSelection(nodes, node, path, issues);
  checkShamir(nodes, node, path, issues);
  checkBoolean(nodes, node, path, 'mac_only_encrypted', issues);
  checkString(nodes, node, path, 'aws_profile', issues);
  return rule;
}

function readPathRegex(nodes: Nodes, node: YAMLMap, rule: CreationRule, issues: ConfigIssue[]): void {
  const entry = nodes.get(node, 'path_regex');
  if (!entry || isNull(entry.value)) return;
  const source = scalarText(entry.value);
  if (source === undefined) {
    issues.push(invalidType([...rule.path, 'path_regex'], 'path_regex', 'a string'));
    rule.catchAll = false;
    return;
  }
  // sops tests `path_regex != ""` before compiling: an empty one matches every file.
  rule.pathRegex = source;
  rule.catchAll = source === '' || MATCH_ALL.test(source);
  if (source === '') return;
  const compiled = compileGoRegexp(source);
  if (compiled.ok) rule.pathRegexp = compiled.regexp;
  else issues.push({ code: 'invalidPathRegex', path: [...rule.path, 'path_regex'], data: { key: 'path_regex', reason: compiled.reason } });
}

function readRuleRecipients(nodes: Nodes, node: YAMLMap, path: YamlPath, issues: ConfigIssue[]): Recipient[] {
  const groups = nodes.get(node, 'key_groups')?.value;
  if (!isNull(groups) && !isSeq(groups)) {
    issues.push(invalidType([...path, 'key_groups'], 'key_groups', 'a list of key groups'));
  }
  // With key groups present SOPS ignores the per-rule keys.
  if (isSeq(groups) && groups.items.length > 0) {
    const out: Recipient[] = [];
    nodes.items(groups).forEach((group, i) => readGroup(nodes, group, [...path, 'key_groups', i], out, issues, 0));
    return out;
  }
  const out: Recipient[] = [];
  for (const key of RECIPIENT_KEYS) {
    const entry = nodes.get(node, key);
    if (!entry || isNull(entry.value)) continue;
    const type = RULE_RECIPIENT_TYPES[key] as RecipientType;
    // `hckms` is a list only; the others a comma-separated string or a list (config.go parseKeyField).
    const items = recipientStrings(nodes, entry.value, key !== 'hckms');
    if (!items) {
      const expected = key === 'hckms' ? 'a list of strings' : 'a comma-separated string or a list of strings';
      issues.push(invalidType([...path, key], key, expected));
      continue;
    }
    for (const [text, itemPath] of items) addRecipients(out, type, text, [...path, key, ...itemPath]);
  }
  return out;
}

/** A key group; `merge` nests groups, so the depth is bounded against hostile input. */
function readGroup(nodes: Nodes, node: unknown, path: YamlPath, out: Recipient[], issues: ConfigIssue[], depth: number): void {
  if (!isMap(node)) {
    issues.push({ code: 'notMapping', path, data: { what: 'a key group' } });
    return;
  }
  checkKeys(node, path, GROUP_KEYS, 'a key group', issues);
  for (const key of GROUP_KEYS) {
    const value = nodes.get(node, key)?.value;
    if (isNull(value)) continue;
    // go-yaml decodes these fields into Go slices: a single string is refused.
    if (!isSeq(value)) {
      issues.push(invalidType([...path, key], key, 'a list'));
      continue;
    }
    nodes.items(value).forEach((item, i) => {
      const itemPath = [...path, key, i];
      if (key === 'merge') {
        if (depth < 8) readGroup(nodes, item, itemPath, out, issues, depth + 1);
        return;
      }
      const objectKeys = GROUP_OBJECT_KEYS[key];
      if (objectKeys) {
        if (!isMap(item)) {
          issues.push(invalidType(itemPath, key, 'a list of mappings'));
          return;
        }
        checkKeys(item, itemPath, objectKeys, `a ${key} entry`, issues);
        const text = groupEntryId(nodes, key, item);
        if (text !== undefined) addRecipients(out, key === 'azure_keyvault' ? 'azure_kv' : (key as RecipientType), text, itemPath);
        return;
      }
      // A null item decodes to "", which sops skips; a mapping or a list is refused.
      if (isNull(item)) return;
      const text = scalarText(item);
      if (text === undefined) issues.push(invalidType(itemPath, key, 'a list of strings'));
      // An age item may itself list recipients separated by commas (age.MasterKeysFromRecipients).
      else if (key === 'age') for (const part of text.split(',')) addRecipients(out, 'age', part, itemPath);
      else addRecipients(out, key as RecipientType, text, itemPath);
    });
  }
}

function groupEntryId(nodes: Nodes, key: string, item: YAMLMap): string | undefined {
  const field = (name: string): string | undefined => scalarText(nodes.get(item, name)?.value);
  switch (key) {
    case 'kms':
      return field('arn');
    case 'gcp_kms':
      return field('resource_id');
    case 'hckms':
      return field('key_id');
    case 'azure_keyvault': {
      const url = field('vaultUrl');
      const name = field('key');
      return url !== undefined && name !== undefined ? azureKey(url, name) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Items of a comma-separated string or a list of strings, with their sub-paths. sops joins
 * list items with commas and splits again, so an item may hold several keys too.
 */
function recipientStrings(nodes: Nodes, value: unknown, acceptString: boolean): Array<[string, YamlPath]> | undefined {
  const text = stringValue(value);
  if (text !== undefined) return acceptString ? text.split(',').map((part) => [part, []]) : undefined;
  if (!isSeq(value)) return undefined;
  const items: Array<[string, YamlPath]> = [];
  for (const [i, item] of nodes.items(value).entries()) {
    const itemText = stringValue(item);
    if (itemText === undefined) return undefined;
    for (const part of itemText.split(',')) items.push([part, [i]]);
  }
  return items;
}

function addRecipients(out: Recipient[], type: RecipientType, text: string, path: YamlPath): void {
  const id = normaliseRecipient(type, text);
  if (id !== undefined) out.push({ type, id, path });
}

function readSelection(nodes: Nodes, node: YAMLMap, path: YamlPath, issues: ConfigIssue[]): Selection | undefined {
  // As in SOPS, an empty value counts as unset.
  const present = nodes.entries(node).filter((entry) => isSelectionKey(entry.key) && !isNull(entry.value) && scalarText(entry.value) !== '');
  if (present.length > 1) {
    const keys = present.map((entry) => entry.key).join(', ');
    for (const entry of present.slice(1)) {
      issues.push({ code: 'multipleSelection', path: [...path, entry.key], key: true, data: { keys } });
    }
    return undefined;
  }
  const entry = present[0];
  if (!entry) return defaultSelection();
  const key = entry.key as SelectionKey;
  // go-yaml decodes any scalar into these string fields: `encrypted_suffix: 1` is "1".
  const value = scalarText(entry.value);
  if (value === undefined) {
    issues.push(invalidType([...path, key], key, 'a string'));
    return undefined;
  }
  const made = makeSelection(key, value);
  if (!made.ok) {
    issues.push({ code: 'invalidRegex', path: [...path, key], data: { key, reason: made.reason, effect: INVALID_REGEX_EFFECT[key] ?? '' } });
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

function checkDestinations(nodes: Nodes, value: unknown, issues: ConfigIssue[]): void {
  if (!isSeq(value)) return;
  nodes.items(value).forEach((item, i) => {
    if (isMap(item)) checkKeys(item, ['destination_rules', i], DESTINATION_KEYS, `destination rule ${i + 1}`, issues);
  });
}

/**
 * Keys sops does not know. A key that only holds anchors for the rules to refer to (the
 * `keys:` list of age keys with `&name` in the sops docs' examples) is deliberate, not a typo.
 */
function checkKeys(node: YAMLMap, path: YamlPath, known: readonly string[], where: string, issues: ConfigIssue[]): void {
  for (const pair of node.items) {
    const key = keyText(pair);
    if (key === undefined || isMergeKey(pair) || known.includes(key) || holdsAnchor(pair.value, 0)) continue;
    const suggestion = suggest(key, known);
    issues.push(
      suggestion
        ? { code: 'unknownKeySuggestion', path: [...path, key], key: true, data: { key, where, suggestion } }
        : { code: 'unknownKey', path: [...path, key], key: true, data: { key, where } },
    );
  }
}

function holdsAnchor(node: unknown, depth: number): boolean {
  if (!isNode(node) || depth > 16) return false;
  if (node.anchor) return true;
  if (isMap(node)) return node.items.some((pair) => holdsAnchor(pair.value, depth + 1));
  if (isSeq(node)) return node.items.some((item) => holdsAnchor(item, depth + 1));
  return false;
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

/** `shamir_threshold` is a Go int: go-yaml takes an integer or a float (truncated), nothing else. */
function checkShamir(nodes: Nodes, node: YAMLMap, path: YamlPath, issues: ConfigIssue[]): void {
  const value = nodes.get(node, 'shamir_threshold')?.value;
  if (isNull(value)) return;
  if (!isScalar(value) || typeof value.value !== 'number') issues.push(invalidType([...path, 'shamir_threshold'], 'shamir_threshold', 'a number'));
}

/** A Go bool: go-yaml also takes the YAML 1.1 words y/yes/on and n/no/off, quoted or not. */
function checkBoolean(nodes: Nodes, node: YAMLMap, path: YamlPath, key: string, issues: ConfigIssue[]): void {
  const value = nodes.get(node, key)?.value;
  if (isNull(value)) return;
  const v = isScalar(value) ? value.value : undefined;
  if (typeof v !== 'boolean' && !(typeof v === 'string' && YAML11_BOOLEANS.has(v))) issues.push(invalidType([...path, key], key, 'true or false'));
}

/** A Go string: go-yaml takes the text of any scalar, not a mapping or a list. */
function checkString(nodes: Nodes, node: YAMLMap, path: YamlPath, key: string, issues: ConfigIssue[]): void {
  const value = nodes.get(node, key)?.value;
  if (!isNull(value) && scalarText(value) === undefined) issues.push(invalidType([...path, key], key, 'a string'));
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
