/**
 * `gitops-lint build` on real folders: what it prints for a Flux fleet, and — with `kubectl`
 * (kustomize built in) as the oracle — the same objects as `kubectl kustomize` for plain
 * kustomize trees.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli, tempRepo } from './temp-repo.js';

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
const kubectl = hasKubectl();
if (!kubectl) console.warn('kubectl is not on PATH: the differential build tests are skipped.'); // eslint-disable-line no-console

function objects(text: string): unknown[] {
  const docs = parseAllDocuments(text)
    .map((doc) => doc.toJS() as Record<string, unknown> | null)
    .filter((value): value is Record<string, unknown> => value !== null);
  const key = (value: Record<string, unknown>) => {
    const metadata = (value.metadata ?? {}) as Record<string, unknown>;
    return `${String(value.kind)}/${String(metadata.namespace ?? '')}/${String(metadata.name)}`;
  };
  return docs.sort((a, b) => key(a).localeCompare(key(b)));
}

const PLAIN_TREE = {
  'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n',
  'base/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  replicas: 1',
    '  selector:',
    '    matchLabels: {app: web}',
    '  template:',
    '    metadata:',
    '      labels: {app: web}',
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: nginx:1.27.0',
    '',
  ].join('\n'),
  'base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n    - port: 80\n',
  'overlays/prod/kustomization.yaml': [
    'namespace: prod',
    'namePrefix: prod-',
    'resources:',
    '  - ../../base',
    'patches:',
    '  - patch: |-',
    '      apiVersion: apps/v1',
    '      kind: Deployment',
    '      metadata:',
    '        name: web',
    '      spec:',
    '        replicas: 3',
    'images:',
    '  - name: nginx',
    '    newTag: 1.27.1',
    '',
  ].join('\n'),
};

describe('gitops-lint build', () => {
  it.skipIf(!kubectl)('prints the objects kubectl kustomize builds for a plain kustomize tree', async () => {
    const dir = tempRepo(PLAIN_TREE);
    const run = await runCli(['build', '.'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const oracle = execFileSync('kubectl', ['kustomize', path.join(dir, 'overlays/prod')], { encoding: 'utf8' });
    expect(objects(run.stdout)).toEqual(objects(oracle));
  });

  it('says where each object was written and which Flux Kustomization applies it, with Secret values masked', async () => {
    const dir = tempRepo({
      'clusters/prod/flux-system/gotk-sync.yaml': [
        'apiVersion: source.toolkit.fluxcd.io/v1',
        'kind: GitRepository',
        'metadata: {name: flux-system, namespace: flux-system}',
        'spec: {interval: 1m, ref: {branch: main}, url: "ssh://git@github.com/acme/fleet"}',
        '---',
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'metadata: {name: flux-system, namespace: flux-system}',
        'spec: {interval: 10m, path: ./clusters/prod, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}',
        '',
      ].join('\n'),
      'clusters/prod/apps.yaml': [
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'metadata: {name: apps, namespace: flux-system}',
        'spec: {interval: 10m, path: ./apps, prune: true, targetNamespace: shop, sourceRef: {kind: GitRepository, name: flux-system}}',
        '',
      ].join('\n'),
      'apps/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: shop-db\nstringData:\n  password: hunter2-canary\n',
    }, { git: true });
    // The folder is named like the repository the GitRepository fetches, as a clone would be.
    const run = await runCli(['build', '--kustomization', 'flux-system/apps', dir], path.dirname(dir));
    expect(run.code).toBe(0);
    const name = path.basename(dir);
    expect(run.stdout).toBe(`# from ${name}/apps/secret.yaml:1 (Kustomization flux-system/apps)\napiVersion: v1\nkind: Secret\nmetadata:\n  name: shop-db\n  namespace: shop\nstringData:\n  password: "***"\n`);
    expect(run.stdout).not.toContain('hunter2-canary');
  });

  it('exits 2 naming the known builds when --kustomization names none', async () => {
    const dir = tempRepo(PLAIN_TREE);
    const run = await runCli(['build', '--kustomization', 'flux-system/nope', '.'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('gitops-lint: No applied Flux Kustomization flux-system/nope whose build is known.\n');
  });

  it('masks a secret value wherever an object holds it', async () => {
    const dir = tempRepo({
      'list.yaml': [
        'apiVersion: v1',
        'kind: List',
        'items:',
        '  - apiVersion: v1',
        '    kind: Secret',
        '    metadata:',
        '      name: in-list',
        '      annotations:',
        '        kubectl.kubernetes.io/last-applied-configuration: \'{"stringData":{"token":"CANARY-ANNOTATION"}}\'',
        '    stringData:',
        '      token: CANARY-LIST',
        '',
      ].join('\n'),
      'release.yaml': [
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
        '        data:',
        '          conn: CANARY-EXTRA',
        '    args: ["--db-password", "CANARY-ARG", "--db-password=CANARY-ARG2"]',
        '',
      ].join('\n'),
      'config.yaml': [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: app-config',
        'data:',
        '  app.properties: |',
        '    db.host=db',
        '    db.password=CANARY-PROPS',
        '  dsn: host=db user=app password=CANARY-DSN',
        '  settings.json: \'{"apiToken": "CANARY-JSON"}\'',
        '  url: postgres://app:CANARY-URL@db:5432/app',
        '',
      ].join('\n'),
    });
    const run = await runCli(['build', '.'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/CANARY/);
    expect(run.stdout).toContain('db.host=db');
  });
});
