/**
 * Which values SOPS encrypts, mirroring `sops.go` `shouldBeEncrypted` (DOMAIN §6.3): the
 * decision is made on the path of mapping keys from the root to the value (list indexes are
 * not part of it), by exactly one selection key stored in the file's metadata or set by a
 * creation rule.
 */
import { compileGoRegexp, type GoRegexp } from '../engine/safe-regex.js';

/** The six mutually exclusive selection keys, in the spelling of metadata and `.sops.yaml`. */
export const SELECTION_KEYS = [
  'unencrypted_suffix',
  'encrypted_suffix',
  'unencrypted_regex',
  'encrypted_regex',
  'unencrypted_comment_regex',
  'encrypted_comment_regex',
] as const;
export type SelectionKey = (typeof SELECTION_KEYS)[number];

/** The suffix SOPS assumes when no selection key is stored. */
export const DEFAULT_UNENCRYPTED_SUFFIX = '_unencrypted';

/** A usable selection: the key, its value, and for regex keys the compiled RE2 pattern. */
export interface Selection {
  key: SelectionKey;
  value: string;
  /** Set for the four regex keys. */
  regexp?: GoRegexp;
}

/** Result of turning a `key: value` pair into a {@link Selection}. */
export type SelectionResult = { ok: true; selection: Selection } | { ok: false; reason: string };

const SELECTION_KEY_SET: ReadonlySet<string> = new Set(SELECTION_KEYS);

export function isSelectionKey(key: string): key is SelectionKey {
  return SELECTION_KEY_SET.has(key);
}

/** The selection SOPS uses when none is stored. */
export function defaultSelection(): Selection {
  return { key: 'unencrypted_suffix', value: DEFAULT_UNENCRYPTED_SUFFIX };
}

/** True for the two modes where preceding comments, not key names, decide. */
export function isCommentSelection(selection: Selection): boolean {
  return selection.key === 'unencrypted_comment_regex' || selection.key === 'encrypted_comment_regex';
}

/** Builds a selection, compiling regexes as Go RE2; an invalid regex is an error, not a throw. */
export function makeSelection(key: SelectionKey, value: string): SelectionResult {
  if (!key.endsWith('_regex')) return { ok: true, selection: { key, value } };
  const compiled = compileGoRegexp(value);
  if (!compiled.ok) return { ok: false, reason: compiled.reason };
  return { ok: true, selection: { key, value, regexp: compiled.regexp } };
}

const NO_COMMENTS: ReadonlyArray<readonly string[]> = [];

/**
 * Whether SOPS encrypts the value at this key path.
 *
 * @param keys Mapping keys from the document root to the value.
 * @param comments For the comment modes: per key, the comments SOPS sees just before it
 *   (its head comments and the trailing comment of its scalar value).
 */
export function mustEncrypt(
  selection: Selection,
  keys: readonly string[],
  comments: ReadonlyArray<readonly string[]> = NO_COMMENTS,
): boolean {
  // Loops rather than `some` with a closure: asked for every value of every SOPS file, mostly
  // before V8 optimises this, where each call made a closure (and a default array).
  switch (selection.key) {
    case 'unencrypted_suffix':
    case 'unencrypted_regex':
      return !anyKeyMatches(selection, keys);
    case 'encrypted_suffix':
    case 'encrypted_regex':
      return anyKeyMatches(selection, keys);
    case 'unencrypted_comment_regex':
      return !anyCommentMatches(selection.regexp, comments);
    case 'encrypted_comment_regex':
      return anyCommentMatches(selection.regexp, comments);
  }
}

function anyKeyMatches(selection: Selection, keys: readonly string[]): boolean {
  for (let index = 0; index < keys.length; index++) if (keyMatches(selection, keys[index]!)) return true;
  return false;
}

function anyCommentMatches(regexp: GoRegexp | undefined, comments: ReadonlyArray<readonly string[]>): boolean {
  for (let group = 0; group < comments.length; group++) {
    const texts = comments[group]!;
    for (let index = 0; index < texts.length; index++) if (test(regexp, texts[index]!)) return true;
  }
  return false;
}

/**
 * For the four key modes, whether one mapping key is the kind `mustEncrypt` looks for on the
 * path: it ends in the suffix, or the regex matches it. A value is then encrypted when some key
 * of its path matches (`encrypted_*`) or none does (`unencrypted_*`). False for the comment modes.
 */
export function keyMatches(selection: Selection, key: string): boolean {
  switch (selection.key) {
    case 'unencrypted_suffix':
    case 'encrypted_suffix':
      return key.endsWith(selection.value);
    case 'unencrypted_regex':
    case 'encrypted_regex':
      return test(selection.regexp, key);
    default:
      return false;
  }
}

function test(regexp: GoRegexp | undefined, text: string): boolean {
  return regexp !== undefined && regexp.test(text);
}

/** `key: value` as written in the file, for messages (selection values are not secrets). */
export function describeSelection(selection: Selection): string {
  return `${selection.key}: ${selection.value}`;
}

/**
 * Whether two selections are written the same ({@link describeSelection} equal), without
 * building the two texts: no selection key holds a `:`, so the texts are equal exactly when
 * the keys and the values are.
 */
export function sameSelection(a: Selection, b: Selection): boolean {
  return a.key === b.key && a.value === b.value;
}
