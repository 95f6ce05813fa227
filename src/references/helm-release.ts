import { createHash } from 'node:crypto';
import type { Resource } from '../model/workspace.js';
import { asString, getIn } from '../engine/values.js';

/** The Helm release a HelmRelease installs: its name and namespace, as helm-controller computes them. */
export interface HelmReleaseTarget {
  name: string;
  namespace: string | undefined;
}

/**
 * helm-controller's release name: `spec.releaseName`, else `<targetNamespace>-<name>` when
 * `targetNamespace` is set, else the object's name; longer than 53 characters, the first 40
 * characters, `-` and 12 hex digits of its SHA-256 (FLUX-LAYOUTS §6; HC api/v2
 * `GetReleaseName`, internal/release/name.go `ShortenName`). The namespace is
 * `targetNamespace`, else the HelmRelease's.
 */
export function helmReleaseTarget(resource: Resource): HelmReleaseTarget {
  const explicit = asString(getIn(resource.value, ['spec', 'releaseName']));
  const targetNamespace = asString(getIn(resource.value, ['spec', 'targetNamespace']));
  const full = explicit !== undefined && explicit !== '' ? explicit : targetNamespace ? `${targetNamespace}-${resource.name}` : resource.name;
  const name = full.length <= 53 ? full : `${full.slice(0, 40)}-${createHash('sha256').update(full).digest('hex').slice(0, 12)}`;
  return { name, namespace: targetNamespace || resource.appliedNamespace };
}

const TEMPLATE = /\{\{-?\s*(.*?)\s*-?\}\}/g;

/**
 * A Helm values string as the chart's `tpl` renders it, when its only template expressions
 * are `.Release.Name` and `.Release.Namespace`; `undefined` when it holds others (or the
 * namespace is unknown). Strings without `{{` come back unchanged.
 */
export function renderReleaseTemplate(text: string, release: HelmReleaseTarget): string | undefined {
  if (!text.includes('{{')) return text;
  let unknown = false;
  const rendered = text.replace(TEMPLATE, (_whole, expression: string) => {
    if (expression === '.Release.Name' || expression === '$.Release.Name') return release.name;
    if ((expression === '.Release.Namespace' || expression === '$.Release.Namespace') && release.namespace !== undefined) return release.namespace;
    unknown = true;
    return '';
  });
  return unknown || rendered.includes('{{') ? undefined : rendered;
}
