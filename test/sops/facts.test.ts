import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import creationRules from '../../rules/sops-creation-rules.js';
import configValid from '../../rules/sops-config-valid.js';
import metadataValid from '../../rules/sops-metadata-valid.js';
import secretEncrypted from '../../rules/sops-secret-encrypted.js';
import type { SourceFile } from '../../src/model/workspace.js';
import { pairOf } from '../../src/sops/ast.js';
import { analyzeDocument } from '../../src/sops/document.js';
import {
  duplicatesAt,
  hasSopsKeyAt,
  hasTopLevelKeyAt,
  isSopsEncryptedAt,
  sopsMetadataAt,
  valuesAt,
  valuesMirrorAst,
} from '../../src/sops/facts.js';
import { hasSopsKey, isSopsEncrypted, sopsMetadata } from '../../src/sops/metadata.js';
import { parseYamlText } from '../../src/yaml/parse.js';
import { modelOf } from '../helpers.js';

const AGE = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const ENC = 'ENC[AES256_GCM,data:zMaBkieue1959g==,iv:JSjcPuw3KJ1prBbWJ5PN1Y7+Y2eC3fLX8AgduwJfjA0=,tag:630Hx+Qq4eXFTUuvSSgL9w==,type:str]';
const MAC =
  'ENC[AES256_GCM,data:cFvcEaS+6kDUQ9NKYIeWEc5xxpz28WtBOW1amdLl2n0yDpCs6jiX+WS+O5AheqZCIY1JcO6VJGMVBMHswcUP3MQMEMJAGNb5iseBvJqMraJD5NXnZoSgluGiYPyIqEJ+d+mHae6BkKr7zLJhwllrdHpjomgB534QQudzG9Leids=,iv:MLYk2t7g/LHuqjCrtBe5VJ/DpyPFUKGKx0TOkCIWcnw=,tag:prDkNyhSWzVBI7BaS+vF+A==,type:str]';
const SOPS = `sops:
    age:
        - recipient: ${AGE}
          enc: |
            -----BEGIN AGE ENCRYPTED FILE-----
            D48wwdkpAU1QF8XXqkFn4T7lxg//q5oT+iems1R/iFXlTHdSnzHdtISxqRxXMrR8
            -----END AGE ENCRYPTED FILE-----
    lastmodified: "2025-02-11T09:12:44Z"
    mac: ${MAC}
    encrypted_regex: ^(data|stringData)$
    version: 3.10.2
`;
const SECRET = `apiVersion: v1
kind: Secret
metadata:
    name: db
type: Opaque
stringData:
    password: ${ENC}
    empty: ""
${SOPS}`;

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/sops/${name}`, import.meta.url), 'utf8');
}

function fileOf(text: string): SourceFile {
  const { documents, problems } = parseYamlText(text);
  return { text, documents, problems } as unknown as SourceFile;
}

/** Texts whose plain values and ASTs differ, or that are easy to get wrong. */
const EDGE_TEXTS = [
  `a: 1\n<<: {sops: {mac: x}}\n`,
  `? sops\n: {mac: x}\n`,
  `? [sops]\n: {mac: x}\n`,
  `[sops, b]: x\n`,
  `%YAML 1.1\n---\ndata:\n  x: yes\n${SOPS}`,
  `~: ${ENC}\n"": x\n${SOPS}`,
  `1: ${ENC}\n"1": plain\n${SOPS}`,
  `data:\n  1_0: plain\n  0x10: ${ENC}\n${SOPS}`,
  `data: &a\n  x: plain\nother: *a\n${SOPS}`,
  `sops: &s\n  mac: x\nother: *s\n`,
  `schedule: "0 3 * * *"\ndata:\n  x: ${ENC}\n${SOPS}`,
  `data:\n  "a\\u0062": ${ENC}\n  'it''s': plain\n${SOPS}`,
  `data:\n  x: !!str ${ENC}\n  y: !!null\n${SOPS}`,
  `data:\n  x: ${ENC}\n...\n---\ndata:\n  y: plain\n${SOPS}`,
  `data:\n  x: ${ENC}\n  x: plain\n${SOPS}`,
  `data: {a: "${ENC}", b: plain}\n${SOPS}`,
  `data:\n  __proto__: ${ENC}\n${SOPS}`,
  `data:\n  x: ${ENC}\nsops: 1\n`,
  `sops: {}\n`,
  `sops:\n  mac: ${MAC}\n  lastmodified: "2025-02-11T09:12:44Z"\n  version: 3.10.2\n  age: [{recipient: a, enc: b}]\n  shamir_threshold: 1_0\n`,
  `sops:\n  mac: ${MAC}\n  lastmodified: "2025-02-11T09:12:44Z"\n  version: 3.10.2\n  key_groups: []\n  age: [{recipient: a, enc: b}]\n  encrypted_regex: 12\n`,
  `- a\n- sops: {}\n`,
  `"\\x73ops":\n  mac: x\n`,
  `"\\u0073ops": {}\ndata:\n  x: ${ENC}\n`,
  `base: &b\n  x: 1\nother:\n  <<: *b\n`,
  `---\n---\n`,
  `# only a comment\n`,
  '',
];

describe('document facts from plain values', () => {
  const texts = [
    ...['app-credentials.key-groups.yaml', 'backup-secret.sops-3.8.yaml', 'registry-secrets.multi-doc.yaml', 'tofu-vars.sops-3.10.yaml'].map(fixture),
    SECRET,
    ...EDGE_TEXTS,
  ];

  it.each(texts.map((text, i) => [i, text]))('answer what the AST answers (text %i)', (_i, text) => {
    const file = fileOf(text);
    file.documents.forEach((parsed, index) => {
      const doc = parsed.doc;
      const strip = (v: { path: unknown; keys: unknown; state: unknown; problem?: unknown }) => [v.path, v.keys, v.state, v.problem];
      expect(hasSopsKeyAt(file, index)).toBe(hasSopsKey(doc));
      expect(isSopsEncryptedAt(file, index)).toBe(isSopsEncrypted(doc));
      for (const key of ['apiVersion', 'kind', 'sops']) expect(hasTopLevelKeyAt(file, index, key)).toBe(pairOf(doc.contents, key) !== undefined);
      expect(valuesAt(file, index).map(strip)).toEqual(analyzeDocument(doc).values.map(strip));
      expect(duplicatesAt(file, index)).toEqual(analyzeDocument(doc).duplicates);
      expect(isDeepStrictEqual(sopsMetadataAt(file, index), sopsMetadata(doc))).toBe(true);
    });
  });

  it('take the AST for aliases, merge keys, explicit and collection keys, and directives', () => {
    for (const text of EDGE_TEXTS.slice(0, 5)) expect(valuesMirrorAst(fileOf(text)), text).toBe(false);
    expect(valuesMirrorAst(fileOf(EDGE_TEXTS[8] as string))).toBe(false);
    expect(valuesMirrorAst(fileOf(SECRET))).toBe(true);
    expect(valuesMirrorAst(fileOf(`schedule: "0 3 * * *"\n`))).toBe(true);
  });
});

type CheckedRule = { check(ctx: never): void };

/** Runs rules on in-memory files; returns their reports and the files whose AST was built. */
function runCounting(rules: CheckedRule[], files: Record<string, string>): { reports: unknown[]; built: string[] } {
  const model = modelOf({ repo: files });
  const built = new Set<string>();
  for (const file of model.files) {
    for (const parsed of file.documents) {
      // The getter is the document's own, or its class's.
      const get = (Object.getOwnPropertyDescriptor(parsed, 'doc') ?? Object.getOwnPropertyDescriptor(Object.getPrototypeOf(parsed) as object, 'doc'))?.get;
      if (!get) continue;
      Object.defineProperty(parsed, 'doc', {
        get() {
          built.add(file.path);
          return get.call(parsed);
        },
      });
    }
  }
  const reports: unknown[] = [];
  for (const rule of rules) rule.check({ options: {}, model, report: (report: unknown) => reports.push(report) } as never);
  return { reports, built: [...built] };
}

describe('the SOPS rules on a clean workspace', () => {
  it('build no AST at all, not even that of a usual .sops.yaml', () => {
    const { reports, built } = runCounting([creationRules, configValid, metadataValid, secretEncrypted], {
      '.sops.yaml': `creation_rules:\n  - path_regex: apps/.*\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    age: ${AGE}\n`,
      'apps/db-secret.yaml': SECRET,
      'apps/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config\ndata:\n  LOG_LEVEL: info\n',
      'apps/cron.yaml': 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: task\nspec:\n  schedule: "0 3 * * *"\n',
      'apps/kustomization.yaml': 'resources:\n  - db-secret.yaml\n  - config.yaml\n  - cron.yaml\n',
    });
    expect(reports).toEqual([]);
    expect(built).toEqual([]);
  });

  it('build no AST of a file that never spells sops, even one whose values may not mirror it (a directive)', () => {
    const { reports, built } = runCounting([creationRules, configValid, metadataValid, secretEncrypted], {
      '.sops.yaml': `creation_rules:\n  - path_regex: apps/.*\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    age: ${AGE}\n`,
      'apps/config.yaml': '%YAML 1.2\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config\ndata:\n  LOG_LEVEL: info\n',
    });
    expect(reports).toEqual([]);
    expect(built).toEqual([]);
  });

  it('check the metadata of a file with plaintext comments without its AST', () => {
    const { reports, built } = runCounting([metadataValid], { 'apps/db-secret.yaml': `# Edit with sops.\n${SECRET}` });
    expect(reports).toEqual([]);
    expect(built).toEqual([]);
  });

  it('report from plain values, leaving the AST to the engine for positions', () => {
    const { reports, built } = runCounting([secretEncrypted], { 'apps/db-secret.yaml': SECRET.replace(ENC, 'plaintext') });
    expect(reports).toMatchObject([{ path: ['stringData', 'password'], messageId: 'plaintextValue' }]);
    expect(built).toEqual([]);
  });

  it('read the AST for comments that may be plaintext under an encrypted key', () => {
    const text = SECRET.replace('    empty: ""\n', '    # a plaintext note\n    empty: ""\n');
    const { reports, built } = runCounting([secretEncrypted], { 'apps/db-secret.yaml': text });
    expect(reports).toMatchObject([{ messageId: 'plaintextComment', data: { where: 'under `stringData`' } }]);
    expect(built).toEqual(['apps/db-secret.yaml']);
  });
});
