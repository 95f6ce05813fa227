import rule from '../../rules/image-tag-mutable.js';
import { RuleTester, yaml } from '../../src/testing/index.js';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'version tags and digests, including latest pinned by a digest',
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
                    image: ghcr.io/matta-kelly/lotus-lake-cube:3f2a9c1
                  - name: agent
                    image: busybox:latest@sha256:768e5c6f5cb6db0794eec98dc7a967f40631746c32232b78a3105fb946f3ab83
                  - name: proxy
                    image: registry.local:5000/proxy:1.2.0
        `,
      },
    },
    {
      name: 'a kustomize images entry pins the latest tag written in the manifest',
      files: {
        'deploy/kustomization.yaml': yaml`
          resources:
            - app.yaml
          images:
            - name: ghcr.io/matta-kelly/lotus-lake-cube
              newTag: 3f2a9c1
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
        `,
      },
    },
    {
      name: 'a Helm values image mapping without a tag is left to the chart',
      files: {
        'deploy/release.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: dagster
          spec:
            values:
              dagsterWebserver:
                image:
                  repository: docker.io/dagster/dagster-celery-k8s
                  pullPolicy: Always
        `,
      },
    },
    {
      name: 'a branch tag is not mutable unless configured',
      files: {
        'deploy/pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: debug
          spec:
            containers:
              - name: debug
                image: ghcr.io/acme/tools:main
        `,
      },
    },
    {
      name: 'Helm values: an image string with a pinned sibling tag, and one whose empty tag is left to the chart',
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
              webapp:
                image: airbyte/webapp
                tag: ""
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'latest in a Deployment',
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
        `,
      },
      errors: [
        {
          messageId: 'mutableTag',
          data: { image: 'ghcr.io/matta-kelly/lotus-lake-cube:latest', tag: 'latest' },
          file: 'deploy/app.yaml', line: 10, column: 18, endLine: 10, endColumn: 60,
        },
      ],
    },
    {
      name: 'an untagged init container behind a registry port and a latest image string in Helm values',
      files: {
        'jobs/backup.yaml': yaml`
          apiVersion: batch/v1
          kind: CronJob
          metadata:
            name: backup
          spec:
            schedule: "0 3 * * *"
            jobTemplate:
              spec:
                template:
                  spec:
                    initContainers:
                      - name: wait
                        image: registry.local:5000/wait
                    containers:
                      - name: backup
                        image: "ghcr.io/acme/backup:1.4.0"
        `,
        'apps/cube.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: cube
          spec:
            values:
              api:
                image: "ghcr.io/matta-kelly/lotus-lake-cube:latest"
        `,
      },
      errors: [
        {
          messageId: 'mutableTag',
          data: { image: 'ghcr.io/matta-kelly/lotus-lake-cube:latest', tag: 'latest' },
          file: 'apps/cube.yaml', line: 8, column: 14, endLine: 8, endColumn: 58,
        },
        {
          messageId: 'mutableTag',
          data: { image: 'registry.local:5000/wait', tag: 'no tag, which means latest' },
          file: 'jobs/backup.yaml', line: 13, column: 22, endLine: 13, endColumn: 46,
        },
      ],
    },
    {
      name: 'a kustomize images entry sets the latest tag',
      files: {
        'deploy/kustomization.yaml': yaml`
          resources:
            - app.yaml
          images:
            - name: cube
              newName: ghcr.io/matta-kelly/lotus-lake-cube
              newTag: latest
        `,
        'deploy/app.yaml': yaml`
          apiVersion: apps/v1
          kind: StatefulSet
          metadata:
            name: cube
          spec:
            template:
              spec:
                containers:
                  - name: cube
                    image: cube:1.0.0
        `,
      },
      errors: [
        {
          messageId: 'overriddenMutableTag',
          data: { image: 'ghcr.io/matta-kelly/lotus-lake-cube:latest', tag: 'latest', name: 'cube', kustomization: 'deploy/kustomization.yaml' },
          // The images entry is the line to edit: the finding lands there.
          file: 'deploy/kustomization.yaml', line: 4, column: 5, endLine: 4, endColumn: 15,
        },
      ],
    },
    {
      name: 'a configured branch tag in a Dagster user deployment points at the tag',
      options: { mutableTags: ['latest', 'main'] },
      files: {
        'deploy/dagster/release.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: dagster
            namespace: lotus-lake
          spec:
            values:
              dagster-user-deployments:
                deployments:
                  - name: lotus-lake
                    image:
                      repository: ghcr.io/matta-kelly/lotus-lake
                      tag: main
                      pullPolicy: Always
        `,
      },
      errors: [
        {
          messageId: 'mutableTag',
          data: { image: 'ghcr.io/matta-kelly/lotus-lake:main', tag: 'main' },
          file: 'deploy/dagster/release.yaml', line: 13, column: 18, endLine: 13, endColumn: 22,
        },
      ],
    },
    {
      name: 'Helm values: an image string with a sibling latest tag is one image, reported at the tag',
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
              webapp:
                image: airbyte/webapp
                tag: ""
        `,
      },
      errors: [{ messageId: 'mutableTag', data: { image: 'airbyte/worker:latest', tag: 'latest' }, file: 'deploy/release.yaml', line: 9, column: 12, endLine: 9, endColumn: 18 }],
    },
  ],
});
