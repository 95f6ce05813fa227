import { describe, expect, it } from 'vitest';
import rule from '../../rules/secret-ref-exists.js';
import { helmReleaseTarget, renderReleaseTemplate } from '../../src/references/index.js';
import { lintExample, yaml } from '../../src/testing/index.js';
import { modelOf } from '../helpers.js';

const release = (name: string, spec: string) => yaml`
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata:
    name: ${name}
    namespace: apps
  spec:
    interval: 30m${spec}
`;

function targetOf(name: string, spec = '') {
  const [resource] = modelOf({ repo: { 'release.yaml': release(name, spec) } }).ofKind('HelmRelease');
  if (!resource) throw new Error('no HelmRelease');
  return helmReleaseTarget(resource);
}

describe('helmReleaseTarget', () => {
  it('is the object name in its namespace by default', () => {
    expect(targetOf('grafana')).toEqual({ name: 'grafana', namespace: 'apps' });
  });
  it('is <targetNamespace>-<name> in targetNamespace when targetNamespace is set', () => {
    expect(targetOf('grafana', '\n    targetNamespace: monitoring')).toEqual({ name: 'monitoring-grafana', namespace: 'monitoring' });
  });
  it('is spec.releaseName when set, still in targetNamespace', () => {
    expect(targetOf('grafana', '\n    releaseName: grafana\n    targetNamespace: monitoring')).toEqual({ name: 'grafana', namespace: 'monitoring' });
  });
  it('is shortened past 53 characters as helm-controller does (its own test vectors, internal/release/name_test.go)', () => {
    expect(targetOf('release-name-with-very-long-name-which-is-longer-than-53-characters').name).toBe('release-name-with-very-long-name-which-i-788ca0d0d7b0');
    expect(targetOf('release-name-with-very-long-name-which-is-longer-than-53-characters', '\n    targetNamespace: another').name).toBe(
      'another-release-name-with-very-long-name-7e72150d5a36',
    );
  });
});

describe('renderReleaseTemplate', () => {
  const target = { name: 'grafana', namespace: 'monitoring' };
  it('renders .Release.Name and .Release.Namespace, with or without spaces and trim markers', () => {
    expect(renderReleaseTemplate('{{ .Release.Name }}-secret', target)).toBe('grafana-secret');
    expect(renderReleaseTemplate('{{.Release.Name}}-{{- .Release.Namespace -}}', target)).toBe('grafana-monitoring');
    expect(renderReleaseTemplate('plain-name', target)).toBe('plain-name');
  });
  it('gives up on any other expression, and on .Release.Namespace when the namespace is unknown', () => {
    expect(renderReleaseTemplate('{{ include "grafana.fullname" . }}-admin', target)).toBeUndefined();
    expect(renderReleaseTemplate('{{ .Release.Name }}-{{ .Values.suffix }}', target)).toBeUndefined();
    expect(renderReleaseTemplate('{{ .Release.Namespace }}-admin', { name: 'grafana', namespace: undefined })).toBeUndefined();
  });
});

describe('references that are skipped with a note', () => {
  it('notes a Helm values reference with another template expression, a ${VAR} name, and a Secret another chart may create', async () => {
    const result = await lintExample(rule, {
      files: {
        'apps/grafana.yaml': release('grafana', '\n    values:\n      admin:\n        existingSecret: "{{ include \\"grafana.fullname\\" . }}-admin"'),
        'apps/postgresql.yaml': release('postgresql', ''),
        'apps/flux.yaml': yaml`
          apiVersion: kustomize.toolkit.fluxcd.io/v1
          kind: Kustomization
          metadata:
            name: apps
            namespace: apps
          spec:
            interval: 10m
            prune: true
            path: ./apps
            sourceRef:
              kind: GitRepository
              name: apps
            postBuild:
              substituteFrom:
                - kind: ConfigMap
                  name: \${CLUSTER}-vars
          ---
          apiVersion: v1
          kind: Pod
          metadata:
            name: psql
            namespace: apps
          spec:
            containers:
              - name: psql
                image: postgres:17.2
                env:
                  - name: PGPASSWORD
                    valueFrom:
                      secretKeyRef: {name: postgresql-auth, key: password}
        `,
      },
    });
    expect(result.findings).toEqual([]);
    // Only this module's notes (the run also says the repo has no Flux entry point).
    expect(result.notes.map((note) => note.message).filter((message) => message.includes('not checked'))).toEqual([
      'Secret and ConfigMap references in the values of HelmRelease apps/grafana that use chart template expressions other than {{ .Release.Name }} and {{ .Release.Namespace }} were not checked.',
      'Secret and ConfigMap references of Kustomization apps/apps whose names hold a Flux substitution variable (${…}) were not checked.',
      'Secret postgresql-auth in namespace apps (read by Pod apps/psql) was not checked: the chart of HelmRelease apps/postgresql may create it, and charts are not rendered.',
    ]);
  });
});
