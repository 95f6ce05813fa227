/**
 * What code frames must mask in SOPS files: every value and comment that sops encrypts (or
 * would encrypt) there, whatever its key is called. A name-based redaction misses
 * `database.host` in an encrypted Terraform vars file, or a plaintext comment under
 * `stringData`.
 */
import type { SourceFile } from '../model/workspace.js';
import type { Model } from '../model/model.js';
import { coveringCreationRule } from './config-lookup.js';
import { analyzeDocument, documentComments } from './document.js';
import { hasSopsKey, sopsMetadata } from './metadata.js';
import { mustEncrypt, type Selection } from './selection.js';

/**
 * Offsets `[start, end)` to mask in a file: in SOPS-encrypted documents the values and comments
 * their selection covers (all of them when it cannot be decided); in plaintext documents of a
 * file that a `.sops.yaml` creation rule covers, the values that rule selects.
 *
 * @param model Used to find `.sops.yaml`; without it only encrypted documents are considered.
 */
export function sopsSecretRanges(file: SourceFile, model?: Pick<Model, 'fileAt'>): Array<[number, number]> {
  const text = file.text;
  if (text === undefined || file.documents.length === 0) return [];
  const docs = file.documents.map((parsed) => parsed.doc);
  const ranges: Array<[number, number]> = [];
  let ruleSelection: Selection | null | undefined;
  docs.forEach((doc, index) => {
    let selection: Selection | undefined;
    if (hasSopsKey(doc)) {
      selection = sopsMetadata(doc)?.selection;
      for (const comment of documentComments(text, docs, index)) {
        if (!comment.directive && (!selection || mustEncrypt(selection, comment.keys))) {
          ranges.push([comment.range[0] + 1, comment.range[1]]);
        }
      }
      // Values of an unreadable selection are all masked: better too much than a leak.
      for (const value of analyzeDocument(doc).values) {
        if (!selection || mustEncrypt(selection, value.keys)) ranges.push([value.range[0], value.range[1]]);
      }
      return;
    }
    if (!model) return;
    ruleSelection ??= coveringCreationRule(model, file)?.rule.selection ?? null;
    if (!ruleSelection) return;
    for (const value of analyzeDocument(doc).values) {
      if (value.state !== 'empty' && mustEncrypt(ruleSelection, value.keys)) ranges.push([value.range[0], value.range[1]]);
    }
  });
  return ranges.sort((a, b) => a[0] - b[0]);
}
