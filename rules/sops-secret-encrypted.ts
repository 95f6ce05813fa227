import { holdsSecretValue, isCredential } from '../src/engine/credential.js';
import { getIn } from '../src/engine/values.js';
import { defineRule, type RuleContext } from '../src/model/rule.js';
import type { Resource, SourceFile } from '../src/model/workspace.js';
import { describePath } from '../src/sops/ast.js';
import { coveringCreationRule } from '../src/sops/config-lookup.js';
import { analyzeDocument, documentComments, onlyTopLevelHeadComments, precedingComments, type ValueFact, type ValueInfo } from '../src/sops/document.js';
import { isSopsEncryptedAt, mayHaveComments, sopsMetadataAt, valuesAt } from '../src/sops/facts.js';
import { describeSelection, isCommentSelection, mustEncrypt } from '../src/sops/selection.js';
import { documentTarget, isSecret } from '../src/sops/targets.js';
import { isKustomizationFile } from '../src/workspace/source-file.js';

type MessageId = 'notEncrypted' | 'notSelected' | 'plaintextValue' | 'plaintextComment' | 'fileNotEncrypted';
type Context = RuleContext<MessageId>;
type Covering = NonNullable<ReturnType<typeof coveringCreationRule>>;

const SECRET_FIELDS = ['data', 'stringData'];
/** A PEM private key: a credential whatever key it is written under (`tls.key: |`). */
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
/** Tool configuration that a broad `path_regex` may match but that never holds secrets. */
const TOOL_FILES = /(^|\/)(\.sops\.ya?ml|\.gitops-lint\.ya?ml|\.pre-commit-[^/]*|\.github\/.*)$/;

const SECRET = `apiVersion: v1
kind: Secret
metadata:
    name: backup-s3
    namespace: lotus-lake
type: Opaque
`;
const SOPS_BLOCK = `sops:
    age:
        - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
          enc: |
            -----BEGIN AGE ENCRYPTED FILE-----
            D48wwdkpAU1QF8XXqkFn4T7lxg//q5oT+iems1R/iFXlTHdSnzHdtISxqRxXMrR8
            -----END AGE ENCRYPTED FILE-----
    encrypted_regex: ^(data|stringData)$
    lastmodified: "2025-02-11T09:12:44Z"
    mac: ENC[AES256_GCM,data:cFvcEaS+6kDUQ9NKYIeWEc5xxpz28WtBOW1amdLl2n0yDpCs6jiX+WS+O5AheqZCIY1JcO6VJGMVBMHswcUP3MQMEMJAGNb5iseBvJqMraJD5NXnZoSgluGiYPyIqEJ+d+mHae6BkKr7zLJhwllrdHpjomgB534QQudzG9Leids=,iv:MLYk2t7g/LHuqjCrtBe5VJ/DpyPFUKGKx0TOkCIWcnw=,tag:prDkNyhSWzVBI7BaS+vF+A==,type:str]
    version: 3.10.2
`;
const ENC_VALUE =
  'ENC[AES256_GCM,data:zMaBkieue1959g==,iv:JSjcPuw3KJ1prBbWJ5PN1Y7+Y2eC3fLX8AgduwJfjA0=,tag:630Hx+Qq4eXFTUuvSSgL9w==,type:str]';

export default defineRule({
  meta: {
    id: 'sops-secret-encrypted',
    description: 'Require Secrets, and credentials in files that .sops.yaml covers, to be SOPS-encrypted, with no plaintext left inside',
    scope: 'repository',
    // Each file by itself and the .sops.yaml that covers it (looked up by path).
    dependsOn: 'file',
    category: 'security',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      notEncrypted:
        'Secret {{name}} holds plaintext `{{field}}` but is not SOPS-encrypted: everyone who can read the repository can read it. Encrypt the file with `sops --encrypt --in-place {{file}}`.',
      notSelected:
        'Secret {{name}} keeps `{{key}}` in plaintext: the file\'s `{{selection}}` does not select it for encryption. Encrypt `data` and `stringData` (`encrypted_regex: ^(data|stringData)$`) and re-encrypt the file.',
      plaintextValue:
        '`{{key}}` is plaintext in a SOPS-encrypted file: it was added or edited after encryption, is readable in git, and makes `sops --decrypt` fail the MAC check. Set it with `sops edit` instead.',
      plaintextComment:
        'A plaintext comment {{where}} in a SOPS-encrypted file: sops encrypts comments there, so it was added after encryption and is readable in git. Remove it or write it with `sops edit`.',
      fileNotEncrypted:
        'File {{file}} keeps a credential in plaintext (`{{key}}`, a value creation rule {{rule}} of {{config}} encrypts) but is not SOPS-encrypted: everyone who can read the repository can read it. Encrypt it with `sops --encrypt --in-place {{file}}`.',
    },
    docs: {
      rationale:
        'A Secret committed in plaintext is readable by everyone with access to the repository and stays in its history forever. SOPS keeps key names readable and encrypts values, so a Flux repository can hold Secrets safely — as long as every value really is encrypted. A value added to an encrypted file by hand is plaintext, and the file no longer decrypts locally (`sops --decrypt` fails the MAC check). Which values must be encrypted comes from the file\'s own `encrypted_regex`, `unencrypted_regex`, `encrypted_suffix` or `unencrypted_suffix` (default: everything except keys ending in `_unencrypted`); empty strings and `null` stay plain, and comments under encrypted keys are written as `#ENC[...]`. A `.sops.yaml` creation rule only chooses the keys `sops --encrypt` uses for the files its `path_regex` matches; sops never requires such a file to be encrypted, and broad rules (`bootstrap/.*\\.yaml`) also match Ansible tasks, Taskfiles and values files. So a plaintext file that is not a Kubernetes object is reported only when a value the rule would encrypt (by its `encrypted_regex`, `unencrypted_regex` or suffix) is a credential by the shared judgement: a key that names a credential with a literal credential value (`password: hunter2`; not `secret_name: app-tls`, `password: "{{ vault_password }}"` or `enabled: true`), or a PEM private key under any key. A Kubernetes Secret is judged by its `data` and `stringData` wherever it is. A plaintext Secret whose values are all references holds no secret and is accepted: 1Password `op://…` references that `op inject` resolves before applying, Flux `${VAR}` placeholders that post-build substitution fills from `substituteFrom`, and the other references the shared credential judgement knows (`{{ … }}`, `ref+…://…`, `vault:…`). It is not a finding but a run note naming the file, so the skip stays visible; a Secret that mixes references with a literal is reported for the field holding the literal. Findings name the key, never the value.',
      incorrect: [
        {
          title: 'A plaintext Secret',
          files: { 'deploy/backup-secret.yaml': `${SECRET}stringData:\n    ACCESS_KEY_ID: AKIAEXAMPLE\n` },
        },
        {
          title: 'A value added to an encrypted file by hand',
          files: {
            'deploy/backup-secret.yaml': `${SECRET}stringData:\n    ACCESS_KEY_ID: ${ENC_VALUE}\n    REGION: eu-west-1\n${SOPS_BLOCK}`,
          },
        },
        {
          title: 'A credential in a file a creation rule covers, left unencrypted',
          files: {
            '.sops.yaml': 'creation_rules:\n  - path_regex: \\.enc\\.yaml$\n    age: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n',
            'terraform/vars.enc.yaml': 'db_password: not-yet-encrypted\n',
          },
        },
      ],
      correct: [
        {
          title: 'A Taskfile that a broad creation rule matches: it holds no credential',
          files: {
            '.sops.yaml': 'creation_rules:\n  - path_regex: bootstrap/.*\\.yaml\n    age: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n',
            'bootstrap/flux/Taskfile.yaml': "version: '3'\nvars:\n  flux_sops_secret_name: sops-age\ntasks:\n  bootstrap:\n    cmds:\n      - flux bootstrap github --owner=lotus --repository=h-kube\n",
          },
        },
        {
          title: 'An encrypted Secret: only data and stringData are encrypted',
          files: { 'deploy/backup-secret.yaml': `${SECRET}stringData:\n    ACCESS_KEY_ID: ${ENC_VALUE}\n    EMPTY: ""\n${SOPS_BLOCK}` },
        },
        {
          title: 'A plaintext Secret that holds only references (a run note, not a finding)',
          files: { 'bootstrap/onepassword.yaml': `${SECRET}stringData:\n    token: op://Automation/1password connect/token\n    ENDPOINT: \${S3_ENDPOINT}\n` },
        },
      ],
      whenNotToUse:
        'When Secrets are kept out of git by another mechanism (Sealed Secrets, External Secrets) and the plaintext Secrets in the repository are test fixtures.',
    },
  },
  check(ctx) {
    // Indexed loops: thousands of files, mostly before V8 optimises this (no iterator result or callback per file).
    const files = ctx.model.files;
    for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
      const file = files[fileIndex]!;
      if (!file.reported || file.text === undefined) continue;
      // Looked up once per file, and only when a plaintext non-resource document needs it.
      let covering: Covering | null | undefined;
      const coveringRule = (): Covering | null => (covering ??= coveringCreationRule(ctx.model, file) ?? null);
      const documents = file.documents;
      for (let docIndex = 0; docIndex < documents.length; docIndex++) {
        if (isSopsEncryptedAt(file, docIndex)) checkEncrypted(ctx, file, docIndex);
        else checkPlain(ctx, file, docIndex, coveringRule);
      }
    }
  },
});

function checkEncrypted(ctx: Context, file: SourceFile, docIndex: number): void {
  const parsed = file.documents[docIndex];
  const selection = parsed && sopsMetadataAt(file, docIndex)?.selection;
  // Without a usable selection nothing can be said about what should be encrypted; the
  // metadata rule reports why.
  if (!parsed || !selection) return;
  const resource = ctx.model.resourceAt(file, docIndex);
  const target = documentTarget(ctx.model, file, docIndex);
  const secret = isSecret(resource);
  const byComments = isCommentSelection(selection);
  const values = selectionValues(file, docIndex, byComments);
  for (let valueIndex = 0; valueIndex < values.length; valueIndex++) {
    const value = values[valueIndex]!;
    if (value.state !== 'plain') continue;
    const comments = precedingCommentsOf(file, docIndex, value, byComments);
    // Most plain values (apiVersion, kind, metadata) are left plain on purpose: worded only when reported.
    if (mustEncrypt(selection, value.keys, comments)) {
      ctx.report({ ...target, path: value.path, messageId: 'plaintextValue', data: { key: describePath(value.path) } });
    } else if (secret && SECRET_FIELDS.includes(value.keys[0] ?? '')) {
      ctx.report({
        ...target,
        path: value.path,
        messageId: 'notSelected',
        data: { name: resource.name, key: describePath(value.path), selection: describeSelection(selection) },
      });
    }
  }
  if (byComments || !mayHaveComments(file)) return;
  // Only a header before the first key (most encrypted files): those comments sit at the top
  // level, so the AST is needed only when the selection encrypts top-level comments.
  if (onlyTopLevelHeadComments(file.text as string) && (docIndex > 0 || !mustEncrypt(selection, []))) return;
  for (const comment of documentComments(file.text as string, file.documents.map((d) => d.doc), docIndex)) {
    if (comment.state !== 'plain' || comment.directive || !mustEncrypt(selection, comment.keys)) continue;
    const where = comment.keys.length > 0 ? `under \`${comment.keys.join('.')}\`` : 'at the top level';
    ctx.report({ file, offsets: comment.range, messageId: 'plaintextComment', data: { where } });
  }
}

function checkPlain(ctx: Context, file: SourceFile, docIndex: number, coveringRule: () => Covering | null): void {
  if (!file.documents[docIndex]) return;
  const resource = ctx.model.resourceAt(file, docIndex);
  if (isSecret(resource)) {
    const value = file.documents[docIndex]?.value;
    const plain = valuesAt(file, docIndex).filter((fact) => fact.state === 'plain' && SECRET_FIELDS.includes(fact.keys[0] ?? ''));
    const literal = plain.filter((fact) => holdsSecretValue(getIn(value, fact.path)));
    for (const field of SECRET_FIELDS) {
      if (!literal.some((fact) => fact.keys[0] === field)) continue;
      ctx.report({
        resource,
        path: [field],
        key: true,
        messageId: 'notEncrypted',
        data: { name: resource.name, field, file: file.path },
      });
    }
    // Values that are all references (`op://…` for `op inject`, `${VAR}` for Flux substitution)
    // hold no secret: accepted, with a run note so the skip is visible. A note rather than a
    // finding: the engine takes a finding's level from the config, one per rule.
    if (literal.length === 0 && plain.length > 0) {
      ctx.model.note({ message: `sops-secret-encrypted: Secret ${describeSecret(resource)} is not SOPS-encrypted, but every value in it is a reference (such as op://… or \${VAR}), not a secret; accepted.`, file: file.absPath });
    }
    return;
  }
  if (resource || isKustomizationFile(file.path) || TOOL_FILES.test(file.path)) return;
  const covering = coveringRule();
  const selection = covering?.rule.selection;
  if (!covering || !selection) return;
  // A creation rule only picks the keys `sops --encrypt` uses for a file; sops never requires
  // a file it matches to be encrypted (DOMAIN §6.4), and broad rules (`bootstrap/.*\.yaml`)
  // match Ansible tasks, Taskfiles and values files too. So the file is a finding only when a
  // value the rule would encrypt is a credential.
  const byComments = isCommentSelection(selection);
  const value = file.documents[docIndex]?.value;
  const first = selectionValues(file, docIndex, byComments).find(
    (fact) =>
      fact.state === 'plain' &&
      holdsCredential(fact, getIn(value, fact.path)) &&
      mustEncrypt(selection, fact.keys, precedingCommentsOf(file, docIndex, fact, byComments)),
  );
  if (!first) return;
  ctx.report({
    file,
    docIndex,
    path: first.path,
    key: true,
    messageId: 'fileNotEncrypted',
    data: { file: file.path, rule: covering.rule.index + 1, config: covering.configFile.path, key: describePath(first.path) },
  });
}

/**
 * Whether a plaintext value of a file that is not a Kubernetes object is a credential: by the
 * shared judgement on its nearest mapping key (`password: hunter2`, not `secret_name: x`), or a
 * PEM private key under any key.
 */
function holdsCredential(fact: ValueFact, value: unknown): boolean {
  if (typeof value === 'string' && PRIVATE_KEY_PEM.test(value)) return true;
  const key = fact.keys.at(-1);
  return key !== undefined && isCredential(key, value, 'setting');
}

/** `namespace/name`, or the name alone when the namespace is not known. */
function describeSecret(secret: Resource): string {
  return secret.appliedNamespace === undefined ? secret.name : `${secret.appliedNamespace}/${secret.name}`;
}

/**
 * The values of a document; with their offsets and anchors (from the AST) when a comment
 * selection mode needs the comments before each value.
 */
function selectionValues(file: SourceFile, docIndex: number, byComments: boolean): readonly ValueFact[] {
  const parsed = file.documents[docIndex];
  if (!byComments || !parsed) return valuesAt(file, docIndex);
  return analyzeDocument(parsed.doc).values;
}

/** For the comment selection modes, the comments SOPS sees before a value; otherwise none. */
function precedingCommentsOf(file: SourceFile, docIndex: number, value: ValueFact, byComments: boolean): string[][] {
  if (!byComments) return [];
  // selectionValues gave AST values for the comment modes.
  return precedingComments(file.text as string, file.documents.map((d) => d.doc), docIndex, value as ValueInfo);
}
