import type { YamlPath } from '../model/finding.js';
import type { Resource } from '../model/workspace.js';

/** A set of keys the consumer needs, at least one of which must be in the object. */
export interface RequiredKey {
  /** Alternatives: any one of them satisfies the consumer (`value` or `value.yaml`). */
  anyOf: readonly string[];
  /** Why the consumer needs it, completing "needs because …" in the message. */
  reason: string;
}

/**
 * One reference to a Secret or ConfigMap that Flux or Kubernetes resolves, where it is read
 * from, and what failing it does.
 */
export interface DataRef {
  referrer: Resource;
  kind: 'Secret' | 'ConfigMap';
  name: string;
  /** Namespace the consumer reads it from (`undefined` when unknown). */
  namespace: string | undefined;
  /** Path of the `name` node. */
  path: YamlPath;
  /** A key that must exist, with the path of its node. */
  key?: { name: string; path: YamlPath };
  /** Keys the consumer needs although the reference does not name them (reported at `path`). */
  requiredKeys?: readonly RequiredKey[];
  /** The consumer needs a SOPS decryption key entry (`*.agekey`, `*.asc`, ...). */
  decryptionKey?: boolean;
  /** Only the key is checked here; another reference checks the object. */
  keyOnly?: boolean;
  /** `optional: true`: a missing object is fine (and, with `optionalKey`, a missing key). */
  optional: boolean;
  /** Whether `optional` also covers a missing key. */
  optionalKey: boolean;
  /** An `imagePullSecrets` entry: the kubelet pulls without it (rule image-pull-secret-exists). */
  pullSecret?: boolean;
  /**
   * A Secret that is by nature created outside git (a kubeconfig for a remote cluster): when it
   * is not in the linted roots or `externalSecrets`, it is noted, not reported.
   */
  outOfBand?: string;
  /** With `outOfBand`: noted even when copies exist in other namespaces (they are not the one read). */
  outOfBandAnywhere?: boolean;
  effect: string;
  /** Why the namespace is the one it is read from. */
  scope: string;
}

export const POD_SCOPE = 'a pod reads Secrets and ConfigMaps only from its own namespace';
export const KUSTOMIZATION_SCOPE = "substituteFrom and decryption read from the Kustomization's own namespace, not from targetNamespace";
export const SAME_NAMESPACE = 'the controller reads it from the namespace of the object that references it';
