import { removedApiVersion } from '../src/flux/kinds.js';
import { asString } from '../src/engine/values.js';
import { defineRule } from '../src/model/rule.js';

/** References that may carry an `apiVersion` of the object they point at. */
const REFERENCE_PATHS = [
  ['spec', 'sourceRef'],
  ['spec', 'chartRef'],
  ['spec', 'chart', 'spec', 'sourceRef'],
] as const;

export default defineRule<'removed' | 'removedInReference'>({
  meta: {
    id: 'flux-api-version',
    description: 'Disallow Flux API versions that the Flux controllers no longer serve',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      removed:
        'API version {{apiVersion}} was removed in {{removedIn}}: the API server no longer accepts this {{kind}}, so the Kustomization applying it fails. Change apiVersion to {{replacement}}.',
      removedInReference:
        'This reference asks for {{apiVersion}}, which was removed in {{removedIn}}: the controller cannot read the {{kind}} it points at. Change apiVersion to {{replacement}}, or drop the field to use the served version.',
    },
    docs: {
      rationale:
        'Flux 2.7 stopped serving the `v1beta1` source and Kustomization APIs and `helm.toolkit.fluxcd.io/v2beta1`; Flux 2.8 removed `v1beta2` and `v2beta2`. After an upgrade, a manifest still written against a removed version is rejected by the API server, and the Kustomization that applies it fails as a whole, so everything else in it stops reconciling too. The fix is mechanical: the fields of the stable `v1` (sources, Kustomization) and `v2` (HelmRelease) APIs are a superset for common use. An `apiVersion` inside a `sourceRef` or `chartRef` is checked too.',
      incorrect: [
        {
          title: 'A HelmRelease on v2beta1',
          files: {
            'infra/tofu-controller.yaml':
              'apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\nmetadata:\n  name: tofu-controller\n  namespace: flux-system\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: tofu-controller\n      sourceRef:\n        kind: HelmRepository\n        name: tofu-controller\n',
          },
        },
        {
          title: 'A GitRepository on v1beta2',
          files: {
            'clusters/source.yaml':
              'apiVersion: source.toolkit.fluxcd.io/v1beta2\nkind: GitRepository\nmetadata:\n  name: lotus-lake\n  namespace: lotus-lake\nspec:\n  interval: 5m\n  url: https://github.com/matta-kelly/lotus-lake\n',
          },
        },
      ],
      correct: [
        {
          files: {
            'infra/tofu-controller.yaml':
              'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: tofu-controller\n  namespace: flux-system\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: tofu-controller\n      sourceRef:\n        kind: HelmRepository\n        name: tofu-controller\n',
          },
        },
      ],
    },
  },
  check(ctx) {
    for (const resource of ctx.model.resources) {
      const removed = removedApiVersion(resource.apiVersion);
      if (removed) {
        ctx.report({ resource, path: ['apiVersion'], messageId: 'removed', data: { apiVersion: resource.apiVersion, kind: resource.kind, ...removed } });
      }
      if (!resource.group.endsWith('.fluxcd.io')) continue;
      for (const path of REFERENCE_PATHS) {
        const apiVersion = asString(resource.get([...path, 'apiVersion']));
        const removedRef = apiVersion === undefined ? undefined : removedApiVersion(apiVersion);
        if (!apiVersion || !removedRef) continue;
        const kind = asString(resource.get([...path, 'kind'])) ?? 'object';
        ctx.report({ resource, path: [...path, 'apiVersion'], messageId: 'removedInReference', data: { apiVersion, kind, ...removedRef } });
      }
    }
  },
});
