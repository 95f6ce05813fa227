/**
 * What a source's artifact contains (issue 8, part 4): `spec.include` brings another
 * GitRepository's files in at `toPath`; `spec.ignore` and `.sourceignore` leave files out, and
 * files left out are not applied.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { lint } from '../../src/engine/lint.js';
import { VIRTUAL_BASE, yaml } from '../../src/testing/index.js';
import { CONFIG_MAP, GIT_REPOSITORY, KUSTOMIZATION, fluxModel } from './helpers.js';
import { fluxRules } from './rules.js';

async function lintRoots(roots: Record<string, Record<string, string>>) {
  const result = await lint({
    roots: Object.entries(roots).map(([name, files]) => ({ dir: path.join(VIRTUAL_BASE, name), name, files, config: defaultConfig(fluxRules) })),
    rules: fluxRules,
    cwd: VIRTUAL_BASE,
  });
  expect(result.errors).toEqual([]);
  return {
    findings: result.findings.map(
      (f) => `${path.basename(f.location.root)}/${f.location.file}:${f.location.startLine}:${f.location.startColumn}-${f.location.endLine}:${f.location.endColumn} ${f.ruleId} ${f.messageId}`,
    ),
    // The entry-point note is pinned in test/applied; these cases are about sources.
    notes: result.notes.map((note) => note.message).filter((message) => !message.includes('no Flux entry point in git')),
  };
}

const INCLUDE = (entry: string): string => `  include:\n${entry}`;

describe('spec.include', () => {
  const sources = (entry: string): string =>
    [
      GIT_REPOSITORY('fleet', 'flux-system', 'https://github.com/acme/fleet', INCLUDE(entry)),
      GIT_REPOSITORY('platform', 'flux-system', 'https://github.com/acme/platform'),
    ].join('---\n');

  it('a path inside toPath resolves into the included repository from fromPath', async () => {
    const { model } = await fluxModel({
      fleet: {
        'clusters/prod/sources.yaml': sources('    - repository:\n        name: platform\n      fromPath: deploy\n      toPath: vendor/platform\n'),
        'clusters/prod/apps.yaml': KUSTOMIZATION('apps', 'flux-system', 'fleet', './vendor/platform/apps') + '---\n' + KUSTOMIZATION('own', 'flux-system', 'fleet', './clusters/prod'),
      },
      platform: { 'deploy/apps/app.yaml': CONFIG_MAP('app', 'default'), 'deploy/apps/kustomization.yaml': 'resources:\n  - app.yaml\n' },
    });
    const apps = model.flux.kustomizations.find((k) => k.resource.name === 'apps');
    expect(apps?.link).toMatchObject({ status: 'linked', root: { name: 'platform' } });
    expect(apps?.includedFrom?.resource.name).toBe('platform');
    expect(apps?.path).toEqual({ written: './vendor/platform/apps', dir: 'deploy/apps', status: 'directory' });
    expect(apps?.files.map((file) => `${file.root.name}:${file.path}`)).toEqual(['platform:deploy/apps/app.yaml']);
    // Paths outside the include stay in the including repository.
    const own = model.flux.kustomizations.find((k) => k.resource.name === 'own');
    expect(own?.link).toMatchObject({ status: 'linked', root: { name: 'fleet' } });
  });

  it('toPath defaults to the included GitRepository name and fromPath to its root; a missing path is reported on spec.path', async () => {
    const { findings, notes } = await lintRoots({
      fleet: {
        'clusters/prod/sources.yaml': sources('    - repository:\n        name: platform\n'),
        'clusters/prod/apps.yaml': KUSTOMIZATION('apps', 'flux-system', 'fleet', './platform/deploy/apps') + '---\n' + KUSTOMIZATION('infra', 'flux-system', 'fleet', './platform/deploy/infra'),
      },
      platform: { 'deploy/apps/app.yaml': CONFIG_MAP('app', 'default') },
    });
    expect(findings).toEqual(['fleet/clusters/prod/apps.yaml:22:9-22:32 flux-path-exists missing']);
    expect(notes).toEqual([]);
  });

  it('skips paths inside the include with a note when the included repository is not linted', async () => {
    const { findings, notes } = await lintRoots({
      fleet: {
        'clusters/prod/sources.yaml': sources('    - repository:\n        name: platform\n      toPath: vendor/platform\n'),
        'clusters/prod/apps.yaml': KUSTOMIZATION('apps', 'flux-system', 'fleet', './vendor/platform/apps'),
      },
    });
    expect(findings).toEqual([]);
    expect(notes).toEqual([
      'GitRepository flux-system/fleet: the paths under vendor/platform of its artifact hold the files of GitRepository platform (spec.include), and its repository platform is not among the linted roots, so the paths and objects its Kustomizations and Terraforms use were not checked. Lint that repository together with this one, or map it with `repos:` in .gitops-lint.yaml.',
    ]);
  });
});

const ENCRYPTED_SECRET = yaml`
  apiVersion: v1
  kind: Secret
  metadata:
    name: db
    namespace: default
  stringData:
    password: ENC[AES256_GCM,data:abc=,iv:def=,tag:ghi=,type:str]
  sops:
    age:
      - recipient: age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq
        enc: |
          -----BEGIN AGE ENCRYPTED FILE-----
          -----END AGE ENCRYPTED FILE-----
    lastmodified: "2024-01-01T00:00:00Z"
    mac: ENC[AES256_GCM,data:mac=,iv:iv=,tag:tag=,type:str]
    version: 3.8.1
`;

const FLUX_SYSTEM = (ignore?: string): string =>
  GIT_REPOSITORY('flux-system', 'flux-system', 'ssh://git@github.com/acme/fleet', ignore === undefined ? '' : `  ignore: |\n${ignore.replace(/^/gm, '    ')}\n`) +
  '---\n' +
  KUSTOMIZATION('flux-system', 'flux-system', 'flux-system', './clusters/prod');

describe('files a source leaves out of its artifact are not applied', () => {
  it('a Kustomization whose only manifests a .sourceignore excludes applies nothing', async () => {
    const files = {
      'clusters/prod/flux-system.yaml': FLUX_SYSTEM(),
      'clusters/prod/drafts.yaml': KUSTOMIZATION('drafts', 'flux-system', 'flux-system', './drafts'),
      'drafts/README.md': '',
      'drafts/db-secret.yaml': ENCRYPTED_SECRET,
    };
    // Without the ignore file the encrypted Secret is applied without decryption.
    expect((await lintRoots({ fleet: files })).findings).toEqual(['fleet/drafts/db-secret.yaml:8:1-8:5 flux-decryption-required noDecryption']);

    const ignored = { ...files, 'drafts/.sourceignore': '*.yaml\n' };
    expect(await lintRoots({ fleet: ignored })).toEqual({ findings: [], notes: [] });
    const { model } = await fluxModel({ fleet: ignored });
    const drafts = model.flux.kustomizations.find((k) => k.resource.name === 'drafts');
    expect(drafts?.known).toBe(true);
    expect(drafts?.files).toEqual([]);
    // What the artifact leaves out is no applied object.
    expect(model.find({ kind: 'Secret', name: 'db' })).toEqual([]);
    expect(model.appliedStatus(model.fileAt(model.roots[0]!, 'drafts/db-secret.yaml')!)).toBe('not-applied');
  });

  it('an archive/ folder that spec.ignore excludes under a generated path is not applied', async () => {
    const files = {
      'clusters/prod/flux-system.yaml': FLUX_SYSTEM('archive/'),
      'clusters/prod/app.yaml': CONFIG_MAP('app', 'default'),
      'clusters/prod/archive/app.yaml': CONFIG_MAP('app', 'default'),
      'clusters/prod/archive/values.yaml': 'replicaCount: 2\n',
    };
    expect(await lintRoots({ fleet: files })).toEqual({ findings: [], notes: [] });
    const { model } = await fluxModel({ fleet: files });
    expect(model.flux.kustomizations[0]?.files.map((file) => file.path)).toEqual(['clusters/prod/app.yaml', 'clusters/prod/flux-system.yaml']);

    // Without the ignore, the archived copy is applied too: a duplicate and a file that is no object.
    const unignored = await lintRoots({ fleet: { ...files, 'clusters/prod/flux-system.yaml': FLUX_SYSTEM() } });
    expect(unignored.findings).toEqual([
      'fleet/clusters/prod/archive/app.yaml:4:9-4:12 duplicate-resource duplicateInGeneratedBuild',
      'fleet/clusters/prod/flux-system.yaml:18:9-18:24 flux-path-exists notKubernetes',
    ]);
  });

  it('an archive/ folder that a .sourceignore excludes is not applied', async () => {
    const files = {
      '.sourceignore': 'clusters/prod/archive/\n',
      'clusters/prod/flux-system.yaml': FLUX_SYSTEM(),
      'clusters/prod/app.yaml': CONFIG_MAP('app', 'default'),
      'clusters/prod/archive/app.yaml': CONFIG_MAP('app', 'default'),
      'clusters/prod/archive/values.yaml': 'replicaCount: 2\n',
    };
    expect(await lintRoots({ fleet: files })).toEqual({ findings: [], notes: [] });
    const { model } = await fluxModel({ fleet: files });
    expect(model.find({ kind: 'ConfigMap', name: 'app' }).map((resource) => resource.file.path)).toEqual(['clusters/prod/app.yaml']);
    expect(model.appliedStatus(model.fileAt(model.roots[0]!, 'clusters/prod/archive/app.yaml')!)).toBe('not-applied');
  });
});
