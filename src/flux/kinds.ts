/** API groups, kinds and versions of the Flux objects the graph reads (reference §1–§4). */
import type { Resource } from '../model/workspace.js';

export const SOURCE_GROUP = 'source.toolkit.fluxcd.io';
export const KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
export const HELM_GROUP = 'helm.toolkit.fluxcd.io';
export const TERRAFORM_GROUP = 'infra.contrib.fluxcd.io';

export const SOURCE_KINDS = ['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket'] as const;
export type FluxSourceKind = (typeof SOURCE_KINDS)[number];

/** Source kinds each consumer accepts in its reference (reference §2.1, §3.1, §4.1). */
export const ACCEPTED_SOURCE_KINDS = {
  kustomization: ['GitRepository', 'OCIRepository', 'Bucket', 'ExternalArtifact'],
  helmChart: ['HelmRepository', 'GitRepository', 'Bucket'],
  helmChartRef: ['OCIRepository', 'HelmChart', 'ExternalArtifact'],
  terraform: ['GitRepository', 'OCIRepository', 'Bucket'],
} as const;

/** Kinds produced at run time by other controllers: nothing in git declares them. */
export const GENERATED_SOURCE_KINDS: ReadonlySet<string> = new Set(['ExternalArtifact']);

/** API group of a referenced kind (sources live in the source group). */
export function groupOfKind(kind: string): string | undefined {
  if ((SOURCE_KINDS as readonly string[]).includes(kind) || kind === 'HelmChart') return SOURCE_GROUP;
  if (kind === 'Kustomization') return KUSTOMIZE_GROUP;
  if (kind === 'HelmRelease') return HELM_GROUP;
  if (kind === 'Terraform') return TERRAFORM_GROUP;
  return undefined;
}

export function isKind(resource: Resource, kind: string, group: string): boolean {
  return resource.kind === kind && resource.group === group;
}

/**
 * Flux API versions that controllers no longer serve, with the Flux release that removed each
 * and the version to move to (source-controller 1.7/1.8, kustomize-controller 1.7/1.8,
 * helm-controller 1.4/1.5; reference §1.1, §2, §3).
 */
export const REMOVED_VERSIONS: Readonly<Record<string, { removed: Readonly<Record<string, string>>; current: string }>> = {
  [SOURCE_GROUP]: { removed: { v1beta1: 'Flux 2.7', v1beta2: 'Flux 2.8' }, current: 'v1' },
  [KUSTOMIZE_GROUP]: { removed: { v1beta1: 'Flux 2.7', v1beta2: 'Flux 2.8' }, current: 'v1' },
  [HELM_GROUP]: { removed: { v2beta1: 'Flux 2.7', v2beta2: 'Flux 2.8' }, current: 'v2' },
};

/** When `apiVersion` is a removed Flux version: the release that removed it and its replacement. */
export function removedApiVersion(apiVersion: string): { removedIn: string; replacement: string } | undefined {
  const slash = apiVersion.indexOf('/');
  if (slash === -1) return undefined;
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const entry = Object.hasOwn(REMOVED_VERSIONS, group) ? REMOVED_VERSIONS[group] : undefined;
  const removedIn = entry && Object.hasOwn(entry.removed, version) ? entry.removed[version] : undefined;
  if (!entry || removedIn === undefined) return undefined;
  return { removedIn, replacement: `${group}/${entry.current}` };
}
