/** Every Secret and ConfigMap the cluster will have, as far as the linted roots tell. */
import type { Model, Resource } from '../model/workspace.js';
import { asArray, asRecord, asString, getIn } from '../engine/values.js';
import { TERRAFORM_GROUP } from './kinds.js';
import type { DataSource } from './types.js';

function controllerSecret(resource: Resource, name: string | undefined, keys: Iterable<string>, keysKnown: boolean): DataSource | undefined {
  if (name === undefined) return undefined;
  return { kind: 'Secret', name, namespace: resource.appliedNamespace, keys: new Set(keys), keysKnown, origin: 'controller', resource, encrypted: false };
}

/** Secrets that controllers write from other objects, so that references to them are not false errors. */
function fromController(resource: Resource): DataSource | undefined {
  const spec = asRecord(resource.value.spec) ?? {};
  if (resource.kind === 'Terraform' && resource.group === TERRAFORM_GROUP) {
    // tofu-controller `writeOutputsToSecret`: one key per output (`output:key` renames).
    const target = asRecord(spec.writeOutputsToSecret);
    const outputs = asArray(target?.outputs).filter((output): output is string => typeof output === 'string');
    return controllerSecret(resource, asString(target?.name), outputs.map((output) => output.slice(output.indexOf(':') + 1)), outputs.length > 0);
  }
  if (resource.kind === 'SealedSecret' && resource.group === 'bitnami.com') {
    const keys = [...Object.keys(asRecord(spec.encryptedData) ?? {}), ...Object.keys(asRecord(getIn(spec, ['template', 'data'])) ?? {})];
    return controllerSecret(resource, asString(getIn(spec, ['template', 'metadata', 'name'])) ?? resource.name, keys, true);
  }
  if (resource.kind === 'ExternalSecret' && resource.group === 'external-secrets.io') {
    const keys = asArray(spec.data).map((item) => asString(asRecord(item)?.secretKey)).filter((key): key is string => key !== undefined);
    const known = spec.dataFrom === undefined && getIn(spec, ['target', 'template']) === undefined;
    return controllerSecret(resource, asString(getIn(spec, ['target', 'name'])) ?? resource.name, keys, known);
  }
  if (resource.kind === 'Certificate' && resource.group === 'cert-manager.io') {
    return controllerSecret(resource, asString(spec.secretName), ['tls.crt', 'tls.key', 'ca.crt'], true);
  }
  return undefined;
}

export function collectDataSources(model: Model): DataSource[] {
  const out: DataSource[] = model.configData.all.map((data) => ({
    kind: data.kind,
    name: data.name,
    namespace: data.namespace,
    keys: data.keys,
    keysKnown: data.keysKnown,
    origin: data.origin,
    resource: data.resource,
    encrypted: data.encrypted,
  }));
  for (const kind of ['Terraform', 'SealedSecret', 'ExternalSecret', 'Certificate']) {
    for (const resource of model.ofKind(kind)) {
      const data = fromController(resource);
      if (data) out.push(data);
    }
  }
  return out;
}
