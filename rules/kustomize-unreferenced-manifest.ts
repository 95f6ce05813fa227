import { dirOf, push } from '../src/engine/collections.js';
import { describeObject, qualified } from '../src/flux/describe.js';
import { kustomizationFileReferences } from '../src/flux/kustomize-files.js';
import type { FluxKustomization } from '../src/flux/types.js';
import { defineRule } from '../src/model/rule.js';
import type { SourceFile } from '../src/model/workspace.js';
import { kustomizationIn } from '../src/workspace/source-file.js';

const FLUX = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: ssh://git@github.com/matta-kelly/h-kube
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: namespaces
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./cluster/namespaces
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

const POLICY = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-ingress\n  namespace: lotus-lake\nspec:\n  podSelector: {}\n';
const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: lotus-lake\n';

function isUnder(file: SourceFile, dir: string): boolean {
  return dir === '' || file.path.startsWith(`${dir}/`);
}

export default defineRule<'notListed' | 'notApplied'>({
  meta: {
    id: 'kustomize-unreferenced-manifest',
    description: 'Disallow manifests in kustomize folders and Flux paths that no kustomization includes',
    scope: 'repository',
    category: 'reliability',
    defaultLevel: 'warning',
    recommended: true,
    messages: {
      notListed: 'File {{file}} is not listed in the kustomization.yaml next to it (or any other), so {{objects}} is never applied, however it is reviewed. Add it to resources there, or delete it.',
      notApplied:
        'File {{file}} is under the path {{path}} of Kustomization {{kustomization}}, but its build does not include it, so {{objects}} is never applied. List it in a kustomization.yaml of that build, or move it out of {{path}}.',
    },
    docs: {
      rationale:
        'kustomize applies only what a `kustomization.yaml` lists, and a Flux Kustomization applies only its build. A manifest added next to a `kustomization.yaml` without being listed there looks deployed in review but never reaches the cluster — a forgotten NetworkPolicy or ResourceQuota fails open. The rule looks at files with Kubernetes objects in folders that have a kustomization file, and at files under the path of a Flux Kustomization (in a linked repository) that its build does not include, leaving out files the source ignores. Files named as patches, generator inputs or other kustomize inputs are not manifests and are not reported. Plain folders without a kustomization file are not checked, so loose example files stay quiet.',
      incorrect: [
        {
          title: 'A NetworkPolicy next to a kustomization.yaml that does not list it',
          files: {
            'cluster/namespaces/kustomization.yaml': 'resources:\n  - namespace.yaml\n',
            'cluster/namespaces/namespace.yaml': NAMESPACE,
            'cluster/namespaces/network-policy.yaml': POLICY,
          },
        },
        {
          title: 'A folder under a Flux path that the build never reaches',
          files: {
            'clusters/flux-system.yaml': FLUX,
            'cluster/namespaces/kustomization.yaml': 'resources:\n  - namespace.yaml\n',
            'cluster/namespaces/namespace.yaml': NAMESPACE,
            'cluster/namespaces/policies/network-policy.yaml': POLICY,
          },
        },
      ],
      correct: [
        {
          files: {
            'clusters/flux-system.yaml': FLUX,
            'cluster/namespaces/kustomization.yaml': 'resources:\n  - namespace.yaml\n  - policies/network-policy.yaml\n',
            'cluster/namespaces/namespace.yaml': NAMESPACE,
            'cluster/namespaces/policies/network-policy.yaml': POLICY,
          },
        },
        {
          title: 'A patch file is not a manifest',
          files: {
            'cluster/namespaces/kustomization.yaml': 'resources:\n  - namespace.yaml\npatches:\n  - path: labels.yaml\n',
            'cluster/namespaces/namespace.yaml': NAMESPACE,
            'cluster/namespaces/labels.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: lotus-lake\n  labels:\n    team: data\n',
          },
        },
      ],
    },
  },
  check(ctx) {
    const { model } = ctx;
    const graph = model.flux;
    const included = new Set<SourceFile>();
    const inputDirs: Array<{ root: SourceFile['root']; dir: string }> = [];
    for (const node of model.kustomize.nodes) {
      for (const file of node.files) included.add(file);
      for (const reference of kustomizationFileReferences(node)) {
        if (reference.target === undefined) continue;
        const file = model.fileAt(node.file.root, reference.target);
        if (file) included.add(file);
        else inputDirs.push({ root: node.file.root, dir: reference.target });
      }
    }
    for (const kustomization of graph.kustomizations) for (const file of kustomization.files) included.add(file);

    // Flux paths by root and folder, so each file only looks at its own ancestors.
    const fluxPaths = new Map<SourceFile['root'], Map<string, FluxKustomization[]>>();
    for (const kustomization of graph.kustomizations) {
      const { link, path } = kustomization;
      if (!kustomization.known || link.status !== 'linked' || path.dir === undefined) continue;
      let byDir = fluxPaths.get(link.root);
      if (!byDir) fluxPaths.set(link.root, (byDir = new Map()));
      push(byDir, path.dir, kustomization);
    }
    const fluxPathOf = (file: SourceFile): FluxKustomization | undefined => {
      const byDir = fluxPaths.get(file.root);
      if (!byDir) return undefined;
      for (let dir = dirOf(file.path); ; dir = dirOf(dir)) {
        const found = byDir.get(dir)?.find((k) => !k.excluded(file.path));
        if (found || dir === '') return found;
      }
    };
    const hasKustomization = (file: SourceFile): boolean => kustomizationIn(model.rootFiles(file.root).filesIn.get(dirOf(file.path)) ?? []) !== undefined;

    for (const file of model.files) {
      const resources = model.resourcesIn(file);
      const [first] = resources;
      if (!first) continue;
      if (included.has(file) || inputDirs.some(({ root, dir }) => root === file.root && isUnder(file, dir))) continue;
      const objects = resources.length === 1 ? describeObject(first) : `${describeObject(first)} and ${resources.length - 1} more`;
      if (hasKustomization(file)) {
        ctx.report({ file, messageId: 'notListed', data: { file: file.path, objects } });
        continue;
      }
      const under = fluxPathOf(file);
      if (under) {
        ctx.report({ file, messageId: 'notApplied', data: { file: file.path, objects, path: under.path.written ?? './', kustomization: qualified(under.resource.appliedNamespace, under.resource.name) } });
      }
    }
  },
});
