/**
 * Every Secret and ConfigMap reference that Flux or Kubernetes resolves, in one list: what
 * `secret-ref-exists` and `image-pull-secret-exists` check.
 */
import { describeObject } from '../flux/describe.js';
import type { Model } from '../model/model.js';
import { fluxRefs } from './flux.js';
import { helmReleaseTarget, renderReleaseTemplate } from './helm-release.js';
import { helmValuesRefs, helmValuesRefsOf } from './helm-values.js';
import { containerRefs, podSpecRefs, podSpecRefsOf, serviceAccountRefs, type NameResolver } from './pods.js';
import { reuse } from '../engine/reuse.js';
import { HELM_GROUP } from '../flux/kinds.js';
import type { RunNote } from '../model/finding.js';
import type { Container, Resource } from '../model/workspace.js';
import type { DataRef } from './types.js';

export type { DataRef, RequiredKey } from './types.js';
export { helmReleaseTarget, renderReleaseTemplate } from './helm-release.js';

/**
 * Names as the consumer sees them. Helm values strings are chart templates: `{{ .Release.Name }}`
 * and `{{ .Release.Namespace }}` are rendered; references with other expressions, and names
 * holding a Flux substitution variable, are skipped with one note per object.
 */
function nameResolver(model: Pick<Model, 'note'>): NameResolver {
  return (referrer, raw, origin) => {
    if (origin !== 'helmValues' || !raw.includes('{{')) return raw;
    const rendered = renderReleaseTemplate(raw, helmReleaseTarget(referrer));
    if (rendered === undefined) {
      model.note({
        message: `Secret and ConfigMap references in the values of ${describeObject(referrer)} that use chart template expressions other than {{ .Release.Name }} and {{ .Release.Namespace }} were not checked.`,
        file: referrer.file.absPath,
      });
    }
    return rendered;
  };
}

const cache = new WeakMap<Model, readonly DataRef[]>();

/** Every reference of the model, collected once per model (two rules read them). */
export function dataReferences(model: Model): readonly DataRef[] {
  let refs = cache.get(model);
  if (!refs) cache.set(model, (refs = collect(model)));
  return refs;
}

/**
 * The references one object gives (a container, a pod spec, a HelmRelease's values) and the
 * notes made finding them, for the language server's next run: an unchanged object is the
 * same object there, and its references are the same while its referrer's applied namespace
 * (which the release namespace and template rendering read) is too. Notes are made again, in
 * their place.
 */
interface KeptRefs {
  namespace: string | undefined;
  refs: DataRef[];
  notes: RunNote[];
}

const byContainer = new WeakMap<Container, KeptRefs>();
const byPodSpec = new WeakMap<Resource, KeptRefs>();
const byValues = new WeakMap<Resource, KeptRefs>();

function collect(model: Model): DataRef[] {
  if (!reuse.enabled) {
    const resolveName = nameResolver(model);
    return usable(model, [...containerRefs(model.containers, resolveName), ...podSpecRefs(model, resolveName), ...fluxRefs(model), ...helmValuesRefs(model, resolveName)]);
  }
  let made: RunNote[] | undefined;
  const resolveName = nameResolver({
    note: (note) => {
      made?.push(note);
      model.note(note);
    },
  });
  const all: DataRef[] = [];
  const kept = <K extends object>(memo: WeakMap<K, KeptRefs>, key: K, referrer: Resource, find: (refs: DataRef[]) => void): void => {
    const namespace = referrer.appliedNamespace;
    let entry = memo.get(key);
    if (entry !== undefined && entry.namespace === namespace) {
      for (let index = 0; index < entry.notes.length; index++) model.note(entry.notes[index]!);
    } else {
      made = [];
      entry = { namespace, refs: [], notes: made };
      find(entry.refs);
      made = undefined;
      memo.set(key, entry);
    }
    for (let index = 0; index < entry.refs.length; index++) all.push(entry.refs[index]!);
  };
  const containers = model.containers;
  for (let index = 0; index < containers.length; index++) {
    const container = containers[index]!;
    kept(byContainer, container, container.resource, (refs) => {
      for (const ref of containerRefs([container], resolveName)) refs.push(ref);
    });
  }
  const resources = model.resources;
  for (let index = 0; index < resources.length; index++) {
    const resource = resources[index]!;
    kept(byPodSpec, resource, resource, (refs) => podSpecRefsOf(resource, resolveName, refs));
  }
  serviceAccountRefs(model, resolveName, all);
  for (const ref of fluxRefs(model)) all.push(ref);
  for (const resource of model.ofKind('HelmRelease', HELM_GROUP)) kept(byValues, resource, resource, (refs) => helmValuesRefsOf(resource, resolveName, refs));
  return usable(model, all);
}

/** The references that are checked: the others are noted. */
function usable(model: Model, all: DataRef[]): DataRef[] {
  return all.filter((ref) => {
    // A sync source the linter made is checked through the FluxInstance (its pullSecret); the sync
    // Kustomization is not: what the FluxInstance's patches add to it (decryption) is checked there.
    if (ref.referrer.synthetic !== undefined && ref.referrer.kind !== 'Kustomization') return false;
    if (!ref.name.includes('${')) return true;
    // Flux substitutes the variable before applying; its value is not known here.
    model.note({ message: `Secret and ConfigMap references of ${describeObject(ref.referrer)} whose names hold a Flux substitution variable (\${…}) were not checked.`, file: ref.referrer.file.absPath });
    return false;
  });
}
