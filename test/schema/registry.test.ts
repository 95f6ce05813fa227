import { describe, expect, it } from 'vitest';
import { SchemaRegistry, validateObject } from '../../src/schema/index.js';

function validate(registry: SchemaRegistry, value: Record<string, unknown>, encrypted = false) {
  return validateObject(registry, { apiVersion: String(value.apiVersion), kind: String(value.kind), value, encrypted });
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'apps', labels: { app: 'web' }, annotations: null },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            ports: [{ containerPort: 80 }],
            resources: { limits: { cpu: 1, memory: '256Mi' } },
            livenessProbe: { httpGet: { path: '/', port: 'http' } },
          },
        ],
      },
    },
  },
};

describe('vendored Kubernetes schemas', () => {
  const registry = new SchemaRegistry();

  it('accept a valid Deployment, with int-or-string and quantities', () => {
    expect(validate(registry, deployment)).toEqual([]);
  });

  it('catch replicas: "two", a misspelt field and a bad pull policy', () => {
    const spec = { ...deployment.spec, replicas: 'two', replica: 3 };
    const containers = [{ ...deployment.spec.template.spec.containers[0], imagePullPolicy: 'always' }];
    const bad = { ...deployment, spec: { ...spec, template: { ...spec.template, spec: { containers } } } };
    expect(validate(registry, bad)?.map((problem) => problem.messageId)).toEqual(['type', 'enum', 'unknownFieldSuggestion']);
  });

  it('reject numbers as label values, as the API server does', () => {
    const bad = { ...deployment, metadata: { name: 'web', labels: { version: 1.2 } } };
    expect(validate(registry, bad)).toEqual([
      { path: ['metadata', 'labels', 'version'], messageId: 'type', data: { expected: 'a string', path: 'metadata.labels.version', actual: 'a number' } },
    ]);
  });

  it('ignore the sops block of an encrypted Secret only', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: 'ENC[AES256_GCM,data:x,type:str]' }, sops: { mac: 'ENC[...]' } };
    expect(validate(registry, secret, true)).toEqual([]);
    expect(validate(registry, secret, false)).toEqual([{ path: ['sops'], key: true, messageId: 'unknownField', data: { field: 'sops', parent: 'Secret' } }]);
  });

  it('have nothing for beta or unknown kinds', () => {
    expect(validate(registry, { apiVersion: 'apps/v1beta1', kind: 'Deployment' })).toBeUndefined();
    expect(validate(registry, { apiVersion: 'example.com/v1', kind: 'Widget' })).toBeUndefined();
  });
});

describe('vendored Flux and CloudNativePG schemas', () => {
  const registry = new SchemaRegistry();

  it('accept free-form HelmRelease values and report a missing interval', () => {
    const release = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'dagster' },
      spec: { chart: { spec: { chart: 'dagster', sourceRef: { kind: 'HelmRepository', name: 'dagster' } } }, values: { anything: [1, { goes: true }] } },
    };
    expect(validate(registry, release)).toEqual([{ path: ['spec'], messageId: 'required', data: { field: 'interval', parent: 'spec' } }]);
  });

  it('check HelmRepository type values', () => {
    const repo = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'r' }, spec: { url: 'oci://x', type: 'OCI' } };
    expect(validate(registry, repo)).toEqual([{ path: ['spec', 'type'], messageId: 'enum', data: { path: 'spec.type', allowed: 'default, oci' } }]);
  });

  it('do not validate removed Flux versions', () => {
    expect(validate(registry, { apiVersion: 'helm.toolkit.fluxcd.io/v2beta1', kind: 'HelmRelease' })).toBeUndefined();
    expect(validate(registry, { apiVersion: 'source.toolkit.fluxcd.io/v1beta2', kind: 'GitRepository' })).toBeUndefined();
  });

  it('check a CloudNativePG Cluster', () => {
    const cluster = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'pg' }, spec: { instances: '3', storage: { size: '1Gi' } } };
    expect(validate(registry, cluster)).toEqual([
      { path: ['spec', 'instances'], messageId: 'type', data: { expected: 'an integer', path: 'spec.instances', actual: 'a string' } },
    ]);
  });
});

describe('CRDs from the linted roots', () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    spec: {
      group: 'helm.toolkit.fluxcd.io',
      names: { kind: 'HelmRelease' },
      versions: [
        {
          name: 'v2',
          served: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { interval: { type: 'string' } }, required: ['interval'] } } } },
        },
      ],
    },
  };

  it('take precedence over vendored schemas', () => {
    const registry = new SchemaRegistry();
    expect(registry.addCrd(crd)).toBe(1);
    expect(registry.lookup('helm.toolkit.fluxcd.io/v2', 'HelmRelease')?.source).toBe('crd');
    const release = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'x', labelz: {} }, spec: { interval: '5m', chart: {} } };
    expect(validate(registry, release)).toEqual([
      { path: ['metadata', 'labelz'], key: true, messageId: 'unknownFieldSuggestion', data: { field: 'labelz', parent: 'metadata', suggestion: 'labels' } },
      { path: ['spec', 'chart'], key: true, messageId: 'unknownField', data: { field: 'chart', parent: 'spec' } },
    ]);
  });

  it('add kinds no vendored file knows', () => {
    const registry = new SchemaRegistry();
    registry.addCrd({ ...crd, spec: { ...crd.spec, group: 'infra.contrib.fluxcd.io', names: { kind: 'Terraform' } } });
    expect(registry.lookup('infra.contrib.fluxcd.io/v2', 'Terraform')?.source).toBe('crd');
    expect(registry.lookup('infra.contrib.fluxcd.io/v1alpha2', 'Terraform')).toBeUndefined();
  });
});

describe('kind scope', () => {
  it('knows vendored kinds, CRD scopes, and nothing else', () => {
    const registry = new SchemaRegistry();
    registry.addCrd({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'clusterissuers.cert-manager.io' },
      spec: {
        group: 'cert-manager.io',
        names: { kind: 'ClusterIssuer', plural: 'clusterissuers' },
        scope: 'Cluster',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
      },
    });
    expect(registry.scope('apps/v1', 'Deployment')).toBe('Namespaced');
    expect(registry.scope('v1', 'ConfigMap')).toBe('Namespaced');
    expect(registry.scope('v1', 'Namespace')).toBe('Cluster');
    expect(registry.scope('rbac.authorization.k8s.io/v1', 'ClusterRole')).toBe('Cluster');
    expect(registry.scope('kustomize.toolkit.fluxcd.io/v1', 'Kustomization')).toBe('Namespaced');
    expect(registry.scope('postgresql.cnpg.io/v1', 'ClusterImageCatalog')).toBe('Cluster');
    expect(registry.scope('cert-manager.io/v1', 'ClusterIssuer')).toBe('Cluster');
    expect(registry.scope('cert-manager.io/v1', 'Issuer')).toBeUndefined();
    expect(registry.scope('example.com/v1', 'Widget')).toBeUndefined();
  });
});
