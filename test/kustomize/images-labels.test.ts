/** `images`, `replicas`, `commonLabels`/`labels`/`commonAnnotations`: values and where they locate. */
import { describe, expect, it } from 'vitest';
import { imageMatches, splitImage, updatedImage } from '../../src/kustomize/images.js';
import { buildMemory, lineOf, memoryFiles, problemsOf } from './helpers.js';
import { buildKustomization } from '../../src/kustomize/build.js';
import { hostFromFiles } from '../../src/kustomize/host.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example.com:5000/web:1.0
`;

describe('images', () => {
  it('splits names with a registry port, tags and digests', () => {
    expect(splitImage('registry.example.com:5000/web:1.0')).toEqual({ name: 'registry.example.com:5000/web', tag: '1.0', digest: '' });
    expect(splitImage('web@sha256:abc')).toEqual({ name: 'web', tag: '', digest: 'sha256:abc' });
    expect(splitImage('web:1@sha256:abc')).toEqual({ name: 'web', tag: '1', digest: 'sha256:abc' });
    expect(imageMatches('web:1@sha256:abc', 'web')).toBe(true);
    expect(imageMatches('web-exporter:1', 'web')).toBe(false);
    expect(updatedImage('web:1@sha256:abc', { newTag: '2' })).toBe('web:2');
    expect(updatedImage('web:1', { digest: 'sha256:def' })).toBe('web@sha256:def');
  });

  it('locates the new image to the `images` entry', () => {
    const result = buildMemory({
      'kustomization.yaml': 'resources: [deploy.yaml]\nimages:\n  - name: registry.example.com:5000/web\n    newTag: "2.0"\n',
      'deploy.yaml': deployment,
    });
    expect(lineOf(result, 0, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('kustomization.yaml:3:5');
    expect((result.objects[0]!.value as { spec: { template: { spec: { containers: Array<{ image: string }> } } } }).spec.template.spec.containers[0]!.image).toBe('registry.example.com:5000/web:2.0');
  });

  it('merges Flux images into the root entries by name', () => {
    const files = memoryFiles({
      'kustomization.yaml': 'resources: [deploy.yaml]\nimages:\n  - name: registry.example.com:5000/web\n    newName: mirror/web\n    newTag: "2.0"\n',
      'deploy.yaml': deployment,
      'flux.yaml': 'spec:\n  images:\n    - name: registry.example.com:5000/web\n      digest: sha256:abc\n',
    });
    const flux = files.find((file) => file.path === 'flux.yaml')!;
    const result = buildKustomization(hostFromFiles(files), '', { flux: { images: [{ entry: { name: 'registry.example.com:5000/web', digest: 'sha256:abc' }, at: { file: flux, docIndex: 0, path: ['spec', 'images', 0] } }] } });
    const image = (result.objects[0]!.value as { spec: { template: { spec: { containers: Array<{ image: string }> } } } }).spec.template.spec.containers[0]!.image;
    // newName stays from the root; the digest replaces the tag.
    expect(image).toBe('mirror/web@sha256:abc');
    expect(lineOf(result, 0, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('flux.yaml:3:7');
  });
});

describe('replicas', () => {
  it('sets spec.replicas, locating to the count', () => {
    const result = buildMemory({ 'kustomization.yaml': 'resources: [deploy.yaml]\nreplicas:\n  - name: web\n    count: 4\n', 'deploy.yaml': deployment });
    expect((result.objects[0]!.value.spec as { replicas: number }).replicas).toBe(4);
    expect(lineOf(result, 0, ['spec', 'replicas'])).toBe('kustomization.yaml:4:12');
  });
});

describe('labels and annotations', () => {
  it('adds commonLabels to metadata, selectors and templates; `labels` only where asked', () => {
    const result = buildMemory({
      'kustomization.yaml': 'resources: [deploy.yaml]\ncommonLabels:\n  team: a\nlabels:\n  - pairs:\n      env: prod\ncommonAnnotations:\n  owner: me\n',
      'deploy.yaml': deployment,
    });
    const value = result.objects[0]!.value as { metadata: object; spec: { selector: { matchLabels: object }; template: { metadata: object } } };
    expect(value.metadata).toEqual({ name: 'web', labels: { team: 'a', env: 'prod' }, annotations: { owner: 'me' } });
    expect(value.spec.selector.matchLabels).toEqual({ app: 'web', team: 'a' });
    expect(value.spec.template.metadata).toEqual({ labels: { app: 'web', team: 'a' }, annotations: { owner: 'me' } });
    expect(lineOf(result, 0, ['metadata', 'labels', 'team'])).toBe('kustomization.yaml:3:9');
    expect(lineOf(result, 0, ['metadata', 'labels', 'env'])).toBe('kustomization.yaml:6:12');
    expect(lineOf(result, 0, ['spec', 'selector', 'matchLabels', 'app'])).toBe('deploy.yaml:8:24');
  });

  it('rejects label values that are not strings, as kustomize does', () => {
    const result = buildMemory({ 'kustomization.yaml': 'resources: [deploy.yaml]\ncommonLabels:\n  enabled: true\n', 'deploy.yaml': deployment });
    expect(problemsOf(result)).toEqual(['invalid-kustomization @ kustomization.yaml:commonLabels.enabled']);
  });
});
