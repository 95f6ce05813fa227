/**
 * The applied model on the layouts real Flux repositories use: each case is a minimal fleet
 * repository (bootstrapped: gotk-sync.yaml applies ./clusters/prod) and pins what the rules
 * see after Flux's and kustomize's transforms.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { lint } from '../../src/engine/lint.js';
import { yaml } from '../../src/testing/index.js';
import { builtinRules } from '../../rules/index.js';

const BOOTSTRAP = {
  'clusters/prod/flux-system/gotk-sync.yaml': yaml`
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: GitRepository
    metadata:
      name: flux-system
      namespace: flux-system
    spec:
      interval: 1m0s
      ref:
        branch: main
      secretRef:
        name: flux-system
      url: ssh://git@github.com/acme/fleet
    ---
    apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata:
      name: flux-system
      namespace: flux-system
    spec:
      interval: 10m0s
      path: ./clusters/prod
      prune: true
      sourceRef:
        kind: GitRepository
        name: flux-system
  `,
};

/** A Flux Kustomization in flux-system applying `path` from the fleet repository. */
const ks = (name: string, pathInRepo: string, extra = '') => yaml`
  apiVersion: kustomize.toolkit.fluxcd.io/v1
  kind: Kustomization
  metadata:
    name: ${name}
    namespace: flux-system
  spec:
    interval: 10m
    path: ${pathInRepo}
    prune: true
    sourceRef:
      kind: GitRepository
      name: flux-system
${extra}`;

const DEPLOYMENT = (image: string, env = '') => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: podinfo
  spec:
    selector:
      matchLabels: {app: podinfo}
    template:
      metadata:
        labels: {app: podinfo}
      spec:
        containers:
          - name: podinfo
            image: ${image}
${env}`;

const ENCRYPTED_SECRET = yaml`
  apiVersion: v1
  kind: Secret
  metadata:
    name: podinfo-token
  stringData:
    token: ENC[AES256_GCM,data:bHhX2x9Q1XFmxVvQ,iv:iReO5zYsAUcfMt4BBcaTvignscCIpXqbZYSIgLihhCA=,tag:pFBTfiVGgLkLXcy/oe8glg==,type:str]
  sops:
    lastmodified: "2025-02-09T21:03:44Z"
    mac: ENC[AES256_GCM,data:BThk3TKHEf/MqApQe9ZwJZL1Icc=,iv:tmTUFilznmU6qedcXWFJ7qdNqWJwpVrFivU8Kzd0HpQ=,tag:vECU1E51M3l2r6p8UNO1lg==,type:str]
    encrypted_regex: ^(data|stringData)$
    version: 3.9.4
`;

async function findings(files: Record<string, string>, ruleIds: string[]): Promise<string[]> {
  const rules = builtinRules.filter((rule) => ruleIds.includes(rule.meta.id));
  expect(rules.map((rule) => rule.meta.id).sort()).toEqual([...ruleIds].sort());
  const dir = path.join(path.sep, 'virtual', 'fleet');
  const result = await lint({ roots: [{ dir, name: 'fleet', files, config: defaultConfig(builtinRules) }], rules, cwd: dir });
  expect(result.errors).toEqual([]);
  return result.findings.map((finding) => `${finding.ruleId} ${finding.location.file}:${finding.location.startLine}:${finding.location.startColumn}`);
}

describe('applied model: layouts', () => {
  const childWithSecret = {
    'apps/kustomization.yaml': 'resources:\n  - podinfo/ks.yaml\n',
    'apps/podinfo/ks.yaml': yaml`
      apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata:
        name: podinfo
        namespace: flux-system
        labels:
          sops: "on"
      spec:
        path: ./apps/podinfo/app
        prune: true
        sourceRef:
          kind: GitRepository
          name: flux-system
    `,
    'apps/podinfo/app/secret.yaml': ENCRYPTED_SECRET,
  };

  it('sees child Kustomizations as their parent patches them (labelSelector adds decryption and interval)', async () => {
    const patches = [
      '    patches:',
      '      - target:',
      '          group: kustomize.toolkit.fluxcd.io',
      '          kind: Kustomization',
      '          labelSelector: sops=on',
      '        patch: |',
      '          - op: add',
      '            path: /spec/decryption',
      '            value:',
      '              provider: sops',
      '              secretRef:',
      '                name: sops-age',
      '          - op: add',
      '            path: /spec/interval',
      '            value: 1h',
      '',
    ].join('\n');
    const patched = { ...BOOTSTRAP, 'clusters/prod/apps.yaml': ks('apps', './apps', patches), ...childWithSecret };
    expect(await findings(patched, ['flux-decryption-required', 'schema-valid'])).toEqual([]);

    const unpatched = { ...BOOTSTRAP, 'clusters/prod/apps.yaml': ks('apps', './apps'), ...childWithSecret };
    expect(await findings(unpatched, ['flux-decryption-required', 'schema-valid'])).toEqual([
      'flux-decryption-required apps/podinfo/app/secret.yaml:7:1',
      'schema-valid apps/podinfo/ks.yaml:8:1',
    ]);
  });

  it('reports a patched value on the patch file line, and does not judge the patch as an object', async () => {
    const files = {
      ...BOOTSTRAP,
      'clusters/prod/apps.yaml': ks('apps', './apps'),
      'apps/kustomization.yaml': yaml`
        resources:
          - deployment.yaml
        patches:
          - path: image-patch.yaml
      `,
      'apps/deployment.yaml': DEPLOYMENT('ghcr.io/stefanprodan/podinfo:6.7.0'),
      'apps/image-patch.yaml': yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: podinfo
        spec:
          template:
            spec:
              containers:
                - name: podinfo
                  image: ghcr.io/stefanprodan/podinfo:latest
      `,
    };
    expect(await findings(files, ['image-tag-mutable', 'schema-valid'])).toEqual(['image-tag-mutable apps/image-patch.yaml:10:18']);
  });

  it('builds a Component once per including app, with that app\'s namespace', async () => {
    const files = {
      ...BOOTSTRAP,
      'clusters/prod/apps.yaml': `${ks('team-a', './apps/team-a')}---\n${ks('team-b', './apps/team-b')}`,
      'components/worker/kustomization.yaml': yaml`
        apiVersion: kustomize.config.k8s.io/v1alpha1
        kind: Component
        resources:
          - deployment.yaml
      `,
      'components/worker/deployment.yaml': DEPLOYMENT(
        'ghcr.io/stefanprodan/podinfo:6.7.0',
        `            env:
              - name: TOKEN
                valueFrom:
                  secretKeyRef:
                    name: worker-token
                    key: token
`,
      ),
      'apps/team-a/kustomization.yaml': yaml`
        namespace: team-a
        resources:
          - secret.yaml
        components:
          - ../../components/worker
      `,
      'apps/team-a/secret.yaml': ENCRYPTED_SECRET.replace('podinfo-token', 'worker-token'),
      'apps/team-b/kustomization.yaml': yaml`
        namespace: team-b
        components:
          - ../../components/worker
      `,
    };
    const result = await findings(files, ['secret-ref-exists']);
    // Only team-b's copy lacks the Secret; the finding lands in the shared file.
    expect(result).toEqual(['secret-ref-exists components/worker/deployment.yaml:19:25']);
  });

  it('does not judge an archive folder that no Flux path reaches', async () => {
    const files = {
      ...BOOTSTRAP,
      'clusters/prod/apps.yaml': ks('apps', './apps'),
      'apps/deployment.yaml': DEPLOYMENT('ghcr.io/stefanprodan/podinfo:6.7.0'),
      'archive/old-app/ks.yaml': ks('old-app', './archive/old-app/missing'),
      'archive/old-app/deployment.yaml': DEPLOYMENT('nginx:latest').replace('selector:', 'replicas: two\n  selector:'),
    };
    expect(await findings(files, ['schema-valid', 'flux-path-exists', 'image-tag-mutable', 'duplicate-resource'])).toEqual([]);
  });

  it('takes a bootstrap placeholder as the source and Kustomization flux bootstrap creates', async () => {
    const files = {
      'clusters/prod/flux-system/gotk-sync.yaml': '# This file will be generated automatically by flux bootstrap.\n',
      'clusters/prod/apps.yaml': ks('apps', './apps'),
      'apps/deployment.yaml': DEPLOYMENT('nginx:latest'),
      'archive/deployment.yaml': DEPLOYMENT('nginx:latest'),
    };
    // The source resolves, the applied tree is judged, the archive outside ./clusters/prod's tree is not.
    expect(await findings(files, ['flux-source-ref', 'image-tag-mutable'])).toEqual(['image-tag-mutable apps/deployment.yaml:14:18']);
  });

  it('in a root without a Flux entry point, judges the folders of its top Kustomizations as written, never a patch file', async () => {
    const dir = path.join(path.sep, 'virtual', 'fleet');
    const files = {
      // A Kustomization without interval and prune, whose parent (not in git) patches them in.
      'clusters/prod/apps.yaml': ks('apps', './apps').replace('  interval: 10m\n', '').replace('  prune: true\n', ''),
      'clusters/prod/values-patch.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n  values:\n    replicaCount: 2\n',
      'clusters/prod/kustomization.yaml': 'resources:\n  - apps.yaml\npatches:\n  - path: values-patch.yaml\n',
    };
    const rules = builtinRules.filter((rule) => rule.meta.id === 'schema-valid');
    const result = await lint({ roots: [{ dir, name: 'fleet', files, config: defaultConfig(builtinRules) }], rules, cwd: dir });
    expect(result.findings).toEqual([]);
    expect(result.notes.map((note) => note.message)).toEqual([
      "fleet has no Flux entry point in git (flux bootstrap's gotk-sync.yaml, a FluxInstance sync from a linted source, or config externalSources), so the folders of its top Kustomizations were taken as applied, as written: clusters/prod.",
      "schema-valid: 2 missing required fields of Flux objects were not reported: what applies those objects is not in git (no Flux entry point), and it may patch the fields in (a parent Kustomization's spec.patches).",
    ]);
  });

  it('reports a reference to a ConfigMap that is written in git but that no build applies', async () => {
    const substituteFrom = ['    postBuild:', '      substituteFrom:', '        - kind: ConfigMap', '          name: cluster-vars', ''].join('\n');
    const files = {
      ...BOOTSTRAP,
      'clusters/prod/kustomization.yaml': 'resources:\n  - flux-system/gotk-sync.yaml\n  - apps.yaml\n',
      'clusters/prod/apps.yaml': ks('apps', './apps', substituteFrom),
      // Next to the Kustomizations, but clusters/prod/kustomization.yaml does not list it.
      'clusters/prod/cluster-vars.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-vars\n  namespace: flux-system\ndata:\n  CLUSTER: prod\n',
      'apps/deployment.yaml': DEPLOYMENT('ghcr.io/stefanprodan/podinfo:6.7.0'),
    };
    const rules = builtinRules.filter((rule) => rule.meta.id === 'secret-ref-exists');
    const dir = path.join(path.sep, 'virtual', 'fleet');
    const result = await lint({ roots: [{ dir, name: 'fleet', files, config: defaultConfig(builtinRules) }], rules, cwd: dir });
    expect(result.findings.map((finding) => `${finding.location.file}:${finding.location.startLine}:${finding.location.startColumn} ${finding.messageId}`)).toEqual([
      'clusters/prod/apps.yaml:16:15 notApplied',
    ]);
    expect(result.findings[0]?.message).toContain('is written in fleet/clusters/prod/cluster-vars.yaml, but no Flux Kustomization applies that file');
  });

  it('lets repository rules judge files that no build applies (a plaintext password in an archive)', async () => {
    const files = {
      ...BOOTSTRAP,
      'clusters/prod/apps.yaml': ks('apps', './apps'),
      'apps/deployment.yaml': DEPLOYMENT('ghcr.io/stefanprodan/podinfo:6.7.0'),
      'archive/db/deployment.yaml': DEPLOYMENT(
        'mariadb:11.4.2',
        `            env:
              - name: MARIADB_ROOT_PASSWORD
                value: hunter2
`,
      ),
    };
    // The archive reaches no cluster, but the password is readable in git all the same.
    expect(await findings(files, ['no-plaintext-sensitive-env', 'image-tag-mutable'])).toEqual(['no-plaintext-sensitive-env archive/db/deployment.yaml:17:22']);
  });

  it("builds each cluster's Kustomizations from that cluster's own GitRepository", async () => {
    const staging = BOOTSTRAP['clusters/prod/flux-system/gotk-sync.yaml'].replace('ssh://git@github.com/acme/fleet', 'ssh://git@github.com/acme/platform').replace('./clusters/prod', './clusters/staging');
    const fleet = {
      ...BOOTSTRAP,
      'clusters/prod/apps.yaml': ks('apps', './apps/prod'),
      'apps/prod/deployment.yaml': DEPLOYMENT('ghcr.io/stefanprodan/podinfo:6.7.0'),
    };
    // Staging syncs another repository, linted alongside: its apps.yaml and paths are that checkout's.
    const platform = {
      'clusters/staging/flux-system/gotk-sync.yaml': staging,
      'clusters/staging/apps.yaml': ks('apps', './apps/staging'),
      'apps/staging/deployment.yaml': DEPLOYMENT('ghcr.io/stefanprodan/podinfo:6.7.0'),
    };
    const rules = builtinRules.filter((rule) => ['flux-path-exists', 'duplicate-resource'].includes(rule.meta.id));
    const root = (name: string, files: Record<string, string>) => ({ dir: path.join(path.sep, 'virtual', name), name, files, config: defaultConfig(builtinRules) });
    const result = await lint({ roots: [root('fleet', fleet), root('platform', platform)], rules, cwd: path.sep });
    expect(result.findings.map((finding) => `${finding.ruleId} ${finding.location.file}:${finding.location.startLine}`)).toEqual([]);
  });
});
