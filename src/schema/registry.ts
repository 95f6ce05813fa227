/**
 * Where the schema of an `apiVersion`/`kind` comes from: a CRD found in the linted roots, or a
 * vendored schema file under `schemas/`. Files are read on first use of one of their kinds, and
 * CRD schemas are converted on first use, so a run pays only for the kinds it meets.
 *
 * CRDs win over vendored schemas: a repository that ships its own CRDs (a Flux
 * `gotk-components.yaml`, a tofu-controller install) describes the API its cluster serves.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crdSchema, crdVersions, type CrdVersion } from './crd.js';
import type { Schema } from './types.js';
import { DefinitionMap, parseVendoredFamily, type VendoredFamily } from './vendored.js';

export interface VendoredFile {
  /** Path relative to the `schemas/` directory. */
  file: string;
  /** Whether this file may hold the API group. */
  covers(group: string): boolean;
}

export const VENDORED: readonly VendoredFile[] = [
  { file: 'kubernetes/kubernetes.json', covers: (group) => group === '' || !group.includes('.') || group.endsWith('.k8s.io') },
  { file: 'flux/flux.json', covers: (group) => group.endsWith('.toolkit.fluxcd.io') },
  { file: 'kubernetes/cloudnative-pg.json', covers: (group) => group === 'postgresql.cnpg.io' },
];

const KUBERNETES = VENDORED[0]!;

/**
 * The cluster-scoped kinds of the vendored schemas, by `group/Kind` (`/Kind` for the core
 * group); every other vendored kind is namespaced (Kubernetes API discovery, `namespaced`).
 */
const VENDORED_CLUSTER_SCOPED = new Set([
  '/ComponentStatus', '/Namespace', '/Node', '/PersistentVolume',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy', 'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration', 'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding', 'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'apiextensions.k8s.io/CustomResourceDefinition', 'apiregistration.k8s.io/APIService',
  'authentication.k8s.io/SelfSubjectReview', 'authentication.k8s.io/TokenReview',
  'authorization.k8s.io/SelfSubjectAccessReview', 'authorization.k8s.io/SelfSubjectRulesReview', 'authorization.k8s.io/SubjectAccessReview',
  'certificates.k8s.io/CertificateSigningRequest', 'flowcontrol.apiserver.k8s.io/FlowSchema', 'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'networking.k8s.io/IngressClass', 'networking.k8s.io/IPAddress', 'networking.k8s.io/ServiceCIDR', 'node.k8s.io/RuntimeClass',
  'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'resource.k8s.io/DeviceClass', 'resource.k8s.io/ResourceSlice', 'scheduling.k8s.io/PriorityClass',
  'storage.k8s.io/CSIDriver', 'storage.k8s.io/CSINode', 'storage.k8s.io/StorageClass', 'storage.k8s.io/VolumeAttachment',
  'storage.k8s.io/VolumeAttributesClass', 'postgresql.cnpg.io/ClusterImageCatalog',
]);

export interface ResolvedSchema {
  schema: Schema;
  source: 'crd' | 'vendored';
}

/** Finds `schemas/` by walking up from this module: it sits at a different depth in src/ and dist/. */
export function findSchemaDir(start = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'schemas');
    if (existsSync(path.join(candidate, KUBERNETES.file))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`gitops-lint: schemas/ not found above ${start}`);
}

function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** Parsed vendored files, shared by every registry: they never change while the process runs (LSP). */
const parsedFiles = new Map<string, VendoredFamily | null>();

function readFamily(file: string): VendoredFamily | null {
  let family = parsedFiles.get(file);
  if (family === undefined) {
    // Definitions are parsed on first use (see vendored.ts).
    family = existsSync(file) ? parseVendoredFamily(readFileSync(file, 'utf8')) : null;
    parsedFiles.set(file, family);
  }
  return family;
}

export class SchemaRegistry {
  /** Definitions of every loaded file; names are globally unique (`IoK8sApiCoreV1Container`). */
  private readonly vendoredDefinitions = new DefinitionMap();
  readonly definitions: Map<string, Schema> = this.vendoredDefinitions;
  private readonly loaded = new Map<string, VendoredFamily | null>();
  private readonly crds = new Map<string, CrdVersion>();
  private readonly resolved = new Map<string, ResolvedSchema | null>();
  /** `resolved` by apiVersion and kind. */
  private readonly lookups = new Map<string, Map<string, ResolvedSchema | null>>();
  private schemaDir: string | undefined;
  /** The `schemaDir` given (undefined: the package's own) and every CRD object added, in order: all that decides a lookup. */
  readonly inputs: { readonly schemaDir: string | undefined; readonly crds: unknown[] };

  constructor(schemaDir?: string) {
    this.schemaDir = schemaDir;
    this.inputs = { schemaDir, crds: [] };
  }

  /** Registers the served versions of a CRD object; returns how many kinds it added. */
  addCrd(crd: unknown): number {
    this.inputs.crds.push(crd);
    const versions = crdVersions(crd);
    for (const version of versions) {
      const key = `${apiVersionOf(version.group, version.version)}/${version.kind}`;
      this.crds.set(key, version);
      this.resolved.delete(key);
      this.lookups.clear();
    }
    return versions.length;
  }

  /** The schema for a kind, or undefined when neither a CRD nor a vendored file knows it. */
  lookup(apiVersion: string, kind: string): ResolvedSchema | undefined {
    // By apiVersion, then kind: asked once or twice per object, without a joined key each time.
    let byKind = this.lookups.get(apiVersion);
    if (!byKind) this.lookups.set(apiVersion, (byKind = new Map()));
    let result = byKind.get(kind);
    if (result === undefined) {
      const key = `${apiVersion}/${kind}`;
      result = this.resolved.get(key);
      if (result === undefined) {
        result = this.resolve(apiVersion, kind, key) ?? null;
        this.resolved.set(key, result);
      }
      byKind.set(kind, result);
    }
    return result ?? undefined;
  }

  /**
   * Whether objects of a kind live in a namespace: a CRD's `spec.scope`, or what the API
   * server says of a vendored kind; `undefined` when neither knows the kind.
   */
  scope(apiVersion: string, kind: string): 'Namespaced' | 'Cluster' | undefined {
    const crd = this.crds.get(`${apiVersion}/${kind}`);
    if (crd) return crd.scope;
    if (this.lookup(apiVersion, kind)?.source !== 'vendored') return undefined;
    const slash = apiVersion.lastIndexOf('/');
    return VENDORED_CLUSTER_SCOPED.has(`${slash < 0 ? '' : apiVersion.slice(0, slash)}/${kind}`) ? 'Cluster' : 'Namespaced';
  }

  private resolve(apiVersion: string, kind: string, key: string): ResolvedSchema | undefined {
    const crd = this.crds.get(key);
    if (crd) {
      // CRD schemas refer to the Kubernetes ObjectMeta for `metadata`.
      this.load(KUBERNETES);
      return { schema: crdSchema(crd), source: 'crd' };
    }
    const slash = apiVersion.lastIndexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    for (const vendored of VENDORED) {
      if (!vendored.covers(group)) continue;
      const family = this.load(vendored);
      const name = family?.kinds[key];
      if (name !== undefined) return { schema: { $ref: `#/definitions/${name}` }, source: 'vendored' };
    }
    return undefined;
  }

  private load(vendored: VendoredFile): VendoredFamily | null {
    let family = this.loaded.get(vendored.file);
    if (family !== undefined) return family;
    this.schemaDir ??= findSchemaDir();
    family = readFamily(path.join(this.schemaDir, vendored.file));
    this.loaded.set(vendored.file, family);
    if (family) this.vendoredDefinitions.addFamily(family);
    return family;
  }
}
