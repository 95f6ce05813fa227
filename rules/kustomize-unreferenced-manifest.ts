import { dirOf, push } from '../src/engine/collections.js';
import { asRecord, asString, getIn } from '../src/engine/values.js';
import { describeObject, qualified } from '../src/flux/describe.js';
import { KUSTOMIZE_GROUP, SOURCE_GROUP } from '../src/flux/kinds.js';
import { kustomizationFileReferences } from '../src/flux/kustomize-files.js';
import type { FluxKustomization } from '../src/flux/types.js';
import { defineRule } from '../src/model/rule.js';
import type { Resource, SourceFile } from '../src/model/workspace.js';
import type { Model } from '../src/model/model.js';
import { isKustomizationFile, kustomizationIn } from '../src/workspace/source-file.js';

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

/** What flux bootstrap commits: the Kustomization that applies its own folder (the entry point). */
const BOOTSTRAP = `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./clusters
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

const POLICY = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-ingress\n  namespace: lotus-lake\nspec:\n  podSelector: {}\n';
const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: lotus-lake\n';

/** Whether a file is under one of the folders kustomization files read as inputs (usually none: no closure per file). */
function isUnderInputDir(inputDirs: ReadonlyArray<{ root: SourceFile['root']; dir: string }>, file: SourceFile): boolean {
  for (let index = 0; index < inputDirs.length; index++) {
    const input = inputDirs[index]!;
    if (input.root === file.root && isUnder(file, input.dir)) return true;
  }
  return false;
}

function isUnder(file: SourceFile, dir: string): boolean {
  return dir === '' || file.path.startsWith(`${dir}/`);
}

/**
 * A kustomization file kustomize refuses with "kustomization.yaml is empty": nothing but
 * `apiVersion`/`kind` once read (kustomize compares it with an empty Kustomization, so a
 * `resources: []` list counts as content, a `resources:` left null does not).
 */
function isEmptyKustomization(file: SourceFile): boolean {
  if (file.text === undefined || file.problems.length > 0 || file.documents.length > 1) return false;
  const value = file.documents[0]?.value;
  if (value === undefined || value === null) return true;
  const record = asRecord(value);
  if (!record) return false;
  return Object.entries(record).every(([key, entry]) => key === 'apiVersion' || key === 'kind' || entry === null || entry === '' || entry === false || entry === 0);
}

/** Flux objects that create Kustomizations from outside git (FluxInstance `spec.sync`, the flux-instance chart's `instance.sync`). */
function hasSyncOutsideGit(model: Model): boolean {
  const syncKustomizations = model.resources.filter((resource) => resource.synthetic !== undefined && resource.kind === 'Kustomization' && resource.group === KUSTOMIZE_GROUP);
  // A sync the linter could not model (a patch it cannot apply), or one whose source is not a linted checkout.
  const creators = model.written.some(
    (resource) =>
      (resource.kind === 'FluxInstance' && asRecord(getIn(resource.value, ['spec', 'sync'])) !== undefined) ||
      (resource.kind === 'HelmRelease' && asRecord(getIn(resource.value, ['spec', 'values', 'instance', 'sync'])) !== undefined),
  );
  if (creators && syncKustomizations.length === 0) return true;
  return syncKustomizations.some((resource) => model.flux.kustomizationOf(resource)?.link.status !== 'linked');
}

/** A file that holds a Kustomization and the source it uses: an entry point applied by hand or by `flux bootstrap`. */
function definesItsSource(kustomization: Resource, inFile: readonly Resource[]): boolean {
  const ref = asRecord(getIn(kustomization.value, ['spec', 'sourceRef']));
  const name = asString(ref?.name);
  const kind = asString(ref?.kind);
  if (name === undefined) return false;
  return inFile.some((source) => source.group === SOURCE_GROUP && source.name === name && (kind === undefined || source.kind === kind));
}

export default defineRule<'notListed' | 'notApplied' | 'neverApplied' | 'emptyKustomization'>({
  meta: {
    id: 'kustomize-unreferenced-manifest',
    description: 'Disallow manifests in kustomize folders and Flux paths that no kustomization includes',
    scope: 'repository',
    category: 'reliability',
    defaultLevel: 'warning',
    recommended: true,
    messages: {
      notListed:
        'This file is never applied: the {{kustomizationFile}} next to it does not list it, nor does any other kustomization, so {{objects}} never reaches the cluster. Add it to resources there, or delete it.',
      notApplied:
        'This file is never applied: it is under the path {{path}} of Kustomization {{kustomization}}, but that build does not include it, so {{objects}} never reaches the cluster. List it in a kustomization.yaml of that build, or move it out of {{path}}.',
      neverApplied:
        "This file is never applied: no Flux Kustomization's build includes it, so {{objects}} is never created and nothing it would deploy reaches the cluster. List it in a kustomization.yaml that a Flux Kustomization builds, or delete it.",
      emptyKustomization:
        'This kustomization file is empty, and kustomize refuses it ("kustomization.yaml is empty"): {{includer}} fails and applies nothing. Add resources to it, or remove it and the entry that includes its folder.',
    },
    docs: {
      rationale:
        'kustomize applies only what a `kustomization.yaml` lists, and a Flux Kustomization applies only its build. A manifest added next to a `kustomization.yaml` without being listed there looks deployed in review but never reaches the cluster — a forgotten NetworkPolicy or ResourceQuota fails open. The rule looks at files with Kubernetes objects in folders that have a kustomization file, and at files under the path of a Flux Kustomization (in a linked repository) that its build does not include, leaving out files the source ignores. Files named as patches, generator inputs or other kustomize inputs are not manifests and are not reported. Plain folders without a kustomization file are not checked, so loose example files stay quiet.\n\nA file holding a Flux `Kustomization` (a `ks.yaml`) that no Flux Kustomization applies is reported too, once the repository has an entry point (a linked Flux Kustomization applies some of its files): nothing creates it, so the whole app it deploys is missing. A file that also defines the source its Kustomization uses is an entry point applied by hand or by `flux bootstrap`, and is not reported; nor is anything when a FluxInstance (or the flux-instance chart) syncs from outside git.\n\nAn empty kustomization file (nothing but `apiVersion` and `kind`) is refused by kustomize with "kustomization.yaml is empty", which fails the build that includes its folder. Flux accepts an empty one at the path of a Flux Kustomization (it adds build metadata to the root kustomization), so only nested ones are reported.',
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
        {
          title: 'A Flux Kustomization (ks.yaml) that no build applies',
          files: {
            'clusters/flux-system.yaml': FLUX + BOOTSTRAP,
            'cluster/namespaces/kustomization.yaml': 'resources:\n  - namespace.yaml\n',
            'cluster/namespaces/namespace.yaml': NAMESPACE,
            'apps/dagster/ks.yaml':
              'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: dagster\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  path: ./apps/dagster/app\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
          },
        },
        {
          title: 'An empty kustomization.yaml in a folder the build includes',
          files: {
            'cluster/namespaces/kustomization.yaml': 'resources:\n  - namespace.yaml\n  - policies\n',
            'cluster/namespaces/namespace.yaml': NAMESPACE,
            'cluster/namespaces/policies/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n',
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
    /** Patches, generator inputs and other files a kustomization reads that are not manifests. */
    const inputs = new Set<SourceFile>();
    const inputDirs: Array<{ root: SourceFile['root']; dir: string }> = [];
    // Indexed loops over every node's and Kustomization's files: thousands of steps, mostly before
    // V8 optimises this, where a for-of step makes an iterator result.
    const addAll = (set: Set<SourceFile>, files: readonly SourceFile[]): void => {
      for (let index = 0; index < files.length; index++) set.add(files[index]!);
    };
    for (const node of model.kustomize.nodes) {
      addAll(included, node.files);
      for (const reference of kustomizationFileReferences(node)) {
        if (reference.target === undefined) continue;
        const file = model.fileAt(node.file.root, reference.target);
        if (file) {
          included.add(file);
          inputs.add(file);
        } else inputDirs.push({ root: node.file.root, dir: reference.target });
      }
    }
    for (const kustomization of graph.kustomizations) addAll(included, kustomization.files);

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
    // Roots with a Flux entry point: a linked Flux Kustomization applies some of their files.
    const entered = new Set<SourceFile['root']>();
    for (const kustomization of graph.kustomizations) {
      const files = kustomization.files;
      for (let index = 0; index < files.length; index++) entered.add(files[index]!.root);
    }
    const syncOutsideGit = hasSyncOutsideGit(model);
    let skippedNote = false;
    /** A Flux Kustomization file no build applies (and not an entry point that defines its own source). */
    const neverApplied = (file: SourceFile): boolean => {
      // Applied by some build (a Flux Kustomization's, or the folder an unknown entry point applies).
      if (!entered.has(file.root) || graph.appliedByFile(file).length > 0 || model.appliedStatus(file) === 'applied') return false;
      const resources = model.resourcesIn(file);
      const kustomizations = resources.filter((resource) => resource.kind === 'Kustomization' && resource.group === KUSTOMIZE_GROUP);
      if (kustomizations.length === 0) return false;
      if (kustomizations.some((resource) => definesItsSource(resource, resources))) return false;
      if (syncOutsideGit) {
        if (!skippedNote) model.note({ message: 'Flux Kustomization files that no build applies were not reported: a FluxInstance syncs this cluster from outside git, so its entry point is not known.' });
        skippedNote = true;
        return false;
      }
      return true;
    };

    const files = model.files;
    for (let index = 0; index < files.length; index++) {
      const file = files[index]!;
      const resources = model.resourcesIn(file);
      // Indexed, not destructured: no iterator per file.
      const first = resources[0];
      if (!first) continue;
      if (inputs.has(file) || isUnderInputDir(inputDirs, file)) continue;
      // Worded only for a file that is reported (most are included).
      const objects = (): string => (resources.length === 1 ? describeObject(first) : `${describeObject(first)} and ${resources.length - 1} more`);
      if (!included.has(file)) {
        const kustomizationFile = kustomizationIn(model.rootFiles(file.root).filesIn.get(dirOf(file.path)) ?? []);
        // A kustomization no build reads (an ignored archive folder) leaves nothing out of the cluster.
        if (kustomizationFile && model.appliedStatus(kustomizationFile) === 'not-applied') continue;
        if (kustomizationFile) {
          ctx.report({ file, messageId: 'notListed', data: { file: file.path, objects: objects(), kustomizationFile: kustomizationFile.path.slice(kustomizationFile.path.lastIndexOf('/') + 1) } });
          continue;
        }
        const under = fluxPathOf(file);
        if (under) {
          ctx.report({ file, messageId: 'notApplied', data: { file: file.path, objects: objects(), path: under.path.written ?? './', kustomization: qualified(under.resource.appliedNamespace, under.resource.name) } });
          continue;
        }
      }
      if (neverApplied(file)) ctx.report({ file, messageId: 'neverApplied', data: { file: file.path, objects: objects() } });
    }

    reportEmptyKustomizations(ctx.model, graph.kustomizations, (file, includer) => ctx.report({ file, messageId: 'emptyKustomization', data: { file: file.path, includer } }));
  },
});

/** The map of `root`'s folders in `byRoot`, made on first use. */
function inRoot<V>(byRoot: Map<string, Map<string, V>>, root: string): Map<string, V> {
  let map = byRoot.get(root);
  if (map === undefined) byRoot.set(root, (map = new Map()));
  return map;
}

/**
 * Empty kustomization files that a build includes: listed as a folder by another
 * kustomization, or found by the kustomization Flux generates for a path without one. The one
 * at a Flux Kustomization's path is accepted by Flux (FLUX-LAYOUTS §1) and is not reported.
 */
function reportEmptyKustomizations(model: Model, kustomizations: readonly FluxKustomization[], report: (file: SourceFile, includer: string) => void): void {
  // By root folder, then folder: no joined key string per entry or per file.
  const includers = new Map<string, Map<string, string[]>>();
  const nodes = model.kustomize.nodes;
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes[index]!;
    const entries = node.entries;
    for (let at = 0; at < entries.length; at++) {
      const entry = entries[at]!;
      if (entry.kind === 'directory' && entry.target !== undefined) push(inRoot(includers, node.file.root.dir), entry.target, node.file.path);
    }
  }
  const generated = new Map<string, Map<string, FluxKustomization[]>>();
  for (let index = 0; index < kustomizations.length; index++) {
    const kustomization = kustomizations[index]!;
    const link = kustomization.link;
    const path = kustomization.path;
    if (link.status !== 'linked' || path.dir === undefined) continue;
    if (kustomization.kustomization === undefined && path.status === 'directory') push(inRoot(generated, link.root.dir), path.dir, kustomization);
  }
  const files = model.files;
  for (let index = 0; index < files.length; index++) {
    const file = files[index]!;
    if (!isKustomizationFile(file.path) || !isEmptyKustomization(file)) continue;
    const dir = dirOf(file.path);
    if (kustomizationIn(model.rootFiles(file.root).filesIn.get(dir) ?? []) !== file) continue;
    const parents = includers.get(file.root.dir)?.get(dir) ?? [];
    if (parents.length > 0) {
      report(file, `the build of ${parents.join(' and ')} (which includes this folder)`);
      continue;
    }
    // The first folder above with a kustomization file stops Flux's scan; a generated path above it finds this one.
    for (let above = dir; above !== ''; ) {
      above = dirOf(above);
      const scanning = (generated.get(file.root.dir)?.get(above) ?? []).filter((kustomization) => !kustomization.excluded(file.path));
      if (scanning.length > 0) {
        report(file, `the build of Kustomization ${scanning.map((k) => qualified(k.resource.appliedNamespace, k.resource.name)).join(' and ')} (which scans this folder)`);
        break;
      }
      if (kustomizationIn(model.rootFiles(file.root).filesIn.get(above) ?? []) !== undefined) break;
    }
  }
}
