/** JSON 6902 patches: operations, pointers, failures as problems, and where patched values locate. */
import { describe, expect, it } from 'vitest';
import { parsePointer } from '../../src/kustomize/json-patch.js';
import { buildMemory, lineOf, problemsOf } from './helpers.js';

const configMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: "1"
  b: "2"
list:
  - first
  - second
`;

describe('JSON 6902 patch', () => {
  it('unescapes ~1 and ~0 in pointers', () => {
    expect(parsePointer('/metadata/annotations/example.com~1a~0b')).toEqual(['metadata', 'annotations', 'example.com/a~b']);
    expect(parsePointer('')).toEqual([]);
  });

  it('locates added values to the operation in the patch file and shifted list items to their own lines', () => {
    const result = buildMemory({
      'kustomization.yaml': 'resources: [cm.yaml]\npatches:\n  - path: ops.yaml\n    target: {kind: ConfigMap}\n',
      'cm.yaml': configMap,
      'ops.yaml': `- op: add
  path: /list/0
  value: zeroth
- op: replace
  path: /data/a
  value: "10"
- op: move
  from: /data/b
  path: /data/c
`,
    });
    expect(problemsOf(result)).toEqual([]);
    expect(result.objects[0]!.value).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '10', c: '2' }, list: ['zeroth', 'first', 'second'] });
    expect(lineOf(result, 0, ['list', 0])).toBe('ops.yaml:3:10');
    expect(lineOf(result, 0, ['list', 1])).toBe('cm.yaml:9:5');
    expect(lineOf(result, 0, ['list', 2])).toBe('cm.yaml:10:5');
    expect(lineOf(result, 0, ['data', 'a'])).toBe('ops.yaml:6:10');
    // A moved value keeps the place it was written.
    expect(lineOf(result, 0, ['data', 'c'])).toBe('cm.yaml:7:6');
    expect(result.patchFiles.map((file) => file.path)).toEqual(['ops.yaml']);
  });

  it('locates values of an inline patch to the `patch` scalar', () => {
    const result = buildMemory({
      'kustomization.yaml': `resources: [cm.yaml]
patchesJson6902:
  - target: {version: v1, kind: ConfigMap, name: settings}
    patch: '[{"op": "add", "path": "/data/d", "value": "4"}]'
`,
      'cm.yaml': configMap,
    });
    expect((result.objects[0]!.value.data as Record<string, string>).d).toBe('4');
    expect(lineOf(result, 0, ['data', 'd'])).toBe('kustomization.yaml:4:12');
  });

  it('reports operations on missing paths, a failed test and a patch without target, and leaves the object as it was', () => {
    const result = buildMemory({
      'kustomization.yaml': `resources: [cm.yaml]
patches:
  - target: {kind: ConfigMap}
    patch: '[{"op": "add", "path": "/data/x", "value": "1"}, {"op": "replace", "path": "/data/missing", "value": "1"}]'
  - target: {kind: ConfigMap}
    patch: '[{"op": "test", "path": "/data/a", "value": "2"}]'
  - target: {kind: ConfigMap}
    patch: '[{"op": "remove", "path": "/list/5"}]'
  - patch: '[{"op": "remove", "path": "/data/a"}]'
`,
      'cm.yaml': configMap,
    });
    expect(problemsOf(result)).toEqual(['patch-failed @ kustomization.yaml:patches.0', 'patch-failed @ kustomization.yaml:patches.1', 'patch-failed @ kustomization.yaml:patches.2', 'invalid-patch @ kustomization.yaml:patches.3']);
    expect(result.problems[0]!.message).toBe('JSON 6902 patch on v1_ConfigMap|~X|settings failed: doc is missing path: "/data/missing"');
    expect(result.objects[0]!.value.data).toEqual({ a: '1', b: '2' });
    expect(result.objects[0]!.patchedBy).toEqual([]);
  });

  it('adds under missing metadata.annotations (kustomize keeps internal annotations) but not under other missing parents', () => {
    const result = buildMemory({
      'kustomization.yaml': `resources: [cm.yaml]
patches:
  - target: {kind: ConfigMap}
    patch: '[{"op": "add", "path": "/metadata/annotations/owner", "value": "a"}]'
  - target: {kind: ConfigMap}
    patch: '[{"op": "add", "path": "/metadata/labels/team", "value": "a"}]'
  - target: {kind: ConfigMap}
    patch: '[{"op": "add", "path": "/spec/items/-", "value": "a"}]'
`,
      'cm.yaml': configMap,
    });
    expect(problemsOf(result)).toEqual(['patch-failed @ kustomization.yaml:patches.1', 'patch-failed @ kustomization.yaml:patches.2']);
    expect(result.objects[0]!.value.metadata).toEqual({ name: 'settings', annotations: { owner: 'a' } });
  });
});
