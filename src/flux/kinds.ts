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

export const IMAGE_GROUP = 'image.toolkit.fluxcd.io';
export const NOTIFICATION_GROUP = 'notification.toolkit.fluxcd.io';

/**
 * Flux API versions that controllers no longer serve: the Flux 2.x minor release that removed
 * each, and the version to move to, by kind where kinds differ (FLUX-LAYOUTS §8: Flux 2.7 drops
 * source/kustomize v1beta1, helm v2beta1, image and notification v1beta1; 2.8 drops source and
 * kustomize v1beta2, helm v2beta2; 2.9 drops image and notification v1beta2. Notification Alert
 * and Provider are served as `v1beta3` only, Receiver as `v1`).
 */
export const REMOVED_VERSIONS: Readonly<Record<string, { removed: Readonly<Record<string, number>>; current: string; currentByKind?: Readonly<Record<string, string>> }>> = {
  [SOURCE_GROUP]: { removed: { v1beta1: 7, v1beta2: 8 }, current: 'v1' },
  [KUSTOMIZE_GROUP]: { removed: { v1beta1: 7, v1beta2: 8 }, current: 'v1' },
  [HELM_GROUP]: { removed: { v2beta1: 7, v2beta2: 8 }, current: 'v2' },
  [IMAGE_GROUP]: { removed: { v1beta1: 7, v1beta2: 9 }, current: 'v1' },
  [NOTIFICATION_GROUP]: { removed: { v1beta1: 7, v1beta2: 9 }, current: 'v1beta3', currentByKind: { Alert: 'v1beta3', Provider: 'v1beta3', Receiver: 'v1' } },
};

export interface RemovedApi {
  /** `Flux 2.8`. */
  removedIn: string;
  /** Minor version of the Flux 2 release that removed it. */
  removedMinor: number;
  /** The served `group/version` to use instead. */
  replacement: string;
}

/** When `apiVersion` is a removed Flux version: the release that removed it and its replacement for `kind`. */
export function removedApiVersion(apiVersion: string, kind?: string): RemovedApi | undefined {
  const slash = apiVersion.indexOf('/');
  if (slash === -1) return undefined;
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const entry = Object.hasOwn(REMOVED_VERSIONS, group) ? REMOVED_VERSIONS[group] : undefined;
  const removedMinor = entry && Object.hasOwn(entry.removed, version) ? entry.removed[version] : undefined;
  if (!entry || removedMinor === undefined) return undefined;
  const byKind = kind !== undefined && entry.currentByKind && Object.hasOwn(entry.currentByKind, kind) ? entry.currentByKind[kind] : undefined;
  const replacement = byKind !== undefined || !entry.currentByKind
    ? `${group}/${byKind ?? entry.current}`
    : Object.entries(entry.currentByKind).map(([k, v]) => `${group}/${v} (${k})`).join(' or ');
  return { removedIn: `Flux 2.${removedMinor}`, removedMinor, replacement };
}
