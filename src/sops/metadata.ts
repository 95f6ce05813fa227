/**
 * The top-level `sops` metadata block of a YAML/JSON document (DOMAIN §6.1): read it from the
 * AST, whatever SOPS version wrote it (≤ 3.9 empty key lists, `key_groups`, any key order), and
 * list what would stop `sops -d` from using it.
 */
import { isMap, isScalar, isSeq, type Document, type YAMLMap } from 'yaml';
import type { YamlPath } from '../model/finding.js';
import { keyText, pairOf, sopsPair, stringValue } from './ast.js';
import { parseEncryptedValue } from './encrypted-value.js';
import { RECIPIENT_TYPES, azureKey, normaliseRecipient, vaultUri, type Recipient, type RecipientType } from './recipients.js';
import { defaultSelection, isSelectionKey, makeSelection, type Selection, type SelectionKey } from './selection.js';

/** Problems in a metadata block; the codes double as message ids of `sops-metadata-valid`. */
export type MetadataIssueCode =
  | 'notMapping'
  | 'missingField'
  | 'invalidMac'
  | 'invalidLastModified'
  | 'invalidVersion'
  | 'invalidField'
  | 'noRecipients'
  | 'invalidKeyEntry'
  | 'multipleSelection'
  | 'invalidRegex'
  | 'invalidShamir';

export interface MetadataIssue {
  code: MetadataIssueCode;
  /** Document path of the offending node. */
  path: YamlPath;
  /** Point at the mapping key rather than its value. */
  key?: boolean;
  /** Message data; never holds a value from the file other than names and selection regexes. */
  data: Record<string, string | number>;
}

/** What is known about one document's `sops` block. */
export interface SopsMetadata {
  /** The MAC as written (an `ENC[...]` string), when it is a string. */
  mac: string | undefined;
  lastModified: string | undefined;
  version: string | undefined;
  /** Every recipient of every key group, normalised. */
  recipients: Recipient[];
  /** Key groups SOPS will use (`key_groups`, or the top-level lists as one group). */
  keyGroupCount: number;
  /** The selection SOPS applies, or `undefined` when it cannot be decided (two keys, bad regex). */
  selection: Selection | undefined;
  issues: MetadataIssue[];
}

/** Identifier fields of a key entry, per type; `enc` is required for all. */
const ID_FIELDS: Record<RecipientType, readonly string[]> = {
  age: ['recipient'],
  pgp: ['fp'],
  kms: ['arn'],
  gcp_kms: ['resource_id'],
  azure_kv: ['vault_url', 'name'],
  hc_vault: ['vault_address', 'engine_path', 'key_name'],
  hckms: ['key_id'],
};

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const VERSION = /^\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?$/;
const SOPS: YamlPath = ['sops'];

/**
 * True when a document has a top-level `sops` mapping — the test Flux and the model use for
 * "SOPS-encrypted".
 */
export function isSopsEncrypted(doc: Document.Parsed): boolean {
  return isMap(sopsPair(doc)?.value);
}

/** True when the document has a top-level `sops` key of any type (SOPS reserves the key). */
export function hasSopsKey(doc: Document.Parsed): boolean {
  return sopsPair(doc) !== undefined;
}

const cache = new WeakMap<Document.Parsed, SopsMetadata | null>();

/** Reads and checks the `sops` block; `undefined` when the document has no `sops` key. Cached. */
export function sopsMetadata(doc: Document.Parsed): SopsMetadata | undefined {
  let meta = cache.get(doc);
  if (meta === undefined) {
    const pair = sopsPair(doc);
    meta = pair ? readMetadata(pair.value) : null;
    cache.set(doc, meta);
  }
  return meta ?? undefined;
}

type PlainMap = Record<string, unknown>;
const valueCache = new WeakMap<PlainMap, SopsMetadata | null>();

/**
 * {@link sopsMetadata} from a document's plain JS value, for metadata without any issue: what
 * the AST reader returns, read without building the AST. `undefined` when the value has no
 * `sops` mapping or when the metadata may have an issue (or sets `shamir_threshold`, whose
 * number js-yaml and `yaml` may read differently): the caller then reads the AST, which says
 * why. Only meaningful for a value that mirrors its AST (see `valuesMirrorAst`). Cached.
 */
export function cleanSopsMetadata(value: unknown): SopsMetadata | undefined {
  const sops = isPlainMap(value) ? own(value, 'sops') : undefined;
  if (!isPlainMap(sops)) return undefined;
  let meta = valueCache.get(sops);
  if (meta === undefined) {
    meta = readCleanMetadata(sops) ?? null;
    valueCache.set(sops, meta);
  }
  return meta ?? undefined;
}

/** Mirrors {@link readMetadata} on a plain value; `undefined` at the first issue. */
function readCleanMetadata(sops: PlainMap): SopsMetadata | undefined {
  const mac = own(sops, 'mac');
  if (typeof mac !== 'string' || !parseEncryptedValue(mac, 'mac').ok) return undefined;
  const lastModified = own(sops, 'lastmodified');
  if (typeof lastModified !== 'string' || !RFC3339.test(lastModified)) return undefined;
  const version = own(sops, 'version');
  if (typeof version !== 'string' || !VERSION.test(version)) return undefined;
  if (own(sops, 'shamir_threshold') != null) return undefined;
  const recipients: Recipient[] = [];
  const groups = own(sops, 'key_groups');
  let keyGroupCount = 1;
  if (Array.isArray(groups) && groups.length > 0) {
    for (let i = 0; i < groups.length; i++) {
      const group: unknown = groups[i];
      if (!isPlainMap(group) || !readCleanKeyLists(group, ['sops', 'key_groups', i], recipients)) return undefined;
    }
    keyGroupCount = groups.length;
  } else if ((groups != null && !Array.isArray(groups)) || !readCleanKeyLists(sops, SOPS, recipients)) {
    return undefined;
  }
  if (recipients.length === 0) return undefined;
  const selection = readCleanSelection(sops);
  if (!selection) return undefined;
  return { mac, lastModified, version, recipients, keyGroupCount, selection, issues: [] };
}

// Indexed loops: run for every SOPS file, mostly before V8 optimises this, where for-of over entries() makes an iterator result and a pair per step.
function readCleanKeyLists(group: PlainMap, base: YamlPath, recipients: Recipient[]): boolean {
  for (let typeIndex = 0; typeIndex < RECIPIENT_TYPES.length; typeIndex++) {
    const type = RECIPIENT_TYPES[typeIndex]!;
    const entries = own(group, type);
    if (entries == null) continue;
    if (!Array.isArray(entries)) return false;
    for (let i = 0; i < entries.length; i++) {
      const entry: unknown = entries[i];
      const entryId = keyEntryId(type, (field) => {
        const value = isPlainMap(entry) ? own(entry, field) : undefined;
        return typeof value === 'string' ? value : undefined;
      });
      if (!entryId.ok) return false;
      if (entryId.id !== undefined) recipients.push({ type, id: entryId.id, path: base.concat(type, i) });
    }
  }
  return true;
}

function readCleanSelection(sops: PlainMap): Selection | undefined {
  const present = Object.keys(sops).filter((key) => isSelectionKey(key) && sops[key] !== null && sops[key] !== '');
  if (present.length === 0) return defaultSelection();
  const key = present[0] as SelectionKey;
  const value = sops[key];
  if (present.length > 1 || typeof value !== 'string') return undefined;
  const made = makeSelection(key, value);
  return made.ok ? made.selection : undefined;
}

function isPlainMap(value: unknown): value is PlainMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function own(map: PlainMap, key: string): unknown {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

function readMetadata(node: unknown): SopsMetadata {
  const meta: SopsMetadata = {
    mac: undefined,
    lastModified: undefined,
    version: undefined,
    recipients: [],
    keyGroupCount: 0,
    selection: undefined,
    issues: [],
  };
  if (!isMap(node)) {
    meta.issues.push({ code: 'notMapping', path: SOPS, data: {} });
    return meta;
  }
  meta.mac = readMac(node, meta.issues);
  meta.lastModified = readField(node, 'lastmodified', RFC3339, 'invalidLastModified', meta.issues);
  meta.version = readField(node, 'version', VERSION, 'invalidVersion', meta.issues);
  readKeyGroups(node, meta);
  meta.selection = readSelection(node, meta.issues);
  readShamir(node, meta);
  return meta;
}

function readMac(node: YAMLMap, issues: MetadataIssue[]): string | undefined {
  const pair = pairOf(node, 'mac');
  if (!pair) {
    issues.push({ code: 'missingField', path: SOPS, key: true, data: { field: 'mac' } });
    return undefined;
  }
  const mac = stringValue(pair.value);
  const parsed = mac === undefined ? undefined : parseEncryptedValue(mac, 'mac');
  if (!parsed?.ok) {
    const problem = parsed ? parsed.problem : 'the MAC is not a string';
    issues.push({ code: 'invalidMac', path: ['sops', 'mac'], data: { problem } });
  }
  return mac;
}

function readField(
  node: YAMLMap,
  field: string,
  pattern: RegExp,
  code: MetadataIssueCode,
  issues: MetadataIssue[],
): string | undefined {
  const pair = pairOf(node, field);
  if (!pair) {
    issues.push({ code: 'missingField', path: SOPS, key: true, data: { field } });
    return undefined;
  }
  const value = isScalar(pair.value) ? pair.value.value : undefined;
  // A YAML 1.1 schema may already have turned an unquoted timestamp into a Date.
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : undefined;
  if (text === undefined || !pattern.test(text)) issues.push({ code, path: ['sops', field], data: {} });
  return text;
}

function readKeyGroups(node: YAMLMap, meta: SopsMetadata): void {
  const groups = pairOf(node, 'key_groups')?.value;
  // SOPS falls back to the top-level lists when `key_groups` is absent or empty.
  if (isSeq(groups) && groups.items.length > 0) {
    groups.items.forEach((group, i) => {
      const path = ['sops', 'key_groups', i];
      if (isMap(group)) readKeyLists(group, path, meta);
      else meta.issues.push(invalidField(path, `key_groups[${i}]`, 'a mapping of key lists'));
    });
    meta.keyGroupCount = groups.items.length;
  } else if (isMap(groups)) {
    // mapstructure decodes the metadata weakly typed: a single mapping stands for a list of one.
    readKeyLists(groups, ['sops', 'key_groups'], meta);
    meta.keyGroupCount = 1;
  } else {
    if (groups != null && !isNullScalar(groups) && !isSeq(groups)) {
      meta.issues.push(invalidField(['sops', 'key_groups'], 'key_groups', 'a list of key groups'));
    }
    readKeyLists(node, SOPS, meta);
    meta.keyGroupCount = 1;
  }
  const badEntry = meta.issues.some((issue) => issue.code === 'invalidKeyEntry');
  if (meta.recipients.length === 0 && !badEntry) {
    meta.issues.push({ code: 'noRecipients', path: SOPS, key: true, data: {} });
  }
}

function readKeyLists(group: YAMLMap, base: YamlPath, meta: SopsMetadata): void {
  for (const type of RECIPIENT_TYPES) {
    const pair = pairOf(group, type);
    if (!pair || pair.value == null || isNullScalar(pair.value)) continue;
    const path = [...base, type];
    if (isMap(pair.value)) {
      // Weakly typed decoding: one key entry written without the list.
      readKeyEntry(type, pair.value, path, meta);
      continue;
    }
    if (!isSeq(pair.value)) {
      meta.issues.push(invalidField(path, type, 'a list of key entries'));
      continue;
    }
    pair.value.items.forEach((entry, i) => readKeyEntry(type, entry, [...path, i], meta));
  }
}

function readKeyEntry(type: RecipientType, entry: unknown, path: YamlPath, meta: SopsMetadata): void {
  const entryId = keyEntryId(type, (field) => stringValue(pairOf(entry, field)?.value));
  if (!entryId.ok) meta.issues.push({ code: 'invalidKeyEntry', path, data: { type, field: entryId.missing } });
  else if (entryId.id !== undefined) meta.recipients.push({ type, id: entryId.id, path });
}

/**
 * The normalised recipient of a key entry, from its string fields (`undefined` when a field
 * is absent or not a string); or the first required field that is missing or blank.
 */
function keyEntryId(
  type: RecipientType,
  field: (name: string) => string | undefined,
): { ok: true; id: string | undefined } | { ok: false; missing: string } {
  const text = (name: string): string | undefined => {
    const value = field(name);
    return value?.trim() ? value : undefined;
  };
  const missing = [...ID_FIELDS[type], 'enc'].find((name) => text(name) === undefined);
  if (missing !== undefined) return { ok: false, missing };
  const written =
    type === 'azure_kv'
      ? azureKey(text('vault_url') as string, text('name') as string)
      : type === 'hc_vault'
        ? vaultUri(text('vault_address') as string, text('engine_path') as string, text('key_name') as string)
        : (text(ID_FIELDS[type][0] as string) as string);
  return { ok: true, id: normaliseRecipient(type, written) };
}

function readSelection(node: YAMLMap, issues: MetadataIssue[]): Selection | undefined {
  // SOPS treats an empty selection value as unset.
  const present = node.items.filter((pair) => {
    const key = keyText(pair);
    return key !== undefined && isSelectionKey(key) && !isNullScalar(pair.value) && weakString(pair.value) !== '';
  });
  if (present.length === 0) return defaultSelection();
  if (present.length > 1) {
    const keys = present.map((pair) => keyText(pair)).join(', ');
    for (const pair of present.slice(1)) {
      issues.push({ code: 'multipleSelection', path: ['sops', keyText(pair) as string], key: true, data: { keys } });
    }
    return undefined;
  }
  const pair = present[0] as (typeof present)[number];
  const key = keyText(pair) as SelectionKey;
  const value = weakString(pair.value);
  if (value === undefined) {
    issues.push(invalidField(['sops', key], key, 'a string'));
    return undefined;
  }
  const made = makeSelection(key, value);
  if (made.ok) return made.selection;
  const effect = key.startsWith('un') ? 'sops tries to decrypt every value, the plaintext ones too, and fails' : 'sops decrypts no value of this file';
  issues.push({ code: 'invalidRegex', path: ['sops', key], data: { field: key, reason: made.reason, effect } });
  return undefined;
}

function readShamir(node: YAMLMap, meta: SopsMetadata): void {
  const pair = pairOf(node, 'shamir_threshold');
  if (!pair || isNullScalar(pair.value)) return;
  const value = weakInteger(pair.value);
  if (value === undefined || value < 0) {
    meta.issues.push(invalidField(['sops', 'shamir_threshold'], 'shamir_threshold', 'a whole number'));
  } else if (value > meta.keyGroupCount) {
    meta.issues.push({
      code: 'invalidShamir',
      path: ['sops', 'shamir_threshold'],
      data: { threshold: value, groups: meta.keyGroupCount },
    });
  }
}

function invalidField(path: YamlPath, field: string, expected: string): MetadataIssue {
  return { code: 'invalidField', path, data: { field, expected } };
}

/**
 * A string field as sops decodes its metadata (mapstructure, weakly typed): numbers give
 * their decimal text, booleans "1" or "0"; mappings and lists are refused.
 */
function weakString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return undefined;
}

/** An int field, weakly typed: a number (truncated), a boolean (1 or 0) or a string of digits. */
function weakInteger(node: unknown): number | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value === '') return 0;
  if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function isNullScalar(node: unknown): boolean {
  return isScalar(node) && node.value == null;
}
