import { defineRule } from '../src/model/rule.js';
import type { ConfigIssueCode } from '../src/sops/config.js';
import { SOPS_CONFIG_NAME, sopsConfigOf } from '../src/sops/config-lookup.js';

type MessageId = ConfigIssueCode | 'fileName';

/** Issue codes of the `.sops.yaml` reader, mapped to this rule's messages. */
const CONFIG_MESSAGES: Record<ConfigIssueCode, MessageId> = {
  notMapping: 'notMapping',
  unknownKey: 'unknownKey',
  unknownKeySuggestion: 'unknownKeySuggestion',
  invalidType: 'invalidType',
  multipleSelection: 'multipleSelection',
  invalidPathRegex: 'invalidPathRegex',
  invalidRegex: 'invalidRegex',
  regexMatchesMetadata: 'regexMatchesMetadata',
  unreachableRule: 'unreachableRule',
};
const SOPS_YML = /(^|\/)\.sops\.yml$/;
const CONFIG_SUFFIX = `/${SOPS_CONFIG_NAME}`;
const AGE = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';

export default defineRule({
  meta: {
    id: 'sops-config-valid',
    description: 'Require .sops.yaml creation rules that sops reads the way they are meant',
    scope: 'repository',
    dependsOn: 'file',
    category: 'correctness',
    defaultLevel: 'warning',
    recommended: true,
    messages: {
      fileName: 'The name `.sops.yml` is ignored by sops, which only reads `.sops.yaml`: these creation rules are never used. Rename the file to `.sops.yaml`.',
      notMapping: 'Expected a mapping for {{what}}: sops cannot read it.',
      unknownKey: 'Unknown key `{{key}}` in {{where}}: sops ignores it without a word.',
      unknownKeySuggestion: 'Unknown key `{{key}}` in {{where}}: sops ignores it without a word. The key `{{suggestion}}` is probably meant.',
      invalidType: '`{{key}}` must be {{expected}}: sops fails to load this .sops.yaml.',
      multipleSelection: 'This creation rule sets more than one of {{keys}}: sops refuses it ("cannot use more than one of …"). Keep one.',
      invalidPathRegex:
        '`{{key}}` is not a valid RE2 regular expression ({{reason}}): sops stops with "can not compile regexp" for every file that reaches this rule.',
      invalidRegex:
        '`{{key}}` is not a valid RE2 regular expression ({{reason}}): sops drops the error and the pattern matches no key, so {{effect}}.',
      regexMatchesMetadata:
        '`{{key}}` also matches the key `{{field}}` (sops tests it unanchored against every key of a path): sops encrypts it and Flux cannot apply the object. Anchor the pattern, for example `encrypted_regex: ^(data|stringData)$`.',
      unreachableRule:
        'Creation rule {{index}} is never used: rule {{catchAll}} before it matches every path and the first match wins. Move the catch-all rule to the end.',
    },
    docs: {
      rationale:
        'sops reads `.sops.yaml` with a plain YAML decoder: a misspelt key (`encrypted-regex`, `pathRegex`, `hc_vault_uris`) is ignored without a word, and the file is then encrypted with defaults — for a Kubernetes Secret that means `metadata` is encrypted too and Flux cannot apply it. `encrypted_regex` is an unanchored RE2 regex tested against every key, so `data|stringData` also matches `metadata`; a regex Go cannot compile stops sops when it is a `path_regex`, and silently matches nothing when it selects values. Regexes are evaluated with an RE2 implementation, and anchors, aliases and merge keys are read as the YAML decoder of sops reads them. Rules are tried in order and the first match wins, so rules after a catch-all are dead. A file named `.sops.yml` is not read at all.',
      incorrect: [
        {
          title: 'An unanchored encrypted_regex and a rule after the catch-all',
          files: {
            '.sops.yaml': `creation_rules:\n  - encrypted_regex: data|stringData\n    age: ${AGE}\n  - path_regex: prod/.*\\.yaml$\n    age: ${AGE}\n`,
          },
        },
        {
          title: 'A misspelt key',
          files: { '.sops.yaml': `creation_rules:\n  - path_regex: .*\\.yaml$\n    encrypted-regex: ^(data|stringData)$\n    age: ${AGE}\n` },
        },
      ],
      correct: [
        {
          title: 'Specific rules first, an anchored regex, the catch-all last',
          files: {
            '.sops.yaml': `creation_rules:\n  - path_regex: prod/.*\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    age: ${AGE}\n  - encrypted_regex: ^(data|stringData)$\n    age: ${AGE}\n`,
          },
        },
        {
          title: 'Keys named once with anchors, shared settings merged, RE2 syntax such as (?i) in mid-pattern',
          files: {
            '.sops.yaml': `keys:\n  - &admin ${AGE}\nflux: &flux\n  encrypted_regex: ^(data|stringData)$\ncreation_rules:\n  - path_regex: ^clusters/(?i)prod/\n    <<: *flux\n    key_groups:\n      - age:\n          - *admin\n  - <<: *flux\n    age: *admin\n`,
          },
        },
      ],
    },
  },
  check(ctx) {
    const files = ctx.model.files;
    // Indexed, the suffix made once: nothing is made for the files that are not a config.
    for (let index = 0; index < files.length; index++) {
      const file = files[index]!;
      const sopsYml = SOPS_YML.test(file.path);
      if (!file.reported || !(sopsYml || file.path === SOPS_CONFIG_NAME || file.path.endsWith(CONFIG_SUFFIX))) continue;
      if (sopsYml) ctx.report({ file, messageId: 'fileName' });
      if (!file.documents[0]) continue;
      for (const issue of sopsConfigOf(file).issues) {
        ctx.report({ file, docIndex: 0, path: issue.path, key: issue.key ?? false, messageId: CONFIG_MESSAGES[issue.code], data: issue.data });
      }
    }
  },
});
