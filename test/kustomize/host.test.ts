/** The two hosts (over loaded files, over the model's root index) build the same objects. */
import { describe, expect, it } from 'vitest';
import { buildKustomization } from '../../src/kustomize/build.js';
import { hostFromFiles, hostFromRootFiles } from '../../src/kustomize/host.js';
import { builtInClusterScoped } from '../../src/kustomize/scope.js';
import { modelOf } from '../helpers.js';

const files = {
  'clusters/prod/apps.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: apps\n',
  'clusters/prod/infra/kustomization.yml': 'namespace: infra\nresources: [ns.yaml, role.yaml]\n',
  'clusters/prod/infra/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: placeholder\n',
  'clusters/prod/infra/role.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n',
};

describe('hosts', () => {
  it('agree on a generated root with a nested kustomization', () => {
    const model = modelOf({ repo: files });
    const root = model.roots[0]!;
    const viaModel = buildKustomization(hostFromRootFiles(model.rootFiles(root)), 'clusters/prod');
    const viaFiles = buildKustomization(hostFromFiles(model.files), 'clusters/prod');
    expect(viaModel.objects.map((object) => object.value)).toEqual(viaFiles.objects.map((object) => object.value));
    expect(viaModel.objects.map((object) => `${String(object.value.kind)}/${String((object.value.metadata as { namespace?: string }).namespace)}`)).toEqual(['ConfigMap/undefined', 'Namespace/undefined', 'ClusterRole/undefined']);
  });

  it('knows built-in cluster-scoped kinds and leaves others unknown', () => {
    expect(builtInClusterScoped('rbac.authorization.k8s.io/v1', 'ClusterRole')).toBe(true);
    expect(builtInClusterScoped('v1', 'ConfigMap')).toBe(false);
    expect(builtInClusterScoped('example.com/v1', 'Cluster')).toBeUndefined();
  });
});
