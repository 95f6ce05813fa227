/**
 * Masking decided by what text could be (issue 10, item 1): code frames of documents that do
 * not parse or compose, Secrets at any depth, flags and assignments in container args, URL
 * passwords, parser warnings, and `gitops-lint build` with the same decisions.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import yamlSyntax from '../../rules/yaml-syntax.js';
import { renderApplied } from '../../src/applied/render.js';
import { builtinRules } from '../../rules/index.js';
import { loadWorkspace } from '../../src/engine/lint.js';
import { lint } from '../../src/index.js';
import { lintExample, VIRTUAL_BASE } from '../../src/testing/index.js';

const ROOT = `${VIRTUAL_BASE}/repo`;

/** Every line of `file` as code frames show it. */
async function frame(text: string, file = 'deploy/x.yaml'): Promise<string[]> {
  const result = await lintExample(yamlSyntax, { files: { [file]: text } });
  return result.sourceLines(ROOT, file, 1, 1000) ?? [];
}

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

describe('code frames of documents that do not parse or compose', () => {
  it('masks every value of a Secret whose document has an unresolved alias, keeping keys and indentation', async () => {
    const text = lines('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: db', 'stringData:', '  notes: Walrus-Unresolved-1188', '  copy: *missing');
    expect(await frame(text)).toEqual(['apiVersion: ***', 'kind: ***', 'metadata:', '  name: ***', 'stringData:', '  notes: ***', '  copy: ***', '']);
  });

  it('masks every value of a document past the alias expansion limit that mentions a password', async () => {
    const bomb = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 4; level++) bomb.push(`a${level}: &a${level} [${Array.from({ length: 10 }, () => `*a${level - 1}`).join(', ')}]`);
    const text = lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  connection: host=db user=app password=Heron-AliasLimit-2207', ...bomb);
    const framed = await frame(text);
    expect(framed.join('\n')).not.toContain('Heron-AliasLimit-2207');
    expect(framed[5]).toBe('  connection: ***');
  });

  it('masks a tab-indented Secret line whole, keeping the tab: `\\tnotes: ***`', async () => {
    const text = lines('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: db', 'stringData:', '\tnotes: Marmot-Tab-5518 # old value');
    expect((await frame(text))[5]).toBe('\tnotes: ***');
  });

  it('masks the whole value of a sensitive key on a line with a syntax error, not half of it', async () => {
    const text = lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  token: Badger-Half-2267 still: secret', '  password: Badger-Half-2268', '    more: x');
    const framed = await frame(text);
    expect(framed.join('\n')).not.toMatch(/Badger|still/);
    expect(framed.slice(5, 8)).toEqual(['  token: ***', '  password: ***', '    more: ***']);
  });

  it('masks CRLF lines without eating the line ends, and keeps a BOM', async () => {
    const text = '\uFEFFapiVersion: v1\r\nkind: Secret\r\nmetadata:\r\n  name: db\r\nstringData:\r\n  notes: [Ocelot-Crlf-8841\r\n';
    const framed = await frame(text);
    expect(framed.slice(0, 6)).toEqual(['\uFEFFapiVersion: ***', 'kind: ***', 'metadata:', '  name: ***', 'stringData:', '  notes: ***']);
  });

  it('masks a URL password in a key of a document masked line by line', async () => {
    const text = lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  registryCredentials: *missing', '  https://bot:Lynx-KeyUrl-2@registry.example.com: enabled');
    expect((await frame(text))[6]).toBe('  https://bot:***@registry.example.com: ***');
  });

  it('keeps the values of a broken document that mentions no Secret and no sensitive key', async () => {
    const text = lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  mode: [fast');
    expect((await frame(text))[1]).toBe('kind: ConfigMap');
  });
});

describe('code frames of well-formed documents', () => {
  it('masks a Secret inside the items of a kind: List', async () => {
    const text = lines('apiVersion: v1', 'kind: List', 'items:', '  - apiVersion: v1', '    kind: Secret', '    metadata:', '      name: db', '    data:', '      blob: THlueC1MaXN0LTEwOTM=');
    expect((await frame(text))[8]).toBe('      blob: ***');
  });

  it('masks a Secret object inside HelmRelease values (extraObjects)', async () => {
    const text = lines(
      'apiVersion: helm.toolkit.fluxcd.io/v2',
      'kind: HelmRelease',
      'metadata:',
      '  name: app',
      'spec:',
      '  values:',
      '    extraObjects:',
      '      - apiVersion: v1',
      '        kind: Secret',
      '        metadata: {name: extra}',
      '        stringData: {notes: Puffin-Extra-3310}',
    );
    expect((await frame(text))[10]).toBe('        stringData: {notes: ***}');
  });

  it('masks a string that holds a Secret manifest (a block scalar keeps its line count)', async () => {
    const text = lines(
      'apiVersion: helm.toolkit.fluxcd.io/v2',
      'kind: HelmRelease',
      'metadata:',
      '  name: app',
      'spec:',
      '  values:',
      '    extraManifests: |',
      '      apiVersion: v1',
      '      kind: Secret',
      '      stringData:',
      '        notes: Gecko-Embedded-6672',
      '    replicas: 2',
    );
    const framed = await frame(text);
    expect(framed.join('\n')).not.toContain('Gecko-Embedded-6672');
    expect(framed.slice(6, 12)).toEqual(['    extraManifests: ***', '', '', '', '', '    replicas: 2']);
  });

  it('masks container args: --name=value, --name value, -p value and NAME=value in a command', async () => {
    const text = lines(
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: app',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: app',
      '          image: ghcr.io/acme/app:1.2.3',
      '          args: [--verbose, --db-password=Tapir-Equals-4409, --password, Tapir-Next-4410, -p, Tapir-Short-4411]',
      '          command: [sh, -c, "PGPASSWORD=Tapir-Command-4412 psql -h db"]',
    );
    const framed = await frame(text);
    expect(framed[10]).toBe('          args: [--verbose, --db-password=***, --password, ***, -p, ***]');
    expect(framed[11]).toBe('          command: [sh, -c, "PGPASSWORD=*** psql -h db"]');
  });

  it('masks URL passwords under innocent keys, in plain and quoted strings', async () => {
    const text = lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  dsn: postgres://app:Quokka-Url-7785@db:5432/app', `  list: 'primary=mysql://root:Quokka-Url-7786@db/app, other'`);
    const framed = await frame(text);
    expect(framed.slice(5, 7)).toEqual(['  dsn: postgres://app:***@db:5432/app', `  list: 'primary=mysql://root:***@db/app, other'`]);
  });

  it('masks an anchor whose alias is a Secret value, and other copies of a masked value', async () => {
    const text = lines('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: db', '  labels:', '    tier: &shared Lynx-Anchor-1093', 'stringData:', '  notes: *shared', '  copy: Lynx-Anchor-1093');
    const framed = await frame(text);
    expect(framed.slice(5, 9)).toEqual(['    tier: &shared ***', 'stringData:', '  notes: ***', '  copy: ***']);
  });

  it('masks the values of kustomize secretGenerator literals, whatever their names', async () => {
    const text = lines('apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'secretGenerator:', '  - name: db', '    literals:', '      - notes=Walrus-Literal-7432', '      - "empty="');
    const framed = await frame(text, 'deploy/kustomization.yaml');
    expect(framed.slice(3, 7)).toEqual(['  - name: db', '    literals:', '      - notes=***', '      - "empty="']);
  });

  it('masks sensitive assignments and URL passwords in comments', async () => {
    const text = lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  mode: fast # old: DB_PASSWORD=Marmot-Comment-5519', '  # dsn: postgres://app:Marmot-Comment-5520@db/app');
    expect((await frame(text)).slice(5, 7)).toEqual(['  mode: fast # old: DB_PASSWORD=***', '  # dsn: postgres://app:***@db/app']);
  });

  it('masks the value of an env entry whose sensitive name a merge key brings in, inline or by alias', async () => {
    const text = lines(
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: app',
      '  labels: &named {name: DB_PASSWORD}',
      'data:',
      '  env:',
      '    - <<: {name: DB_PASSWORD}',
      '      value: Lynx-Merge-01',
      '    - <<: *named',
      '      value: Lynx-Merge-02',
      '    - name: API_TOKEN',
      '      <<: {value: Lynx-Merge-03}',
    );
    const framed = await frame(text);
    // What the merge key brings into a sensitive entry is masked whole: its name too.
    expect(framed.slice(7, 13)).toEqual(['    - <<: {name: ***}', '      value: ***', '    - <<: *named', '      value: ***', '    - name: API_TOKEN', '      <<: {value: ***}']);
  });

  it('masks the data of an object that any of its duplicate kind keys makes a Secret', async () => {
    const text = lines('apiVersion: v1', 'kind: ConfigMap', 'kind: Secret', 'metadata:', '  name: db', 'stringData:', '  username: Lynx-Dup-02');
    expect((await frame(text))[6]).toBe('  username: ***');
  });

  it('masks a URL password in a key under a sensitive name, whose values are masked whole', async () => {
    const text = lines('apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', '  name: app', 'spec:', '  values:', '    registryCredentials:', '      https://bot:Lynx-KeyUrl-1@registry.example.com: enabled');
    expect((await frame(text))[7]).toBe('      https://bot:***@registry.example.com: ***');
  });

  it('masks the sensitive parts of a complex key', async () => {
    const text = lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  ? {token: Heron-Complex-9902}', '  : enabled');
    expect((await frame(text))[5]).toBe('  ? {token: ***}');
  });
});

describe('parser warnings', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('turns a collection key into a yaml-syntax finding without its text, and emits no process warning', async () => {
    const warnings = vi.spyOn(process, 'emitWarning');
    // An anchor sends the file down the `yaml` package's path, where the warning was printed.
    const text = lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', '  labels: {a: &a b}', 'data:', '  ? {token: Walrus-Warning-7431}', '  : enabled');
    const result = await lintExample(yamlSyntax, { files: { 'deploy/x.yaml': text } });
    expect(warnings).not.toHaveBeenCalled();
    expect(result.findings.map(({ messageId, message, location }) => ({ messageId, message, line: location.startLine, column: location.startColumn }))).toEqual([
      { messageId: 'complexKey', message: 'A mapping key is a collection: Kubernetes, kustomize and Helm accept only scalar keys.', line: 7, column: 5 },
    ]);
  });
});

describe('messages and paths', () => {
  it('masks a value that a broken document turned into a key, in messages and paths', async () => {
    const dir = (await import('../cli/temp-repo.js')).tempRepo({
      'deploy/x.yaml': lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  app.properties: |', '    mode=fast', '\tdb.password=Badger-Key-2268'),
    });
    const result = await lint({ roots: [dir], cwd: dir });
    const text = JSON.stringify(result.findings);
    expect(text).not.toContain('Badger-Key-2268');
    expect(result.findings.map((finding) => finding.ruleId)).toContain('yaml-syntax');
  });
});

describe('gitops-lint build', () => {
  it('masks an alias of a Secret value under an innocent key, and prints a broken Secret as masked text', async () => {
    const dir = (await import('../cli/temp-repo.js')).tempRepo({
      'deploy/list.yaml': lines(
        'apiVersion: v1',
        'kind: List',
        'items:',
        '  - apiVersion: v1',
        '    kind: Secret',
        '    metadata: {name: db}',
        '    stringData: {notes: &shared Ocelot-Alias-8842}',
        '  - apiVersion: v1',
        '    kind: ConfigMap',
        '    metadata: {name: app}',
        '    data: {setting: *shared, dsn: "postgres://app:Ocelot-Url-8843@db/app"}',
      ),
      'deploy/broken.yaml': lines('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: broken', 'stringData:', '\tnotes: Ocelot-Tab-8844'),
    });
    const { model } = await loadWorkspace({ roots: [dir], cwd: dir, rules: builtinRules });
    const output = renderApplied(model);
    expect(output).not.toMatch(/Ocelot-/);
    expect(output).toContain('setting: "***"');
    expect(output).toContain('dsn: postgres://app:***@db/app');
    expect(output).toContain('(applied as written; does not parse: as written, every value masked)\napiVersion: ***\nkind: ***\nmetadata:\n  name: ***\nstringData:\n\tnotes: ***\n');
  });
});
