/** configMapGenerator / secretGenerator: kubectl's hash, references, unknown inputs, positions. */
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../src/kustomize/generators.js';
import { buildMemory, lineOf, objectIndex, problemsOf } from './helpers.js';

describe('content hash', () => {
  it('is the suffix kubectl kustomize v5.5.0 gives', () => {
    // `configMapGenerator: [{name: cm, literals: [x=1]}]` → cm-hmg6f82fh6; an empty one → empty-6ct58987ht.
    expect(contentHash({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { x: '1' } })).toBe('hmg6f82fh6');
    expect(contentHash({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p-empty' } })).toBe('6ct58987ht');
    // `secretGenerator: [{name: sec, literals: [pw=s3cret]}]` → sec-c6mc6k7dmf.
    expect(contentHash({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec' }, type: 'Opaque', data: { pw: 'czNjcmV0' } })).toBe('c6mc6k7dmf');
  });
});

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: web
          envFrom:
            - configMapRef: {name: web-env}
`;

describe('generators', () => {
  it('builds the object, suffixes its name, fixes references and locates each key to its input', () => {
    const result = buildMemory({
      'kustomization.yaml': 'resources: [deploy.yaml]\nconfigMapGenerator:\n  - name: web-env\n    literals:\n      - x=1\n',
      'deploy.yaml': deployment,
    });
    expect(problemsOf(result)).toEqual([]);
    const cm = objectIndex(result, 'ConfigMap', 'web-env-hmg6f82fh6');
    expect(result.objects[cm]!.nameUnknown).toBe(false);
    expect(result.objects[cm]!.written.file.path).toBe('kustomization.yaml');
    expect(lineOf(result, cm, ['data', 'x'])).toBe('kustomization.yaml:5:9');
    expect(lineOf(result, cm, ['metadata', 'name'])).toBe('kustomization.yaml:3:11');
    const web = objectIndex(result, 'Deployment', 'web');
    expect((result.objects[web]!.value as { spec: { template: { spec: { containers: Array<{ envFrom: Array<{ configMapRef: { name: string } }> }> } } } }).spec.template.spec.containers[0]!.envFrom[0]!.configMapRef.name).toBe('web-env-hmg6f82fh6');
  });

  it('keeps the keys but marks the name unknown when an input is SOPS-encrypted or not read', () => {
    const result = buildMemory({
      'kustomization.yaml': 'secretGenerator:\n  - name: creds\n    files:\n      - token.yaml\n      - cert.pem\n',
      'token.yaml': 'token: ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]\nsops:\n  version: 3.9.0\n',
    });
    expect(problemsOf(result)).toEqual(['missing-file @ kustomization.yaml:secretGenerator.0.files.1', 'unknown-input @ kustomization.yaml:secretGenerator.0']);
    expect(result.objects).toHaveLength(1);
    expect(result.objects[0]!.nameUnknown).toBe(true);
    expect(result.objects[0]!.value.metadata).toEqual({ name: 'creds' });
    expect(Object.keys(result.objects[0]!.value.data as object)).toEqual(['token.yaml', 'cert.pem']);
  });

  it('needs no hash when disableNameSuffixHash is set', () => {
    const result = buildMemory({
      'kustomization.yaml': 'generatorOptions:\n  disableNameSuffixHash: true\nconfigMapGenerator:\n  - name: plain\n    files: [missing.yaml]\n',
    });
    expect(result.objects[0]!.nameUnknown).toBe(false);
    expect((result.objects[0]!.value.metadata as { name: string }).name).toBe('plain');
  });

  it('rejects a second object of the same name without merge or replace', () => {
    const result = buildMemory({
      'kustomization.yaml': 'resources: [base]\nconfigMapGenerator:\n  - name: cm\n    literals: [a=2]\n',
      'base/kustomization.yaml': 'configMapGenerator:\n  - name: cm\n    literals: [a=1]\n',
    });
    expect(problemsOf(result)).toEqual(['duplicate-id @ kustomization.yaml:configMapGenerator.0']);
  });
});
