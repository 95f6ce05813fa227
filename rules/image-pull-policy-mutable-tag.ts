import { defineRule } from '../src/model/rule.js';
import { describeTag, MUTABLE_TAGS_OPTIONS, mutableImage, type MutableTagOptions } from '../src/engine/mutable-image.js';

export default defineRule<'explicitPolicy' | 'defaultPolicy', MutableTagOptions>({
  meta: {
    id: 'image-pull-policy-mutable-tag',
    description: 'Require imagePullPolicy Always for images with a mutable tag',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      explicitPolicy:
        'Image {{image}} has a mutable tag ({{tag}}) but imagePullPolicy {{policy}}: a node that already holds an image under this tag keeps running it, so pods serve a stale build that differs from node to node. Set the pull policy to Always, or better pin a version tag or a digest.',
      defaultPolicy:
        'Image {{image}} has a mutable tag ({{tag}}) and no imagePullPolicy, so Kubernetes defaults it to IfNotPresent: a node that already holds an image under this tag keeps running it, so pods serve a stale build that differs from node to node. Set imagePullPolicy: Always, or better pin a version tag or a digest.',
    },
    options: MUTABLE_TAGS_OPTIONS,
    defaultOptions: { mutableTags: ['latest'] },
    docs: {
      rationale:
        'With `IfNotPresent` (or `Never`) the kubelet uses whatever image a node already has under the tag. For a tag that CI moves (`latest`, `main`), that is an old build, and a different old build on each node. Kubernetes defaults the policy to `Always` only for `latest` or a missing tag (and computes it from the image after kustomize `images:` overrides); any other mutable tag, such as `main`, defaults to `IfNotPresent`. The finding points at the `imagePullPolicy` (or Helm `pullPolicy`) written, or at the tag when the default applies. A Helm values image without `pullPolicy` is not reported: the chart decides the default. An `image` string with sibling `tag` and `pullPolicy` keys is read as one image with that tag and policy.',
      incorrect: [
        {
          title: 'IfNotPresent with latest',
          files: {
            'deploy/app.yaml':
              'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cube\nspec:\n  template:\n    spec:\n      containers:\n        - name: cube\n          image: ghcr.io/matta-kelly/lotus-lake-cube:latest\n          imagePullPolicy: IfNotPresent\n',
          },
        },
        {
          title: 'A Helm values image on a branch tag',
          options: { mutableTags: ['latest', 'main'] },
          files: {
            'deploy/dagster/release.yaml':
              'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: dagster\nspec:\n  values:\n    dagster-user-deployments:\n      deployments:\n        - name: lotus-lake\n          image:\n            repository: ghcr.io/matta-kelly/lotus-lake\n            tag: main\n            pullPolicy: IfNotPresent\n',
          },
        },
      ],
      correct: [
        {
          title: 'Always with latest, the default policy for latest, and IfNotPresent with a pinned tag',
          files: {
            'deploy/app.yaml':
              'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cube\nspec:\n  template:\n    spec:\n      containers:\n        - name: cube\n          image: ghcr.io/matta-kelly/lotus-lake-cube:latest\n          imagePullPolicy: Always\n        - name: sidecar\n          image: ghcr.io/matta-kelly/sidecar\n        - name: proxy\n          image: nginx:1.27.2\n          imagePullPolicy: IfNotPresent\n',
          },
        },
      ],
      whenNotToUse: 'When nodes cannot reach the registry at all and images are preloaded on purpose.',
    },
  },
  check(ctx) {
    for (const container of ctx.model.containers) {
      const policy = container.pullPolicy.value;
      if (policy === undefined || policy === 'Always') continue;
      const mutable = mutableImage(container, ctx.options.mutableTags);
      if (!mutable) continue;
      const data = { image: mutable.image, tag: describeTag(mutable.tag), policy };
      if (container.pullPolicy.explicit && container.pullPolicy.path) {
        ctx.report({ resource: container.resource, path: container.pullPolicy.path, messageId: 'explicitPolicy', data });
      } else {
        ctx.report({ resource: container.resource, path: container.image.tagPath, messageId: 'defaultPolicy', data });
      }
    }
  },
});
