import type { ExternalSecret } from '../config/types.js';
import { SOURCE_GROUP, TERRAFORM_GROUP } from '../flux/kinds.js';
import type { ConfigData, ConfigDataIndex, KustomizeIndex, Resource } from './workspace.js';
import { push } from '../engine/collections.js';
import { kustomizeNamespace } from '../kustomize/tree.js';
import { asArray, asRecord, asString, getIn } from '../engine/values.js';

export const CNPG_GROUP = 'postgresql.cnpg.io';

/** Keys of the credential Secrets CloudNativePG generates (reference §9.1). */
export const CNPG_SECRET_KEYS: readonly string[] = [
  'username', 'user', 'password', 'dbname', 'host', 'port', 'pgpass', 'uri', 'jdbc-uri', 'fqdn-uri', 'fqdn-jdbc-uri',
];

/**
 * The user-supplied Secret a CloudNativePG Cluster bootstraps its owner from
 * (`spec.bootstrap.{initdb,recovery,pg_basebackup}.secret.name`), if any: it replaces the
 * generated `<cluster>-app` Secret.
 */
export function cnpgBootstrapSecret(cluster: Resource): string | undefined {
  const bootstrap = asRecord(getIn(cluster.value, ['spec', 'bootstrap'])) ?? {};
  for (const method of ['initdb', 'recovery', 'pg_basebackup']) {
    const name = asString(getIn(bootstrap, [method, 'secret', 'name']));
    if (name !== undefined) return name;
  }
  return undefined;
}

function cnpgSecrets(cluster: Resource): ConfigData[] {
  const spec = asRecord(cluster.value.spec) ?? {};
  const out: ConfigData[] = [];
  const base = { kind: 'Secret' as const, namespace: cluster.appliedNamespace, keys: new Set(CNPG_SECRET_KEYS), origin: 'cnpg' as const, resource: cluster, encrypted: false, keysKnown: true };
  if (cnpgBootstrapSecret(cluster) === undefined) out.push({ ...base, name: `${cluster.name}-app` });
  if (spec.enableSuperuserAccess === true && asString(getIn(spec, ['superuserSecret', 'name'])) === undefined) {
    out.push({ ...base, name: `${cluster.name}-superuser` });
  }
  // The operator's other Secrets (reference §9.1: CA, server and replication certificates, the
  // image pull Secret); their keys are not listed there, so any key is accepted.
  for (const suffix of ['ca', 'server', 'replication', 'pull-secret']) {
    out.push({ ...base, name: `${cluster.name}-${suffix}`, keys: new Set<string>(), keysKnown: false });
  }
  return out;
}

/** Kinds whose controllers (or `flux bootstrap`) write a Secret from the object, in the order their Secrets are listed. */
const CONTROLLER_KINDS = ['GitRepository', 'FluxInstance', 'HelmRelease', 'Terraform', 'SealedSecret', 'ExternalSecret', 'ClusterExternalSecret', 'Certificate', 'Cluster'] as const;

function controllerSecret(resource: Resource, name: string | undefined, keys: Iterable<string>, keysKnown: boolean): ConfigData | undefined {
  if (name === undefined) return undefined;
  return { kind: 'Secret', name, namespace: resource.appliedNamespace, keys: new Set(keys), keysKnown, origin: 'controller', resource, encrypted: false };
}

/** The Secret a controller writes from this object, if it is one such object. */
function fromController(resource: Resource): ConfigData | undefined {
  const spec = asRecord(resource.value.spec) ?? {};
  if (resource.kind === 'GitRepository' && resource.group === SOURCE_GROUP) {
    // `flux bootstrap` writes GitRepository flux-system/flux-system and creates the Secret it
    // names, in flux-system only; its keys depend on the auth mode (SSH `identity`,
    // `identity.pub`, `known_hosts`; token auth `username`, `password`), so they are unknown.
    if (resource.name !== 'flux-system' || resource.appliedNamespace !== 'flux-system') return undefined;
    return controllerSecret(resource, asString(getIn(spec, ['secretRef', 'name'])), [], false);
  }
  if (resource.kind === 'FluxInstance' && resource.group === 'fluxcd.controlplane.io') {
    // Like `flux bootstrap`'s Secret, the sync pull Secret is created when the Flux Operator is
    // bootstrapped (`flux-operator install`, its Terraform module), in the instance's namespace.
    return controllerSecret(resource, asString(getIn(spec, ['sync', 'pullSecret'])), [], false);
  }
  if (resource.kind === 'HelmRelease' && resource.group === 'helm.toolkit.fluxcd.io') {
    // The same for the flux-instance chart, in the release namespace.
    const chart = asString(getIn(spec, ['chart', 'spec', 'chart'])) ?? asString(getIn(spec, ['chartRef', 'name']));
    if (chart !== 'flux-instance') return undefined;
    const data = controllerSecret(resource, asString(getIn(spec, ['values', 'instance', 'sync', 'pullSecret'])), [], false);
    return data && { ...data, namespace: asString(spec.targetNamespace) ?? resource.appliedNamespace };
  }
  if (resource.kind === 'Terraform' && resource.group === TERRAFORM_GROUP) {
    // tofu-controller `writeOutputsToSecret`: one key per output (`output:key` renames).
    const target = asRecord(spec.writeOutputsToSecret);
    const outputs = asArray(target?.outputs).filter((output): output is string => typeof output === 'string');
    return controllerSecret(resource, asString(target?.name), outputs.map((output) => output.slice(output.indexOf(':') + 1)), outputs.length > 0);
  }
  if (resource.kind === 'SealedSecret' && resource.group === 'bitnami.com') {
    // The controller names the Secret after the SealedSecret, whatever `template.metadata` says
    // (sealed-secrets pkg/apis/sealedsecrets/v1alpha1 `Unseal`: `secret.SetName(smeta.GetName())`).
    const keys = [...Object.keys(asRecord(spec.encryptedData) ?? {}), ...Object.keys(asRecord(getIn(spec, ['template', 'data'])) ?? {})];
    return controllerSecret(resource, resource.name, keys, true);
  }
  if (resource.kind === 'ExternalSecret' && resource.group === 'external-secrets.io') {
    // `creationPolicy: None` writes no Secret.
    if (getIn(spec, ['target', 'creationPolicy']) === 'None') return undefined;
    const keys = asArray(spec.data).map((item) => asString(asRecord(item)?.secretKey)).filter((key): key is string => key !== undefined);
    const known = spec.dataFrom === undefined && getIn(spec, ['target', 'template']) === undefined;
    return controllerSecret(resource, asString(getIn(spec, ['target', 'name'])) ?? resource.name, keys, known);
  }
  if (resource.kind === 'ClusterExternalSecret' && resource.group === 'external-secrets.io') {
    // An ExternalSecret (named `externalSecretName`, else after this object) in every namespace
    // its selectors match, which are known only in the cluster: the Secret counts in any namespace.
    const inner = asRecord(spec.externalSecretSpec) ?? {};
    if (getIn(inner, ['target', 'creationPolicy']) === 'None') return undefined;
    const name = asString(getIn(inner, ['target', 'name'])) ?? asString(spec.externalSecretName) ?? resource.name;
    return { kind: 'Secret', name, namespace: undefined, keys: new Set(), keysKnown: false, origin: 'controller', resource, encrypted: false };
  }
  if (resource.kind === 'Cluster' && resource.group === 'cluster.x-k8s.io') {
    // Cluster API writes `<cluster>-kubeconfig` with the kubeconfig under `value`, the key
    // Flux `kubeConfig.secretRef` reads by default.
    return controllerSecret(resource, `${resource.name}-kubeconfig`, ['value'], true);
  }
  if (resource.kind === 'Certificate' && resource.group === 'cert-manager.io') {
    return controllerSecret(resource, asString(spec.secretName), ['tls.crt', 'tls.key', 'ca.crt'], true);
  }
  return undefined;
}

/** Keys the token controller fills into a `kubernetes.io/service-account-token` Secret. */
const SERVICE_ACCOUNT_TOKEN_KEYS = ['token', 'ca.crt', 'namespace'];

function manifestData(resource: Resource): ConfigData {
  const fields = resource.kind === 'Secret' ? ['data', 'stringData'] : ['data', 'binaryData'];
  const keys = new Set<string>();
  for (const field of fields) {
    const data = asRecord(resource.value[field]);
    // for-in: no key array (nor iterator results) per mapping; these are plain parsed mappings.
    if (data) for (const key in data) if (Object.hasOwn(data, key)) keys.add(key);
  }
  if (resource.kind === 'Secret' && resource.value.type === 'kubernetes.io/service-account-token') for (const key of SERVICE_ACCOUNT_TOKEN_KEYS) keys.add(key);
  return {
    kind: resource.kind as 'Secret' | 'ConfigMap',
    name: resource.name,
    namespace: resource.appliedNamespace,
    keys,
    origin: 'manifest',
    resource,
    encrypted: resource.encrypted,
    keysKnown: true,
  };
}

/** Secrets and ConfigMaps from kustomize `secretGenerator`/`configMapGenerator`. */
function generated(kustomize: KustomizeIndex): ConfigData[] {
  const out: ConfigData[] = [];
  for (const node of kustomize.nodes) {
    const value = asRecord(node.file.documents[0]?.value) ?? {};
    const namespace = kustomizeNamespace([node, ...ancestors(node)]);
    for (const [field, kind] of [['secretGenerator', 'Secret'], ['configMapGenerator', 'ConfigMap']] as const) {
      for (const raw of asArray(value[field])) {
        const generator = asRecord(raw);
        const name = asString(generator?.name);
        if (!generator || name === undefined) continue;
        const keys = new Set<string>();
        for (const literal of asArray(generator.literals)) {
          if (typeof literal === 'string' && literal.includes('=')) keys.add(literal.slice(0, literal.indexOf('=')));
        }
        for (const file of asArray(generator.files)) {
          if (typeof file !== 'string') continue;
          keys.add(file.includes('=') ? file.slice(0, file.indexOf('=')) : file.slice(file.lastIndexOf('/') + 1));
        }
        const envFiles = asArray(generator.envs).length > 0 || generator.env !== undefined;
        out.push({ kind, name, namespace: asString(generator.namespace) ?? namespace, keys, origin: 'generator', encrypted: false, keysKnown: !envFiles });
      }
    }
  }
  return out;
}

function ancestors(node: KustomizeIndex['nodes'][number]): KustomizeIndex['nodes'] {
  const out: KustomizeIndex['nodes'] = [];
  const seen = new Set([node]);
  let frontier = node.parents;
  while (frontier.length > 0) {
    const next: KustomizeIndex['nodes'] = [];
    for (const parent of frontier) {
      if (seen.has(parent)) continue;
      seen.add(parent);
      out.push(parent);
      next.push(...parent.parents);
    }
    frontier = next;
  }
  return out;
}

/**
 * Secrets and ConfigMaps that Kyverno `generate` rules create (often a registry pull Secret
 * cloned into every namespace). The target namespace is usually a template
 * (`{{request.object.metadata.name}}`): then the object counts in any namespace. The keys
 * come from a clone source or inline data: unknown here.
 */
function kyvernoGenerated(policy: Resource): ConfigData[] {
  const out: ConfigData[] = [];
  for (const rawRule of asArray(getIn(policy.value, ['spec', 'rules']))) {
    const generate = asRecord(asRecord(rawRule)?.generate);
    const kind = asString(generate?.kind);
    const name = asString(generate?.name);
    if (!generate || (kind !== 'Secret' && kind !== 'ConfigMap') || name === undefined || name.includes('{{')) continue;
    const written = asString(generate.namespace);
    const namespace = policy.kind === 'Policy' ? policy.appliedNamespace : written === undefined || written.includes('{{') ? undefined : written;
    out.push({ kind, name, namespace, keys: new Set(), keysKnown: false, origin: 'controller', resource: policy, encrypted: false });
  }
  return out;
}

const REFLECTOR = 'reflector.v1.k8s.emberstack.com/';
const REPLICATOR = 'replicator.v1.mittwald.de/';

/** Annotations of the Secret an object becomes: its own, or the template a controller writes it from. */
/** Where each kind keeps the annotations of the Secret or ConfigMap it makes (made once: asked twice per Secret and ConfigMap). */
const ANNOTATION_PATHS: Readonly<Record<string, readonly (string | number)[]>> = {
  Secret: ['metadata', 'annotations'],
  ConfigMap: ['metadata', 'annotations'],
  Certificate: ['spec', 'secretTemplate', 'annotations'],
  ExternalSecret: ['spec', 'target', 'template', 'metadata', 'annotations'],
  SealedSecret: ['spec', 'template', 'metadata', 'annotations'],
};

const AUTO_ENABLED = `${REFLECTOR}reflection-auto-enabled`;
const AUTO_NAMESPACES = `${REFLECTOR}reflection-auto-namespaces`;
const REPLICATE_TO = `${REPLICATOR}replicate-to`;
const REFLECTS = `${REFLECTOR}reflects`;
const REPLICATE_FROM = `${REPLICATOR}replicate-from`;

function createdAnnotations(resource: Resource): Record<string, unknown> {
  const path = Object.hasOwn(ANNOTATION_PATHS, resource.kind) ? ANNOTATION_PATHS[resource.kind] : undefined;
  return (path && asRecord(getIn(resource.value, path))) ?? {};
}

/**
 * Copies that a replication controller keeps in other namespaces: emberstack Reflector
 * (`reflection-auto-enabled: "true"`, into `reflection-auto-namespaces`, a list of names or
 * regexes, all namespaces when empty) and mittwald kubernetes-replicator (`replicate-to`). A
 * list of plain names gives one copy each; anything else a copy that counts in any namespace.
 */
function replicas(data: ConfigData): ConfigData[] {
  if (!data.resource) return [];
  const annotations = createdAnnotations(data.resource);
  let targets: string | undefined;
  if (String(annotations[AUTO_ENABLED]) === 'true') targets = asString(annotations[AUTO_NAMESPACES]) ?? '';
  else targets = asString(annotations[REPLICATE_TO]);
  if (targets === undefined) return [];
  const names = targets.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const copy = { ...data, origin: 'controller' as const };
  if (names.length === 0 || names.some((name) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name))) return [{ ...copy, namespace: undefined }];
  return names.filter((name) => name !== data.namespace).map((namespace) => ({ ...copy, namespace }));
}

/** A Secret or ConfigMap in git that a replication controller fills from another one: its keys are not in git. */
function isReplicaTarget(resource: Resource): boolean {
  const annotations = createdAnnotations(resource);
  return annotations[REFLECTS] !== undefined || annotations[REPLICATE_FROM] !== undefined;
}

export function buildConfigDataIndex(resources: readonly Resource[], kustomize: KustomizeIndex, external: readonly ExternalSecret[]): ConfigDataIndex {
  const all: ConfigData[] = [];
  const written = new Map<string, ConfigData[]>(CONTROLLER_KINDS.map((kind) => [kind, []]));
  for (let index = 0; index < resources.length; index++) {
    const resource = resources[index]!;
    if ((resource.kind === 'Secret' || resource.kind === 'ConfigMap') && resource.group === '') {
      const data = manifestData(resource);
      if (isReplicaTarget(resource)) data.keysKnown = false;
      all.push(data, ...replicas(data));
    } else if (resource.kind === 'Cluster' && resource.group === CNPG_GROUP) all.push(...cnpgSecrets(resource));
    else if ((resource.kind === 'ClusterPolicy' || resource.kind === 'Policy') && resource.group === 'kyverno.io') all.push(...kyvernoGenerated(resource));
    else if (written.has(resource.kind)) {
      const data = fromController(resource);
      if (data) for (const each of [data, ...replicas(data)]) push(written, resource.kind, each);
    }
  }
  all.push(...generated(kustomize));
  for (const secret of external) {
    all.push({
      kind: 'Secret',
      name: secret.name,
      namespace: secret.namespace,
      keys: new Set(secret.keys ?? []),
      origin: 'external',
      encrypted: false,
      keysKnown: secret.keys !== undefined,
    });
  }
  for (const list of written.values()) all.push(...list);
  const byName = new Map<string, ConfigData[]>();
  for (const data of all) push(byName, `${data.kind}/${data.name}`, data);
  return {
    all,
    named: (kind, name) => byName.get(`${kind}/${name}`) ?? [],
    find(kind, name, namespace) {
      const candidates = byName.get(`${kind}/${name}`) ?? [];
      if (namespace === undefined) return candidates[0];
      // External Secrets without a namespace exist wherever they are needed.
      return candidates.find((data) => data.namespace === namespace) ?? candidates.find((data) => data.origin === 'external' && data.namespace === undefined);
    },
  };
}
