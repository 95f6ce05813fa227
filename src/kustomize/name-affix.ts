/**
 * kustomize `namePrefix` / `nameSuffix` (and Flux's): `metadata.name` of every object except
 * CustomResourceDefinitions, APIServices and Namespaces (kustomize
 * api/internal/builtins PrefixTransformer `prefixSuffixFieldSpecsToSkip`). References to the
 * renamed objects are fixed once at the end of the build (name-references.ts).
 */
import type { Location } from './origin.js';
import { currentId, notePatched, setIn, type KResource } from './resource.js';

function skipped(res: KResource): boolean {
  const id = currentId(res);
  return id.kind === 'CustomResourceDefinition' || id.kind === 'Namespace' || (id.group === 'apiregistration.k8s.io' && id.kind === 'APIService');
}

export function applyNameAffix(resources: readonly KResource[], affix: { prefix?: string; suffix?: string }, at: Location | undefined): void {
  if (!affix.prefix && !affix.suffix) return;
  for (const res of resources) {
    if (skipped(res)) continue;
    const name = currentId(res).name;
    res.previousNames = res.previousNames.concat(name);
    setIn(res, ['metadata', 'name'], `${affix.prefix ?? ''}${name}${affix.suffix ?? ''}`, at);
    if (at) notePatched(res, at);
  }
}
