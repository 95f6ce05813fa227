/** `namespace`, `namePrefix`/`nameSuffix` and the name-reference fix-ups, with where the new values locate. */
import { describe, expect, it } from 'vitest';
import { buildKustomization } from '../../src/kustomize/build.js';
import { hostFromFiles } from '../../src/kustomize/host.js';
import { buildMemory, lineOf, memoryFiles, objectIndex } from './helpers.js';

const objects = `apiVersion: v1
kind: Namespace
metadata:
  name: placeholder
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
---
apiVersion: v1
kind: Pod
metadata:
  name: runner
spec:
  containers:
    - name: c
      image: busybox
      envFrom:
        - configMapRef: {name: settings}
        - configMapRef: {name: elsewhere}
`;

describe('namespace', () => {
  it('sets the namespace of namespaced and unknown kinds, renames Namespaces, and locates the value to `namespace:`', () => {
    const result = buildMemory({ 'kustomization.yaml': 'namespace: shop\nresources: [objects.yaml]\n', 'objects.yaml': objects });
    const namespaces = Object.fromEntries(result.objects.map((object) => [object.value.kind, (object.value.metadata as { name: string; namespace?: string }).namespace ?? (object.value.metadata as { name: string }).name]));
    expect(namespaces).toEqual({ Namespace: 'shop', Widget: 'shop', ClusterRole: 'reader', ConfigMap: 'shop', Pod: 'shop' });
    const pod = objectIndex(result, 'Pod', 'runner');
    expect(lineOf(result, pod, ['metadata', 'namespace'])).toBe('kustomization.yaml:1:12');
    expect(lineOf(result, pod, ['metadata', 'name'])).toBe('objects.yaml:24:9');
    expect(result.objects[objectIndex(result, 'ClusterRole', 'reader')]!.patchedBy).toEqual([]);
  });

  it('takes the Flux targetNamespace over the root namespace, locating to the Flux Kustomization', () => {
    const files = memoryFiles({ 'kustomization.yaml': 'namespace: shop\nresources: [objects.yaml]\n', 'objects.yaml': objects, 'flux.yaml': 'spec:\n  targetNamespace: team\n' });
    const fluxFile = files.find((file) => file.path === 'flux.yaml')!;
    const result = buildKustomization(hostFromFiles(files), '', { flux: { namespace: 'team', at: { namespace: { file: fluxFile, docIndex: 0, path: ['spec', 'targetNamespace'] } } } });
    const pod = objectIndex(result, 'Pod', 'runner');
    expect((result.objects[pod]!.value.metadata as { namespace: string }).namespace).toBe('team');
    expect(lineOf(result, pod, ['metadata', 'namespace'])).toBe('flux.yaml:2:20');
  });
});

describe('namePrefix and nameSuffix', () => {
  it('renames all but Namespaces and CRDs, and fixes references to objects of the build only', () => {
    const result = buildMemory({ 'kustomization.yaml': 'namePrefix: a-\nnameSuffix: -z\nresources: [objects.yaml]\n', 'objects.yaml': objects });
    expect(result.objects.map((object) => (object.value.metadata as { name: string }).name).sort()).toEqual(['a-reader-z', 'a-runner-z', 'a-settings-z', 'a-w-z', 'placeholder']);
    const pod = objectIndex(result, 'Pod', 'a-runner-z');
    const envFrom = (result.objects[pod]!.value as { spec: { containers: Array<{ envFrom: Array<{ configMapRef: { name: string } }> }> } }).spec.containers[0]!.envFrom;
    expect(envFrom.map((source) => source.configMapRef.name)).toEqual(['a-settings-z', 'elsewhere']);
    // The new name locates to the suffix (the last transform that wrote it); a fixed reference stays where it was written.
    expect(lineOf(result, pod, ['metadata', 'name'])).toBe('kustomization.yaml:2:13');
    expect(lineOf(result, pod, ['spec', 'containers', 0, 'envFrom', 0, 'configMapRef', 'name'])).toBe('objects.yaml:30:32');
  });
});
