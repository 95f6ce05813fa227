/** The build as a whole: resources, Components, Flux's generated root and overrides, and what kustomize rejects. */
import { describe, expect, it } from 'vitest';
import { buildKustomization } from '../../src/kustomize/build.js';
import { hostFromFiles } from '../../src/kustomize/host.js';
import { defaultConfig } from '../../src/config/load.js';
import { loadMemoryRoot } from '../../src/workspace/load.js';
import { buildMemory, lineOf, memoryFiles, objectIndex, problemsOf } from './helpers.js';

/** A file the loader lists without reading it (too large, binary): tracked but given no content. */
function loadedWithoutText(path: string) {
  return loadMemoryRoot({ dir: '/virtual/repo', files: {}, tracked: [path] }, defaultConfig([]), []).files;
}

const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

function names(result: ReturnType<typeof buildMemory>): string[] {
  return result.objects.map((object) => {
    const metadata = object.value.metadata as { name: string; namespace?: string };
    return `${String(object.value.kind)}/${metadata.namespace ?? '-'}/${metadata.name}`;
  });
}

describe('resources', () => {
  it('expands Lists, skips empty documents, and locates list items to their place', () => {
    const result = buildMemory({
      'kustomization.yaml': 'resources: [list.yaml]\n',
      'list.yaml': `---\n{}\n---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: b\n`,
    });
    expect(names(result)).toEqual(['ConfigMap/-/a', 'ConfigMap/-/b']);
    expect(lineOf(result, 1, ['metadata', 'name'])).toBe('list.yaml:14:13');
    expect(result.objects[1]!.written).toEqual({ file: result.resourceFiles[0], docIndex: 1 });
  });

  it('reports what kustomize rejects at the entry causing it, and builds the rest', () => {
    const result = buildMemory({
      'kustomization.yaml': `resources:
  - missing.yaml
  - https://github.com/acme/shared//deploy?ref=v1
  - ../../outside.yaml
  - nokust
  - a.yaml
  - again
  - component
components:
  - plain
`,
      'a.yaml': cm('a'),
      'again/kustomization.yaml': 'resources: [../a.yaml]\nunknownField: 1\n',
      'nokust/readme.yaml': cm('x'),
      'component/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
      'plain/kustomization.yaml': 'resources: []\n',
    });
    expect(problemsOf(result)).toEqual([
      'missing-file @ kustomization.yaml:resources.0',
      'remote @ kustomization.yaml:resources.1',
      'outside-root @ kustomization.yaml:resources.2',
      'missing-kustomization @ kustomization.yaml:resources.3',
      'invalid-kustomization @ again/kustomization.yaml:unknownField',
      'component-as-resource @ kustomization.yaml:resources.6',
      'duplicate-id @ kustomization.yaml:resources.5',
      'kustomization-as-component @ kustomization.yaml:components.0',
    ]);
    expect(result.problems.find((problem) => problem.code === 'duplicate-id')!.message).toBe('may not add resource with an already registered id: v1_ConfigMap|~X|a');
    expect(result.problems.find((problem) => problem.code === 'component-as-resource')!.message).toBe("expected kind != 'Component' for path \"component\"");
    expect(names(result)).toEqual(['ConfigMap/-/a']);
  });

  it('lets the root kustomization carry unknown fields and be empty, as Flux rewrites it', () => {
    expect(buildMemory({ 'kustomization.yaml': 'resources: [a.yaml]\nfoo: bar\n', 'a.yaml': cm('a') }).problems).toEqual([]);
    expect(buildMemory({ 'kustomization.yaml': '' }).objects).toEqual([]);
    expect(problemsOf(buildMemory({ 'kustomization.yaml': 'resources: [empty]\n', 'empty/kustomization.yaml': '# nothing\n' }))).toEqual(['invalid-kustomization @ empty/kustomization.yaml:']);
  });

  it('takes no object from kustomize documents and says when a resource file was not read', () => {
    const result = buildMemory({
      'kustomization.yaml': 'resources: [a.yaml, config.yaml, big.yaml]\n',
      'a.yaml': `${cm('a')}---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nmetadata:\n  name: stray\n`,
      'config.yaml': 'nameReference:\n  - kind: Secret\n    fieldSpecs: [{path: spec/secretName, kind: Certificate}]\n',
    });
    expect(problemsOf(result)).toEqual(['missing-file @ kustomization.yaml:resources.2']);
    expect(names(result)).toEqual(['ConfigMap/-/a']);
    const unread = buildKustomization(hostFromFiles(memoryFiles({ 'kustomization.yaml': 'resources: [blob.yaml]\n' }).concat(loadedWithoutText('blob.yaml'))), '');
    expect(problemsOf(unread)).toEqual(['unknown-input @ kustomization.yaml:resources.0']);
  });

  it('records the kustomizations an object passed through, innermost first', () => {
    const result = buildMemory({
      'kustomization.yaml': 'resources: [apps]\n',
      'apps/kustomization.yaml': 'resources: [web]\n',
      'apps/web/kustomization.yaml': 'resources: [cm.yaml]\n',
      'apps/web/cm.yaml': cm('web'),
    });
    expect(result.objects[0]!.via.map((file) => file.path)).toEqual(['apps/web/kustomization.yaml', 'apps/kustomization.yaml', 'kustomization.yaml']);
    expect(result.kustomizations.map((file) => file.path).sort()).toEqual(['apps/kustomization.yaml', 'apps/web/kustomization.yaml', 'kustomization.yaml']);
  });
});

describe('components', () => {
  const files = {
    'kustomization.yaml': 'resources: [a, b]\n',
    'a/kustomization.yaml': 'namespace: team-a\nresources: [../app.yaml]\ncomponents: [../shared]\n',
    'b/kustomization.yaml': 'namespace: team-b\nresources: [../app.yaml]\ncomponents: [../shared]\n',
    'app.yaml': cm('app'),
    'shared/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources: [extra.yaml]
patches:
  - patch: |-
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: app
      data:
        from: component
`,
    'shared/extra.yaml': cm('extra'),
  };

  it('builds a Component once per includer, with the includer’s namespace', () => {
    const result = buildMemory(files);
    expect(problemsOf(result)).toEqual([]);
    expect(names(result)).toEqual(['ConfigMap/team-a/app', 'ConfigMap/team-a/extra', 'ConfigMap/team-b/app', 'ConfigMap/team-b/extra']);
    const extraB = objectIndex(result, 'ConfigMap', 'extra') + 2;
    expect(result.objects[extraB]!.via.map((file) => file.path)).toEqual(['shared/kustomization.yaml', 'b/kustomization.yaml', 'kustomization.yaml']);
    // The component's patch reaches the includer's object; its value locates to the inline patch.
    expect(result.objects[0]!.value.data).toEqual({ from: 'component' });
    expect(lineOf(result, 0, ['data', 'from'])).toBe('shared/kustomization.yaml:5:12');
    expect(lineOf(result, 0, ['metadata', 'namespace'])).toBe('a/kustomization.yaml:1:12');
  });
});

describe('problems', () => {
  it('reports a problem of a Component included twice once', () => {
    const result = buildMemory({
      'kustomization.yaml': 'resources: [a, b]\n',
      'a/kustomization.yaml': 'namespace: a\ncomponents: [../shared]\n',
      'b/kustomization.yaml': 'namespace: b\ncomponents: [../shared]\n',
      'shared/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nreplacements: []\n',
    });
    expect(problemsOf(result)).toEqual(['unsupported @ shared/kustomization.yaml:replacements']);
  });
});

describe("Flux's generated root", () => {
  it('scans .yaml/.yml files recursively, takes a folder with a kustomization as a directory, and honours exclusions', () => {
    const files = memoryFiles({
      'apps/a.yaml': cm('a'),
      'apps/nested/b.yml': cm('b'),
      'apps/nested/c.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}',
      'apps/ignored/d.yaml': cm('d'),
      'apps/built/kustomization.yaml': 'namePrefix: built-\nresources: [e.yaml]\n',
      'apps/built/e.yaml': cm('e'),
      'apps/built/not-listed.yaml': cm('f'),
    });
    const result = buildKustomization(hostFromFiles(files), 'apps', { generated: { exclude: (path) => path.startsWith('apps/ignored') } });
    expect(problemsOf(result)).toEqual([]);
    expect(names(result)).toEqual(['ConfigMap/-/a', 'ConfigMap/-/built-e', 'ConfigMap/-/b']);
  });

  it('rejects a Component folder and a document that is no Kubernetes object', () => {
    const result = buildMemory({
      'apps/component/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
      'apps/values.yaml': 'replicaCount: 2\n',
    }, 'apps');
    expect(problemsOf(result)).toEqual(['invalid-object @ apps/values.yaml:', 'component-as-resource @ apps/component/kustomization.yaml:']);
  });

  it('applies the Flux Kustomization: patches after the root’s, before namespace and prefix', () => {
    const files = memoryFiles({
      'apps/kustomization.yaml': 'resources: [a.yaml]\npatches:\n  - patch: |-\n      apiVersion: v1\n      kind: ConfigMap\n      metadata:\n        name: a\n      data:\n        by: root\n',
      'apps/a.yaml': cm('a'),
      'flux.yaml': 'spec:\n  patches:\n    - patch: \'[{"op": "add", "path": "/data/flux", "value": "yes"}]\'\n      target: {kind: ConfigMap, name: a}\n',
    });
    const flux = files.find((file) => file.path === 'flux.yaml')!;
    const result = buildKustomization(hostFromFiles(files), 'apps', {
      flux: {
        namespace: 'team',
        namePrefix: 'x-',
        patches: [{ patch: '[{"op": "add", "path": "/data/flux", "value": "yes"}]', target: { kind: 'ConfigMap', name: 'a' }, at: { file: flux, docIndex: 0, path: ['spec', 'patches', 0] } }],
      },
    });
    expect(problemsOf(result)).toEqual([]);
    expect(names(result)).toEqual(['ConfigMap/team/x-a']);
    expect(result.objects[0]!.value.data).toEqual({ by: 'root', flux: 'yes' });
    expect(lineOf(result, 0, ['data', 'flux'])).toBe('flux.yaml:3:14');
    expect(result.objects[0]!.patchedBy.map((at) => `${at.file.path}:${at.path.join('.')}`)).toEqual(['apps/kustomization.yaml:patches.0', 'flux.yaml:spec.patches.0']);
  });

  it('gives zero objects for a folder without manifests', () => {
    expect(buildMemory({ 'apps/README.md': '# apps' }, 'apps')).toEqual({ objects: [], problems: [], resourceFiles: [], patchFiles: [], kustomizations: [] });
  });
});
