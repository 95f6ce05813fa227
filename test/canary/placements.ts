/**
 * Generated repositories that hide a canary value in every way YAML can hold a secret, for the
 * property test that no output prints it (`canary.test.ts`, `outputs.test.ts`, and
 * `scripts/canary-fuzz.mjs` for longer runs).
 */
import fc from 'fast-check';

/** How the canary is written: as it is, base64-encoded (Secret `data`), or as a URL password. */
export type Form = 'raw' | 'base64' | 'url';

/** What is done to the file around it. */
export type Modifier = 'none' | 'crlf' | 'bom' | 'tab' | 'broken-before' | 'broken-after' | 'unresolved-alias' | 'alias-bomb';

export interface Placement {
  name: string;
  /**
   * The file's text with `value` (the written canary) in it; `id` keeps object names unique;
   * `w` writes a value standing alone in the chosen style, `key`/`env` are sensitive names.
   */
  file(value: string, id: string, style: Style): string;
  /** JSON files: `tab` and the YAML-only breakages still apply (the result is broken JSON). */
  json?: boolean;
}

/** How a value standing alone is written, and the sensitive names used. */
export interface Style {
  w(value: string): string;
  /** A sensitive setting name (`adminPassword`, `client_secret`…). */
  key: string;
  /** A sensitive environment variable name (`DB_PASSWORD`…). */
  env: string;
}

const SETTING_KEYS = ['adminPassword', 'password', 'client_secret', 'apiKey', 'token', 'secretKey', 'privateKey', 'auth-token'];
const ENV_NAMES = ['DB_PASSWORD', 'API_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'GF_SECURITY_ADMIN_PASSWORD', 'SECRET_KEY', 'GITHUB_TOKEN'];
const QUOTES: Record<string, (value: string) => string> = {
  plain: (value) => value,
  single: (value) => `'${value}'`,
  double: (value) => JSON.stringify(value),
};

const lines = (...text: string[]): string => `${text.join('\n')}\n`;
const q = (value: string): string => JSON.stringify(value);

/** Every placement class of issue 10. */
export const PLACEMENTS: readonly Placement[] = [
  {
    name: 'secret data block',
    file: (v, id, o) => lines('apiVersion: v1', 'kind: Secret', 'metadata:', `  name: s-${id}`, 'type: Opaque', 'data:', `  blob: ${o.w(v)}`),
  },
  {
    name: 'secret stringData block',
    file: (v, id, o) => lines('apiVersion: v1', 'kind: Secret', 'metadata:', `  name: s-${id}`, 'stringData:', '  username: admin', `  notes: ${o.w(v)} # rotated`, `  # was: ${v}`),
  },
  {
    name: 'secret stringData block scalar',
    file: (v, id) => lines('apiVersion: v1', 'kind: Secret', 'metadata:', `  name: s-${id}`, 'stringData:', '  config.yaml: |', '    user: admin', `    key: ${v}`),
  },
  {
    name: 'secret flow mapping',
    file: (v, id) => lines('apiVersion: v1', 'kind: Secret', `metadata: {name: s-${id}}`, `stringData: {notes: ${v}, user: admin}`),
  },
  {
    name: 'secret JSON',
    json: true,
    file: (v, id) => `${JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `s-${id}` }, stringData: { notes: v } }, null, 2)}\n`,
  },
  {
    name: 'secret JSON on one line',
    json: true,
    file: (v, id) => `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s-${id}"},"data":{"blob":${q(v)}}}\n`,
  },
  {
    name: 'anchor in a Secret, alias under an innocent name',
    file: (v, id, o) =>
      lines(
        'apiVersion: v1',
        'kind: List',
        'items:',
        '  - apiVersion: v1',
        '    kind: Secret',
        '    metadata:',
        `      name: s-${id}`,
        '    stringData:',
        `      notes: &shared ${o.w(v)}`,
        '  - apiVersion: v1',
        '    kind: ConfigMap',
        '    metadata:',
        `      name: c-${id}`,
        '    data:',
        '      setting: *shared',
      ),
  },
  {
    name: 'anchor under an innocent name, alias in a Secret',
    file: (v, id, o) => lines('apiVersion: v1', 'kind: Secret', 'metadata:', `  name: s-${id}`, '  labels:', `    tier: &shared ${o.w(v)}`, 'stringData:', '  notes: *shared'),
  },
  {
    name: 'complex key',
    file: (v, id) => lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: c-${id}`, 'data:', `  ? {token: ${v}}`, '  : enabled', '  mode: fast'),
  },
  {
    name: 'List items',
    file: (v, id, o) => lines('apiVersion: v1', 'kind: List', 'items:', '  - apiVersion: v1', '    kind: Secret', '    metadata:', `      name: s-${id}`, '    data:', `      blob: ${o.w(v)}`),
  },
  {
    name: 'HelmRelease values: Secret object',
    file: (v, id, o) =>
      lines(
        'apiVersion: helm.toolkit.fluxcd.io/v2',
        'kind: HelmRelease',
        'metadata:',
        `  name: h-${id}`,
        'spec:',
        '  interval: 10m',
        '  chart:',
        '    spec:',
        '      chart: app',
        '      version: 1.0.0',
        '      sourceRef: {kind: HelmRepository, name: charts}',
        '  values:',
        '    extraObjects:',
        '      - apiVersion: v1',
        '        kind: Secret',
        '        metadata:',
        '          name: extra',
        '        stringData:',
        `          notes: ${o.w(v)}`,
      ),
  },
  {
    name: 'HelmRelease values: sensitive key',
    file: (v, id, o) =>
      lines('apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', `  name: h-${id}`, 'spec:', '  values:', '    auth:', `      ${o.key}: ${o.w(v)}`),
  },
  {
    name: 'embedded manifest in a block string',
    file: (v, id) =>
      lines(
        'apiVersion: helm.toolkit.fluxcd.io/v2',
        'kind: HelmRelease',
        'metadata:',
        `  name: h-${id}`,
        'spec:',
        '  values:',
        '    extraManifests: |',
        '      apiVersion: v1',
        '      kind: Secret',
        '      metadata:',
        '        name: embedded',
        '      stringData:',
        `        notes: ${v}`,
      ),
  },
  {
    name: 'embedded manifest in a JSON string',
    file: (v, id) =>
      lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: c-${id}`, 'data:', `  manifest.json: ${q(JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, data: { blob: v } }))}`),
  },
  {
    name: 'env value',
    file: (v, id, o) => deployment(id, ['          env:', `            - name: ${o.env}`, `              value: ${o.w(v)}`]),
  },
  {
    name: 'envVars string',
    file: (v, id, o) =>
      lines('apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', `  name: h-${id}`, 'spec:', '  values:', '    runLauncher:', '      envVars:', `        - ${o.env}=${v}`, '        - LOG_LEVEL=info'),
  },
  { name: 'args --name=value', file: (v, id) => deployment(id, ['          args:', '            - --verbose', `            - --db-password=${v}`]) },
  { name: 'args --name value', file: (v, id, o) => deployment(id, ['          args:', '            - --password', `            - ${o.w(v)}`]) },
  { name: 'args -p value', file: (v, id) => deployment(id, ['          args: ["-h", "db", "-p", ' + q(v) + ']']) },
  { name: 'command NAME=value', file: (v, id) => deployment(id, ['          command:', '            - sh', '            - -c', `            - PGPASSWORD=${v} psql -h db`]) },
  {
    name: 'URL under an innocent name',
    file: (v, id) => lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: c-${id}`, 'data:', `  dsn: postgres://app:${v}@db.internal:5432/app`, `  list: "primary=mysql://root:${v}@db/app, other"`),
  },
  {
    name: 'sensitive key in a ConfigMap',
    file: (v, id, o) => lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: c-${id}`, 'data:', `  ${o.env}: ${o.w(v)}`, `  ${o.key}: ${o.w(v)}`, '  application.properties: |', '    server.port=8080', `    db.password=${v}`),
  },
  {
    name: 'SOPS leftovers',
    file: (v, id, o) =>
      lines(
        'apiVersion: v1',
        'kind: Secret',
        'metadata:',
        `  name: s-${id}`,
        'stringData:',
        `  # ${v}`,
        '  api: ENC[AES256_GCM,data:Zm9v,iv:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]',
        `  added: ${o.w(v)}`,
        'sops:',
        '  lastmodified: "2026-11-01T10:00:00Z"',
        '  mac: ENC[AES256_GCM,data:Zm9v,iv:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]',
        '  encrypted_regex: ^(data|stringData)$',
        '  version: 3.10.2',
      ),
  },
  {
    name: 'comments with an assignment or a URL',
    file: (v, id, o) => lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: c-${id}`, 'data:', `  mode: fast # was ${o.env}=${v}`, `  # dsn: postgres://app:${v}@db/app`),
  },
  {
    name: 'kustomize secretGenerator literals',
    file: (v, id) =>
      lines('apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'secretGenerator:', `  - name: g-${id}`, '    literals:', `      - notes=${v}`, '      - username=admin'),
  },
  // Text js-yaml reads but the `yaml` package rejects (so the document is masked line by line):
  // the canary must not come out through js-yaml's reading of it, under an innocent name.
  {
    name: 'Secret with a quoted scalar continued on a line indented too little',
    file: (v, id) => lines('apiVersion: v1', 'kind: Secret', 'metadata:', `  name: "s-${id}`, 'data:', `  blob: ${v}"`, 'type: Opaque'),
  },
  {
    name: 'Secret with a flow mapping continued at column 0',
    file: (v, id) => lines('apiVersion: v1', 'kind: Secret', 'metadata:', `  name: s-${id}`, '  labels: {a: b,', `c: ${v}}`),
  },
  {
    name: 'Secret with a key over 1,024 characters',
    file: (v, id) => lines('apiVersion: v1', 'kind: Secret', 'metadata:', `  name: s-${id}`, `  ${'k'.repeat(1030)}: ${v}`),
  },
  {
    name: 'env entry named through a merge key',
    file: (v, id, o) => deployment(id, ['          env:', `            - <<: {name: ${o.env}}`, `              value: ${o.w(v)}`]),
  },
  {
    name: 'Secret with a second kind key',
    file: (v, id, o) => lines('apiVersion: v1', 'kind: ConfigMap', 'kind: Secret', 'metadata:', `  name: s-${id}`, 'stringData:', `  notes: ${o.w(v)}`),
  },
  {
    name: 'URL password in a key under a sensitive name',
    file: (v, id) =>
      lines('apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', `  name: h-${id}`, 'spec:', '  values:', '    registryCredentials:', `      https://bot:${v}@registry.example.com: enabled`),
  },
  {
    name: 'Secret annotation',
    file: (v, id) =>
      lines('apiVersion: v1', 'kind: Secret', 'metadata:', `  name: s-${id}`, '  annotations:', `    kubectl.kubernetes.io/last-applied-configuration: ${q(JSON.stringify({ stringData: { notes: v } }))}`),
  },
];

function deployment(id: string, container: string[]): string {
  return lines(
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: d-${id}`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: app',
    '          image: ghcr.io/acme/app:1.2.3',
    ...container,
  );
}

export const MODIFIERS: readonly Modifier[] = ['none', 'crlf', 'bom', 'tab', 'broken-before', 'broken-after', 'unresolved-alias', 'alias-bomb'];

/** `text` with the breakage of `modifier`; `value` marks the line a tab goes on. */
export function modify(text: string, modifier: Modifier, value: string): string {
  switch (modifier) {
    case 'none':
      return text;
    case 'crlf':
      return text.replace(/\n/g, '\r\n');
    case 'bom':
      return `\uFEFF${text}`;
    case 'tab':
      return text
        .split('\n')
        .map((line) => (line.includes(value) ? line.replace(/^ +/, '\t') : line))
        .join('\n');
    case 'broken-before': {
      const [first, ...rest] = text.split('\n');
      return [first, 'broken: [unclosed, "quote', ...rest].join('\n');
    }
    case 'broken-after':
      return `${text}trailing: {a: b\n  c: "unterminated\n`;
    case 'unresolved-alias':
      return `${text}extra: *missing\n`;
    case 'alias-bomb': {
      // Past the alias expansion limit: the document does not compose.
      const bomb = ['bomb0: &b0 [x, x, x, x, x, x, x, x, x, x]'];
      for (let level = 1; level < 4; level++) bomb.push(`bomb${level}: &b${level} [${Array.from({ length: 10 }, () => `*b${level - 1}`).join(', ')}]`);
      return `${text}${bomb.join('\n')}\n`;
    }
  }
}

/** One planted canary. */
export interface Case {
  placement: string;
  quote: string;
  key: string;
  env: string;
  form: Form;
  modifier: Modifier;
  canary: string;
}

/** What is written for a canary in a form; `forbidden`: what no output may contain. */
export function written(canary: string, form: Form): { value: string; forbidden: string[] } {
  if (form === 'base64') {
    const encoded = Buffer.from(canary).toString('base64');
    return { value: encoded, forbidden: [canary, encoded.replace(/=+$/, '')] };
  }
  if (form === 'url') return { value: `postgres://app:${canary}@db.internal:5432/app?sslmode=require`, forbidden: [canary] };
  return { value: canary, forbidden: [canary] };
}

/** A canary nothing else in a repository contains (and no judgement takes for a placeholder). */
export const canaryArbitrary: fc.Arbitrary<string> = fc
  .tuple(fc.stringMatching(/^[a-z]{4}$/), fc.stringMatching(/^[a-z0-9]{8,16}$/), fc.integer({ min: 10, max: 99 }))
  .map(([head, body, tail]) => `Kq${head}${body}${tail}`);

export const caseArbitrary: fc.Arbitrary<Case> = fc.record({
  placement: fc.constantFrom(...PLACEMENTS.map((placement) => placement.name)),
  quote: fc.constantFrom('plain', 'single', 'double'),
  key: fc.constantFrom(...SETTING_KEYS),
  env: fc.constantFrom(...ENV_NAMES),
  form: fc.constantFrom<Form>('raw', 'base64', 'url'),
  modifier: fc.constantFrom(...MODIFIERS),
  canary: canaryArbitrary,
});

/** A repository of 1–3 planted canaries, one file each. */
export const repoArbitrary: fc.Arbitrary<Case[]> = fc.array(caseArbitrary, { minLength: 1, maxLength: 3 });

/** The files of a repository of cases, and every string no output may contain. */
export function repoFiles(cases: readonly Case[], prefix = 'deploy'): { files: Record<string, string>; forbidden: string[] } {
  const files: Record<string, string> = {};
  const forbidden: string[] = [];
  cases.forEach((planted, index) => {
    const { value, forbidden: never } = written(planted.canary, planted.form);
    const placement = PLACEMENTS.find((candidate) => candidate.name === planted.placement)!;
    const style: Style = { w: QUOTES[planted.quote]!, key: planted.key, env: planted.env };
    const text = modify(placement.file(value, `${prefix.replace(/[^a-z0-9]/g, '')}${index}`, style), planted.modifier, value);
    files[`${prefix}/case-${index}.${placement.json ? 'json' : 'yaml'}`] = text;
    forbidden.push(...never);
  });
  return { files, forbidden };
}

/** A readable label for a failing case. */
export function describeCase(planted: Case): string {
  return `${planted.placement} / ${planted.form} / ${planted.modifier} / ${planted.quote} ${planted.key} ${planted.env} / ${planted.canary}`;
}

/** Seed and run count: fixed in CI, chosen by `scripts/canary-fuzz.mjs` for longer runs. */
export function fuzzSettings(defaultRuns: number): { seed: number; numRuns: number } {
  const seed = Number(process.env.CANARY_SEED ?? 20261206);
  const numRuns = Number(process.env.CANARY_RUNS ?? defaultRuns);
  return { seed, numRuns };
}
