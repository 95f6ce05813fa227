/**
 * Sources that are not written in git (issue 8, part 3): the Flux Operator's FluxInstance sync,
 * the flux-instance chart's values, and config `externalSources`. Each case is a minimal
 * repository; findings are pinned to the line that declares them.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, resolveConfigText } from '../../src/config/load.js';
import { builtinRules } from '../../rules/index.js';
import { lint } from '../../src/engine/lint.js';
import { VIRTUAL_BASE, yaml } from '../../src/testing/index.js';
import type { MemoryRoot } from '../../src/workspace/load.js';
import { CONFIG_MAP, GIT_REPOSITORY, KUSTOMIZATION, fluxModel, ids } from './helpers.js';
import { fluxRules } from './rules.js';

/** Lint in-memory roots with the Flux rules: `file:line:col-endLine:endCol rule messageId`, and the notes. */
async function lintRoots(roots: Record<string, Record<string, string>>) {
  const inputs: MemoryRoot[] = [];
  for (const [name, files] of Object.entries(roots)) {
    const dir = path.join(VIRTUAL_BASE, name);
    const text = files['.gitops-lint.yaml'];
    const config = text === undefined ? defaultConfig(fluxRules) : await resolveConfigText(text, path.join(dir, '.gitops-lint.yaml'), fluxRules);
    inputs.push({ dir, name, files, config });
  }
  const result = await lint({ roots: inputs, rules: fluxRules, cwd: VIRTUAL_BASE });
  expect(result.errors).toEqual([]);
  return {
    findings: result.findings.map(
      (f) => `${path.basename(f.location.root)}/${f.location.file}:${f.location.startLine}:${f.location.startColumn}-${f.location.endLine}:${f.location.endColumn} ${f.ruleId} ${f.messageId}`,
    ),
    messages: result.findings.map((f) => f.message),
    // The entry-point note is pinned in test/applied; these cases are about sources.
    notes: result.notes.map((note) => note.message).filter((message) => !message.includes('no Flux entry point in git')),
  };
}

const FLUX_INSTANCE = yaml`
  apiVersion: fluxcd.controlplane.io/v1
  kind: FluxInstance
  metadata:
    name: flux
    namespace: flux-system
  spec:
    distribution:
      version: "2.x"
      registry: ghcr.io/fluxcd
    sync:
      kind: GitRepository
      url: https://github.com/acme/fleet.git
      ref: refs/heads/main
      path: clusters/prod
      pullSecret: flux-system
`;

const APPS = yaml`
  apiVersion: kustomize.toolkit.fluxcd.io/v1
  kind: Kustomization
  metadata:
    name: apps
    namespace: flux-system
  spec:
    interval: 10m
    prune: true
    path: ./apps
    sourceRef:
      kind: GitRepository
      name: flux-system
`;

describe('FluxInstance spec.sync', () => {
  it('creates the GitRepository and Kustomization named after the namespace, in it, placed on the sync block', async () => {
    const { model } = await fluxModel({
      fleet: { 'bootstrap/flux-instance.yaml': FLUX_INSTANCE, 'clusters/prod/apps.yaml': APPS, 'apps/podinfo.yaml': CONFIG_MAP('podinfo') },
    });
    const synthetic = model.resources.filter((resource) => resource.synthetic !== undefined);
    expect(ids(synthetic)).toEqual(['fleet:bootstrap/flux-instance.yaml#GitRepository/flux-system/flux-system', 'fleet:bootstrap/flux-instance.yaml#Kustomization/flux-system/flux-system']);
    expect(synthetic.map((resource) => resource.synthetic)).toEqual(['FluxInstance flux-system/flux', 'FluxInstance flux-system/flux']);
    expect(synthetic[0]?.value.spec).toEqual({ interval: '1m', url: 'https://github.com/acme/fleet.git', ref: { name: 'refs/heads/main' }, secretRef: { name: 'flux-system' } });
    expect(synthetic[1]?.value.spec).toEqual({ interval: '10m', prune: true, path: 'clusters/prod', sourceRef: { kind: 'GitRepository', name: 'flux-system' } });
    // The synthesized objects are not the file's own resources.
    expect(model.resourcesIn(synthetic[0]!.file).map((resource) => resource.kind)).toEqual(['FluxInstance']);

    const sync = model.flux.kustomizations.find((k) => k.resource.synthetic !== undefined);
    expect(sync?.link.status).toBe('linked');
    expect(sync?.files.map((file) => file.path)).toEqual(['clusters/prod/apps.yaml']);
    const apps = model.flux.kustomizations.find((k) => k.resource.name === 'apps');
    expect(apps?.source?.resource.synthetic).toBe('FluxInstance flux-system/flux');
    expect(apps?.files.map((file) => file.path)).toEqual(['apps/podinfo.yaml']);
  });

  it('resolves Kustomizations that name the sync source, and reports a missing sync.path on its line', async () => {
    const { findings, notes } = await lintRoots({
      fleet: {
        'bootstrap/flux-instance.yaml': FLUX_INSTANCE.replace('path: clusters/prod', 'path: clusters/production'),
        'clusters/prod/apps.yaml': APPS,
        'apps/podinfo.yaml': CONFIG_MAP('podinfo', 'default'),
      },
    });
    expect(findings).toEqual(['fleet/bootstrap/flux-instance.yaml:14:11-14:30 flux-path-exists missing']);
    expect(notes).toEqual([]);
  });

  it('follows its FluxInstance when a targetNamespace moves it, renaming objects named after the namespace', async () => {
    const { model } = await fluxModel({
      fleet: {
        'clusters/prod/infra.yaml': GIT_REPOSITORY('fleet', 'flux-system', 'https://github.com/acme/fleet', '  ref:\n    branch: main\n') + '---\n' + KUSTOMIZATION('infra', 'flux-system', 'fleet', './infra', '  targetNamespace: flux-ops\n'),
        'infra/flux-instance.yaml': FLUX_INSTANCE,
      },
    });
    const synthetic = model.resources.filter((resource) => resource.synthetic !== undefined);
    expect(ids(synthetic)).toEqual(['fleet:infra/flux-instance.yaml#GitRepository/flux-ops/flux-ops', 'fleet:infra/flux-instance.yaml#Kustomization/flux-ops/flux-ops']);
    expect(synthetic[1]?.value.spec).toMatchObject({ sourceRef: { kind: 'GitRepository', name: 'flux-ops' } });
    expect(model.flux.kustomizations.find((k) => k.resource.name === 'flux-ops')?.source?.resource).toBe(synthetic[0]);
  });

  it('uses sync.name, and OCIRepository ref.tag', async () => {
    const { model } = await fluxModel({
      fleet: {
        'flux.yaml': FLUX_INSTANCE.replace('kind: GitRepository', 'kind: OCIRepository').replace('https://github.com/acme/fleet.git', 'oci://ghcr.io/acme/fleet').replace('ref: refs/heads/main', 'ref: latest\n    name: fleet'),
      },
    });
    const synthetic = model.resources.filter((resource) => resource.synthetic !== undefined);
    expect(ids(synthetic)).toEqual(['fleet:flux.yaml#OCIRepository/flux-system/fleet', 'fleet:flux.yaml#Kustomization/flux-system/fleet']);
    expect(synthetic[0]?.value.spec).toMatchObject({ url: 'oci://ghcr.io/acme/fleet', ref: { tag: 'latest' } });
    expect(model.flux.sources.find((source) => source.resource.synthetic !== undefined)?.link).toEqual({ status: 'external', kind: 'OCIRepository' });
  });

  it('leaves synthesized objects to the rules that judge cluster state, not the written-text rules', async () => {
    const { findings } = await lintRoots({
      fleet: {
        'bootstrap/flux-instance.yaml': FLUX_INSTANCE,
        // The same sync objects written by a former `flux bootstrap`: one copy in git.
        'clusters/prod/flux-system/gotk-sync.yaml': yaml`
          apiVersion: source.toolkit.fluxcd.io/v1
          kind: GitRepository
          metadata:
            name: flux-system
            namespace: flux-system
          spec:
            interval: 1m
            url: https://github.com/acme/fleet.git
            ref:
              branch: main
        `,
        'clusters/prod/apps.yaml': APPS,
        'apps/podinfo.yaml': CONFIG_MAP('podinfo', 'default'),
      },
    });
    expect(findings).toEqual([]);
  });
});

const FLUX_INSTANCE_RELEASE = yaml`
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata:
    name: flux
    namespace: flux-system
  spec:
    interval: 30m
    chart:
      spec:
        chart: flux-instance
        version: "0.49.0"
        sourceRef:
          kind: HelmRepository
          name: controlplane
    values:
      instance:
        distribution:
          version: "2.x"
        sync:
          url: https://github.com/acme/fleet.git
          ref: refs/heads/main
          path: clusters/prod
`;

const HELM_REPOSITORY = yaml`
  apiVersion: source.toolkit.fluxcd.io/v1
  kind: HelmRepository
  metadata:
    name: controlplane
    namespace: flux-system
  spec:
    interval: 12h
    url: https://controlplaneio-fluxcd.github.io/charts
`;

const SOPS_SECRET = yaml`
  apiVersion: v1
  kind: Secret
  metadata:
    name: db
    namespace: default
  stringData:
    password: ENC[AES256_GCM,data:abc=,iv:def=,tag:ghi=,type:str]
  sops:
    lastmodified: "2024-01-01T00:00:00Z"
    mac: ENC[AES256_GCM,data:mac=,iv:iv=,tag:tag=,type:str]
    version: 3.8.1
`;

describe('FluxInstance spec.kustomize.patches on the sync objects', () => {
  const withPatches = (patches: string): string => FLUX_INSTANCE.replace('  sync:\n', `  kustomize:\n    patches:\n${patches}  sync:\n`);

  it('without a patch, the sync Kustomization applies encrypted Secrets without decryption', async () => {
    const { findings } = await lintRoots({ fleet: { 'bootstrap/flux-instance.yaml': FLUX_INSTANCE, 'clusters/prod/db.yaml': SOPS_SECRET } });
    expect(findings).toEqual(['fleet/clusters/prod/db.yaml:8:1-8:5 flux-decryption-required noDecryption']);
  });

  it('applies a JSON 6902 patch that adds decryption, and places findings about patched values on the patch', async () => {
    const files = {
      'bootstrap/flux-instance.yaml': withPatches(
        '      - target:\n          kind: Kustomization\n        patch: |\n          - op: add\n            path: /spec/decryption\n            value:\n              provider: sops\n              secretRef:\n                name: sops-age\n',
      ),
      'clusters/prod/db.yaml': SOPS_SECRET,
    };
    const { model } = await fluxModel({ fleet: files });
    expect(model.flux.kustomizations[0]?.resource.value.spec).toMatchObject({ decryption: { provider: 'sops', secretRef: { name: 'sops-age' } } });
    // The Secret is decrypted now. The sync Kustomization's age key is put in the cluster at
    // bootstrap, outside git: noted, not reported.
    const { findings, notes } = await lintRoots({ fleet: files });
    expect(findings).toEqual([]);
    expect(notes).toContain(
      'Secret sops-age in namespace flux-system (read by Kustomization flux-system/flux-system) was not checked: the decryption key of the Kustomization that syncs the cluster is created at bootstrap, outside git. Declare it in externalSecrets of .gitops-lint.yaml to check its keys.',
    );
  });

  it('applies a strategic merge patch targeted by name', async () => {
    const { model, notes } = await fluxModel({
      fleet: {
        'bootstrap/flux-instance.yaml': withPatches('      - target:\n          kind: Kustomization\n          name: flux-system\n        patch: |\n          spec:\n            postBuild:\n              substitute:\n                cluster: prod\n'),
      },
    });
    expect(model.flux.kustomizations[0]?.postBuild).toBe(true);
    expect(model.flux.kustomizations[0]?.resource.value.spec).toMatchObject({ postBuild: { substitute: { cluster: 'prod' } }, path: 'clusters/prod' });
    expect(notes).toEqual([]);
  });

  it('a patch it cannot apply leaves the sync Kustomization out, with a note, and keeps the source', async () => {
    const { findings, notes } = await lintRoots({
      fleet: {
        'bootstrap/flux-instance.yaml': withPatches('      - target:\n          labelSelector: sync=true\n        patch: |\n          - op: add\n            path: /spec/decryption\n            value: {provider: sops}\n'),
        'clusters/prod/db.yaml': SOPS_SECRET,
        'clusters/prod/apps.yaml': APPS,
        'apps/podinfo.yaml': CONFIG_MAP('podinfo', 'default'),
      },
    });
    expect(findings).toEqual([]);
    expect(notes).toEqual([
      'FluxInstance flux-system/flux: patch 0 selects objects by label or annotation, so its GitRepository flux-system/flux-system is checked as generated, without that patch.',
      'FluxInstance flux-system/flux: patch 0 selects objects by label or annotation, so the files its Kustomization flux-system/flux-system applies were not checked.',
    ]);
  });
});

describe('flux-instance HelmRelease', () => {
  it('creates the sync objects from instance.sync (kind GitRepository by default) in the release namespace', async () => {
    const { model } = await fluxModel({
      fleet: { 'infra/flux.yaml': `${FLUX_INSTANCE_RELEASE}---\n${HELM_REPOSITORY}`, 'clusters/prod/apps.yaml': APPS, 'apps/podinfo.yaml': CONFIG_MAP('podinfo') },
    });
    const synthetic = model.resources.filter((resource) => resource.synthetic !== undefined);
    expect(ids(synthetic)).toEqual(['fleet:infra/flux.yaml#GitRepository/flux-system/flux-system', 'fleet:infra/flux.yaml#Kustomization/flux-system/flux-system']);
    expect(synthetic[0]?.synthetic).toBe('HelmRelease flux-system/flux (flux-instance chart)');
    expect(model.flux.kustomizations.find((k) => k.resource.name === 'apps')?.files.map((file) => file.path)).toEqual(['apps/podinfo.yaml']);
  });

  it('follows a chartRef to the flux-instance OCI chart and targetNamespace; pins a missing path to values', async () => {
    const release = FLUX_INSTANCE_RELEASE.replace(
      'chart:\n    spec:\n      chart: flux-instance\n      version: "0.49.0"\n      sourceRef:\n        kind: HelmRepository\n        name: controlplane\n',
      'targetNamespace: flux\n  chartRef:\n    kind: OCIRepository\n    name: flux-instance\n',
    ).replace('path: clusters/prod', 'path: clusters/missing');
    const oci = yaml`
      apiVersion: source.toolkit.fluxcd.io/v1
      kind: OCIRepository
      metadata:
        name: flux-instance
        namespace: flux-system
      spec:
        interval: 12h
        url: oci://ghcr.io/controlplaneio-fluxcd/charts/flux-instance
        ref:
          semver: "0.x"
    `;
    const { findings, messages } = await lintRoots({ fleet: { 'infra/flux.yaml': `${release}---\n${oci}` } });
    expect(findings).toEqual(['fleet/infra/flux.yaml:19:15-19:31 flux-path-exists missing']);
    expect(messages[0]).toContain('Kustomization flux/flux');
  });

  it('a release without namespace, placed by the targetNamespace of a Kustomization that itself reads the sync source', async () => {
    // The home-ops layout: the chart's OCIRepository and the release have no namespace; the
    // Kustomization applying them sets targetNamespace and names the GitRepository the
    // release's FluxInstance creates.
    const release = FLUX_INSTANCE_RELEASE.replace('  namespace: flux-system\n', '').replace(
      'chart:\n    spec:\n      chart: flux-instance\n      version: "0.49.0"\n      sourceRef:\n        kind: HelmRepository\n        name: controlplane\n',
      'chartRef:\n    kind: OCIRepository\n    name: flux-instance\n',
    );
    const oci = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: flux-instance\nspec:\n  interval: 1h\n  url: oci://ghcr.io/controlplaneio-fluxcd/charts/flux-instance\n  ref:\n    tag: 0.58.1\n';
    const ks = (name: string, path: string, extra = ''): string =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 1h\n  prune: true\n  path: ${path}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n    namespace: flux-system\n${extra}`;
    const roots = {
      fleet: {
        'kubernetes/flux/cluster/ks.yaml': ks('cluster-apps', './kubernetes/apps'),
        'kubernetes/apps/flux-system/flux-instance/ks.yaml': ks('flux-instance', './kubernetes/apps/flux-system/flux-instance/app', '  targetNamespace: flux-system\n'),
        'kubernetes/apps/flux-system/flux-instance/app/kustomization.yaml': 'resources:\n  - helmrelease.yaml\n  - ocirepository.yaml\n',
        'kubernetes/apps/flux-system/flux-instance/app/helmrelease.yaml': release.replace('path: clusters/prod', 'path: kubernetes/flux/cluster'),
        'kubernetes/apps/flux-system/flux-instance/app/ocirepository.yaml': oci,
      },
    };
    const { model } = await fluxModel(roots);
    const synthetic = model.resources.filter((resource) => resource.synthetic !== undefined);
    expect(ids(synthetic)).toEqual([
      'fleet:kubernetes/apps/flux-system/flux-instance/app/helmrelease.yaml#GitRepository/flux-system/flux-system',
      'fleet:kubernetes/apps/flux-system/flux-instance/app/helmrelease.yaml#Kustomization/flux-system/flux-system',
    ]);
    expect(model.flux.kustomizations.map((k) => `${k.resource.name} ${k.link.status} ${k.files.length}`)).toEqual(['flux-system linked 1', 'cluster-apps linked 3', 'flux-instance linked 2']);
    expect(await lintRoots(roots)).toEqual({ findings: [], messages: [], notes: [] });
  });

  it('creates nothing when instance.sync.url is not set', async () => {
    const { model } = await fluxModel({
      fleet: { 'infra/flux.yaml': `${FLUX_INSTANCE_RELEASE.replace('      url: https://github.com/acme/fleet.git\n', '')}---\n${HELM_REPOSITORY}` },
    });
    expect(model.resources.filter((resource) => resource.synthetic !== undefined)).toEqual([]);
  });
});

describe('externalSources', () => {
  const CLUSTER = {
    '.gitops-lint.yaml': yaml`
      externalSources:
        - kind: GitRepository
          name: platform
          namespace: flux-system
          url: https://github.com/acme/platform.git
          branch: main
        - kind: OCIRepository
          name: charts
          namespace: flux-system
    `,
    'clusters/prod/flux-system/gotk-sync.yaml': yaml`
      apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata:
        name: flux-system
        namespace: flux-system
      spec:
        interval: 10m
        prune: true
        path: ./clusters/prod
        sourceRef:
          kind: GitRepository
          name: flux-system
    `,
    'clusters/prod/platform.yaml': yaml`
      apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata:
        name: platform
        namespace: flux-system
      spec:
        interval: 10m
        prune: true
        path: ./deploy/missing
        sourceRef:
          kind: GitRepository
          name: platform
      ---
      apiVersion: helm.toolkit.fluxcd.io/v2
      kind: HelmRelease
      metadata:
        name: podinfo
        namespace: flux-system
      spec:
        interval: 30m
        chartRef:
          kind: OCIRepository
          name: charts
    `,
  };

  it('resolves references to them and links a git URL to a linted root, so path checks run', async () => {
    const { findings, notes } = await lintRoots({
      fleet: { ...CLUSTER, '.gitops-lint.yaml': CLUSTER['.gitops-lint.yaml'] + '  - kind: GitRepository\n    name: flux-system\n    namespace: flux-system\n' },
      platform: { 'deploy/app.yaml': CONFIG_MAP('app', 'default') },
    });
    expect(findings).toEqual(['fleet/clusters/prod/platform.yaml:9:9-9:25 flux-path-exists missing']);
    expect(notes).toEqual([]);
  });

  it('links by URL and places the source on its config entry', async () => {
    const { model } = await fluxModel({ fleet: CLUSTER, platform: { 'deploy/app.yaml': CONFIG_MAP('app') } });
    const platform = model.flux.sources.find((source) => source.resource.name === 'platform');
    expect(platform?.resource.synthetic).toBe('externalSources in .gitops-lint.yaml');
    expect(platform?.resource.file.path).toBe('.gitops-lint.yaml');
    expect(platform?.link).toMatchObject({ status: 'linked', via: 'url' });
    expect(platform?.resource.value.spec).toEqual({ url: 'https://github.com/acme/platform.git', ref: { branch: 'main' } });
    expect(model.flux.sources.find((source) => source.resource.name === 'charts')?.link).toEqual({ status: 'external', kind: 'OCIRepository' });
  });

  it('without the entry, the missing source is reported', async () => {
    const { findings } = await lintRoots({
      fleet: { ...CLUSTER, '.gitops-lint.yaml': 'externalSources:\n  - kind: OCIRepository\n    name: charts\n    namespace: flux-system\n' },
    });
    expect(findings).toEqual([
      'fleet/clusters/prod/flux-system/gotk-sync.yaml:12:11-12:22 flux-source-ref missing',
      'fleet/clusters/prod/platform.yaml:12:11-12:19 flux-source-ref missing',
    ]);
  });
});

describe('externalSources in the config', () => {
  const file = path.join(VIRTUAL_BASE, 'fleet', '.gitops-lint.yaml');

  it('resolves entries with the file and index that declare them', async () => {
    const config = await resolveConfigText('externalSources:\n  - kind: Bucket\n    name: artifacts\n    namespace: flux-system\n', file, builtinRules);
    expect(config.externalSources).toEqual([{ kind: 'Bucket', name: 'artifacts', namespace: 'flux-system', declaredIn: { file, index: 0 } }]);
  });

  it('rejects an unknown kind and a missing namespace with the line', async () => {
    const kind = resolveConfigText('externalSources:\n  - kind: GitRepo\n    name: a\n    namespace: b\n', file, builtinRules);
    await expect(kind).rejects.toThrow(ConfigError);
    await expect(kind).rejects.toMatchObject({ line: 2, column: 11, message: 'Invalid value at externalSources.0.kind: expected one of GitRepository, OCIRepository, Bucket, HelmRepository, HelmChart.' });
    await expect(resolveConfigText('externalSources:\n  - kind: GitRepository\n    name: a\n', file, builtinRules)).rejects.toMatchObject({
      line: 2,
      message: 'Missing "namespace" in externalSources.0.',
    });
  });
});

describe('flux-instance HelmRelease values from valuesFrom', () => {
  // The home-ops layout: the release's values come from a ConfigMap that a configMapGenerator
  // builds from helm/values.yaml, its name rewritten by a nameReference configuration.
  const ks = (name: string, path: string, extra = ''): string =>
    `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 1h\n  prune: true\n  path: ${path}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n    namespace: flux-system\n${extra}`;
  const oci = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: flux-instance\nspec:\n  interval: 1h\n  url: oci://ghcr.io/controlplaneio-fluxcd/charts/flux-instance\n  ref:\n    tag: 0.58.1\n';
  const release = (extra = ''): string =>
    `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: flux-instance\nspec:\n  interval: 1h\n  chartRef:\n    kind: OCIRepository\n    name: flux-instance\n  valuesFrom:\n    - kind: ConfigMap\n      name: flux-instance-values\n${extra}`;
  const values = (syncPath: string): string =>
    `instance:\n  distribution:\n    version: 2.x\n  sync:\n    kind: GitRepository\n    url: https://github.com/acme/fleet\n    ref: refs/heads/main\n    path: ${syncPath}\n    interval: 1h\n`;
  const APP = 'kubernetes/apps/flux-system/flux-instance/app';
  const fleet = (files: Record<string, string>): Record<string, Record<string, string>> => ({
    fleet: {
      'kubernetes/flux/cluster/ks.yaml': ks('cluster-apps', './kubernetes/apps'),
      'kubernetes/apps/flux-system/flux-instance/ks.yaml': ks('flux-instance', `./${APP}`, '  targetNamespace: flux-system\n'),
      [`${APP}/kustomization.yaml`]:
        'resources:\n  - helmrelease.yaml\n  - ocirepository.yaml\nconfigMapGenerator:\n  - name: flux-instance-values\n    files:\n      - values.yaml=./helm/values.yaml\nconfigurations:\n  - ./helm/kustomizeconfig.yaml\n',
      [`${APP}/helm/kustomizeconfig.yaml`]: 'nameReference:\n  - kind: ConfigMap\n    version: v1\n    fieldSpecs:\n      - path: spec/valuesFrom/name\n        kind: HelmRelease\n',
      [`${APP}/helm/values.yaml`]: values('kubernetes/flux/cluster'),
      [`${APP}/helmrelease.yaml`]: release(),
      [`${APP}/ocirepository.yaml`]: oci,
      ...files,
    },
  });

  it('reads instance.sync from a generated ConfigMap: the sync objects exist, placed on the values file, and Kustomizations naming flux-system resolve', async () => {
    const roots = fleet({});
    const { model } = await fluxModel(roots);
    const synthetic = model.resources.filter((resource) => resource.synthetic !== undefined && resource.synthetic !== 'generated by kustomize');
    expect(ids(synthetic)).toEqual([`fleet:${APP}/helmrelease.yaml#GitRepository/flux-system/flux-system`, `fleet:${APP}/helmrelease.yaml#Kustomization/flux-system/flux-system`]);
    expect(synthetic[0]?.value.spec).toEqual({ interval: '1h', url: 'https://github.com/acme/fleet', ref: { name: 'refs/heads/main' } });
    expect(synthetic[1]?.applied?.locate(['spec', 'path'])).toMatchObject({ file: { path: `${APP}/helm/values.yaml` }, path: ['instance', 'sync', 'path'] });
    expect(model.flux.kustomizations.map((k) => `${k.resource.name} ${k.link.status} ${k.files.length}`)).toEqual(['flux-system linked 1', 'cluster-apps linked 3', 'flux-instance linked 2']);
    // The sync Kustomization is the entry point: the repository no longer needs an assumed one.
    const result = await lint({ roots: [{ dir: path.join(VIRTUAL_BASE, 'fleet'), name: 'fleet', files: roots.fleet!, config: defaultConfig(fluxRules) }], rules: fluxRules, cwd: VIRTUAL_BASE });
    expect(result.findings).toEqual([]);
    expect(result.notes.map((note) => note.message)).toEqual([]);
  });

  it('pins a missing sync path to its line in the values file', async () => {
    const { findings, messages } = await lintRoots(fleet({ [`${APP}/helm/values.yaml`]: values('kubernetes/flux/missing') }));
    expect(findings).toEqual([`fleet/${APP}/helm/values.yaml:8:11-8:34 flux-path-exists missing`]);
    expect(messages[0]).toContain('Kustomization flux-system/flux-system');
  });

  it('lets spec.values override valuesFrom, and pins the overriding value to the release', async () => {
    const { model } = await fluxModel(fleet({ [`${APP}/helmrelease.yaml`]: release('  values:\n    instance:\n      sync:\n        path: kubernetes/flux/other\n') }));
    const sync = model.resources.find((resource) => resource.synthetic !== undefined && resource.kind === 'Kustomization');
    expect(sync?.value.spec).toMatchObject({ path: 'kubernetes/flux/other', sourceRef: { kind: 'GitRepository', name: 'flux-system' } });
    // The other sync values still come from the file.
    const source = model.resources.find((resource) => resource.synthetic !== undefined && resource.kind === 'GitRepository');
    expect(source?.value.spec).toMatchObject({ url: 'https://github.com/acme/fleet' });
    const { findings } = await lintRoots(fleet({ [`${APP}/helmrelease.yaml`]: release('  values:\n    instance:\n      sync:\n        path: kubernetes/flux/other\n') }));
    expect(findings[0]).toBe(`fleet/${APP}/helmrelease.yaml:16:15-16:36 flux-path-exists missing`);
  });

  it('sets a targetPath value over spec.values, as helm-controller does', async () => {
    const { findings, messages } = await lintRoots(
      fleet({
        [`${APP}/helmrelease.yaml`]: release('    - kind: ConfigMap\n      name: flux-instance-values\n      valuesKey: path\n      targetPath: instance.sync.path\n'),
        [`${APP}/kustomization.yaml`]:
          'resources:\n  - helmrelease.yaml\n  - ocirepository.yaml\nconfigMapGenerator:\n  - name: flux-instance-values\n    files:\n      - values.yaml=./helm/values.yaml\n    literals:\n      - path=kubernetes/flux/elsewhere\nconfigurations:\n  - ./helm/kustomizeconfig.yaml\n',
      }),
    );
    // The literal replaced the file's path: the missing folder is reported on the literal.
    expect(findings[0]).toBe(`fleet/${APP}/kustomization.yaml:9:9-9:39 flux-path-exists missing`);
    expect(messages[0]).toContain('kubernetes/flux/elsewhere');
  });

  it('says so and creates nothing when the values come from a Secret, and reports no missing source', async () => {
    const { model } = await fluxModel(fleet({ [`${APP}/helmrelease.yaml`]: release('    - kind: Secret\n      name: flux-instance-secret-values\n') }));
    expect(model.resources.filter((resource) => resource.synthetic !== undefined && resource.synthetic !== 'generated by kustomize')).toEqual([]);
    const { findings, notes } = await lintRoots(fleet({ [`${APP}/helmrelease.yaml`]: release('    - kind: Secret\n      name: flux-instance-secret-values\n') }));
    expect(findings).toEqual([]);
    expect(notes).toContain(
      // Nothing applies the release with its targetNamespace (its Kustomization names the unknown source): the assumed build has no namespace.
      'HelmRelease flux-instance (flux-instance chart): values from valuesFrom[1] Secret flux-instance-secret-values (Secret values are not known) cannot be read, so its instance.sync is not known: the sync source and Kustomization it creates were not modeled.',
    );
    expect(notes.some((note) => note.includes('creates a sync source and Kustomization from values that are not known'))).toBe(true);
  });
});
