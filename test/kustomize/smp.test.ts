/** Strategic merge patches: merged values, and where each value of the result was written. */
import { describe, expect, it } from 'vitest';
import { buildKustomization } from '../../src/kustomize/build.js';
import { hostFromFiles } from '../../src/kustomize/host.js';
import { buildMemory, lineOf, memoryFiles, objectIndex, problemsOf } from './helpers.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: app
          image: app:1
          env:
            - name: LOG
              value: info
        - name: sidecar
          image: proxy:1
`;

describe('strategic merge patch', () => {
  it('locates patched values to the patch file and untouched ones to the resource', () => {
    const result = buildMemory({
      'kustomization.yaml': 'resources: [deploy.yaml]\npatches:\n  - path: patch.yaml\n',
      'deploy.yaml': deployment,
      'patch.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: app
          env:
            - name: LOG
              value: debug
`,
    });
    expect(problemsOf(result)).toEqual([]);
    const web = objectIndex(result, 'Deployment', 'web');
    const value = result.objects[web]!.value as { spec: { replicas: number; template: { spec: { containers: Array<{ env: unknown }> } } } };
    expect(value.spec.replicas).toBe(3);
    expect(value.spec.template.spec.containers[0]!.env).toEqual([{ name: 'LOG', value: 'debug' }]);
    expect(lineOf(result, web, ['spec', 'replicas'])).toBe('patch.yaml:6:13');
    expect(lineOf(result, web, ['spec', 'template', 'spec', 'containers', 0, 'env', 0, 'value'])).toBe('patch.yaml:13:22');
    // Values the patch did not write stay where the resource wrote them.
    expect(lineOf(result, web, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('deploy.yaml:11:18');
    expect(lineOf(result, web, ['spec', 'template', 'spec', 'containers', 1, 'image'])).toBe('deploy.yaml:16:18');
    expect(result.patchFiles.map((file) => file.path)).toEqual(['patch.yaml']);
    expect(result.resourceFiles.map((file) => file.path)).toEqual(['deploy.yaml']);
    expect(result.objects[web]!.patchedBy.map((at) => `${at.file.path}:${at.path.join('.')}`)).toEqual(['kustomization.yaml:patches.0']);
  });

  it('keeps the place of list items the merge moves, and puts new keyed items first', () => {
    const result = buildMemory({
      'kustomization.yaml': `resources: [deploy.yaml]
patches:
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            containers:
              - name: init-like
                image: new:1
`,
      'deploy.yaml': deployment,
    });
    const web = objectIndex(result, 'Deployment', 'web');
    const containers = (result.objects[web]!.value as { spec: { template: { spec: { containers: Array<{ name: string }> } } } }).spec.template.spec.containers;
    expect(containers.map((container) => container.name)).toEqual(['init-like', 'app', 'sidecar']);
    // The new item comes from the inline patch: it locates to the `patch` scalar.
    expect(lineOf(result, web, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('kustomization.yaml:3:12');
    // The moved items keep their written lines.
    expect(lineOf(result, web, ['spec', 'template', 'spec', 'containers', 1, 'image'])).toBe('deploy.yaml:11:18');
    expect(lineOf(result, web, ['spec', 'template', 'spec', 'containers', 2, 'name'])).toBe('deploy.yaml:15:17');
  });

  it('deletes keys set to null and items marked `$patch: delete`, and never changes the parsed documents', () => {
    const files = {
      'kustomization.yaml': `resources: [deploy.yaml]
patchesStrategicMerge:
  - |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      replicas: null
      template:
        spec:
          containers:
            - name: sidecar
              $patch: delete
`,
      'deploy.yaml': deployment,
    };
    const loaded = memoryFiles(files);
    const host = hostFromFiles(loaded);
    const first = buildKustomization(host, '');
    const value = first.objects[0]!.value as { spec: Record<string, unknown> & { template: { spec: { containers: unknown[] } } } };
    expect('replicas' in value.spec).toBe(false);
    expect(value.spec.template.spec.containers).toHaveLength(1);
    expect(lineOf(first, 0, ['spec', 'template', 'spec', 'containers', 0, 'name'])).toBe('deploy.yaml:10:17');
    const written = loaded.find((file) => file.path === 'deploy.yaml')!.documents[0]!.value as typeof value;
    expect(written.spec.replicas).toBe(1);
    expect(written.spec.template.spec.containers).toHaveLength(2);
    // A second build of the same parsed files gives the same objects.
    expect(buildKustomization(host, '').objects.map((object) => object.value)).toEqual([value]);
  });

  it('replaces lists of custom resources and merges their maps', () => {
    const result = buildMemory({
      'kustomization.yaml': 'resources: [release.yaml]\npatches:\n  - path: values.yaml\n',
      'release.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
spec:
  values:
    image: {tag: "1"}
    env:
      - {name: A, value: "1"}
      - {name: B, value: "2"}
`,
      'values.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
spec:
  values:
    env:
      - {name: B, value: "3"}
`,
    });
    expect(result.objects[0]!.value.spec).toEqual({ values: { image: { tag: '1' }, env: [{ name: 'B', value: '3' }] } });
    expect(lineOf(result, 0, ['spec', 'values', 'env', 0, 'value'])).toBe('values.yaml:8:26');
    expect(lineOf(result, 0, ['spec', 'values', 'image', 'tag'])).toBe('release.yaml:7:18');
  });

  it('reports an untargeted patch that matches no object at the patch document', () => {
    const result = buildMemory({
      'kustomization.yaml': 'resources: [deploy.yaml]\npatches:\n  - path: patch.yaml\n',
      'deploy.yaml': deployment,
      'patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n',
    });
    expect(problemsOf(result)).toEqual(['patch-no-match @ patch.yaml:']);
    expect(result.problems[0]!.message).toBe('no resource matches strategic merge patch "apps_v1_Deployment|~X|api"');
    expect(result.objects).toHaveLength(1);
  });

  it('removes an object patched with a top-level `$patch: delete`', () => {
    const result = buildMemory({
      'kustomization.yaml': 'resources: [deploy.yaml]\npatches:\n  - patch: |-\n      $patch: delete\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata:\n        name: web\n',
      'deploy.yaml': deployment,
    });
    expect(result.objects).toEqual([]);
    expect(result.problems).toEqual([]);
  });
});
