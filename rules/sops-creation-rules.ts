import { holdsSecretValue } from '../src/engine/credential.js';
import { getIn } from '../src/engine/values.js';
import { defineRule, type RuleContext } from '../src/model/rule.js';
import type { Resource, SourceFile } from '../src/model/workspace.js';
import type { CreationRule } from '../src/sops/config.js';
import { findSopsConfig, matchCreationRule, pathFromConfig, sopsConfigOf } from '../src/sops/config-lookup.js';
import { isSopsEncryptedAt, sopsMetadataAt, valuesAt } from '../src/sops/facts.js';
import type { SopsMetadata } from '../src/sops/metadata.js';
import { describeRecipient, recipientKey } from '../src/sops/recipients.js';
import { describeSelection, sameSelection } from '../src/sops/selection.js';
import { isSecret } from '../src/sops/targets.js';

type MessageId = 'noRule' | 'missingRecipient' | 'extraRecipient' | 'selectionMismatch';
type Context = RuleContext<MessageId>;

const AGE_A = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const AGE_B = 'age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg';
const SOPS_CONFIG = `creation_rules:
  - path_regex: secrets/.*\\.yaml$
    encrypted_regex: ^(data|stringData)$
    age: ${AGE_A},${AGE_B}
`;
const encryptedSecret = (recipients: string[]): string => `apiVersion: v1
kind: Secret
metadata:
    name: db
stringData:
    password: ENC[AES256_GCM,data:zMaBkieue1959g==,iv:JSjcPuw3KJ1prBbWJ5PN1Y7+Y2eC3fLX8AgduwJfjA0=,tag:630Hx+Qq4eXFTUuvSSgL9w==,type:str]
sops:
    age:
${recipients.map((r) => `        - recipient: ${r}\n          enc: |\n            -----BEGIN AGE ENCRYPTED FILE-----\n            D48wwdkpAU1QF8XXqkFn4T7lxg//q5oT+iems1R/iFXlTHdSnzHdtISxqRxXMrR8\n            -----END AGE ENCRYPTED FILE-----\n`).join('')}    encrypted_regex: ^(data|stringData)$
    lastmodified: "2025-02-11T09:12:44Z"
    mac: ENC[AES256_GCM,data:cFvcEaS+6kDUQ9NKYIeWEc5xxpz28WtBOW1amdLl2n0yDpCs6jiX+WS+O5AheqZCIY1JcO6VJGMVBMHswcUP3MQMEMJAGNb5iseBvJqMraJD5NXnZoSgluGiYPyIqEJ+d+mHae6BkKr7zLJhwllrdHpjomgB534QQudzG9Leids=,iv:MLYk2t7g/LHuqjCrtBe5VJ/DpyPFUKGKx0TOkCIWcnw=,tag:prDkNyhSWzVBI7BaS+vF+A==,type:str]
    version: 3.10.2
`;

export default defineRule({
  meta: {
    id: 'sops-creation-rules',
    description: 'Require encrypted files and Secrets to match a .sops.yaml creation rule and its recipients',
    scope: 'repository',
    // Each file by itself and the .sops.yaml that covers it (looked up by path).
    dependsOn: 'file',
    category: 'reliability',
    defaultLevel: 'warning',
    recommended: true,
    messages: {
      noRule:
        'File {{file}} matches no creation rule of {{config}} (paths are matched relative to its folder, first match wins): `sops updatekeys` and new encryptions fail with "no matching creation rules found". Add a rule whose path_regex matches it.',
      missingRecipient:
        'File {{file}} is not encrypted for {{recipient}}, which creation rule {{rule}} of {{config}} lists: the key was added or rotated after the file was encrypted. Run `sops updatekeys {{file}}`.',
      extraRecipient:
        'File {{file}} is still encrypted for {{recipient}}, which creation rule {{rule}} of {{config}} no longer lists: whoever holds that key can still decrypt it. Run `sops updatekeys {{file}}`, and `sops rotate` if the key was compromised.',
      selectionMismatch:
        'File {{file}} was encrypted with `{{fileSelection}}` but creation rule {{rule}} of {{config}} sets `{{ruleSelection}}`: files encrypted from now on differ from this one in which values stay readable. Re-encrypt the file or align the rule.',
    },
    docs: {
      rationale:
        'sops picks the first creation rule of the nearest `.sops.yaml` whose unanchored `path_regex` matches the file path relative to the folder of `.sops.yaml`. A file that no rule matches cannot be re-keyed with `sops updatekeys`, and a file encrypted before a key was added (or removed) in the rule is out of date: a new teammate or a new cluster cannot decrypt it, or a retired key still can. Without any `.sops.yaml` in the repository the rule stays silent. A plaintext Secret whose values are all references (1Password `op://…` for `op inject`, Flux `${VAR}` placeholders that post-build substitution fills, and the other references the shared credential judgement knows) holds no secret and needs no creation rule: instead of a finding it gets a run note naming the file.',
      incorrect: [
        {
          title: 'A key was added to the rule but the file was not updated',
          files: { '.sops.yaml': SOPS_CONFIG, 'secrets/db.yaml': encryptedSecret([AGE_A]) },
        },
        {
          title: 'An encrypted file outside every rule',
          files: { '.sops.yaml': SOPS_CONFIG, 'deploy/db.yaml': encryptedSecret([AGE_A, AGE_B]) },
        },
      ],
      correct: [
        {
          title: 'The file is encrypted for exactly the rule\'s recipients',
          files: { '.sops.yaml': SOPS_CONFIG, 'secrets/db.yaml': encryptedSecret([AGE_B, AGE_A]) },
        },
        {
          title: 'A plaintext Secret outside every rule that holds only references (a run note, not a finding)',
          files: {
            '.sops.yaml': SOPS_CONFIG,
            'bootstrap/onepassword.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: onepassword-connect-vault-secret\nstringData:\n  token: op://Automation/1password connect/token\n',
          },
        },
      ],
      whenNotToUse: 'When files are encrypted with keys given on the command line and `.sops.yaml` is not meant to cover them.',
    },
  },
  check(ctx) {
    for (const file of ctx.model.files) {
      if (!file.reported || file.text === undefined) continue;
      const encrypted = encryptedDocument(file);
      const plain = encrypted === -1 ? plainSecrets(ctx, file) : NO_PLAIN_SECRETS;
      // Most files are neither encrypted nor a Secret.
      if (plain === undefined) continue;
      const { secrets, referencesOnly } = plain;
      const configFile = findSopsConfig(ctx.model, file);
      if (!configFile) continue;
      const config = sopsConfigOf(configFile);
      const match = matchCreationRule(config, pathFromConfig(configFile.path, file.path));
      if (match.kind === 'unknown') continue;
      const data = { file: file.path, config: configFile.path };
      if (match.kind === 'none') {
        if (encrypted !== -1) ctx.report({ file, docIndex: encrypted, path: ['sops'], key: true, messageId: 'noRule', data });
        for (const { resource, field } of secrets) ctx.report({ resource, path: [field], key: true, messageId: 'noRule', data });
        for (const resource of referencesOnly) {
          const name = resource.appliedNamespace === undefined ? resource.name : `${resource.appliedNamespace}/${resource.name}`;
          ctx.model.note({
            message: `sops-creation-rules: Secret ${name} matches no creation rule of ${configFile.path}, but every value in it is a reference (such as op://… or \${VAR}), not a secret, so it needs none; accepted.`,
            file: file.absPath,
          });
        }
        continue;
      }
      const meta = sopsMetadataAt(file, encrypted);
      if (meta) compare(ctx, file, encrypted, meta, match.rule, data);
    }
  },
});

/**
 * Plaintext Secrets with values: `sops-secret-encrypted` wants them encrypted, so a rule must
 * cover them. Secrets whose values are all references (`op://…`, Flux `${VAR}`) hold no
 * secret and need no rule; they are returned apart, for a run note.
 */
interface PlainSecrets {
  secrets: ReadonlyArray<{ resource: Resource; field: string }>;
  referencesOnly: readonly Resource[];
}

const NO_PLAIN_SECRETS: PlainSecrets = { secrets: [], referencesOnly: [] };

/** The first SOPS-encrypted document of a file, or -1. */
function encryptedDocument(file: SourceFile): number {
  for (let docIndex = 0; docIndex < file.documents.length; docIndex++) if (isSopsEncryptedAt(file, docIndex)) return docIndex;
  return -1;
}

/** Plaintext Secrets of a file, or `undefined` when it has none (most files: nothing is made for them). */
function plainSecrets(ctx: Context, file: SourceFile): PlainSecrets | undefined {
  let secrets: Array<{ resource: Resource; field: string }> | undefined;
  let referencesOnly: Resource[] | undefined;
  for (let docIndex = 0; docIndex < file.documents.length; docIndex++) {
    const resource = ctx.model.resourceAt(file, docIndex);
    if (!isSecret(resource)) continue;
    const parsed = file.documents[docIndex]!;
    const plain = valuesAt(file, docIndex).filter((value) => value.state === 'plain' && (value.keys[0] === 'data' || value.keys[0] === 'stringData'));
    const field = plain.find((value) => holdsSecretValue(getIn(parsed.value, value.path)))?.keys[0];
    if (field) (secrets ??= []).push({ resource, field });
    else if (plain.length > 0) (referencesOnly ??= []).push(resource);
  }
  return secrets || referencesOnly ? { secrets: secrets ?? [], referencesOnly: referencesOnly ?? [] } : undefined;
}

function compare(
  ctx: Context,
  file: SourceFile,
  docIndex: number,
  meta: SopsMetadata,
  rule: CreationRule,
  base: { file: string; config: string },
): void {
  const data = { ...base, rule: rule.index + 1 };
  // A rule without recipients leaves them to the command line; nothing to compare.
  if (rule.recipients.length > 0 && meta.recipients.length > 0) {
    const inFile = new Set(meta.recipients.map(recipientKey));
    const inRule = ruleKeys(rule);
    for (const recipient of rule.recipients) {
      if (inFile.has(recipientKey(recipient))) continue;
      inFile.add(recipientKey(recipient));
      ctx.report({ file, docIndex, path: ['sops'], key: true, messageId: 'missingRecipient', data: { ...data, recipient: describeRecipient(recipient) } });
    }
    for (const recipient of meta.recipients) {
      if (inRule.has(recipientKey(recipient))) continue;
      ctx.report({ file, docIndex, path: recipient.path, messageId: 'extraRecipient', data: { ...data, recipient: describeRecipient(recipient) } });
    }
  }
  if (meta.selection && rule.selection && !sameSelection(meta.selection, rule.selection)) {
    ctx.report({
      file,
      docIndex,
      path: ['sops', meta.selection.key],
      key: true,
      messageId: 'selectionMismatch',
      data: { ...data, fileSelection: describeSelection(meta.selection), ruleSelection: describeSelection(rule.selection) },
    });
  }
}

const ruleKeySets = new WeakMap<CreationRule, ReadonlySet<string>>();

/** The recipient keys of a creation rule, once per rule rather than once per file it covers. */
function ruleKeys(rule: CreationRule): ReadonlySet<string> {
  let keys = ruleKeySets.get(rule);
  if (!keys) ruleKeySets.set(rule, (keys = new Set(rule.recipients.map(recipientKey))));
  return keys;
}
