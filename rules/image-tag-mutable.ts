import { describeTag, MUTABLE_TAGS_OPTIONS, mutableImage, type MutableTagOptions } from '../src/engine/mutable-image.js';
import { defineRule } from '../src/model/rule.js';

export default defineRule<'mutableTag' | 'overriddenMutableTag', MutableTagOptions>({
  meta: {
    id: 'image-tag-mutable',
    description: 'Disallow mutable image tags such as latest in workloads and HelmRelease values',
    scope: 'cluster',
    category: 'reliability',
    defaultLevel: 'warning',
    recommended: true,
    messages: {
      mutableTag:
        'Image {{image}} has a mutable tag ({{tag}}): Flux applies manifests, not registry updates, so an image pushed again under this tag never rolls the pods, and nodes may run different builds. Pin a version tag or a digest, or let Flux image automation write the tag.',
      overriddenMutableTag:
        'Image {{image}}, set by the kustomize images entry for {{name}} in {{kustomization}}, has a mutable tag ({{tag}}): Flux applies manifests, not registry updates, so an image pushed again under this tag never rolls the pods. Set newTag (or digest) of that entry to a pinned version, or let Flux image automation write it.',
    },
    options: MUTABLE_TAGS_OPTIONS,
    defaultOptions: { mutableTags: ['latest'] },
    docs: {
      rationale:
        'Flux reconciles what is in git. When CI pushes a new image under the same tag (`latest`, `main`), nothing in git changes, so nothing is rolled out: the pods keep the image they started with until something else restarts them, and then each node may pull a different build. The seed repository runs its Dagster user code from `:latest` for exactly this reason and needs a manual `kubectl rollout restart`. Pin a version tag or a digest (Flux image automation can update it in git for you). The rule checks every container of every workload and every image in HelmRelease `spec.values`, using the image after kustomize `images:` overrides, so an override that pins the tag fixes the finding. An image without a tag means `latest`; a digest pins the image whatever its tag. In Helm values, an `image` string with a sibling `tag` (`image: airbyte/worker` next to `tag: latest`) is one image, `airbyte/worker:latest`, reported at the tag; an `image` mapping without `tag`, or a sibling `tag` left empty, is not reported, because the chart chooses the tag.',
      incorrect: [
        {
          title: 'latest in a Deployment',
          files: {
            'deploy/app.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cube\nspec:\n  template:\n    spec:\n      containers:\n        - name: cube\n          image: ghcr.io/matta-kelly/lotus-lake-cube:latest\n',
          },
        },
        {
          title: 'latest in HelmRelease values',
          files: {
            'deploy/dagster/release.yaml':
              'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: dagster\nspec:\n  values:\n    dagster-user-deployments:\n      deployments:\n        - name: lotus-lake\n          image:\n            repository: ghcr.io/matta-kelly/lotus-lake\n            tag: latest\n            pullPolicy: Always\n',
          },
        },
      ],
      correct: [
        {
          title: 'A version tag, a digest, and a kustomize override that pins the tag',
          files: {
            'deploy/kustomization.yaml': 'resources:\n  - app.yaml\nimages:\n  - name: ghcr.io/matta-kelly/lotus-lake-cube\n    newTag: 3f2a9c1\n',
            'deploy/app.yaml':
              'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cube\nspec:\n  template:\n    spec:\n      containers:\n        - name: cube\n          image: ghcr.io/matta-kelly/lotus-lake-cube:latest\n        - name: proxy\n          image: nginx:1.27.2\n        - name: agent\n          image: busybox@sha256:768e5c6f5cb6db0794eec98dc7a967f40631746c32232b78a3105fb946f3ab83\n',
          },
        },
      ],
      whenNotToUse: 'In throw-away development clusters where pods are restarted by hand after every push anyway.',
    },
  },
  check(ctx) {
    for (const container of ctx.model.containers) {
      const mutable = mutableImage(container, ctx.options.mutableTags);
      if (!mutable) continue;
      const tag = describeTag(mutable.tag);
      if (mutable.override) {
        ctx.report({
          resource: container.resource,
          path: container.image.tagPath,
          messageId: 'overriddenMutableTag',
          data: { image: mutable.image, tag, name: mutable.override.name, kustomization: mutable.override.kustomization.path },
        });
      } else {
        ctx.report({ resource: container.resource, path: container.image.tagPath, messageId: 'mutableTag', data: { image: mutable.image, tag } });
      }
    }
  },
});
