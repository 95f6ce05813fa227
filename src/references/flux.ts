/** References Flux controllers (and tofu-controller) resolve, all in the referrer's own namespace. */
import { HELM_GROUP, KUSTOMIZE_GROUP, SOURCE_GROUP, SOURCE_KINDS, TERRAFORM_GROUP } from '../flux/kinds.js';
import { asArray, asRecord, asScalarString, asString } from '../engine/values.js';
import type { YamlPath } from '../model/finding.js';
import type { Resource } from '../model/workspace.js';
import type { Model } from '../model/model.js';
import type { AppliedBuild } from '../applied/types.js';
import { reuse } from '../engine/reuse.js';
import { KUSTOMIZATION_SCOPE, POD_SCOPE, SAME_NAMESPACE, type DataRef, type RequiredKey } from './types.js';

export const NOTIFICATION_GROUP = 'notification.toolkit.fluxcd.io';
export const IMAGE_GROUP = 'image.toolkit.fluxcd.io';
export const OPERATOR_GROUP = 'fluxcd.controlplane.io';

/** `{kind: Secret|ConfigMap, name}` at `path`, if it is one. */
function typedRef(resource: Resource, path: YamlPath): { kind: 'Secret' | 'ConfigMap'; name: string; item: Record<string, unknown> } | undefined {
  const item = asRecord(resource.get(path));
  const kind = asString(item?.kind);
  const name = asString(item?.name);
  if (!item || (kind !== 'Secret' && kind !== 'ConfigMap') || name === undefined) return undefined;
  return { kind, name, item };
}

/** A `{name}` Secret reference (meta.LocalObjectReference) at `path`, read from the referrer's namespace. */
function localSecret(resource: Resource, path: YamlPath, effect: string, requiredKeys?: RequiredKey[]): DataRef | undefined {
  const name = asString(resource.get([...path, 'name']));
  if (name === undefined || name === '') return undefined;
  const ref: DataRef = { referrer: resource, kind: 'Secret', name, namespace: resource.appliedNamespace, path: [...path, 'name'], optional: false, optionalKey: false, effect, scope: SAME_NAMESPACE };
  if (requiredKeys) ref.requiredKeys = requiredKeys;
  return ref;
}

function push(refs: DataRef[], ref: DataRef | undefined): void {
  if (ref) refs.push(ref);
}

/** The proxy Secret needs `address` (fluxcd/pkg runtime/secrets `ProxyURLFromSecret`). */
const PROXY_KEYS: RequiredKey[] = [{ anyOf: ['address'], reason: 'it holds the proxy URL' }];

/**
 * Source `secretRef`, `certSecretRef`, `proxySecretRef` and `verify.secretRef`. For a Git URL
 * over SSH, fluxcd/pkg git `AuthOptions.Validate` requires `identity` and `known_hosts`.
 */
function sourceRefs(model: Model): DataRef[] {
  const refs: DataRef[] = [];
  for (const kind of SOURCE_KINDS) {
    each(memos.source, model.ofKind(kind, SOURCE_GROUP), refs, (resource, refs) => {
      const effect = `source-controller cannot fetch the ${kind}`;
      const url = asString(resource.get(['spec', 'url'])) ?? '';
      const ssh = kind === 'GitRepository' && url.startsWith('ssh://');
      const auth = ssh
        ? [{ anyOf: ['identity'], reason: 'its ssh:// URL authenticates with this private key' }, { anyOf: ['known_hosts'], reason: 'its ssh:// URL checks the server against these host keys' }]
        : undefined;
      push(refs, localSecret(resource, ['spec', 'secretRef'], effect, auth));
      push(refs, localSecret(resource, ['spec', 'certSecretRef'], effect));
      push(refs, localSecret(resource, ['spec', 'proxySecretRef'], effect, PROXY_KEYS));
      push(refs, localSecret(resource, ['spec', 'verify', 'secretRef'], `source-controller cannot verify the ${kind}, so it is not used`));
    });
  }
  return refs;
}

/** `kubeConfig.secretRef` of Kustomizations and HelmReleases (fluxcd/pkg runtime/client `Impersonator`). */
function kubeConfigRefs(kinds: FluxKinds): DataRef[] {
  const refs: DataRef[] = [];
  const find = (resource: Resource, refs: DataRef[]): void => {
    const path = ['spec', 'kubeConfig', 'secretRef'];
    const ref = localSecret(resource, path, 'the controller cannot connect to the remote cluster');
    if (!ref) return;
    ref.outOfBand = 'kubeconfig Secrets for remote clusters are created outside git (flux create secret, a script, Cluster API)';
    const key = asScalarString(resource.get([...path, 'key']));
    if (key !== undefined && key !== '') ref.key = { name: key, path: [...path, 'key'] };
    else ref.requiredKeys = [{ anyOf: ['value', 'value.yaml'], reason: 'kubeConfig.secretRef sets no key, so the kubeconfig is read from value or value.yaml' }];
    refs.push(ref);
  };
  each(memos.kubeConfig, kinds.kustomizations, refs, find);
  each(memos.kubeConfig, kinds.helmReleases, refs, find);
  return refs;
}

/** Notification `Provider` and `Receiver` Secrets, and image automation `ImageRepository` Secrets. */
function notificationAndImageRefs(model: Model): DataRef[] {
  const refs: DataRef[] = [];
  each(memos.notification, model.ofKind('Provider', NOTIFICATION_GROUP), refs, (resource, refs) => {
    const effect = 'notification-controller cannot send alerts through this Provider';
    push(refs, localSecret(resource, ['spec', 'secretRef'], effect));
    push(refs, localSecret(resource, ['spec', 'certSecretRef'], effect));
    push(refs, localSecret(resource, ['spec', 'proxySecretRef'], effect, PROXY_KEYS));
  });
  each(memos.notification, model.ofKind('Receiver', NOTIFICATION_GROUP), refs, (resource, refs) => {
    // notification-controller ReceiverReconciler.token: "required fields 'token'".
    push(refs, localSecret(resource, ['spec', 'secretRef'], 'the Receiver is not ready and its webhook rejects every call', [{ anyOf: ['token'], reason: 'it validates webhook calls with it' }]));
  });
  each(memos.notification, model.ofKind('ImageRepository', IMAGE_GROUP), refs, (resource, refs) => {
    const effect = 'image-reflector-controller cannot scan the registry';
    push(refs, localSecret(resource, ['spec', 'secretRef'], effect));
    push(refs, localSecret(resource, ['spec', 'certSecretRef'], effect));
    push(refs, localSecret(resource, ['spec', 'proxySecretRef'], effect, PROXY_KEYS));
  });
  return refs;
}

/** A Secret named by the string at `path` (`pullSecret: name`), read from `namespace`. */
function namedSecret(resource: Resource, path: YamlPath, namespace: string | undefined, effect: string, extra: Partial<DataRef> = {}): DataRef | undefined {
  const name = asString(resource.get(path));
  if (name === undefined || name === '') return undefined;
  return { referrer: resource, kind: 'Secret', name, namespace, path, optional: false, optionalKey: false, effect, scope: SAME_NAMESPACE, ...extra };
}

/**
 * Flux Operator `FluxInstance` Secrets, all in the instance's namespace (flux-operator
 * internal/builder/templates.go, fluxinstance_artifact_controller.go): `sync.pullSecret` becomes
 * the sync source's `secretRef` (an SSH Git URL needs `identity` and `known_hosts`),
 * `distribution.imagePullSecret` the controllers' `imagePullSecrets`, and
 * `distribution.artifactPullSecret` authenticates the operator's manifests pull. The same
 * `sync` block in the values of a flux-instance chart HelmRelease is read in the release namespace.
 */
function fluxInstanceRefs(model: Model, kinds: FluxKinds): DataRef[] {
  const refs: DataRef[] = [];
  const syncRefs = (resource: Resource, base: YamlPath, namespace: string | undefined, refs: DataRef[]): void => {
    const sync = asRecord(resource.get(base));
    if (!sync) return;
    const url = asString(sync.url) ?? '';
    const ssh = (sync.kind === undefined || sync.kind === 'GitRepository') && url.startsWith('ssh://');
    const required = ssh ? { requiredKeys: [{ anyOf: ['identity'], reason: 'its ssh:// URL authenticates with this private key' }, { anyOf: ['known_hosts'], reason: 'its ssh:// URL checks the server against these host keys' }] } : {};
    push(refs, namedSecret(resource, [...base, 'pullSecret'], namespace, 'source-controller cannot fetch the sync source, so the cluster is not reconciled', required));
  };
  each(memos.fluxInstance, model.ofKind('FluxInstance', OPERATOR_GROUP), refs, (resource, refs) => {
    const namespace = resource.appliedNamespace;
    syncRefs(resource, ['spec', 'sync'], namespace, refs);
    push(refs, namedSecret(resource, ['spec', 'distribution', 'artifactPullSecret'], namespace, 'the Flux Operator cannot pull the distribution manifests'));
    push(refs, namedSecret(resource, ['spec', 'distribution', 'imagePullSecret'], namespace, 'the kubelet pulls the Flux controller images without it, so pulls from a private registry fail', { pullSecret: true, scope: POD_SCOPE }));
  });
  each(memos.fluxInstance, kinds.helmReleases, refs, (resource, refs) => {
    const chart = asString(resource.get(['spec', 'chart', 'spec', 'chart'])) ?? asString(resource.get(['spec', 'chartRef', 'name']));
    if (chart !== 'flux-instance') return;
    const namespace = asString(resource.get(['spec', 'targetNamespace'])) ?? resource.appliedNamespace;
    syncRefs(resource, ['spec', 'values', 'instance', 'sync'], namespace, refs);
  });
  return refs;
}

/** HelmRelease `valuesFrom` (with `valuesKey`). */
function valuesFromRefs(kinds: FluxKinds): DataRef[] {
  const refs: DataRef[] = [];
  each(memos.valuesFrom, kinds.helmReleases, refs, (resource, refs) => {
    asArray(resource.get(['spec', 'valuesFrom'])).forEach((_, index) => {
      const path = ['spec', 'valuesFrom', index];
      const ref = typedRef(resource, path);
      if (!ref) return;
      const keyPath = ref.item.valuesKey === undefined ? [...path, 'name'] : [...path, 'valuesKey'];
      refs.push({
        referrer: resource, kind: ref.kind, name: ref.name, namespace: resource.appliedNamespace, path: [...path, 'name'],
        key: { name: asScalarString(ref.item.valuesKey) ?? 'values.yaml', path: keyPath },
        optional: ref.item.optional === true, optionalKey: false, effect: 'the Helm release fails', scope: SAME_NAMESPACE,
      });
    });
  });
  return refs;
}

/** tofu-controller `varsFrom` (with `varsKeys`), `backendConfigsFrom` and runner pod env. */
function terraformRefs(model: Model): DataRef[] {
  const refs: DataRef[] = [];
  each(memos.terraform, model.ofKind('Terraform', TERRAFORM_GROUP), refs, (resource, refs) => {
    // Field by field, no spread of shared fields (see kustomizationRefs).
    const namespace = resource.appliedNamespace;
    for (const field of ['varsFrom', 'backendConfigsFrom'] as const) {
      const keysField = field === 'varsFrom' ? 'varsKeys' : 'keys';
      asArray(resource.get(['spec', field])).forEach((_, index) => {
        const path = ['spec', field, index];
        const ref = typedRef(resource, path);
        if (!ref) return;
        const { kind, name, item } = ref;
        const effect = field === 'varsFrom' ? 'the Terraform run fails' : 'the Terraform backend cannot be configured';
        refs.push({ referrer: resource, namespace, scope: SAME_NAMESPACE, optionalKey: true, kind, name, path: [...path, 'name'], optional: item.optional === true, effect });
        asArray(item[keysField]).forEach((key, keyIndex) => {
          // `key:variable` renames; the part before the colon is the data key.
          if (typeof key !== 'string') return;
          refs.push({
            referrer: resource, namespace, scope: SAME_NAMESPACE, optionalKey: true, kind, name, path: [...path, 'name'], optional: item.optional === true, keyOnly: true,
            key: { name: key.split(':')[0] ?? key, path: [...path, keysField, keyIndex] },
            effect: field === 'varsFrom' ? 'the variable is silently left empty or unset' : effect,
          });
        });
      });
    }
    const runner = ['spec', 'runnerPodTemplate', 'spec'];
    asArray(resource.get([...runner, 'env'])).forEach((raw, index) => {
      const valueFrom = asRecord(asRecord(raw)?.valueFrom);
      for (const [field, kind] of [['secretKeyRef', 'Secret'], ['configMapKeyRef', 'ConfigMap']] as const) {
        const ref = asRecord(valueFrom?.[field]);
        const name = asString(ref?.name);
        if (!ref || name === undefined) continue;
        const path = [...runner, 'env', index, 'valueFrom', field];
        refs.push({ referrer: resource, namespace, scope: SAME_NAMESPACE, optionalKey: true, kind, name, path: [...path, 'name'], key: { name: asScalarString(ref.key) ?? '', path: [...path, 'key'] }, optional: ref.optional === true, effect: 'the runner pod does not start' });
      }
    });
  });
  return refs;
}

/** A Flux Kustomization that Flux's own entry point is: made from a FluxInstance or bootstrap placeholder, or applying itself. */
function isEntry(model: Model, resource: Resource): boolean {
  if (resource.synthetic !== undefined) return true;
  const build = model.applied.buildOf(resource);
  return build !== undefined && applies(build, resource);
}

/**
 * Whether one of the build's objects has the resource's kind, name and namespace. A scan, not
 * a set of identity keys: each build is asked about its own Kustomization (at most its written
 * and applied copy), and the builds are new objects in every run, so a set made per build (a
 * string per object) cost more than it saved (1 ms of every language server run on 2,000 files).
 */
function applies(build: AppliedBuild, resource: Resource): boolean {
  const { kind, name, appliedNamespace } = resource;
  const objects = build.objects;
  for (let index = 0; index < objects.length; index++) {
    const object = objects[index]!;
    if (object.kind === kind && object.name === name && object.appliedNamespace === appliedNamespace) return true;
  }
  return false;
}

/** Kustomization `postBuild.substituteFrom` and `decryption.secretRef`: the Kustomization's own namespace. */
function kustomizationRefs(model: Model, kinds: FluxKinds): DataRef[] {
  const refs: DataRef[] = [];
  for (const resource of kinds.kustomizations) {
    // Each reference written out field by field: an object spread of shared fields (`{...base, kind}`)
    // made this function ten times slower (2 ms of every run on 200 Kustomizations).
    const namespace = resource.appliedNamespace;
    each(memos.substituteFrom, [resource], refs, (resource, refs) => {
      asArray(resource.get(['spec', 'postBuild', 'substituteFrom'])).forEach((_, index) => {
        const path = ['spec', 'postBuild', 'substituteFrom', index];
        const ref = typedRef(resource, path);
        if (ref) refs.push({ referrer: resource, namespace, scope: KUSTOMIZATION_SCOPE, optionalKey: true, kind: ref.kind, name: ref.name, path: [...path, 'name'], optional: ref.item.optional === true, effect: 'the Kustomization fails to build' });
      });
    });
    // Made in every run: whether the Kustomization is an entry point depends on the other objects.
    const secret = asString(resource.get(['spec', 'decryption', 'secretRef', 'name']));
    if (secret !== undefined) {
      const ref: DataRef = {
        referrer: resource, namespace, scope: KUSTOMIZATION_SCOPE, optionalKey: true,
        kind: 'Secret', name: secret, path: ['spec', 'decryption', 'secretRef', 'name'], optional: false, decryptionKey: true, effect: 'Flux cannot decrypt the SOPS files it applies',
      };
      // The Kustomization that syncs the cluster (bootstrap's, a FluxInstance's) cannot decrypt its
      // own key: that key is put in the cluster at bootstrap, outside git.
      if (isEntry(model, resource)) {
        ref.outOfBand = 'the decryption key of the Kustomization that syncs the cluster is created at bootstrap, outside git';
        ref.outOfBandAnywhere = true;
      }
      refs.push(ref);
    }
  }
  return refs;
}

/** The HelmReleases and Flux Kustomizations of the model, listed once for all the functions above. */
interface FluxKinds {
  helmReleases: readonly Resource[];
  kustomizations: readonly Resource[];
}

export function fluxRefs(model: Model): DataRef[] {
  const kinds: FluxKinds = { helmReleases: model.ofKind('HelmRelease', HELM_GROUP), kustomizations: model.ofKind('Kustomization', KUSTOMIZE_GROUP) };
  return [...valuesFromRefs(kinds), ...terraformRefs(model), ...kustomizationRefs(model, kinds), ...sourceRefs(model), ...kubeConfigRefs(kinds), ...notificationAndImageRefs(model), ...fluxInstanceRefs(model, kinds)];
}

/**
 * The references an object gives by itself (its value and applied namespace), kept by object
 * for the language server's next run (see `reuse`), one memo per kind of reference: an
 * unchanged object is the same object there.
 */
interface KeptRefs {
  namespace: string | undefined;
  refs: DataRef[];
}

const memos = {
  source: new WeakMap<Resource, KeptRefs>(),
  kubeConfig: new WeakMap<Resource, KeptRefs>(),
  notification: new WeakMap<Resource, KeptRefs>(),
  fluxInstance: new WeakMap<Resource, KeptRefs>(),
  valuesFrom: new WeakMap<Resource, KeptRefs>(),
  terraform: new WeakMap<Resource, KeptRefs>(),
  substituteFrom: new WeakMap<Resource, KeptRefs>(),
};

/** `find` the references of each resource, into `refs`: kept ones when the resource and its namespace are the same. */
function each(memo: WeakMap<Resource, KeptRefs>, resources: readonly Resource[], refs: DataRef[], find: (resource: Resource, refs: DataRef[]) => void): void {
  for (let index = 0; index < resources.length; index++) {
    const resource = resources[index]!;
    if (!reuse.enabled) {
      find(resource, refs);
      continue;
    }
    let kept = memo.get(resource);
    if (kept === undefined || kept.namespace !== resource.appliedNamespace) {
      kept = { namespace: resource.appliedNamespace, refs: [] };
      find(resource, kept.refs);
      memo.set(resource, kept);
    }
    for (let at = 0; at < kept.refs.length; at++) refs.push(kept.refs[at]!);
  }
}
