/**
 * A run that prints no code frame (JSON, SARIF, the GitHub, compact and JUnit formats) masks
 * finding messages from `messageMasks` (src/engine/redact.ts) instead of the file's full
 * redaction: where the plain values decide, it answers "nothing certain" when they hold nothing
 * a certain mask needs, and otherwise runs the mask walk over the position tree without the
 * `.sops.yaml` selection, the masked text, the spans or the search for copies. Each case checks
 * that its certain values are exactly the full redaction's (`redact`), named cases pin which
 * files take the short way, and the bench's findings corpus and every YAML file of `examples/`
 * are compared whole, as is the lint result with and without frames.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageMasks, redact } from '../../src/engine/redact.js';
import { certainNothing } from '../../src/engine/mask.js';
import { lint } from '../../src/index.js';
import { SOPS_CONFIG, exampleYamlFiles, lines, load, modelWith } from './redaction-files.js';


/** The certain values of `messageMasks`, checked equal to the full redaction's; and whether it took a short way (no masked text). */
function masksOf(text: string, sops: string | undefined = SOPS_CONFIG, relative = 'deploy/x.yaml'): { certain: string[]; short: boolean } {
  const model = modelWith(sops);
  const masks = messageMasks(load(text, relative), model)!;
  const full = redact(load(text, relative), model)!;
  expect(masks.certain).toEqual(full.certain);
  return { certain: masks.certain, short: !('text' in masks) };
}

const deployment = (...env: string[]): string =>
  lines('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: app', 'spec:', '  template:', '    spec:', '      containers:', '        - name: app', '          image: ghcr.io/acme/app:1.0.0', '          env:', ...env);

describe('message masks without code frames', () => {
  it('takes the short way for a Deployment whose env reads a password from a secretKeyRef, under a .sops.yaml rule', () => {
    expect(masksOf(deployment('            - name: DB_PASSWORD', '              valueFrom:', '                secretKeyRef: {name: db, key: password}'))).toEqual({ certain: [], short: true });
  });

  it('takes the short way for values masked for their key alone, which are not certain', () => {
    // The full redaction masks these values (a sensitive env entry, a sensitive key, the argument after a flag), none as certain.
    const env = masksOf(deployment('            - name: DB_PASSWORD', '              value: Lynx-PlainEnv-4410'));
    expect(env).toEqual({ certain: [], short: true });
    const config = masksOf(lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  password: Lynx-KeyOnly-4420'));
    expect(config).toEqual({ certain: [], short: true });
    const args = masksOf(lines('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: app', 'spec:', '  containers:', '    - name: app', '      image: app:1.0.0', '      args: [--password, Lynx-Flag-4421]'));
    expect(args).toEqual({ certain: [], short: true });
    expect(redact(load(lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  password: Lynx-KeyOnly-4420')))!.text).not.toContain('Lynx-KeyOnly-4420');
  });

  it("finds a plaintext Secret's data certain without the full redaction", () => {
    const text = lines('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: db', 'stringData:', '  password: Lynx-Secret-4422', '  user: app');
    // The .sops.yaml rule selects both values; the selection masks, but is not certain.
    expect(masksOf(text)).toEqual({ certain: ['Lynx-Secret-4422', 'app'], short: true });
    expect(masksOf(text, undefined)).toEqual({ certain: ['Lynx-Secret-4422', 'app'], short: true });
  });

  it('finds the data of a Secret inside Helm values (extraObjects) certain', () => {
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
      '        stringData: {token: Lynx-Extra-4423}',
    );
    expect(masksOf(text)).toEqual({ certain: ['Lynx-Extra-4423'], short: true });
  });

  it('finds a URL password or a sensitive assignment in a value or a key certain', () => {
    const url = masksOf(lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  DSN: postgres://app:Lynx-Url-4424@db/app'));
    expect(url).toEqual({ certain: ['Lynx-Url-4424'], short: true });
    const assignment = masksOf(lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  app.ini: "DB_PASSWORD=Lynx-Assign-4425"'));
    expect(assignment).toEqual({ certain: ['Lynx-Assign-4425'], short: true });
    const key = masksOf(lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  https://user:Lynx-Key-4426@registry.example: x'));
    // A key that is not a plain word is not read from the lines: the full redaction.
    expect(key).toEqual({ certain: ['Lynx-Key-4426'], short: false });
    // Inside a value masked whole for its key, a key's sensitive part is still certain.
    const nested = masksOf(lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  password:', '    https://user:Lynx-Nested-4427@registry.example: x'));
    expect(nested).toEqual({ certain: ['Lynx-Nested-4427'], short: false });
  });

  it('finds secretGenerator literals and a password in a comment certain', () => {
    const generator = masksOf(lines('apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'secretGenerator:', '  - name: db', '    literals:', '      - mode=Lynx-Literal-4428'), undefined, 'deploy/kustomization.yaml');
    expect(generator).toEqual({ certain: ['Lynx-Literal-4428'], short: true });
    const comment = masksOf(deployment('            - name: MODE', '              value: production # was postgres://app:Lynx-Comment-4429@db/app'));
    // frameMasks leaves text with comments to the AST: the full redaction.
    expect(comment).toEqual({ certain: ['Lynx-Comment-4429'], short: false });
  });

  it('takes the full redaction where the plain values do not decide (an anchor, a block scalar, a file that does not parse)', () => {
    for (const text of [
      lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: &n app', 'data:', '  a: *n'),
      lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  config: |', '    DB_PASSWORD=Lynx-Block-4430'),
      lines('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: db', 'stringData:', '\tpassword: Lynx-Tab-4431'),
    ]) {
      expect(masksOf(text).short).toBe(false);
    }
  });

  it("takes the short way with the full redaction's values for a key masked by its value, __proto__ and constructor keys, a Secret in a later document and a flow-style generator", () => {
    // `existingSecret` names a Secret when its value is shaped like a name: the key's remembered role leaves the value to decide, each time.
    const byValue = masksOf(lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  a: "existingSecret=db-creds"', '  b: "existingSecret=Lynx+Memo+4437"', '  c: "existingSecret=db-creds"'));
    expect(byValue).toEqual({ certain: ['Lynx+Memo+4437'], short: true });
    // js-yaml keeps `__proto__` as an own key: the Secret under it is walked as the AST walks it.
    const proto = masksOf(lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  __proto__:', '    kind: Secret', '    stringData:', '      token: Lynx-Proto-4438', '  constructor: "token=Lynx-Ctor-4439"'));
    expect(proto).toEqual({ certain: ['Lynx-Proto-4438', 'Lynx-Ctor-4439'], short: true });
    const later = masksOf(lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  mode: production', '---', 'apiVersion: v1', 'kind: Secret', 'metadata:', '  name: db', 'stringData:', '  password: Lynx-Later-4440'));
    expect(later).toEqual({ certain: ['Lynx-Later-4440'], short: true });
    const flow = masksOf(lines('apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'secretGenerator:', '  - {name: db, literals: [password=Lynx-Flow-4441]}'), undefined, 'deploy/kustomization.yaml');
    expect(flow).toEqual({ certain: ['Lynx-Flow-4441'], short: true });
  });

  it('certainNothing answers for plain values: strings with a sensitive part, a Secret at any depth, a generator', () => {
    expect(certainNothing({ env: [{ name: 'DB_PASSWORD', value: 'x' }], image: 'app:1.0.0' })).toBe(true);
    expect(certainNothing({ password: 'Lynx-Value-4432', list: ['--token', 'Lynx-Arg-4433'] })).toBe(true);
    expect(certainNothing({ url: 'https://example.com/x', port: 80, on: true, none: null })).toBe(true);
    expect(certainNothing({ dsn: 'postgres://app:Lynx-Dsn-4434@db/app' })).toBe(false);
    expect(certainNothing(['token=Lynx-List-4435'])).toBe(false);
    expect(certainNothing({ items: [{ kind: 'Secret', data: {} }] })).toBe(false);
    expect(certainNothing({ secretGenerator: [] })).toBe(false);
    expect(certainNothing({ 'api_key=Lynx-KeyText-4436': 1 })).toBe(false);
  });
});

describe('message masks of the examples', () => {
  it("are the full redaction's certain values for every YAML file of examples/, with the .sops.yaml of its repository", () => {
    const files = exampleYamlFiles();
    let short = 0;
    let certain = 0;
    for (const { name, text, sops } of files) {
      const model = modelWith(sops);
      const masks = messageMasks(load(text), model)!;
      expect(masks.certain, name).toEqual(redact(load(text), model)!.certain);
      if (!('text' in masks)) short++;
      if (masks.certain.length > 0) certain++;
    }
    expect(files.length).toBeGreaterThan(50);
    expect(short).toBeGreaterThan(20);
    expect(certain).toBeGreaterThan(5);
  });
});

describe("message masks of the bench's findings corpus", () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-bench-'));
    execFileSync(process.execPath, ['scripts/bench.mjs', '--generate', dir, '300', 'findings'], { stdio: 'pipe' });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    // On `main`, as the bench runs it: the synthetic GitRepository fetches main.
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'bench');
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every finding the same message and path without code frames as with them', async () => {
    const framed = await lint({ roots: [dir], cwd: dir });
    const frameless = await lint({ roots: [dir], cwd: dir, frames: false });
    // The corpus plants plaintext Secrets, mutable tags and missing Secrets in one folder of three each.
    expect(new Set(framed.findings.map((finding) => finding.ruleId))).toEqual(new Set(['image-tag-mutable', 'image-pull-policy-mutable-tag', 'sops-secret-encrypted', 'secret-ref-exists']));
    expect(frameless.findings).toEqual(framed.findings);
    expect(JSON.stringify(frameless.findings)).toBe(JSON.stringify(framed.findings));
  });

  it("has the full redaction's certain values for every YAML file, every file with findings taking a short way", async () => {
    const { findings } = await lint({ roots: [dir], cwd: dir, frames: false });
    const withFindings = new Set(findings.map((finding) => finding.location.file));
    const names = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => /\.ya?ml$/.test(name) && !name.startsWith('.git'));
    const sops = readFileSync(path.join(dir, '.sops.yaml'), 'utf8');
    const model = modelWith(sops);
    let short = 0;
    for (const name of names) {
      const text = readFileSync(path.join(dir, name), 'utf8');
      const masks = messageMasks(load(text, name), model)!;
      expect(masks.certain, name).toEqual(redact(load(text, name), model)!.certain);
      if (withFindings.has(name) && !('text' in masks)) short++;
      // The plaintext Secrets' values are certain; the Deployments hold none.
      if (withFindings.has(name)) expect(masks.certain.length > 0, name).toBe(text.includes('kind: Secret'));
    }
    expect(names.length).toBeGreaterThan(290);
    expect(withFindings.size).toBeGreaterThan(25);
    expect(short).toBe(withFindings.size);
  });
});
