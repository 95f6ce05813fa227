/**
 * Recipients (master keys) of SOPS files and creation rules, normalised so that a file's
 * metadata entry and the `.sops.yaml` spelling of the same key compare equal. Recipients are
 * public identifiers (age public keys, PGP fingerprints, KMS key names), never secrets.
 */
import type { YamlPath } from '../model/finding.js';

/** Key types in the metadata spelling (`.sops.yaml` says `azure_keyvault`, `hc_vault_transit_uri`). */
export const RECIPIENT_TYPES = ['age', 'pgp', 'kms', 'gcp_kms', 'azure_kv', 'hc_vault', 'hckms'] as const;
export type RecipientType = (typeof RECIPIENT_TYPES)[number];

export interface Recipient {
  type: RecipientType;
  /** Normalised identifier: age public key, upper-case PGP fingerprint, KMS ARN, … */
  id: string;
  /** Where it is written (in the SOPS file or in `.sops.yaml`). */
  path: YamlPath;
}

/** Stable comparison key. */
export function recipientKey(r: Pick<Recipient, 'type' | 'id'>): string {
  return `${r.type}:${r.id}`;
}

/** `age age1…` style label for messages. */
export function describeRecipient(r: Pick<Recipient, 'type' | 'id'>): string {
  return `${r.type} ${r.id}`;
}

/** Normalises an identifier as written for a type; `undefined` when it is empty. */
export function normaliseRecipient(type: RecipientType, written: string): string | undefined {
  const text = written.trim();
  if (text === '') return undefined;
  switch (type) {
    case 'pgp':
      return text.replace(/\s+/g, '').toUpperCase();
    case 'kms':
      // `.sops.yaml` appends an assumed role as `arn+role`; the file keeps it in `role`.
      return text.split('+')[0];
    case 'azure_kv':
      return azureKeyFromUrl(text);
    case 'hc_vault':
      return trimSlash(text);
    default:
      return text;
  }
}

/** Azure Key Vault key id without its version, which SOPS may resolve to "latest". */
export function azureKey(vaultUrl: string, name: string): string {
  return `${trimSlash(vaultUrl)}/keys/${name}`;
}

/** Vault transit URI as `.sops.yaml` writes it, from the file's split fields. */
export function vaultUri(address: string, enginePath: string, keyName: string): string {
  return `${trimSlash(address)}/v1/${enginePath}/keys/${keyName}`;
}

function azureKeyFromUrl(url: string): string {
  const m = /^(.*?)\/keys\/([^/]+)/.exec(url);
  return m ? azureKey(m[1] as string, m[2] as string) : trimSlash(url);
}

function trimSlash(text: string): string {
  return text.replace(/\/+$/, '');
}
