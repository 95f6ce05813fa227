/**
 * SOPS facts shared by the rules and the engine: the metadata block, the `ENC[...]` format,
 * which values a file's selection key encrypts, `.sops.yaml` creation rules, and what code
 * frames must mask.
 */
export { isSopsEncrypted, hasSopsKey, sopsMetadata, cleanSopsMetadata, type SopsMetadata, type MetadataIssue } from './metadata.js';
export { looksEncrypted, parseEncryptedValue, type EncryptedValueResult } from './encrypted-value.js';
export { mustEncrypt, describeSelection, isCommentSelection, type Selection, type SelectionKey } from './selection.js';
export { analyzeDocument, analyzeValue, documentComments, precedingComments, type ValueInfo, type ValueFact, type CommentInfo } from './document.js';
export { valuesMirrorAst, hasSopsKeyAt, isSopsEncryptedAt, sopsMetadataAt, valuesAt } from './facts.js';
export { readSopsConfig, type SopsConfig, type CreationRule, type ConfigIssue } from './config.js';
export { findSopsConfig, matchCreationRule, coveringCreationRule, pathFromConfig, SOPS_CONFIG_NAME } from './config-lookup.js';
export { compileGoRegexp, type GoRegexp } from '../engine/safe-regex.js';
export { recipientKey, describeRecipient, type Recipient } from './recipients.js';
export { sopsSecretRanges } from './redact.js';
