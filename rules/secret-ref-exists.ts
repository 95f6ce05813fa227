import { describeNamespace, describeObject } from '../src/flux/describe.js';
import { CNPG_GROUP, cnpgBootstrapSecret } from '../src/engine/config-data.js';
import { asArray, asRecord, asScalarString, asString } from '../src/engine/values.js';
import type { YamlPath } from '../src/model/finding.js';
import { defineRule, type RuleContext } from '../src/model/rule.js';
import type { ConfigData, Resource } from '../src/model/workspace.js';

type MessageId = 'missing' | 'otherNamespace' | 'missingKey' | 'cnpgSuperuser' | 'cnpgApp' | 'noDecryptionKey';

/** One reference to a Secret or ConfigMap, and what failing it does. */
interface DataRef {
  referrer: Resource;
  kind: 'Secret' | 'ConfigMap';
  name: string;
  namespace: string | undefined;
  /** Path of the `name` node. */
  path: YamlPath;
  /** A key that must exist, with the path of its node. */
  key?: { name: string; path: YamlPath };
  /** Only the key is checked here; another reference checks the object. */
  keyOnly?: boolean;
  /** `optional: true`: a missing object is fine (and, for env, a missing key). */
  optional: boolean;
  /** Whether `optional` also covers a missing key. */
  optionalKey: boolean;
  effect: string;
  scope: string;
}

const POD_SCOPE = "a pod reads Secrets and ConfigMaps only from its own namespace";
const KUSTOMIZATION_SCOPE = "substituteFrom and decryption read from the Kustomization's own namespace, not from targetNamespace";
const SAME_NAMESPACE = 'the controller reads it from the namespace of the object that references it';
const DECRYPTION_KEY = /\.(agekey|asc)$|^sops\.(vault-token|aws-kms|azure-kv|gcp-kms)$/;

const FLUX = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: ssh://git@github.com/matta-kelly/lotus-lake
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: deploy
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./deploy
  targetNamespace: lotus-lake
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

const WORKLOAD = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ducklake-maintenance
spec:
  template:
    spec:
      containers:
        - name: maintenance
          image: ghcr.io/matta-kelly/lotus-lake:a8e5a37
          env:
            - name: DUCKLAKE_DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: ducklake-db-app
                  key: KEY
`;

const CLUSTER_REPO = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: lotus-lake
  namespace: lotus-lake
spec:
  interval: 5m
  url: https://github.com/matta-kelly/lotus-lake
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: lotus-lake-deploy
  namespace: lotus-lake
spec:
  interval: 10m
  prune: true
  path: ./deploy
  targetNamespace: lotus-lake
  sourceRef:
    kind: GitRepository
    name: lotus-lake
`;

const DATABASE = 'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: ducklake-db\nspec:\n  instances: 2\n  storage:\n    size: 5Gi\n';

function listKeys(data: ConfigData): string {
  const keys = [...data.keys].sort();
  if (keys.length === 0) return 'no keys';
  return keys.length > 8 ? `${keys.slice(0, 8).join(', ')}, …` : keys.join(', ');
}

function references(ctx: RuleContext<MessageId>): DataRef[] {
  const { model } = ctx;
  const refs: DataRef[] = [];
  const podEffect = 'the container does not start';
  for (const container of model.containers) {
    const base = { referrer: container.resource, namespace: container.namespace, effect: podEffect, scope: POD_SCOPE, optionalKey: true };
    for (const entry of container.env) {
      for (const [field, kind] of [['secretKeyRef', 'Secret'], ['configMapKeyRef', 'ConfigMap']] as const) {
        const ref = entry[field];
        if (!ref || ref.name === '') continue;
        const path = [...entry.path, 'valueFrom', field];
        refs.push({ ...base, kind, name: ref.name, path: [...path, 'name'], key: { name: ref.key, path: [...path, 'key'] }, optional: ref.optional });
      }
    }
    for (const source of container.envFrom) {
      const field = source.kind === 'Secret' ? 'secretRef' : 'configMapRef';
      const path = source.via === 'envFrom' ? [...source.path, field, 'name'] : typeof container.resource.get(source.path) === 'string' ? source.path : [...source.path, 'name'];
      refs.push({ ...base, kind: source.kind, name: source.name, path, optional: source.optional });
    }
  }
  const graph = model.flux;
  for (const { resource } of graph.helmReleases) {
    asArray(resource.get(['spec', 'valuesFrom'])).forEach((raw, index) => {
      const item = asRecord(raw);
      const kind = asString(item?.kind);
      const name = asString(item?.name);
      if (!item || (kind !== 'Secret' && kind !== 'ConfigMap') || name === undefined) return;
      const path = ['spec', 'valuesFrom', index];
      const keyPath = item.valuesKey === undefined ? [...path, 'name'] : [...path, 'valuesKey'];
      refs.push({
        referrer: resource, kind, name, namespace: resource.appliedNamespace, path: [...path, 'name'],
        key: { name: asScalarString(item.valuesKey) ?? 'values.yaml', path: keyPath },
        optional: item.optional === true, optionalKey: false, effect: 'the Helm release fails', scope: SAME_NAMESPACE,
      });
    });
  }
  for (const { resource } of graph.terraforms) {
    const base = { referrer: resource, namespace: resource.appliedNamespace, scope: SAME_NAMESPACE, optionalKey: true };
    for (const field of ['varsFrom', 'backendConfigsFrom'] as const) {
      const keysField = field === 'varsFrom' ? 'varsKeys' : 'keys';
      asArray(resource.get(['spec', field])).forEach((raw, index) => {
        const item = asRecord(raw);
        const kind = asString(item?.kind);
        const name = asString(item?.name);
        if (!item || (kind !== 'Secret' && kind !== 'ConfigMap') || name === undefined) return;
        const path = ['spec', field, index];
        const effect = field === 'varsFrom' ? 'the Terraform run fails' : 'the Terraform backend cannot be configured';
        refs.push({ ...base, kind, name, path: [...path, 'name'], optional: item.optional === true, effect });
        asArray(item[keysField]).forEach((key, keyIndex) => {
          // `key:variable` renames; the part before the colon is the data key.
          if (typeof key !== 'string') return;
          refs.push({
            ...base, kind, name, path: [...path, 'name'], optional: item.optional === true, keyOnly: true,
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
        refs.push({ ...base, kind, name, path: [...path, 'name'], key: { name: asScalarString(ref.key) ?? '', path: [...path, 'key'] }, optional: ref.optional === true, effect: 'the runner pod does not start' });
      }
    });
  }
  for (const { resource } of graph.kustomizations) {
    const base = { referrer: resource, namespace: resource.appliedNamespace, scope: KUSTOMIZATION_SCOPE, optionalKey: true };
    asArray(resource.get(['spec', 'postBuild', 'substituteFrom'])).forEach((raw, index) => {
      const item = asRecord(raw);
      const kind = asString(item?.kind);
      const name = asString(item?.name);
      if (!item || (kind !== 'Secret' && kind !== 'ConfigMap') || name === undefined) return;
      refs.push({ ...base, kind, name, path: ['spec', 'postBuild', 'substituteFrom', index, 'name'], optional: item.optional === true, effect: 'the Kustomization fails to build' });
    });
    const secret = asString(resource.get(['spec', 'decryption', 'secretRef', 'name']));
    if (secret !== undefined) {
      refs.push({ ...base, kind: 'Secret', name: secret, path: ['spec', 'decryption', 'secretRef', 'name'], optional: false, effect: 'Flux cannot decrypt the SOPS files it applies' });
    }
  }
  return refs;
}

/** The CloudNativePG Cluster a `<cluster>-app`/`-superuser` name belongs to, when there is one. */
function cnpgCluster(ctx: RuleContext<MessageId>, name: string, namespace: string | undefined): { cluster: Resource; suffix: 'app' | 'superuser' } | undefined {
  const match = /^(.+)-(app|superuser)$/.exec(name);
  if (!match) return undefined;
  const [, base, suffix] = match as unknown as [string, string, 'app' | 'superuser'];
  const cluster = ctx.model.find({ kind: 'Cluster', name: base, group: CNPG_GROUP }).find((candidate) => candidate.appliedNamespace === undefined || namespace === undefined || candidate.appliedNamespace === namespace);
  return cluster ? { cluster, suffix } : undefined;
}

export default defineRule<MessageId>({
  meta: {
    id: 'secret-ref-exists',
    description: 'Require referenced Secrets and ConfigMaps, and their keys, to exist in the namespace they are read from',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      missing:
        'Referenced {{kind}} {{name}} does not exist in {{where}}, where {{referrer}} reads it: {{effect}}. Add it (SOPS-encrypted for a Secret), fix the name, set optional: true, or list it in externalSecrets of .gitops-lint.yaml if it is created outside git.',
      otherNamespace: 'Referenced {{kind}} {{name}} is in namespace {{found}}, but {{referrer}} reads it from {{namespace}} ({{scope}}): {{effect}}. Create it in {{namespace}}.',
      missingKey: 'Referenced {{kind}} {{name}} has no key {{key}} (it has {{keys}}): {{effect}}. Fix the key, or add it to the {{kind}}.',
      cnpgSuperuser:
        'Secret {{name}} is generated by CloudNativePG only when Cluster {{cluster}} sets spec.enableSuperuserAccess: true: {{effect}}. Enable superuser access there, or use {{cluster}}-app.',
      cnpgApp: 'Secret {{name}} is not generated: Cluster {{cluster}} bootstraps its owner from Secret {{secret}} instead, so {{effect}}. Reference {{secret}}.',
      noDecryptionKey:
        'Secret {{name}} has no SOPS key entry (a key ending in .agekey or .asc; it has {{keys}}): Flux finds nothing to decrypt with. Store the age private key under age.agekey.',
    },
    docs: {
      rationale:
        'A missing Secret, ConfigMap or key is found only when the pod does not start, the Helm release or Terraform run fails, or the Kustomization stops building. The rule resolves container `secretKeyRef`/`configMapKeyRef` (name and key), `envFrom`, Dagster-style `envSecrets`/`envConfigMaps` in HelmRelease values, HelmRelease `valuesFrom` (with `valuesKey`), Terraform `varsFrom` (with `varsKeys`), `backendConfigsFrom` and runner env, and Kustomization `postBuild.substituteFrom` and `decryption.secretRef`, in the namespace each is read from: the pod\'s or object\'s applied namespace, but the Kustomization\'s own namespace for `substituteFrom` and `decryption`. Secrets come from manifests (SOPS files keep their key names readable), from CloudNativePG clusters (`<cluster>-app`, and `<cluster>-superuser` only with `enableSuperuserAccess`), from kustomize generators, from controllers (tofu-controller outputs, SealedSecret, ExternalSecret, cert-manager), and from `externalSecrets` in the config. References marked `optional: true` are skipped. When the object may come from a repository that is not linted, the check is skipped with a note.',
      incorrect: [
        {
          title: 'A key that CloudNativePG does not generate',
          files: { 'clusters/flux.yaml': FLUX, 'deploy/maintenance.yaml': WORKLOAD.replace('KEY', 'pass'), 'deploy/database.yaml': DATABASE },
        },
        {
          title: 'A Secret of the cluster repo that is in another namespace than the workload',
          roots: {
            'lotus-lake': { 'deploy/maintenance.yaml': WORKLOAD.replace('ducklake-db-app', 'lotus-lake-terraform-vars').replace('KEY', 'S3_ACCESS_KEY_ID') },
            'h-kube': {
              'namespaces/lotus-lake.yaml': CLUSTER_REPO,
              'namespaces/vars.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: lotus-lake-terraform-vars\n  namespace: flux-system\nstringData:\n  S3_ACCESS_KEY_ID: example\n',
            },
          },
        },
      ],
      correct: [
        {
          title: 'The password of a CloudNativePG-generated Secret',
          files: { 'clusters/flux.yaml': FLUX, 'deploy/maintenance.yaml': WORKLOAD.replace('KEY', 'password'), 'deploy/database.yaml': DATABASE },
        },
        {
          title: 'The app repo linted alone: Secrets of the cluster repo are not checked',
          files: { 'deploy/maintenance.yaml': WORKLOAD.replace('ducklake-db-app', 'lotus-lake-terraform-vars').replace('KEY', 'S3_ACCESS_KEY_ID') },
        },
      ],
    },
  },
  check(ctx) {
    const graph = ctx.model.flux;
    for (const ref of references(ctx)) {
      const referrer = describeObject(ref.referrer);
      const lookup = graph.data(ref.kind, ref.name, ref.namespace);
      const common = { kind: ref.kind, name: ref.name, referrer, effect: ref.effect };
      if (lookup.matches.length === 0) {
        if (ref.optional || ref.keyOnly) continue;
        const gap = graph.gap(ref.referrer, ref.namespace);
        if (gap) {
          ctx.model.note({ message: gap, file: ref.referrer.file.absPath });
          continue;
        }
        const generated = ref.kind === 'Secret' ? cnpgCluster(ctx, ref.name, ref.namespace) : undefined;
        if (generated?.suffix === 'superuser') {
          ctx.report({ resource: ref.referrer, path: ref.path, messageId: 'cnpgSuperuser', data: { ...common, cluster: generated.cluster.name } });
          continue;
        }
        const bootstrap = generated ? cnpgBootstrapSecret(generated.cluster) : undefined;
        if (generated && bootstrap !== undefined) {
          ctx.report({ resource: ref.referrer, path: ref.path, messageId: 'cnpgApp', data: { ...common, cluster: generated.cluster.name, secret: bootstrap } });
          continue;
        }
        const elsewhere = lookup.elsewhere[0];
        if (elsewhere?.namespace !== undefined && ref.namespace !== undefined) {
          ctx.report({ resource: ref.referrer, path: ref.path, messageId: 'otherNamespace', data: { ...common, found: elsewhere.namespace, namespace: ref.namespace, scope: ref.scope } });
          continue;
        }
        ctx.report({ resource: ref.referrer, path: ref.path, messageId: 'missing', data: { ...common, where: describeNamespace(ref.namespace) } });
        continue;
      }
      if (ref.key && !(ref.optional && ref.optionalKey)) {
        const key = ref.key.name;
        if (!lookup.matches.some((data) => !data.keysKnown || data.keys.has(key))) {
          const [first] = lookup.matches;
          if (first) ctx.report({ resource: ref.referrer, path: ref.key.path, messageId: 'missingKey', data: { ...common, key, keys: listKeys(first) } });
        }
      }
      if (ref.path.at(-2) === 'secretRef' && ref.path.includes('decryption')) {
        if (!lookup.matches.some((data) => !data.keysKnown || [...data.keys].some((key) => DECRYPTION_KEY.test(key)))) {
          const [first] = lookup.matches;
          if (first) ctx.report({ resource: ref.referrer, path: ref.path, messageId: 'noDecryptionKey', data: { name: ref.name, keys: listKeys(first) } });
        }
      }
    }
  },
});

