import type { Finding, FindingResource, Level, YamlPath } from '../../src/model/finding.js';
import type { FormatterContext, LintResult } from '../../src/model/result.js';
import type { RuleMeta } from '../../src/model/rule.js';

/** Two roots side by side under the working directory, as in a CI checkout of both repos. */
export const LOTUS = '/repos/lotus-lake';
export const HKUBE = '/repos/h-kube';

export const context: FormatterContext = { cwd: '/repos', toolVersion: '0.1.0', color: false };

/** Source text as the engine hands it to formatters: secret values already `***`. */
const sources: Record<string, string> = {
  [`${LOTUS}/deploy/dagster/helmrelease.yaml`]: `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: dagster
  namespace: lotus-lake
spec:
  interval: 10m
  chart:
    spec:
      chart: dagster
      version: "1.9.0"
  values:
    dagsterWebserver:
      image:
        repository: ghcr.io/acme/lotus-lake
        tag: latest
        pullPolicy: IfNotPresent
    dagster-user-deployments:
      deployments:
        - name: lotus
          image:
            repository: ghcr.io/acme/lotus-lake
            tag: latest
`,
  [`${LOTUS}/deploy/backup-secret.yaml`]: `apiVersion: v1
kind: Secret
metadata:
  name: backup-creds
stringData:
  ACCESS_KEY_ID: ***
  password: ***
`,
  [`${HKUBE}/apps/lotus-lake/kustomization.yaml`]: `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: lotus-lake
  namespace: flux-system
spec:
  interval: 5m
  path: ./deploy/overlays/prod
  sourceRef:
    kind: GitRepository
    name: lotus-lake
  targetNamespace: lotus-lake
`,
};

function sourceLines(root: string, file: string, startLine: number, endLine: number): string[] | undefined {
  const text = sources[`${root}/${file}`];
  if (text === undefined) return undefined;
  return text.replace(/\n$/, '').split('\n').slice(startLine - 1, endLine);
}

const helmExample = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
spec:
  values:
    image:
      repository: ghcr.io/acme/app
      tag: TAG
`;

export const rules: RuleMeta[] = [
  {
    id: 'env-required',
    description: 'Require the environment variables a workload needs',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'warning',
    recommended: true,
    messages: { missing: 'Container "{{name}}" does not set required variable {{variable}}.' },
    docs: {
      rationale: 'Dagster code locations fail at start-up without `DAGSTER_HOME`.',
      incorrect: [{ files: { 'deploy/app.yaml': helmExample.replace('TAG', '"1.0.0"') } }],
      correct: [{ files: { 'deploy/app.yaml': `${helmExample.replace('TAG', '"1.0.0"')}    env:\n      DAGSTER_HOME: /opt/dagster\n` } }],
    },
  },
  {
    id: 'image-pull-policy',
    description: 'Require `Always` pull policy for mutable image tags',
    scope: 'cluster',
    category: 'reliability',
    defaultLevel: 'warning',
    recommended: true,
    messages: { stale: 'Pull policy {{policy}} with mutable tag "{{tag}}" serves a stale image.' },
    docs: {
      rationale: 'A node keeps serving the image it pulled first.',
      incorrect: [{ files: { 'deploy/app.yaml': helmExample.replace('TAG', 'latest\n      pullPolicy: IfNotPresent') } }],
      correct: [{ files: { 'deploy/app.yaml': helmExample.replace('TAG', 'latest\n      pullPolicy: Always') } }],
    },
  },
  {
    id: 'image-tag-mutable',
    description: 'Disallow mutable image tags such as `latest`',
    scope: 'cluster',
    category: 'reliability',
    defaultLevel: 'error',
    recommended: true,
    messages: { mutable: 'Image "{{image}}" uses the mutable tag "{{tag}}".' },
    docs: {
      rationale:
        'Flux reacts to changes of the manifests, not to a new image pushed behind the same tag, so `latest` never rolls the pods.\n\nPin a version or a digest.',
      incorrect: [{ title: 'Tag latest', files: { 'deploy/app.yaml': helmExample.replace('TAG', 'latest') } }],
      correct: [
        { title: 'Pinned version', files: { 'deploy/app.yaml': helmExample.replace('TAG', '"1.4.2"') } },
        {
          title: 'Pinned by a kustomize images entry in another repo',
          roots: {
            'lotus-lake': { 'deploy/app.yaml': helmExample.replace('TAG', 'latest') },
            'h-kube': { 'apps/kustomization.yaml': 'images:\n  - name: ghcr.io/acme/app\n    newTag: "1.4.2"\n' },
          },
        },
      ],
      whenNotToUse: 'In a development cluster that deliberately tracks a branch with an image automation.',
    },
  },
  {
    id: 'kustomization-path-exists',
    description: 'Require Flux Kustomization paths to exist in the source repository',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: { missing: 'Path "{{path}}" does not exist in repository "{{repo}}".' },
    docs: {
      rationale: 'kustomize-controller fails the reconciliation with `kustomization path not found`.',
      incorrect: [{ files: { 'flux.yaml': 'kind: Kustomization\nspec:\n  path: ./missing\n' } }],
      correct: [{ files: { 'flux.yaml': 'kind: Kustomization\nspec:\n  path: ./deploy\n', 'deploy/kustomization.yaml': 'resources: []\n' } }],
    },
  },
  {
    id: 'sops-secret-encrypted',
    description: 'Require Secrets to be encrypted with SOPS',
    scope: 'cluster',
    category: 'security',
    defaultLevel: 'error',
    recommended: true,
    messages: { plaintext: 'Secret "{{name}}" has a plaintext value for key "{{key}}".' },
    docs: {
      rationale: 'Anything committed in plain text is readable by everyone with access to the repository, forever.',
      incorrect: [{ files: { 'secret.yaml': 'kind: Secret\nstringData:\n  password: hunter2\n' } }],
      correct: [{ files: { 'secret.yaml': 'kind: Secret\nstringData:\n  password: ENC[AES256_GCM,data:abc=,type:str]\nsops:\n  age: []\n' } }],
    },
  },
  {
    id: 'helmrelease-values-style',
    description: 'Enforce block style for HelmRelease values',
    scope: 'cluster',
    category: 'style',
    defaultLevel: 'note',
    recommended: false,
    messages: { flow: 'Values use flow style; block style diffs better.' },
    docs: {
      rationale: 'Block style keeps one value per line, so reviews show exactly what changed.',
      incorrect: [{ files: { 'hr.yaml': 'spec:\n  values: {a: 1, b: 2}\n' } }],
      correct: [{ files: { 'hr.yaml': 'spec:\n  values:\n    a: 1\n    b: 2\n' } }],
    },
  },
];

interface FindingInput {
  ruleId: string;
  level: Level;
  message: string;
  root?: string;
  file: string;
  at: [number, number, number, number];
  suppressed?: string;
  resource?: FindingResource;
  path?: YamlPath;
}

/** A finding with the fields formatters do not look at filled with plausible values. */
export function finding({ ruleId, level, message, root = LOTUS, file, at, suppressed, resource, path }: FindingInput): Finding {
  const [startLine, startColumn, endLine, endColumn] = at;
  return {
    ruleId,
    level,
    message,
    messageId: 'm',
    location: { root, file, startLine, startColumn, endLine, endColumn },
    ...(resource !== undefined && { resource }),
    ...(path !== undefined && { path }),
    fingerprint: `${ruleId}:${file}:${startLine}`.split('').reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7).toString(16).padStart(8, '0'),
    ...(suppressed !== undefined && { suppressions: [{ kind: 'inSource' as const, justification: suppressed }] }),
  };
}

/** A result around some findings, with the fixture's roots, rules and sources. */
export function lintResult(findings: Finding[], extra: Partial<LintResult> = {}): LintResult {
  return {
    findings,
    rules: [...rules].sort((a, b) => a.id.localeCompare(b.id)),
    roots: [
      { dir: LOTUS, name: 'lotus-lake', git: true },
      { dir: HKUBE, name: 'h-kube', git: true },
    ],
    fileCount: 42,
    resourceCount: 17,
    notes: [],
    errors: [],
    sourceLines,
    ...extra,
  };
}

/**
 * The shared fixture: findings at several positions in two roots, a multi-line range, a
 * suppressed finding, all three levels, a message with `%`, `:` and a newline, a path with
 * `,` and `:`, a file without text (no code frame), run notes and a run error.
 */
export const result: LintResult = lintResult(
  [
    finding({ ruleId: 'sops-secret-encrypted', level: 'error', file: 'deploy/backup-secret.yaml', at: [7, 13, 7, 33],
      message: 'Secret "backup-creds" has a plaintext value for key "password": 100% readable by anyone with access to the repository.\nEncrypt the file with sops before committing.' }),
    finding({ ruleId: 'image-tag-mutable', level: 'error', file: 'deploy/dagster/helmrelease.yaml', at: [16, 14, 16, 20],
      message: 'Image "ghcr.io/acme/lotus-lake:latest" uses the mutable tag "latest".',
      resource: { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'dagster', namespace: 'lotus-lake', docIndex: 0 },
      path: ['spec', 'values', 'dagsterWebserver', 'image', 'tag'] }),
    finding({ ruleId: 'image-pull-policy', level: 'warning', file: 'deploy/dagster/helmrelease.yaml', at: [17, 21, 17, 33],
      message: 'Pull policy IfNotPresent with mutable tag "latest" serves a stale image.' }),
    finding({ ruleId: 'env-required', level: 'warning', file: 'deploy/dagster/helmrelease.yaml', at: [20, 11, 23, 24],
      message: 'Container "lotus" does not set required variable DAGSTER_HOME.' }),
    finding({ ruleId: 'image-tag-mutable', level: 'error', file: 'deploy/dagster/helmrelease.yaml', at: [23, 18, 23, 24],
      message: 'Image "ghcr.io/acme/lotus-lake:latest" uses the mutable tag "latest".', suppressed: 'Dev deployment tracks main on purpose.' }),
    finding({ ruleId: 'helmrelease-values-style', level: 'note', file: 'deploy/odd,name:v1.yaml', at: [1, 1, 1, 5],
      message: 'Values use flow style; block style diffs better.' }),
    finding({ ruleId: 'kustomization-path-exists', level: 'error', root: HKUBE, file: 'apps/lotus-lake/kustomization.yaml', at: [8, 9, 8, 31],
      message: 'Path "./deploy/overlays/prod" does not exist in repository "lotus-lake".' }),
  ],
  {
    notes: [
      { message: 'Skipped a binary file.', file: `${LOTUS}/docs/diagram.png` },
      { message: 'Cross-repo checks for GitRepository "infra" skipped: no root named "infra".' },
    ],
    errors: [{ message: 'Unknown rule "image-tag-mutabel".', file: `${HKUBE}/.gitops-lint.yaml`, line: 3, column: 3 }],
  },
);
