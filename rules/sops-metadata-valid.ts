import { defineRule, type RuleContext } from '../src/model/rule.js';
import type { SourceFile } from '../src/model/workspace.js';
import { describePath } from '../src/sops/ast.js';
import { documentComments, type ValueFact } from '../src/sops/document.js';
import { duplicatesAt, hasSopsKeyAt, hasTopLevelKeyAt, mayHaveEncryptedComments, sopsMetadataAt, valuesAt } from '../src/sops/facts.js';
import type { MetadataIssueCode, SopsMetadata } from '../src/sops/metadata.js';
import { describeSelection, isCommentSelection, mustEncrypt, type Selection } from '../src/sops/selection.js';
import { documentTarget } from '../src/sops/targets.js';

type MessageId =
  | MetadataIssueCode
  | 'duplicateKey'
  | 'malformedValue'
  | 'malformedComment'
  | 'encryptedNotSelected'
  | 'identityEncrypted'
  | 'missingMetadata'
  | 'inconsistentMetadata';
type Context = RuleContext<MessageId>;

/** Issue codes of the metadata reader, mapped to this rule's messages. */
const METADATA_MESSAGES: Record<MetadataIssueCode, MessageId> = {
  notMapping: 'notMapping',
  missingField: 'missingField',
  invalidMac: 'invalidMac',
  invalidLastModified: 'invalidLastModified',
  invalidVersion: 'invalidVersion',
  invalidField: 'invalidField',
  noRecipients: 'noRecipients',
  invalidKeyEntry: 'invalidKeyEntry',
  multipleSelection: 'multipleSelection',
  invalidRegex: 'invalidRegex',
  invalidShamir: 'invalidShamir',
};
const IDENTITY_KEYS = ['apiVersion', 'kind', 'metadata'];
const RESTORE = 'Restore it from git history, or re-encrypt the plaintext with sops.';

const SECRET = `apiVersion: v1
kind: Secret
metadata:
    name: backup-s3
stringData:
    ACCESS_KEY_ID: ENC[AES256_GCM,data:zMaBkieue1959g==,iv:JSjcPuw3KJ1prBbWJ5PN1Y7+Y2eC3fLX8AgduwJfjA0=,tag:630Hx+Qq4eXFTUuvSSgL9w==,type:str]
`;
const AGE = `    age:
        - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
          enc: |
            -----BEGIN AGE ENCRYPTED FILE-----
            D48wwdkpAU1QF8XXqkFn4T7lxg//q5oT+iems1R/iFXlTHdSnzHdtISxqRxXMrR8
            -----END AGE ENCRYPTED FILE-----
`;
const MAC =
  'ENC[AES256_GCM,data:cFvcEaS+6kDUQ9NKYIeWEc5xxpz28WtBOW1amdLl2n0yDpCs6jiX+WS+O5AheqZCIY1JcO6VJGMVBMHswcUP3MQMEMJAGNb5iseBvJqMraJD5NXnZoSgluGiYPyIqEJ+d+mHae6BkKr7zLJhwllrdHpjomgB534QQudzG9Leids=,iv:MLYk2t7g/LHuqjCrtBe5VJ/DpyPFUKGKx0TOkCIWcnw=,tag:prDkNyhSWzVBI7BaS+vF+A==,type:str]';

export default defineRule({
  meta: {
    id: 'sops-metadata-valid',
    description: 'Require SOPS metadata, encrypted values and keys that sops can decrypt',
    scope: 'repository',
    dependsOn: 'file',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      notMapping: 'The top-level `sops` key is not a mapping: sops reserves it for its metadata and cannot decrypt this document.',
      missingField: `The \`sops\` metadata has no \`{{field}}\`: sops cannot decrypt the file. ${RESTORE}`,
      invalidMac: `\`sops.mac\` is malformed ({{problem}}): sops cannot verify the file. ${RESTORE}`,
      invalidLastModified: `\`sops.lastmodified\` is not an RFC 3339 timestamp: it is part of the MAC, so decryption fails. ${RESTORE}`,
      invalidVersion: `\`sops.version\` is not a sops version such as 3.9.4: the metadata was edited by hand. ${RESTORE}`,
      invalidField: `\`{{field}}\` in the \`sops\` metadata must be {{expected}}: sops cannot load it. ${RESTORE}`,
      noRecipients:
        'The `sops` metadata lists no key in any key type or key group: nobody can decrypt the data key. Re-encrypt the file with the recipients of your .sops.yaml.',
      invalidKeyEntry: `A {{type}} key entry in the \`sops\` metadata has no \`{{field}}\`: sops cannot decrypt the data key with it. ${RESTORE}`,
      multipleSelection:
        'The `sops` metadata sets more than one of {{keys}}: sops refuses to load such a file. Keep only the one the file was encrypted with.',
      invalidRegex:
        '`{{field}}` in the `sops` metadata is not a valid RE2 regular expression ({{reason}}): sops drops the error and the pattern matches no key, so {{effect}}. Restore the `sops` block from git history.',
      invalidShamir:
        '`shamir_threshold` is {{threshold}} but the file has {{groups}} key group(s): the data key can never be recovered. Re-encrypt the file with enough key groups.',
      duplicateKey:
        'Duplicate key `{{key}}` in a SOPS-encrypted document: sops refuses to decrypt or edit files with duplicate keys. Keep one, using `sops edit` after removing the other.',
      malformedValue: `The encrypted value of \`{{key}}\` is malformed ({{problem}}): sops cannot decrypt it. ${RESTORE}`,
      malformedComment: 'An encrypted comment is malformed ({{problem}}): sops cannot decrypt it. Remove it or restore it from git history.',
      encryptedNotSelected:
        '`{{key}}` holds an ENC[...] value that the file\'s `{{selection}}` does not select: sops leaves it encrypted on decryption, so the ciphertext is what gets applied. Re-encrypt the file from plaintext.',
      identityEncrypted:
        '`{{key}}` is encrypted, but Flux and kubectl need `apiVersion`, `kind` and `metadata` in plaintext. Re-encrypt the file with `encrypted_regex: ^(data|stringData)$`.',
      missingMetadata:
        'This document holds ENC[...] values but no `sops` metadata: sops writes the metadata into every document, so nothing here can be decrypted and Flux applies the ciphertext. Restore the `sops` block from git history.',
      inconsistentMetadata:
        'Document {{index}} has different `sops` metadata than document 1: sops decrypts every document of a file with the first one\'s data key, so `sops --decrypt` fails. Keep separately encrypted objects in separate files.',
    },
    docs: {
      rationale:
        'sops can only decrypt a file whose `sops` block is intact: the MAC, `lastmodified` and `version`, at least one recipient (in the top-level key lists or in `key_groups`), and at most one of the selection keys. Every encrypted value must follow `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`, sops refuses files with duplicate keys, and in multi-document files every document carries the same block. Flux decrypts objects one by one and does not check the MAC, so a broken file may still deploy — until someone runs `sops edit` and cannot. Flux also needs `apiVersion`, `kind` and `metadata` in plaintext.',
      incorrect: [
        {
          title: 'The MAC was removed and a key was duplicated',
          files: {
            'deploy/backup-secret.yaml': `${SECRET}    ACCESS_KEY_ID: ENC[AES256_GCM,data:YPBDAlgwuHXa3eLm2032gINckMSRy0UW,iv:a9zyK1eNTnE0i5iWXcQQG7AjxHGAv6ATvbU+EaqG9l8=,tag:RV06zCSsIw/zlguvChO61Q==,type:str]\nsops:\n${AGE}    encrypted_regex: ^(data|stringData)$\n    lastmodified: "2025-02-11T09:12:44Z"\n    version: 3.10.2\n`,
          },
        },
        {
          title: 'Encrypted values without metadata',
          files: { 'deploy/backup-secret.yaml': SECRET },
        },
      ],
      correct: [
        {
          title: 'A file as sops 3.8 writes it, with empty key lists',
          files: {
            'deploy/backup-secret.yaml': `${SECRET}sops:\n    kms: []\n    gcp_kms: []\n    azure_kv: []\n    hc_vault: []\n${AGE}    lastmodified: "2024-03-01T10:00:00Z"\n    mac: ${MAC}\n    pgp: []\n    encrypted_regex: ^(data|stringData)$\n    version: 3.8.1\n`,
          },
        },
      ],
      whenNotToUse: 'When files with ENC[...]-looking strings are not SOPS files (for example fixtures of another encryption tool).',
    },
  },
  check(ctx) {
    // Indexed loops: thousands of files, mostly before V8 optimises this (no iterator result or callback per file).
    const files = ctx.model.files;
    for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
      const file = files[fileIndex]!;
      if (!file.reported || file.text === undefined || file.documents.length === 0) continue;
      let first: SopsMetadata | undefined;
      // Whether the text holds an encrypted value at all: scanned once per file, when a document without metadata asks.
      let mayHoldEncrypted: boolean | undefined;
      for (let docIndex = 0; docIndex < file.documents.length; docIndex++) {
        if (!hasSopsKeyAt(file, docIndex)) {
          if ((mayHoldEncrypted ??= file.text.includes('ENC['))) checkMissingMetadata(ctx, file, docIndex);
          continue;
        }
        const meta = sopsMetadataAt(file, docIndex) as SopsMetadata;
        checkDocument(ctx, file, docIndex, meta);
        if (!first) first = meta;
        else if (first.mac !== meta.mac || first.lastModified !== meta.lastModified) {
          ctx.report({ file, docIndex, path: ['sops'], key: true, messageId: 'inconsistentMetadata', data: { index: docIndex + 1 } });
        }
      }
    }
  },
});

function checkDocument(ctx: Context, file: SourceFile, docIndex: number, meta: SopsMetadata): void {
  if (!file.documents[docIndex]) return;
  const target = documentTarget(ctx.model, file, docIndex);
  const issues = meta.issues;
  for (let issueIndex = 0; issueIndex < issues.length; issueIndex++) {
    const issue = issues[issueIndex]!;
    ctx.report({ ...target, path: issue.path, key: issue.key ?? false, messageId: METADATA_MESSAGES[issue.code], data: issue.data });
  }
  const duplicates = duplicatesAt(file, docIndex);
  for (let duplicateIndex = 0; duplicateIndex < duplicates.length; duplicateIndex++) {
    const duplicate = duplicates[duplicateIndex]!;
    ctx.report({ file, offsets: duplicate.range, messageId: 'duplicateKey', data: { key: describePath([...duplicate.mapPath, duplicate.key]) } });
  }
  const manifest = hasTopLevelKeyAt(file, docIndex, 'apiVersion') && hasTopLevelKeyAt(file, docIndex, 'kind');
  const values = valuesAt(file, docIndex);
  for (let valueIndex = 0; valueIndex < values.length; valueIndex++) {
    const value = values[valueIndex]!;
    // Plain and empty values have nothing to check here; the rest are worded only when reported.
    if (value.state === 'malformed') {
      ctx.report({ ...target, path: value.path, messageId: 'malformedValue', data: { key: describePath(value.path), problem: value.problem ?? '' } });
    } else if (value.state === 'encrypted' && manifest && IDENTITY_KEYS.includes(value.keys[0] ?? '')) {
      ctx.report({ ...target, path: value.path, messageId: 'identityEncrypted', data: { key: describePath(value.path) } });
    } else if (value.state === 'encrypted' && meta.selection && notSelected(meta.selection, value)) {
      ctx.report({
        ...target,
        path: value.path,
        messageId: 'encryptedNotSelected',
        data: { key: describePath(value.path), selection: describeSelection(meta.selection) },
      });
    }
  }
  // Only a comment written `#ENC[` can be a malformed encrypted one.
  if (!mayHaveEncryptedComments(file)) return;
  for (const comment of documentComments(file.text as string, file.documents.map((d) => d.doc), docIndex)) {
    if (comment.state !== 'malformed') continue;
    ctx.report({ file, offsets: comment.range, messageId: 'malformedComment', data: { problem: comment.problem ?? '' } });
  }
}

/** The comment modes depend on comments this check does not relate to values; they are skipped. */
function notSelected(selection: Selection, value: ValueFact): boolean {
  return !isCommentSelection(selection) && !mustEncrypt(selection, value.keys);
}

function checkMissingMetadata(ctx: Context, file: SourceFile, docIndex: number): void {
  if (!file.documents[docIndex]) return;
  const first = valuesAt(file, docIndex).find((value) => value.state === 'encrypted' || value.state === 'malformed');
  if (!first) return;
  ctx.report({ ...documentTarget(ctx.model, file, docIndex), path: first.path, messageId: 'missingMetadata' });
}
