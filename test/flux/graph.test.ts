import { describe, expect, it } from 'vitest';
import { repoNameOfUrl } from '../../src/flux/repos.js';
import { yaml } from '../../src/testing/index.js';
import { CONFIG_MAP, GIT_REPOSITORY, KUSTOMIZATION, fluxModel, ids } from './helpers.js';

describe('repoNameOfUrl', () => {
  it('takes the last path segment without .git', () => {
    expect(repoNameOfUrl('ssh://git@github.com/matta-kelly/lotus-lake.git')).toBe('lotus-lake');
    expect(repoNameOfUrl('https://github.com/matta-kelly/h-kube/')).toBe('h-kube');
    expect(repoNameOfUrl('https://gitlab.example.com/group/sub/app.git?ref=main')).toBe('app');
    expect(repoNameOfUrl('ssh://git@host:22/app')).toBe('app');
    expect(repoNameOfUrl('https://')).toBeUndefined();
  });
});

describe('GitRepository → root', () => {
  it('links by URL, by config name, by namespace/name, and the bootstrap repository to its own root', async () => {
    const { model } = await fluxModel({
      'h-kube': {
        '.gitops-lint.yaml': 'repos:\n  apps/renamed: ../app-checkout\n  tools: ../lotus-lake\n',
        'sources.yaml': [
          GIT_REPOSITORY('lotus-lake', 'lotus-lake', 'https://github.com/matta-kelly/lotus-lake.git'),
          GIT_REPOSITORY('renamed', 'apps', 'https://github.com/matta-kelly/something-else'),
          GIT_REPOSITORY('tools', 'tools', 'https://github.com/matta-kelly/tools'),
          GIT_REPOSITORY('flux-system', 'flux-system', 'ssh://git@github.com/matta-kelly/cluster-config'),
          GIT_REPOSITORY('elsewhere', 'flux-system', 'https://github.com/acme/elsewhere'),
        ].join('---\n'),
      },
      'lotus-lake': { 'deploy/app.yaml': CONFIG_MAP('app') },
      'app-checkout': { 'deploy/app.yaml': CONFIG_MAP('app') },
    });
    const links = model.flux.sources.map((source) => {
      const { link } = source;
      return [source.resource.name, link.status, link.status === 'linked' ? `${link.root.name} via ${link.via}` : link.status === 'unlinked' ? link.reason : ''];
    });
    expect(links).toEqual([
      ['lotus-lake', 'linked', 'lotus-lake via url'],
      ['renamed', 'linked', 'app-checkout via config'],
      ['tools', 'linked', 'lotus-lake via config'],
      ['flux-system', 'linked', 'h-kube via bootstrap'],
      ['elsewhere', 'unlinked', 'its repository elsewhere is not among the linted roots'],
    ]);
  });

  it('says which configured path is missing', async () => {
    const { model } = await fluxModel({
      'h-kube': { '.gitops-lint.yaml': 'repos:\n  lotus-lake: ../lotus-lake\n', 'source.yaml': GIT_REPOSITORY('lotus-lake', 'lotus-lake', 'https://github.com/matta-kelly/lotus-lake') },
    });
    expect(model.flux.sources[0]?.link).toEqual({ status: 'unlinked', reason: '`repos:` maps it to /virtual/lotus-lake, which is not among the linted roots' });
  });
});

describe('objects a Kustomization applies', () => {
  it('follows kustomization.yaml when the path has one', async () => {
    const { model } = await fluxModel({
      'h-kube': { 'apps.yaml': GIT_REPOSITORY('lotus-lake', 'flux-system', 'https://github.com/matta-kelly/lotus-lake') + '---\n' + KUSTOMIZATION('apps', 'flux-system', 'lotus-lake', './deploy') },
      'lotus-lake': {
        'deploy/kustomization.yaml': 'resources:\n  - dagster/\n  - cube.yaml\n',
        'deploy/cube.yaml': CONFIG_MAP('cube'),
        'deploy/unlisted.yaml': CONFIG_MAP('unlisted'),
        'deploy/dagster/kustomization.yaml': 'resources:\n  - release.yaml\n',
        'deploy/dagster/release.yaml': CONFIG_MAP('release'),
      },
    });
    const [apps] = model.flux.kustomizations;
    expect(apps?.known).toBe(true);
    expect(apps?.kustomization?.dir).toBe('deploy');
    expect(apps?.files.map((file) => file.path)).toEqual(['deploy/dagster/release.yaml', 'deploy/cube.yaml']);
    expect(apps?.scanned).toEqual([]);
    const release = model.find({ kind: 'ConfigMap', name: 'release' })[0]!;
    expect(model.flux.appliedBy(release).map((k) => k.resource.name)).toEqual(['apps']);
    // A file the build does not list reaches no cluster: it is no applied object.
    expect(model.find({ kind: 'ConfigMap', name: 'unlisted' })).toEqual([]);
    const unlisted = model.fileAt(model.roots.find((root) => root.name === 'lotus-lake')!, 'deploy/unlisted.yaml')!;
    expect(model.appliedStatus(unlisted)).toBe('not-applied');
    expect(model.unapplied('ConfigMap', 'unlisted').map((resource) => resource.file.path)).toEqual(['deploy/unlisted.yaml']);
  });

  it('lists every YAML file below a path without kustomization.yaml, as Flux generates it', async () => {
    const { model } = await fluxModel({
      repo: {
        'clusters/flux-system.yaml': GIT_REPOSITORY('flux-system', 'flux-system', 'ssh://git@github.com/acme/repo') + '---\n' + KUSTOMIZATION('flux-system', 'flux-system', 'flux-system', './apps'),
        'apps/a.yaml': CONFIG_MAP('a'),
        'apps/nested/b.yml': CONFIG_MAP('b'),
        'apps/nested/c.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}',
        'apps/.sops.yaml': 'creation_rules: []\n',
        'apps/.github/workflows/ci.yaml': 'on: push\n',
        'apps/kustomized/kustomization.yaml': 'resources:\n  - listed.yaml\n',
        'apps/kustomized/listed.yaml': CONFIG_MAP('listed'),
        'apps/kustomized/unlisted.yaml': CONFIG_MAP('unlisted'),
      },
    });
    const [kustomization] = model.flux.kustomizations;
    expect(kustomization?.kustomization).toBeUndefined();
    expect(kustomization?.files.map((file) => file.path)).toEqual(['apps/a.yaml', 'apps/kustomized/listed.yaml', 'apps/nested/b.yml']);
    expect(kustomization?.scanned.map((file) => file.path)).toEqual(['apps/a.yaml', 'apps/nested/b.yml']);
  });

  it('drops the default exclusions once spec.ignore sets patterns', async () => {
    const { model } = await fluxModel({
      repo: {
        'clusters/flux-system.yaml':
          GIT_REPOSITORY('flux-system', 'flux-system', 'ssh://git@github.com/acme/repo', '  ignore: |\n    # keep the default spirit, but not .sops.yaml\n    /apps/skip/\n') +
          '---\n' +
          KUSTOMIZATION('flux-system', 'flux-system', 'flux-system', './apps'),
        'apps/a.yaml': CONFIG_MAP('a'),
        'apps/.sops.yaml': 'creation_rules: []\n',
        'apps/skip/b.yaml': CONFIG_MAP('b'),
      },
    });
    expect(model.flux.kustomizations[0]?.files.map((file) => file.path)).toEqual(['apps/.sops.yaml', 'apps/a.yaml']);
  });

  it('reads .sourceignore files from the workspace (here in memory), not from disk', async () => {
    const { model } = await fluxModel({
      repo: {
        'clusters/flux-system.yaml': GIT_REPOSITORY('flux-system', 'flux-system', 'ssh://git@github.com/acme/repo') + '---\n' + KUSTOMIZATION('flux-system', 'flux-system', 'flux-system', './apps'),
        '.sourceignore': '# drafts are not deployed\napps/drafts/\n',
        'apps/.sourceignore': 'local-*.yaml\n',
        'apps/a.yaml': CONFIG_MAP('a'),
        'apps/local-test.yaml': CONFIG_MAP('local'),
        'apps/drafts/b.yaml': CONFIG_MAP('b'),
        'apps/.sops.yaml': 'creation_rules: []\n',
      },
    });
    const sourceIgnore = model.fileAt(model.roots[0]!, '.sourceignore');
    expect([sourceIgnore?.format, sourceIgnore?.text, sourceIgnore?.documents]).toEqual(['other', '# drafts are not deployed\napps/drafts/\n', []]);
    // User patterns replace the default exclusions, so .sops.yaml is applied.
    expect(model.flux.kustomizations[0]?.files.map((file) => file.path)).toEqual(['apps/.sops.yaml', 'apps/a.yaml']);
  });

  it('knows nothing about a repository that is not linted, and says so once', async () => {
    const { model } = await fluxModel({
      'h-kube': { 'apps.yaml': GIT_REPOSITORY('lotus-lake', 'flux-system', 'https://github.com/matta-kelly/lotus-lake') + '---\n' + KUSTOMIZATION('apps', 'flux-system', 'lotus-lake', './deploy') },
    });
    const [apps] = model.flux.kustomizations;
    expect(apps?.known).toBe(false);
    expect(apps?.path).toEqual({ written: './deploy', dir: 'deploy', status: undefined });
    expect(model.flux.linkNote(apps!)).toBe(
      'GitRepository flux-system/lotus-lake: its repository lotus-lake is not among the linted roots, so the paths and objects its Kustomizations and Terraforms use were not checked. Lint that repository together with this one, or map it with `repos:` in .gitops-lint.yaml.',
    );
  });

  it('classifies paths: missing, a file, outside the root', async () => {
    const { model } = await fluxModel({
      repo: {
        'flux.yaml': [
          GIT_REPOSITORY('flux-system', 'flux-system', 'ssh://git@github.com/acme/repo'),
          KUSTOMIZATION('missing', 'flux-system', 'flux-system', './nowhere'),
          KUSTOMIZATION('file', 'flux-system', 'flux-system', './flux.yaml'),
          KUSTOMIZATION('outside', 'flux-system', 'flux-system', '../other'),
          KUSTOMIZATION('absolute', 'flux-system', 'flux-system', '/'),
        ].join('---\n'),
      },
    });
    expect(model.flux.kustomizations.map((k) => [k.resource.name, k.path.dir, k.path.status])).toEqual([
      ['missing', 'nowhere', 'missing'],
      ['file', 'flux.yaml', 'file'],
      ['outside', undefined, 'outside'],
      ['absolute', '', 'directory'],
    ]);
  });

  it('finds the Terraform module folder in the other repository', async () => {
    const terraform = (name: string, pathValue: string) =>
      `apiVersion: infra.contrib.fluxcd.io/v1alpha2\nkind: Terraform\nmetadata:\n  name: ${name}\n  namespace: lotus-lake\nspec:\n  interval: 10m\n  path: ${pathValue}\n  sourceRef:\n    kind: GitRepository\n    name: lotus-lake\n`;
    const { model } = await fluxModel({
      'h-kube': { 'tf.yaml': [GIT_REPOSITORY('lotus-lake', 'lotus-lake', 'https://github.com/matta-kelly/lotus-lake'), terraform('module', './orchestration/terraform'), terraform('empty', './orchestration')].join('---\n') },
      'lotus-lake': { 'orchestration/terraform/main.tf': '', 'orchestration/README.md': '' },
    });
    expect(model.flux.terraforms.map((t) => [t.resource.name, t.link.status, t.path.status, t.hasTerraformFiles])).toEqual([
      ['module', 'linked', 'directory', true],
      ['empty', 'linked', 'directory', false],
    ]);
  });
});

describe('applied namespaces', () => {
  const cluster = {
    'namespaces/lotus-lake.yaml':
      GIT_REPOSITORY('lotus-lake', 'lotus-lake', 'https://github.com/matta-kelly/lotus-lake') +
      '---\n' +
      KUSTOMIZATION('lotus-lake-deploy', 'lotus-lake', 'lotus-lake', './deploy', '  targetNamespace: lotus-lake\n'),
  };
  const app = {
    'deploy/kustomization.yaml': 'namespace: inner\nresources:\n  - objects.yaml\n',
    'deploy/objects.yaml': yaml`
      apiVersion: v1
      kind: Namespace
      metadata:
        name: inner
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata:
        name: reader
      ---
      apiVersion: helm.toolkit.fluxcd.io/v2
      kind: HelmRelease
      metadata:
        name: dagster
        namespace: written
      spec:
        interval: 30m
        chart:
          spec:
            chart: dagster
            sourceRef:
              kind: HelmRepository
              name: dagster
              namespace: flux-system
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: worker
      spec:
        template:
          spec:
            containers:
              - name: worker
                image: ghcr.io/matta-kelly/lotus-lake:a8e5a37
    `,
  };

  it('moves namespaced objects, renames Namespace objects, leaves cluster-scoped ones and spec namespaces alone', async () => {
    const { model } = await fluxModel({ 'h-kube': cluster, 'lotus-lake': app });
    expect(ids(model.resources.filter((resource) => resource.file.root.name === 'lotus-lake'))).toEqual([
      'lotus-lake:deploy/objects.yaml#Namespace/-/lotus-lake',
      'lotus-lake:deploy/objects.yaml#ClusterRole/-/reader',
      'lotus-lake:deploy/objects.yaml#HelmRelease/lotus-lake/dagster',
      'lotus-lake:deploy/objects.yaml#Deployment/lotus-lake/worker',
    ]);
    const release = model.flux.helmReleases[0]!;
    expect(release.resource.namespace).toBe('written');
    expect(release.chartSourceRef?.resolvedNamespace).toBe('flux-system');
    // Containers are read after the pass, so they run in the applied namespace.
    expect(model.containers.map((container) => [container.resource.name, container.namespace])).toEqual([['worker', 'lotus-lake']]);
  });

  it('keeps kustomize namespaces when the app repo is linted alone', async () => {
    const { model } = await fluxModel({ 'lotus-lake': app });
    expect(ids(model.resources).map((id) => id.split('#')[1])).toEqual(['Namespace/-/inner', 'ClusterRole/-/reader', 'HelmRelease/inner/dagster', 'Deployment/inner/worker']);
  });

  it('resolves the sourceRef of a Kustomization moved by another one in its new namespace', async () => {
    const { model } = await fluxModel({
      repo: {
        'clusters/flux-system.yaml':
          GIT_REPOSITORY('flux-system', 'flux-system', 'ssh://git@github.com/acme/repo') +
          '---\n' +
          KUSTOMIZATION('tenants', 'flux-system', 'flux-system', './tenants', '  targetNamespace: team\n'),
        'tenants/source.yaml': GIT_REPOSITORY('app', 'somewhere', 'ssh://git@github.com/acme/repo'),
        'tenants/app.yaml': KUSTOMIZATION('app', 'somewhere', 'app', './app'),
        'app/config.yaml': CONFIG_MAP('config', 'written'),
      },
    });
    const app = model.flux.kustomizations.find((k) => k.resource.name === 'app')!;
    expect(app.resource.appliedNamespace).toBe('team');
    expect(app.sourceRef?.resolvedNamespace).toBe('team');
    expect(app.source?.resource.appliedNamespace).toBe('team');
    expect(ids(app.resources)).toEqual(['repo:app/config.yaml#ConfigMap/written/config']);
    expect(model.flux.resolve('GitRepository', 'app', 'somewhere')).toEqual([]);
  });
});

describe('what the linted roots cannot tell', () => {
  it('has a note for an app repo that no linted Kustomization applies', async () => {
    const { model } = await fluxModel({ 'lotus-lake': { 'deploy/app.yaml': CONFIG_MAP('app') } });
    const resource = model.resources[0]!;
    expect(model.flux.gap(resource, 'lotus-lake')).toBe(
      'References from lotus-lake to objects that are not in it were not checked: no linted Flux Kustomization applies its files. Lint it together with the repository that deploys it.',
    );
  });

  it('treats the target namespace of a Kustomization from an unlinked repo as incomplete, and only that one', async () => {
    const { model } = await fluxModel({
      'h-kube': {
        'namespaces/lotus-lake.yaml':
          GIT_REPOSITORY('lotus-lake', 'lotus-lake', 'https://github.com/matta-kelly/lotus-lake') +
          '---\n' +
          KUSTOMIZATION('lotus-lake-deploy', 'lotus-lake', 'lotus-lake', './deploy', '  targetNamespace: lotus-lake\n'),
      },
    });
    const kustomization = model.resources.find((resource) => resource.kind === 'Kustomization')!;
    expect(model.flux.gap(kustomization, 'lotus-lake')).toMatch(/^References to objects in lotus-lake were only checked against the linted roots/);
    expect(model.flux.gap(kustomization, 'flux-system')).toBeUndefined();
  });

  it('looks Secrets up with their namespace, an unknown namespace matching any', async () => {
    const { model } = await fluxModel({
      repo: {
        'flux.yaml': KUSTOMIZATION('apps', 'flux-system', 'flux-system', './'),
        'secrets.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: a\nstringData:\n  k: v\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  other: v\n',
        'tf.yaml':
          'apiVersion: infra.contrib.fluxcd.io/v1alpha2\nkind: Terraform\nmetadata:\n  name: tf\n  namespace: b\nspec:\n  interval: 1m\n  writeOutputsToSecret:\n    name: s\n    outputs:\n      - endpoint\n      - token:api_token\n',
      },
    });
    const lookup = (namespace: string | undefined) => {
      const found = model.flux.data('Secret', 's', namespace);
      return [found.matches.map((data) => `${data.origin}:${data.namespace ?? '-'}:${[...data.keys].join(',')}`), found.elsewhere.length];
    };
    expect(lookup('a')).toEqual([['manifest:a:k', 'manifest:-:other'], 1]);
    expect(lookup('b')).toEqual([['manifest:-:other', 'controller:b:endpoint,api_token'], 1]);
    expect(lookup(undefined)).toEqual([['manifest:a:k', 'manifest:-:other', 'controller:b:endpoint,api_token'], 0]);
  });
});
