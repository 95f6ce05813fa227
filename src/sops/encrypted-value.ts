/**
 * The `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` value format SOPS writes for every
 * encrypted scalar and comment (DOMAIN §6.2).
 */

/** Value types SOPS writes (`time` since 3.10) or accepts on decryption (`bytes`). */
export const ENCRYPTED_VALUE_TYPES = ['str', 'int', 'float', 'bool', 'bytes', 'time', 'comment'] as const;
export type EncryptedValueType = (typeof ENCRYPTED_VALUE_TYPES)[number];

/** Why a string that starts with `ENC[` is not a value SOPS can decrypt. */
export type EncryptedValueProblem =
  | 'the value does not have the form ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]'
  | 'the data is not base64'
  | 'the iv is not 32 bytes of base64'
  | 'the tag is not 16 bytes of base64'
  | 'the type is unknown'
  | 'a comment must have type comment'
  | 'only a comment may have type comment'
  | 'the MAC must have type str';

export type EncryptedValueResult =
  | { ok: true; type: EncryptedValueType }
  | { ok: false; problem: EncryptedValueProblem };

/** What the value is used for; decides which `type` is acceptable. */
export type EncryptedValueRole = 'value' | 'comment' | 'mac';

const ENC_PREFIX = 'ENC[';
const SHAPE = /^ENC\[AES256_GCM,data:([^,]*),iv:([^,]*),tag:([^,]*),type:([^\]]*)\]$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const TYPES: ReadonlySet<string> = new Set(ENCRYPTED_VALUE_TYPES);

/** True when a string is meant to be an encrypted value (it may still be malformed). */
export function looksEncrypted(text: string): boolean {
  return text.startsWith(ENC_PREFIX);
}

/**
 * Checks an `ENC[...]` string against the format SOPS writes: AES256_GCM, standard padded
 * base64, a 32-byte iv, a 16-byte tag, and a type fitting its role. Never throws.
 */
export function parseEncryptedValue(text: string, role: EncryptedValueRole = 'value'): EncryptedValueResult {
  const m = SHAPE.exec(text);
  if (!m) return fail('the value does not have the form ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]');
  // Indexed, not destructured: array destructuring steps an iterator (an object per step until V8 optimises this).
  const data = m[1] ?? '';
  const iv = m[2] ?? '';
  const tag = m[3] ?? '';
  const type = m[4] ?? '';
  if (data === '' || !BASE64.test(data)) return fail('the data is not base64');
  if (!BASE64.test(iv) || base64Length(iv) !== 32) return fail('the iv is not 32 bytes of base64');
  if (!BASE64.test(tag) || base64Length(tag) !== 16) return fail('the tag is not 16 bytes of base64');
  if (!TYPES.has(type)) return fail('the type is unknown');
  if (role === 'comment' && type !== 'comment') return fail('a comment must have type comment');
  if (role === 'value' && type === 'comment') return fail('only a comment may have type comment');
  if (role === 'mac' && type !== 'str') return fail('the MAC must have type str');
  return { ok: true, type: type as EncryptedValueType };
}

function fail(problem: EncryptedValueProblem): EncryptedValueResult {
  return { ok: false, problem };
}

function base64Length(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}
