import { reuse } from '../src/engine/reuse.js';
import { describeObject, qualified } from '../src/flux/describe.js';
import type { FluxGraph, FluxKustomization } from '../src/flux/types.js';
import { evaluateSubstitution, kustomizationSubstitution, substitutionDisabled, type KustomizationSubstitution } from '../src/flux/substitution.js';
import { isClusterScoped } from '../src/model/build.js';
import { defineRule, type RuleContext } from '../src/model/rule.js';
import type { Model } from '../src/model/model.js';
import type { KustomizeNode, Resource, SourceFile } from '../src/model/workspace.js';
import { offsetsOfPath } from '../src/yaml/position.js';

type MessageId = 'duplicateInGeneratedBuild' | 'duplicateInBuild' | 'duplicateInCluster' | 'appliedTwice' | 'includedTwice';

const CLUSTER = (name: string, instances: number): string =>
  `apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: ${name}\nspec:\n  instances: ${instances}\n  storage:\n    size: 10Gi\n`;

/**
 * Each object's identity string, kept with the applied namespace and name it was made for: the language
 * server hands unchanged objects to the next run, where the same string is found again
 * instead of made (a lookup instead of a string and its hash, for thousands of objects an edit).
 */
const identities = new WeakMap<Resource, { namespace: string | undefined; name: string; key: string }>();

function identity(resource: Resource): string {
  const kept = reuse.enabled ? identities.get(resource) : undefined;
  if (kept !== undefined && kept.namespace === resource.appliedNamespace && kept.name === resource.name) return kept.key;
  const namespace = isClusterScoped(resource.kind) ? '' : (resource.appliedNamespace ?? '');
  const key = `${resource.group}\0${resource.kind}\0${namespace}\0${resource.name}`;
  if (reuse.enabled) identities.set(resource, { namespace: resource.appliedNamespace, name: resource.name, key });
  return key;
}

/** `file:line` of an object's `metadata.name`, with the repo name when it is in another root. */
function where(resource: Resource, from: SourceFile): string {
  const file = resource.file.root === from.root ? resource.file.path : `${resource.file.root.name}/${resource.file.path}`;
  const text = resource.file.text;
  if (text === undefined) return file;
  const [start] = offsetsOfPath(resource.doc, text, ['metadata', 'name']);
  return `${file}:${resource.file.lineCounter.linePos(start).line}`;
}

/** The build two copies meet in: the Flux Kustomization(s) building this kustomization, else the plain kustomize build. */
function buildOf(graph: FluxGraph, node: KustomizeNode): string {
  const by = graph.kustomizations.filter((kustomization) => kustomization.kustomization === node);
  if (by.length === 0) return `the kustomize build of ${node.file.path}`;
  return `the build of ${by.map((kustomization) => `Kustomization ${name(kustomization)}`).join(' and ')} (${node.file.path})`;
}

function name(kustomization: FluxKustomization): string {
  return qualified(kustomization.resource.appliedNamespace, kustomization.resource.name);
}

export default defineRule<MessageId>({
  meta: {
    id: 'duplicate-resource',
    description: 'Disallow applying the same object (kind, namespace, name) twice in one build or one cluster',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      duplicateInGeneratedBuild:
        'Duplicate object in the kustomization that Kustomization {{kustomization}} generates for {{path}} (every YAML file below it): kustomize refuses the build ("{{problem}}"), so nothing of it is applied. Remove or rename one of them, or leave one folder out with .sourceignore.',
      duplicateInBuild:
        'Duplicate object: {{object}} is already defined at {{other}}, and {{build}} includes both: the build fails with "may not add resource with an already registered id", so nothing of it is applied. Remove or rename one of them.',
      duplicateInCluster:
        'Duplicate object: {{object}} is also applied from {{other}} by Kustomization {{otherKustomization}}, while Kustomization {{kustomization}} applies this one: the two overwrite each other on every reconcile, and each prunes it when the other stops. Keep one definition.',
      appliedTwice:
        'Overlapping Kustomizations: {{object}} is applied by both Kustomization {{first}} and Kustomization {{second}}: their builds overlap, so the two fight over it and either may prune it. Narrow one of the paths so each object has one owner.',
      includedTwice: 'Entry {{entry}} is already included in this build through another entry: kustomize fails with "may not add resource with an already registered id". Remove this entry.',
    },
    docs: {
      rationale:
        'An object is identified in the cluster by its kind, namespace and name. Two definitions in one `kustomize build` fail the build ("may not add resource with an already registered id"), so the Flux Kustomization applies nothing; the same happens when a file or folder is included twice. Two Flux Kustomizations of one cluster that apply the same object overwrite each other on every reconcile and prune it when either stops applying it. Namespaces are the applied ones, after kustomize `namespace:` and Flux `targetNamespace`; Kustomizations belong to one cluster when they are applied, directly or not, by the same top-level Kustomization, so copies meant for different clusters are not reported.',
      incorrect: [
        {
          title: 'A restore attempt with the name of the live cluster',
          files: {
            'deploy/kustomization.yaml': 'resources:\n  - database.yaml\n  - restore.yaml\n',
            'deploy/database.yaml': CLUSTER('dagster-db', 2),
            'deploy/restore.yaml': CLUSTER('dagster-db', 1),
          },
        },
      ],
      correct: [
        {
          files: {
            'deploy/kustomization.yaml': 'resources:\n  - database.yaml\n  - restore.yaml\n',
            'deploy/database.yaml': CLUSTER('dagster-db', 2),
            'deploy/restore.yaml': CLUSTER('dagster-db-restore', 1),
          },
        },
        {
          title: 'The same base in two overlays for two clusters',
          files: {
            'base/kustomization.yaml': 'resources:\n  - database.yaml\n',
            'base/database.yaml': CLUSTER('dagster-db', 2),
            'staging/kustomization.yaml': 'resources:\n  - ../base\n',
            'production/kustomization.yaml': 'resources:\n  - ../base\n',
          },
        },
      ],
    },
  },
  check(ctx) {
    const { model } = ctx;
    const graph = model.flux;
    const reported = new Set<Resource>();
    const reportedEntries = new Set<string>();
    const reportRepeats = (repeats: ReturnType<typeof graph.kustomizeBuild>['repeats']): void => {
      for (const { node, entry } of repeats) {
        const key = `${node.file.absPath}\0${entry.field}\0${entry.index}`;
        if (reportedEntries.has(key)) continue;
        reportedEntries.add(key);
        ctx.report({ file: node.file, docIndex: node.docIndex, path: [entry.field, entry.index], messageId: 'includedTwice', data: { entry: entry.value } });
      }
    };

    // One kustomize build at a time: top-level kustomizations (the ones Flux or a user builds).
    for (const node of model.kustomize.nodes) {
      if (node.parents.length > 0) continue;
      const build = graph.kustomizeBuild(node);
      reportRepeats(build.repeats);
      // The build is named only for a finding: finding its Flux Kustomizations walks all of them.
      checkBuild(ctx, model, node.file, build.files, () => buildOf(graph, node), reported);
    }

    // Flux's generated kustomizations (a path without kustomization.yaml): kustomize refuses a repeated id.
    for (const build of model.applied.builds) {
      if (!build.generated || !build.kustomization) continue;
      for (const problem of build.problems) {
        if (problem.code !== 'duplicate-id') continue;
        ctx.report({
          file: problem.at.file,
          docIndex: problem.at.docIndex,
          // The refused object's name, when the problem is about a whole document.
          path: problem.at.path.length === 0 ? ['metadata', 'name'] : problem.at.path,
          messageId: 'duplicateInGeneratedBuild',
          data: { kustomization: qualified(build.kustomization.appliedNamespace, build.kustomization.name), path: build.dir === '' ? './' : `./${build.dir}`, problem: problem.message },
        });
      }
    }

    // One cluster at a time: the Flux Kustomizations under the same top-level Kustomization.
    const clusters = new Map<string, FluxKustomization[]>();
    const depth = new Map<FluxKustomization, number>();
    for (const kustomization of graph.kustomizations) {
      if (!kustomization.known) continue;
      reportRepeats(kustomization.repeats);
      // A Kustomization with spec.kubeConfig applies its build to another cluster: the one its kubeconfig Secret names.
      let top = kustomization;
      const seen = new Set([top]);
      let cluster = remoteCluster(top);
      for (let parent = graph.appliedBy(top.resource)[0]; cluster === undefined && parent && !seen.has(parent); parent = graph.appliedBy(top.resource)[0]) {
        seen.add(parent);
        top = parent;
        cluster = remoteCluster(top);
      }
      depth.set(kustomization, seen.size);
      const key = cluster ?? `local:${top.resource.file.absPath}#${top.resource.docIndex}/${top.resource.appliedNamespace ?? ''}/${top.resource.name}`;
      const members = clusters.get(key) ?? [];
      members.push(kustomization);
      clusters.set(key, members);
    }
    for (const unsorted of clusters.values()) {
      // Outer Kustomizations first, so the copy in the more specific one is reported.
      const members = [...unsorted].sort((a, b) => (depth.get(a) ?? 0) - (depth.get(b) ?? 0));
      const first = new Map<string, { resource: Resource; by: FluxKustomization }>();
      for (const kustomization of members) {
        for (const resource of kustomization.resources) {
          if (resource.name === '' || resource.synthetic !== undefined) continue;
          // Names holding ${VAR} are the ones post-build substitution gives (a Component's ${APP} in each app).
          const key = substitutedIdentity(resource, kustomization, graph);
          if (key === undefined) continue;
          const earlier = first.get(key);
          if (!earlier) {
            first.set(key, { resource, by: kustomization });
            continue;
          }
          if (reported.has(writtenOf(resource))) continue;
          const object = describeObject(resource);
          if (writtenOf(earlier.resource) === writtenOf(resource)) {
            if (earlier.by === kustomization) continue;
            reported.add(writtenOf(resource));
            ctx.report({ resource, path: ['metadata', 'name'], messageId: 'appliedTwice', data: { object, first: name(earlier.by), second: name(kustomization) } });
          } else if (earlier.by === kustomization) {
            reported.add(writtenOf(resource));
            ctx.report({ resource, path: ['metadata', 'name'], messageId: 'duplicateInBuild', data: { object, other: where(earlier.resource, resource.file), build: `the build of Kustomization ${name(kustomization)}` } });
          } else {
            reported.add(writtenOf(resource));
            ctx.report({
              resource,
              path: ['metadata', 'name'],
              messageId: 'duplicateInCluster',
              data: { object, other: where(earlier.resource, resource.file), otherKustomization: name(earlier.by), kustomization: name(kustomization) },
            });
          }
        }
      }
    }
  },
});

const substitutions = new WeakMap<FluxKustomization, KustomizationSubstitution>();

/** The identity after the Kustomization's post-build substitution; `undefined` when it cannot be known. */
function substitutedIdentity(resource: Resource, kustomization: FluxKustomization, graph: FluxGraph): string | undefined {
  const key = identity(resource);
  if (!key.includes('$') || substitutionDisabled(resource)) return key;
  let substitution = substitutions.get(kustomization);
  if (!substitution) substitutions.set(kustomization, (substitution = kustomizationSubstitution(kustomization, graph)));
  if (substitution.runs === false) return key;
  if (substitution.runs === undefined) return undefined;
  return evaluateSubstitution(key, substitution.value)?.text;
}

/** The remote cluster a Kustomization applies to (`spec.kubeConfig`), as a key; `undefined` for its own cluster. */
function remoteCluster(kustomization: FluxKustomization): string | undefined {
  const kubeConfig = kustomization.resource.get(['spec', 'kubeConfig']);
  if (kubeConfig === undefined || kubeConfig === null) return undefined;
  const secret = kustomization.resource.get(['spec', 'kubeConfig', 'secretRef', 'name']);
  return `remote:${kustomization.resource.appliedNamespace ?? ''}/${typeof secret === 'string' ? secret : JSON.stringify(kubeConfig)}`;
}

/** The document an applied copy was written as: two copies of one document are one object written once. */
function writtenOf(resource: Resource): Resource {
  return resource.applied?.written ?? resource;
}

/**
 * What `checkBuild` found in one kustomize build, for the next run (the language server): the
 * files it read, each file's resources with their applied namespaces, and the pairs of
 * objects with one identity (by their place in that list). The same files, resources and
 * namespaces have the same identities, hence the same pairs; anything else is checked again.
 */
interface BuildCheck {
  files: readonly SourceFile[];
  resources: Resource[];
  namespaces: Array<string | undefined>;
  /** Flat pairs: index of the duplicate, then of the first object with its identity. */
  pairs: number[];
}

/** By the kustomization file the build starts from (a changed file is a new object, so a new entry). */
const buildChecks = new WeakMap<SourceFile, BuildCheck>();

/** The kept check of this build when every file, resource and namespace it saw is the same. */
function keptCheck(kept: BuildCheck | undefined, model: Model, files: readonly SourceFile[]): BuildCheck | undefined {
  if (kept === undefined || kept.files.length !== files.length) return undefined;
  let at = 0;
  for (let index = 0; index < files.length; index++) {
    const file = files[index]!;
    if (kept.files[index] !== file) return undefined;
    const resources = model.resourcesIn(file);
    for (let position = 0; position < resources.length; position++, at++) {
      const resource = resources[position]!;
      if (kept.resources[at] !== resource || kept.namespaces[at] !== resource.appliedNamespace) return undefined;
    }
  }
  return at === kept.resources.length ? kept : undefined;
}

/** The objects with one identity in the build of `files` (see `BuildCheck`). */
function findPairs(model: Model, files: readonly SourceFile[]): BuildCheck {
  const resources: Resource[] = [];
  const namespaces: Array<string | undefined> = [];
  const pairs: number[] = [];
  const first = new Map<string, number>();
  for (let index = 0; index < files.length; index++) {
    const ofFile = model.resourcesIn(files[index]!);
    for (let position = 0; position < ofFile.length; position++) {
      const resource = ofFile[position]!;
      const at = resources.length;
      resources.push(resource);
      namespaces.push(resource.appliedNamespace);
      if (resource.name === '' || resource.synthetic !== undefined) continue;
      const key = identity(resource);
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, at);
      else pairs.push(at, earlier);
    }
  }
  return { files: files.slice(), resources, namespaces, pairs };
}

/** Duplicates among the objects of one kustomize build (the written resources of `files`, in order). */
function checkBuild(ctx: RuleContext<MessageId>, model: Model, start: SourceFile, files: readonly SourceFile[], build: () => string, reported: Set<Resource>): void {
  let check = reuse.enabled ? keptCheck(buildChecks.get(start), model, files) : undefined;
  if (!check) {
    check = findPairs(model, files);
    if (reuse.enabled) buildChecks.set(start, check);
  }
  const { resources, pairs } = check;
  for (let index = 0; index < pairs.length; index += 2) {
    const resource = resources[pairs[index]!]!;
    const earlier = resources[pairs[index + 1]!]!;
    if (writtenOf(earlier) === writtenOf(resource) || reported.has(writtenOf(resource))) continue;
    reported.add(writtenOf(resource));
    ctx.report({ resource, path: ['metadata', 'name'], messageId: 'duplicateInBuild', data: { object: describeObject(resource), other: where(earlier, resource.file), build: build() } });
  }
}
