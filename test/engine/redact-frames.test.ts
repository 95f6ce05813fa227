/**
 * `redact` masks a file with something to mask (a plaintext Secret, a sensitive env value, a
 * value a `.sops.yaml` rule selects) over js-yaml's position tree instead of the `yaml` AST
 * where both trees agree by construction (src/engine/redact-frames.ts). Each case pins the
 * masked text and checks that it is exactly the AST walk's redaction (`astRedaction`: text,
 * masked spans and certain values), and whether the AST was needed at all.
 */
import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../../src/model/workspace.js';
import { astRedaction, redact, type Redaction } from '../../src/engine/redact.js';
import { SOPS_CONFIG, exampleYamlFiles, lines, load, modelWith } from './redaction-files.js';

/** `redact` of the text, and whether it built the `yaml` AST; checked against the AST walk's redaction. */
function redactBoth(text: string, sops?: string): { redaction: Redaction; usedAst: boolean } {
  const model = modelWith(sops);
  const file = load(text);
  const usedAst = watchAst(file);
  const redaction = redact(file, model)!;
  expect(redaction).toEqual(astRedaction(load(text), text, model));
  return { redaction, usedAst: usedAst() };
}

/** Whether anything asked for one of the file's `yaml` ASTs since. */
function watchAst(file: SourceFile): () => boolean {
  let used = false;
  for (const parsed of file.documents) {
    // The getter is the document's own, or its class's.
    const ast = (Object.getOwnPropertyDescriptor(parsed, 'doc') ?? Object.getOwnPropertyDescriptor(Object.getPrototypeOf(parsed) as object, 'doc'))?.get;
    if (!ast) return () => true;
    Object.defineProperty(parsed, 'doc', {
      get() {
        used = true;
        return ast.call(parsed);
      },
    });
  }
  return () => used;
}

const secret = (...body: string[]): string => lines('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: db', ...body);

describe('redaction over the js-yaml position tree', () => {
  it('masks a plaintext Secret as the AST walk does, without the AST', () => {
    const { redaction, usedAst } = redactBoth(secret('type: Opaque', 'stringData:', '  password: Otter-Plain-7101', '  username: admin'));
    expect(usedAst).toBe(false);
    expect(redaction.text).toBe(secret('type: Opaque', 'stringData:', '  password: ***', '  username: ***'));
    expect(redaction.certain).toEqual(['Otter-Plain-7101', 'admin']);
  });

  it('masks what a .sops.yaml creation rule selects first, then the Secret walk, without the AST', () => {
    const { redaction, usedAst } = redactBoth(secret('stringData:', '  password: Otter-Sops-7102', 'type: Opaque'), SOPS_CONFIG);
    expect(usedAst).toBe(false);
    expect(redaction.text).toBe(secret('stringData:', '  password: ***', 'type: Opaque'));
    expect(redaction.spans).toHaveLength(1);
  });

  it('masks the values a creation rule selects in a ConfigMap: flow items and nested values, not empty ones', () => {
    const text = lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  mode: Otter-Selected-7103', '  list: [1, two, null]', '  nested: {on: true}');
    const { redaction, usedAst } = redactBoth(text, SOPS_CONFIG);
    expect(usedAst).toBe(false);
    expect(redaction.text).toBe(lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  mode: ***', '  list: [***, ***, null]', '  nested: {on: ***}'));
    // A quoted scalar in a flow collection is not read line by line: the AST masks the same.
    const quoted = redactBoth(text.replace('[1, two, null]', '[1, two, "", null]'), SOPS_CONFIG);
    expect(quoted.usedAst).toBe(true);
    expect(quoted.redaction.text).toBe(redaction.text.replace('[***, ***, null]', '[***, ***, "", null]'));
  });

  it('masks quoted values, numbers, flow data and block lists of a Secret the same way', () => {
    const body = ['data: {password: T3R0ZXItRmxvdw==, user: YWRtaW4=}', 'stringData:', '  token: "Otter Quoted 7104"', "  name: 'ad''min'", '  port: 5432', '  list:', '    - one', '    - two: three'];
    const { redaction, usedAst } = redactBoth(secret(...body));
    expect(usedAst).toBe(false);
    expect(redaction.text).toBe(secret('data: {password: ***, user: ***}', 'stringData:', '  token: ***', '  name: ***', '  port: ***', '  list:', '    - ***', '    - two: ***'));
  });

  it('masks sensitive env values, flag arguments, assignments and URL passwords of a Deployment', () => {
    const deployment = (...container: string[]): string =>
      lines('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: app', 'spec:', '  template:', '    spec:', '      containers:', '        - name: app', ...container);
    const { redaction, usedAst } = redactBoth(
      deployment('          args: [--password, Otter-Flag-7105, --db-password=Otter-Eq-7106]', '          env:', '            - name: DB_PASSWORD', '              value: Otter-Env-7107', '            - name: URL', '              value: postgres://app:Otter-Url-7108@db/app'),
    );
    expect(usedAst).toBe(false);
    expect(redaction.text).toBe(
      deployment('          args: [--password, ***, --db-password=***]', '          env:', '            - name: DB_PASSWORD', '              value: ***', '            - name: URL', '              value: postgres://app:***@db/app'),
    );
  });

  it('masks every copy of a masked value elsewhere in the file, and each document of a multi-document file', () => {
    const text = lines('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: a', 'stringData:', '  a: Otter-Copy-7109', 'note: again Otter-Copy-7109', '---', 'apiVersion: v1', 'kind: Secret', 'metadata:', '  name: b', 'stringData:', '  b: Otter-Second-7110');
    const { redaction, usedAst } = redactBoth(text);
    expect(usedAst).toBe(false);
    expect(redaction.text).not.toMatch(/Otter-/);
  });

  it('masks a value found once as one span over its scalar, quotes included, and a value found twice at both places', () => {
    const once = redactBoth(lines('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: a', 'stringData:', '  a: "Otter-Once-7120"'));
    expect(once.redaction.text).toBe(lines('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: a', 'stringData:', '  a: ***'));
    expect(once.redaction.spans).toEqual([{ start: 65, end: 82, maskedStart: 65, maskedEnd: 68 }]);
    const twice = redactBoth(lines('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: a', 'stringData:', '  a: Otter-Twice-7121', '  b: Otter-Twice-7121-and-more'));
    expect(twice.redaction.text).toBe(lines('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: a', 'stringData:', '  a: ***', '  b: ***'));
  });

  it('leaves to the AST what the position tree cannot vouch for: comments, block scalars, empty and null values, multi-line scalars, a scalar Secret data', () => {
    for (const body of [
      ['stringData:', '  password: Otter-Comment-7111 # old: was-this'],
      ['stringData:', '  cert: |', '    Otter-Block-7112'],
      ['stringData:', '  a:', '  b: Otter-Empty-7113'],
      ['stringData:', '  a: null', '  b: Otter-Null-7114'],
      ['stringData:', '  a: Otter-Multi-7115', '    continued'],
      ['stringData: Otter-Scalar-7116'],
      ['stringData:', '  password: Otter-Trailing-7117 '],
    ]) {
      const { redaction, usedAst } = redactBoth(secret(...body));
      expect(usedAst, body.join('\n')).toBe(true);
      expect(redaction.text).not.toMatch(/Otter-/);
    }
  });
});

describe('text js-yaml reads otherwise than the yaml package', () => {
  // Found by review: each printed a value the AST walk masks, through the plain-value shortcut or
  // the position-tree walk. The AST decides them now; the masks are the AST walk's.
  const cases: Record<string, string> = {
    'a quoted scalar continued on a line indented too little (the yaml package rejects the file, so every line is masked)': lines('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: "git-auth', 'data:', '  identity: Otter-Quoted-7201"', 'type: Opaque'),
    'a flow sequence continued at column 0': lines('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: git-auth', '  labels: [a,', 'data: {identity: Otter-Flow-7202}]'),
    'a flow mapping whose quoted value goes on to the next line': lines('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: db', '  labels: {note: "hello', 'world-Otter-Visible-7203"}', 'stringData:', '  password: Otter-Masked-7204'),
    'a flow mapping continued at column 0 in a Secret': lines('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: db', '  labels: {a: b,', 'c: Otter-Key-7205}'),
    'a key over 1,024 characters': lines('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: db', `  ${'a'.repeat(1030)}: Otter-Long-7206`, 'stringData:', '  password: Otter-Pw-7207'),
    'a binary number after a password flag (a string to the yaml package)': lines('apiVersion: apps/v1', 'kind: Deployment', 'spec:', '  args: [--password, 0b1011011101111011111011111101]'),
    'a signed hexadecimal number after a flag': lines('apiVersion: apps/v1', 'kind: Deployment', 'spec:', '  args:', '    - --token', '    - -0x7A3F9C2E41B5'),
    'a number with underscores after a flag': lines('apiVersion: apps/v1', 'kind: Deployment', 'spec:', '  args:', '    - --password', '    - 7_201_208'),
    'a value ending in a no-break space': lines('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: db', 'stringData:', '  password: Otter-Nbsp-7209\u00a0'),
  };

  it.each(Object.entries(cases))('leaves %s to the AST, which masks it', (_name, text) => {
    const { redaction, usedAst } = redactBoth(text);
    expect(usedAst).toBe(true);
    expect(redaction.text).not.toMatch(/Otter-|0b1011|7A3F9C|7_201/);
  });
});

describe('redaction of the examples', () => {
  it("is the AST walk's redaction for every YAML file of examples/, with the .sops.yaml of its repository", () => {
    const files = exampleYamlFiles();
    let masked = 0;
    for (const { name, text, sops } of files) {
      const file = load(text);
      const model = modelWith(sops);
      const redaction = redact(file, model);
      expect(redaction, name).toEqual(astRedaction(load(text), text, model));
      if (redaction!.spans.length > 0) masked++;
    }
    expect(files.length).toBeGreaterThan(50);
    expect(masked).toBeGreaterThan(10);
  });
});
