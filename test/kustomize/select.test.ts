/** Patch targets: Kubernetes selector syntax, anchored regexes, original and current ids. */
import { describe, expect, it } from 'vitest';
import { matchesSelector, parseSelector } from '../../src/kustomize/select.js';
import { buildMemory, problemsOf } from './helpers.js';

describe('label selectors', () => {
  it('parses equality, set and existence requirements', () => {
    expect(parseSelector('a=b, c==d,e!=f,g in (h, i),j notin (k),l,!m')).toEqual([
      { key: 'a', op: 'in', values: ['b'] },
      { key: 'c', op: 'in', values: ['d'] },
      { key: 'e', op: 'notin', values: ['f'] },
      { key: 'g', op: 'in', values: ['h', 'i'] },
      { key: 'j', op: 'notin', values: ['k'] },
      { key: 'l', op: 'exists', values: [] },
      { key: 'm', op: '!exists', values: [] },
    ]);
  });

  it('matches labels', () => {
    const selector = parseSelector('app.kubernetes.io/name=web,tier notin (db),!legacy');
    expect(matchesSelector(selector, { 'app.kubernetes.io/name': 'web', tier: 'front' })).toBe(true);
    expect(matchesSelector(selector, { 'app.kubernetes.io/name': 'web' })).toBe(true);
    expect(matchesSelector(selector, { 'app.kubernetes.io/name': 'web', tier: 'db' })).toBe(false);
    expect(matchesSelector(selector, { 'app.kubernetes.io/name': 'web', legacy: 'true' })).toBe(false);
  });
});

const objects = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  labels: {app: web}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web
  namespace: other
`;

function annotated(result: ReturnType<typeof buildMemory>): string[] {
  return result.objects.filter((object) => (object.value.metadata as { annotations?: object }).annotations).map((object) => (object.value.metadata as { name: string }).name);
}

describe('patch targets', () => {
  it('anchors name regexes', () => {
    const result = buildMemory({
      'kustomization.yaml': `resources: [cm.yaml]
patches:
  - target: {name: web}
    patch: '[{"op": "add", "path": "/metadata/annotations", "value": {"hit": "1"}}]'
`,
      'cm.yaml': objects,
    });
    expect(annotated(result)).toEqual(['web']);
  });

  it('takes objects without a namespace as in `default`', () => {
    const result = buildMemory({
      'kustomization.yaml': `resources: [cm.yaml]
patches:
  - target: {namespace: default}
    patch: '[{"op": "add", "path": "/metadata/annotations", "value": {"hit": "1"}}]'
`,
      'cm.yaml': objects,
    });
    expect(annotated(result)).toEqual(['web-config']);
  });

  it('matches the name an object had before an inner prefix', () => {
    const result = buildMemory({
      'kustomization.yaml': `resources: [base]
patches:
  - target: {kind: ConfigMap, name: web-config, labelSelector: app=web}
    patch: '[{"op": "add", "path": "/metadata/annotations", "value": {"hit": "1"}}]'
`,
      'base/kustomization.yaml': 'namePrefix: p-\nresources: [cm.yaml]\n',
      'base/cm.yaml': objects,
    });
    expect(annotated(result)).toEqual(['p-web-config']);
  });

  it('reports a selector that does not parse at the target', () => {
    const result = buildMemory({
      'kustomization.yaml': `resources: [cm.yaml]
patches:
  - target: {labelSelector: "app in web"}
    patch: '[{"op": "add", "path": "/metadata/annotations", "value": {"hit": "1"}}]'
`,
      'cm.yaml': objects,
    });
    expect(problemsOf(result)).toEqual(['invalid-target @ kustomization.yaml:patches.0.target']);
    expect(annotated(result)).toEqual([]);
  });
});
