/**
 * Names that usually hold credentials. Shared by the rules that look for plaintext secrets
 * and by the redaction of code frames, so both agree on what is sensitive.
 */
const SENSITIVE = /(pass(word|wd|phrase)?|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential|client[-_]?secret|auth[-_]?(key|token))/i;

/** Names that *refer* to a secret rather than hold one (`existingSecret`, `secretName`, `passwordRef`…). */
const REFERENCE = /(^existing|secret[-_]?(name|key|ref)s?$|(name|ref|refs|key[-_]?ref|file|path|enabled|env|mount)$|^(use|enable|create|generate))/i;

export function isSensitiveName(name: string): boolean {
  return SENSITIVE.test(name) && !REFERENCE.test(name);
}
