/** Resolving one Secret/ConfigMap reference against what the cluster will have. */
import { push } from '../engine/collections.js';
import { CNPG_GROUP, cnpgBootstrapSecret } from '../model/config-data.js';
import { describeNamespace, describeObject } from '../flux/describe.js';
import { HELM_GROUP } from '../flux/kinds.js';
import type { YamlPath } from '../model/finding.js';
import type { ConfigData, Resource } from '../model/workspace.js';
import type { Model } from '../model/model.js';
import { helmReleaseTarget } from './helm-release.js';
import type { DataRef } from './types.js';
import type { DataLookup } from '../flux/types.js';

export type ReferenceProblemId =
  | 'missing' | 'notApplied' | 'missingConfigMap' | 'otherNamespace' | 'missingKey' | 'missingRequiredKey' | 'cnpgSuperuser' | 'cnpgApp' | 'noDecryptionKey';

export interface ReferenceProblem {
  messageId: ReferenceProblemId;
  path: YamlPath;
  data: Record<string, string>;
}

const DECRYPTION_KEY = /\.(agekey|asc)$|^sops\.(vault-token|aws-kms|azure-kv|gcp-kms)$/;

function listKeys(data: ConfigData): string {
  const keys = [...data.keys].sort();
  if (keys.length === 0) return 'no keys';
  return keys.length > 8 ? `${keys.slice(0, 8).join(', ')}, …` : keys.join(', ');
}

/** The CloudNativePG Cluster a `<cluster>-app`/`-superuser` name belongs to, when there is one. */
function cnpgCluster(model: Model, name: string, namespace: string | undefined): { cluster: Resource; suffix: 'app' | 'superuser' } | undefined {
  const match = /^(.+)-(app|superuser)$/.exec(name);
  if (!match) return undefined;
  const [, base, suffix] = match as unknown as [string, string, 'app' | 'superuser'];
  const cluster = model.find({ kind: 'Cluster', name: base, group: CNPG_GROUP }).find((candidate) => candidate.appliedNamespace === undefined || namespace === undefined || candidate.appliedNamespace === namespace);
  return cluster ? { cluster, suffix } : undefined;
}

/**
 * Another HelmRelease installing into the namespace whose chart may create the object: charts
 * name what they create after the release (`<release>` or `<release>-…`), and the linter does
 * not render charts.
 */
function chartMayCreate(model: Model, ref: DataRef): Resource | undefined {
  if (ref.namespace === undefined) return undefined;
  const releases = releasesByNamespace(model).get(ref.namespace) ?? [];
  return releases.find(({ resource, name }) => resource !== ref.referrer && (ref.name === name || ref.name.startsWith(`${name}-`)))?.resource;
}

const releaseCache = new WeakMap<Model, Map<string, { resource: Resource; name: string }[]>>();

/** The Helm releases installed into each namespace, computed once per model. */
function releasesByNamespace(model: Model): Map<string, { resource: Resource; name: string }[]> {
  let byNamespace = releaseCache.get(model);
  if (!byNamespace) {
    byNamespace = new Map();
    for (const resource of model.ofKind('HelmRelease', HELM_GROUP)) {
      const target = helmReleaseTarget(resource);
      if (target.namespace !== undefined) push(byNamespace, target.namespace, { resource, name: target.name });
    }
    releaseCache.set(model, byNamespace);
  }
  return byNamespace;
}

/**
 * What is wrong with a reference, if anything: the object is missing (or only in another
 * namespace), a key it names or the consumer needs is missing. When the object may come from
 * somewhere the linter cannot see, a note is added and nothing is returned.
 */
export function checkReference(model: Model, ref: DataRef): ReferenceProblem[] {
  const lookup = model.flux.data(ref.kind, ref.name, ref.namespace);
  if (lookup.matches.length === 0) return missingObject(model, ref, lookup);
  // Most references resolve: no closure, iterator or copy is made for them (thousands, mostly
  // before V8 optimises this); the data of a problem is worded only when there is one.
  const problems: ReferenceProblem[] = [];
  const matches = lookup.matches;
  // Indexed, not destructured: no iterator per reference.
  const first = matches[0];
  if (!first) return problems;
  let common: CommonData | undefined;
  if (ref.key && !(ref.optional && ref.optionalKey) && !hasKey(matches, ref.key.name)) {
    common ??= commonData(ref);
    problems.push({ messageId: 'missingKey', path: ref.key.path, data: { ...common, key: ref.key.name, keys: listKeys(first) } });
  }
  const requiredKeys = ref.requiredKeys;
  for (let index = 0; requiredKeys !== undefined && index < requiredKeys.length; index++) {
    const required = requiredKeys[index]!;
    if (required.anyOf.some((key) => hasKey(matches, key))) continue;
    common ??= commonData(ref);
    problems.push({ messageId: 'missingRequiredKey', path: ref.path, data: { ...common, key: required.anyOf.join(' or '), keys: listKeys(first), reason: required.reason } });
  }
  if (ref.decryptionKey && !matches.some((data) => !data.keysKnown || [...data.keys].some((key) => DECRYPTION_KEY.test(key)))) {
    problems.push({ messageId: 'noDecryptionKey', path: ref.path, data: { name: ref.name, keys: listKeys(first) } });
  }
  return problems;
}

interface CommonData {
  kind: DataRef['kind'];
  name: string;
  referrer: string;
  effect: string;
}

function commonData(ref: DataRef): CommonData {
  return { kind: ref.kind, name: ref.name, referrer: describeObject(ref.referrer), effect: ref.effect };
}

/** Keys of an object not written in git (an external Secret without `keys`, an env file) are unknown. */
function hasKey(matches: readonly ConfigData[], key: string): boolean {
  for (let index = 0; index < matches.length; index++) {
    const data = matches[index]!;
    if (!data.keysKnown || data.keys.has(key)) return true;
  }
  return false;
}

/** A reference no object answers: a problem, or a note (and nothing) when the object may come from elsewhere. */
function missingObject(model: Model, ref: DataRef, lookup: DataLookup): ReferenceProblem[] {
  const graph = model.flux;
  let described: string | undefined;
  const referrer = (): string => (described ??= describeObject(ref.referrer));
  const common = (): CommonData => ({ kind: ref.kind, name: ref.name, referrer: referrer(), effect: ref.effect });
  if (ref.optional || ref.keyOnly) return [];
  const gap = graph.gap(ref.referrer, ref.namespace);
  if (gap) {
    model.note({ message: gap, file: ref.referrer.file.absPath });
    return [];
  }
  if (ref.outOfBand !== undefined && (ref.outOfBandAnywhere === true || (lookup.elsewhere.length === 0 && model.unapplied(ref.kind, ref.name).length === 0))) {
    model.note({
      message: `${ref.kind} ${ref.name} in ${describeNamespace(ref.namespace)} (read by ${referrer()}) was not checked: ${ref.outOfBand}. Declare it in externalSecrets of .gitops-lint.yaml to check its keys.`,
      file: ref.referrer.file.absPath,
    });
    return [];
  }
  const chart = chartMayCreate(model, ref);
  if (chart) {
    model.note({
      message: `${ref.kind} ${ref.name} in ${describeNamespace(ref.namespace)} (read by ${referrer()}) was not checked: the chart of ${describeObject(chart)} may create it, and charts are not rendered.`,
      file: ref.referrer.file.absPath,
    });
    return [];
  }
  const generated = ref.kind === 'Secret' && !ref.pullSecret ? cnpgCluster(model, ref.name, ref.namespace) : undefined;
  if (generated?.suffix === 'superuser') {
    return [{ messageId: 'cnpgSuperuser', path: ref.path, data: { ...common(), cluster: generated.cluster.name } }];
  }
  const bootstrap = generated ? cnpgBootstrapSecret(generated.cluster) : undefined;
  if (generated && bootstrap !== undefined) {
    return [{ messageId: 'cnpgApp', path: ref.path, data: { ...common(), cluster: generated.cluster.name, secret: bootstrap } }];
  }
  const elsewhere = lookup.elsewhere[0];
  if (elsewhere?.namespace !== undefined && ref.namespace !== undefined) {
    return [{ messageId: 'otherNamespace', path: ref.path, data: { ...common(), found: elsewhere.namespace, namespace: ref.namespace, scope: ref.scope } }];
  }
  const where = describeNamespace(ref.namespace);
  // Written in git, but no build applies it: it never reaches the cluster.
  const unapplied = model.unapplied(ref.kind, ref.name).find((resource) => ref.namespace === undefined || resource.appliedNamespace === undefined || resource.appliedNamespace === ref.namespace);
  if (unapplied) return [{ messageId: 'notApplied', path: ref.path, data: { ...common(), where, file: `${unapplied.file.root.name}/${unapplied.file.path}` } }];
  if (ref.kind === 'ConfigMap') return [{ messageId: 'missingConfigMap', path: ref.path, data: { ...common(), where } }];
  const declare = ref.namespace === undefined ? 'without a namespace' : `with namespace: ${ref.namespace}`;
  return [{ messageId: 'missing', path: ref.path, data: { ...common(), where, declare } }];
}
