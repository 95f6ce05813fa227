/**
 * Every Secret and ConfigMap reference that Flux or Kubernetes resolves, in one list: what
 * `secret-ref-exists` and `image-pull-secret-exists` check.
 */
import { describeObject } from '../flux/describe.js';
import type { Model } from '../model/model.js';
import { fluxRefs } from './flux.js';
import { helmReleaseTarget, renderReleaseTemplate } from './helm-release.js';
import { helmValuesRefs } from './helm-values.js';
import { containerRefs, podSpecRefs, type NameResolver } from './pods.js';
import type { DataRef } from './types.js';

export type { DataRef, RequiredKey } from './types.js';
export { helmReleaseTarget, renderReleaseTemplate } from './helm-release.js';

/**
 * Names as the consumer sees them. Helm values strings are chart templates: `{{ .Release.Name }}`
 * and `{{ .Release.Namespace }}` are rendered; references with other expressions, and names
 * holding a Flux substitution variable, are skipped with one note per object.
 */
function nameResolver(model: Model): NameResolver {
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

function collect(model: Model): DataRef[] {
  const resolveName = nameResolver(model);
  const all = [...containerRefs(model.containers, resolveName), ...podSpecRefs(model, resolveName), ...fluxRefs(model), ...helmValuesRefs(model, resolveName)];
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
