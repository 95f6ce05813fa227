import rule from '../../rules/image-pull-policy-mutable-tag.js';
import { RuleTester, yaml } from '../../src/testing/index.js';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'Always with latest, and the default policy for latest or no tag',
      files: {
        'deploy/app.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: cube
          spec:
            template:
              spec:
                containers:
                  - name: cube
                    image: ghcr.io/matta-kelly/lotus-lake-cube:latest
                    imagePullPolicy: Always
                  - name: sidecar
                    image: ghcr.io/matta-kelly/sidecar
                  - name: agent
                    image: ghcr.io/matta-kelly/agent:latest
        `,
      },
    },
    {
      name: 'IfNotPresent with a pinned tag or a digest',
      files: {
        'deploy/app.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: tools
          spec:
            containers:
              - name: tools
                image: ghcr.io/acme/tools:2.1.0
                imagePullPolicy: IfNotPresent
              - name: pinned
                image: ghcr.io/acme/tools:latest@sha256:768e5c6f5cb6db0794eec98dc7a967f40631746c32232b78a3105fb946f3ab83
                imagePullPolicy: IfNotPresent
        `,
      },
    },
    {
      name: 'a kustomize images entry pins the tag of an IfNotPresent container',
      files: {
        'deploy/kustomization.yaml': yaml`
          resources:
            - app.yaml
          images:
            - name: ghcr.io/matta-kelly/lotus-lake-cube
              digest: sha256:768e5c6f5cb6db0794eec98dc7a967f40631746c32232b78a3105fb946f3ab83
        `,
        'deploy/app.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: cube
          spec:
            template:
              spec:
                containers:
                  - name: cube
                    image: ghcr.io/matta-kelly/lotus-lake-cube:latest
                    imagePullPolicy: IfNotPresent
        `,
      },
    },
    {
      name: 'a Helm values image without pullPolicy gets no finding',
      files: {
        'deploy/release.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: dagster
          spec:
            values:
              dagster-user-deployments:
                deployments:
                  - name: lotus-lake
                    image:
                      repository: ghcr.io/matta-kelly/lotus-lake
                      tag: latest
        `,
      },
    },
    {
      name: 'Helm values: IfNotPresent with an image string whose sibling tag is pinned',
      files: {
        'deploy/release.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: airbyte
          spec:
            values:
              worker:
                image: airbyte/worker
                tag: "1.6.1"
                pullPolicy: IfNotPresent
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'IfNotPresent with latest in a Deployment',
      files: {
        'deploy/app.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: cube
          spec:
            template:
              spec:
                containers:
                  - name: cube
                    image: ghcr.io/matta-kelly/lotus-lake-cube:latest
                    imagePullPolicy: IfNotPresent
        `,
      },
      errors: [
        {
          messageId: 'explicitPolicy',
          data: { image: 'ghcr.io/matta-kelly/lotus-lake-cube:latest', tag: 'latest', policy: 'IfNotPresent' },
          file: 'deploy/app.yaml', line: 11, column: 28, endLine: 11, endColumn: 40,
        },
      ],
    },
    {
      name: 'Never without a tag, and a Helm values pullPolicy with latest',
      files: {
        'deploy/pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: debug
          spec:
            containers:
              - image: ghcr.io/acme/tools
                imagePullPolicy: Never
                name: tools
        `,
        'deploy/dagster/release.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: dagster
          spec:
            values:
              dagster-user-deployments:
                deployments:
                  - name: lotus-lake
                    image:
                      repository: ghcr.io/matta-kelly/lotus-lake
                      tag: latest
                      pullPolicy: IfNotPresent
        `,
      },
      errors: [
        {
          messageId: 'explicitPolicy',
          data: { image: 'ghcr.io/matta-kelly/lotus-lake:latest', tag: 'latest', policy: 'IfNotPresent' },
          file: 'deploy/dagster/release.yaml', line: 13, column: 25, endLine: 13, endColumn: 37,
        },
        {
          messageId: 'explicitPolicy',
          data: { image: 'ghcr.io/acme/tools', tag: 'no tag, which means latest', policy: 'Never' },
          file: 'deploy/pod.yaml', line: 8, column: 24, endLine: 8, endColumn: 29,
        },
      ],
    },
    {
      name: 'a configured branch tag gets IfNotPresent by default',
      options: { mutableTags: ['latest', 'main'] },
      files: {
        'deploy/app.yaml': yaml`
          apiVersion: apps/v1
          kind: DaemonSet
          metadata:
            name: agent
          spec:
            template:
              spec:
                containers:
                  - name: agent
                    image: ghcr.io/acme/agent:main
        `,
      },
      errors: [
        {
          messageId: 'defaultPolicy',
          data: { image: 'ghcr.io/acme/agent:main', tag: 'main' },
          file: 'deploy/app.yaml', line: 10, column: 18, endLine: 10, endColumn: 41,
        },
      ],
    },
    {
      name: 'a kustomize images entry moves a pinned IfNotPresent image to latest',
      files: {
        'deploy/kustomization.yaml': yaml`
          resources:
            - app.yaml
          images:
            - name: ghcr.io/acme/agent
              newTag: latest
        `,
        'deploy/app.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: agent
          spec:
            template:
              spec:
                containers:
                  - name: agent
                    imagePullPolicy: IfNotPresent
                    image: ghcr.io/acme/agent:1.0.0
        `,
      },
      errors: [
        {
          messageId: 'explicitPolicy',
          data: { image: 'ghcr.io/acme/agent:latest', tag: 'latest', policy: 'IfNotPresent' },
          file: 'deploy/app.yaml', line: 10, column: 28, endLine: 10, endColumn: 40,
        },
      ],
    },
    {
      name: 'Helm values: IfNotPresent next to an image string and a sibling latest tag',
      files: {
        'deploy/release.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: airbyte
          spec:
            values:
              worker:
                image: airbyte/worker
                tag: latest
                pullPolicy: IfNotPresent
        `,
      },
      errors: [
        {
          messageId: 'explicitPolicy',
          data: { image: 'airbyte/worker:latest', tag: 'latest', policy: 'IfNotPresent' },
          file: 'deploy/release.yaml', line: 10, column: 19, endLine: 10, endColumn: 31,
        },
      ],
    },
  ],
});
