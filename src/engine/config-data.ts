import type { ExternalSecret } from '../config/types.js';
import type { ConfigData, ConfigDataIndex, KustomizeIndex, Resource } from '../model/workspace.js';
import { kustomizeNamespace } from './kustomize.js';
import { asArray, asRecord, asString, getIn } from './values.js';

/** Keys of the credential Secrets CloudNativePG generates (reference §9.1). */
export const CNPG_SECRET_KEYS: readonly string[] = [
  'username', 'user', 'password', 'dbname', 'host', 'port', 'pgpass', 'uri', 'jdbc-uri', 'fqdn-uri', 'fqdn-jdbc-uri',
];

function cnpgSecrets(cluster: Resource): ConfigData[] {
  const spec = asRecord(cluster.value.spec) ?? {};
  const bootstrap = asRecord(spec.bootstrap) ?? {};
  // A user-supplied owner Secret replaces the generated `-app` one.
  const userSecret = ['initdb', 'recovery', 'pg_basebackup'].some((method) => asString(getIn(bootstrap, [method, 'secret', 'name'])) !== undefined);
  const out: ConfigData[] = [];
  const base = { kind: 'Secret' as const, namespace: cluster.appliedNamespace, keys: new Set(CNPG_SECRET_KEYS), origin: 'cnpg' as const, resource: cluster, encrypted: false, keysKnown: true };
  if (!userSecret) out.push({ ...base, name: `${cluster.name}-app` });
  if (spec.enableSuperuserAccess === true && asString(getIn(spec, ['superuserSecret', 'name'])) === undefined) {
    out.push({ ...base, name: `${cluster.name}-superuser` });
  }
  return out;
}

function manifestData(resource: Resource): ConfigData {
  const fields = resource.kind === 'Secret' ? ['data', 'stringData'] : ['data', 'binaryData'];
  const keys = new Set<string>();
  for (const field of fields) for (const key of Object.keys(asRecord(resource.value[field]) ?? {})) keys.add(key);
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

export function buildConfigDataIndex(resources: readonly Resource[], kustomize: KustomizeIndex, external: readonly ExternalSecret[]): ConfigDataIndex {
  const all: ConfigData[] = [];
  for (const resource of resources) {
    if ((resource.kind === 'Secret' || resource.kind === 'ConfigMap') && resource.group === '') all.push(manifestData(resource));
    else if (resource.kind === 'Cluster' && resource.group === 'postgresql.cnpg.io') all.push(...cnpgSecrets(resource));
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
  const byName = new Map<string, ConfigData[]>();
  for (const data of all) {
    const key = `${data.kind}/${data.name}`;
    byName.set(key, [...(byName.get(key) ?? []), data]);
  }
  return {
    all,
    find(kind, name, namespace) {
      const candidates = byName.get(`${kind}/${name}`) ?? [];
      if (namespace === undefined) return candidates[0];
      // External Secrets without a namespace exist wherever they are needed.
      return candidates.find((data) => data.namespace === namespace) ?? candidates.find((data) => data.origin === 'external' && data.namespace === undefined);
    },
  };
}
