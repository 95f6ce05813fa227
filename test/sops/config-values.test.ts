import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanSopsConfig, readSopsConfig } from '../../src/sops/config.js';
import { sopsConfigOf } from '../../src/sops/config-lookup.js';
import { parseYamlText } from '../../src/yaml/parse.js';
import { modelOf } from '../helpers.js';

const AGE_A = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const AGE_B = 'age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg';
const read = (url: string): string => readFileSync(new URL(url, import.meta.url), 'utf8');

/** Configs the plain-value reader takes: the usual shapes, without any issue. */
const usual: Record<string, string> = {
  'one rule with a comma-separated age string': `creation_rules:\n  - path_regex: ^deploy/.*\\.ya?ml$\n    encrypted_regex: ^(data|stringData)$\n    age: ${AGE_A},${AGE_B}\n`,
  'several rules, age as a list, pgp, a suffix selection and a catch-all last': `creation_rules:\n  - path_regex: terraform/.*\\.enc\\.yaml$\n    unencrypted_suffix: _plain\n    pgp: FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4\n    age:\n      - ${AGE_A}\n      - ${AGE_B},${AGE_A}\n  - encrypted_regex: ^(data|stringData)$\n    age: ${AGE_B}\n`,
  'no selection key, an empty one, an empty path_regex and an empty list': `creation_rules:\n  - path_regex: ""\n    encrypted_regex: ""\n    age: []\n`,
  'a folded string with spaces and newlines, every per-rule key type': `creation_rules:\n  - path_regex: (?i)^clusters/\n    kms: >-\n      arn:aws:kms:eu-west-1:111122223333:key/a,\n      arn:aws:kms:eu-west-1:111122223333:key/b\n    gcp_kms: projects/p/locations/global/keyRings/r/cryptoKeys/k\n    azure_keyvault: https://v.vault.azure.net/keys/k/0123\n    hc_vault_transit_uri: https://vault.example.org/v1/sops/keys/k\n    hckms: [eu-west-1:0a1b]\n`,
  'no rules': 'creation_rules: []\n',
  'quoted keys and a comment': `# comment\n"creation_rules":\n  - 'path_regex': secrets/ # trailing\n    age: "${AGE_A}"\n`,
  'the examples of lotus-lake': read('../../examples/lotus-lake/.sops.yaml'),
  'the examples of h-kube': read('../../examples/h-kube/.sops.yaml'),
};

/** Configs it leaves to the AST reader: other shapes, other value types, or an issue. */
const doubtful: Record<string, string> = {
  'key groups and shamir_threshold': read('../fixtures/sops/sops-config.yaml'),
  'another top-level key': `creation_rules:\n  - age: ${AGE_A}\nstores:\n  yaml:\n    indent: 2\n`,
  'a misspelt key': `creation_rules:\n  - path_regex: x\n    encrypted-regex: ^data$\n    age: ${AGE_A}\n`,
  'a number for path_regex, read from its source text': `creation_rules:\n  - path_regex: 1.0\n    age: ${AGE_A}\n`,
  'a null path_regex': `creation_rules:\n  - path_regex:\n    age: ${AGE_A}\n`,
  'a null recipient key': `creation_rules:\n  - path_regex: x\n    age:\n`,
  'a number in an age list': `creation_rules:\n  - age:\n      - 1\n`,
  'hckms as a string': 'creation_rules:\n  - hckms: eu-west-1:0a1b\n',
  'two selection keys': `creation_rules:\n  - encrypted_regex: ^data$\n    encrypted_suffix: _enc\n    age: ${AGE_A}\n`,
  'a selection key holding a list': `creation_rules:\n  - encrypted_regex: [a]\n    age: ${AGE_A}\n`,
  'a regex that also selects metadata': `creation_rules:\n  - encrypted_regex: data|stringData\n    age: ${AGE_A}\n`,
  'a path_regex Go cannot compile': `creation_rules:\n  - path_regex: (?=x)\n    age: ${AGE_A}\n`,
  'a selection regex Go cannot compile': `creation_rules:\n  - encrypted_regex: (\n    age: ${AGE_A}\n`,
  'a rule after the catch-all': `creation_rules:\n  - age: ${AGE_A}\n  - path_regex: x\n    age: ${AGE_B}\n`,
  'a rule that is not a mapping': 'creation_rules:\n  - x\n',
  'creation_rules not a list': 'creation_rules: x\n',
  'a list at the top': '- x\n',
  'an empty file': '',
};

function bothWays(text: string): { fast: ReturnType<typeof cleanSopsConfig>; ast: ReturnType<typeof readSopsConfig> } {
  const parsed = parseYamlText(text);
  expect(parsed.problems).toEqual([]);
  return { fast: cleanSopsConfig(parsed.documents[0]?.value), ast: readSopsConfig(parsed.documents[0]?.doc) };
}

describe('cleanSopsConfig', () => {
  it.each(Object.entries(usual))('reads %s exactly as the AST reader does', (_name, text) => {
    const { fast, ast } = bothWays(text);
    expect(ast.issues).toEqual([]);
    expect(fast).toBeDefined();
    expect(fast).toEqual(ast);
  });

  it.each(Object.entries(doubtful))('leaves %s to the AST reader', (_name, text) => {
    expect(bothWays(text).fast).toBeUndefined();
  });
});

describe('sopsConfigOf', () => {
  it('gives what the AST reader gives, whichever reader answers', () => {
    const texts = { ...usual, ...doubtful };
    const files = Object.fromEntries(Object.values(texts).map((text, i) => [`c${i}/.sops.yaml`, text]));
    const model = modelOf({ repo: files });
    for (const name of Object.keys(files)) {
      const file = model.fileAt(model.files[0]!.root, name);
      expect(file).toBeDefined();
      expect(sopsConfigOf(file!)).toEqual(readSopsConfig(file!.documents[0]?.doc));
    }
  });

  it('reads a config with aliases and merge keys from the AST', () => {
    const text = `keys:\n  - &admin ${AGE_A}\nflux: &flux\n  encrypted_regex: ^(data|stringData)$\ncreation_rules:\n  - path_regex: ^clusters/\n    <<: *flux\n    age: *admin\n`;
    const file = modelOf({ repo: { '.sops.yaml': text } }).files.find((f) => f.path === '.sops.yaml')!;
    const config = sopsConfigOf(file);
    expect(config).toEqual(readSopsConfig(file.documents[0]?.doc));
    expect(config.rules.map((r) => [r.pathRegex, r.selection?.value, r.recipients.map((x) => x.id)])).toEqual([['^clusters/', '^(data|stringData)$', [AGE_A]]]);
  });
});
