import { describe, expect, it } from 'vitest';
import rule from '../../rules/schema-valid.js';
import { lintExample, RuleTester, yaml } from '../../src/testing/index.js';

const terraformCrd = yaml`
  apiVersion: apiextensions.k8s.io/v1
  kind: CustomResourceDefinition
  metadata:
    name: terraforms.infra.contrib.fluxcd.io
  spec:
    group: infra.contrib.fluxcd.io
    names:
      kind: Terraform
      plural: terraforms
    scope: Namespaced
    versions:
      - name: v1alpha2
        served: true
        storage: true
        schema:
          openAPIV3Schema:
            type: object
            required: [spec]
            properties:
              apiVersion:
                type: string
              kind:
                type: string
              metadata:
                type: object
              spec:
                type: object
                required: [interval, sourceRef]
                properties:
                  interval:
                    type: string
                  path:
                    type: string
                  approvePlan:
                    type: string
                  sourceRef:
                    type: object
                    required: [kind, name]
                    properties:
                      kind:
                        type: string
                        enum: [GitRepository, Bucket, OCIRepository]
                      name:
                        type: string
                      namespace:
                        type: string
                  values:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
`;

new RuleTester().run(rule, {
  valid: [
    {
      name: 'a document with a syntax error gets no schema findings from what the parser recovered',
      files: {
        'deploy/app.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: app
          spec:
            selector:
              matchLabels: {app: app}
            template:
              metadata:
                labels: {app: app}
              spec:
                containers:
                  - name: app
                  image: ghcr.io/acme/app:1.0.0
                  env:
                    - name: A
                      value: b
        `,
      },
    },
    {
      name: 'a Deployment, a Service and a ConfigMap that match the Kubernetes schemas',
      files: {
        'deploy/web.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: web
            namespace: apps
            annotations:
          spec:
            replicas: 2
            selector:
              matchLabels: {app: web}
            strategy:
              rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}
            template:
              metadata:
                labels: {app: web}
              spec:
                containers:
                  - name: web
                    image: nginx:1.27.3
                    imagePullPolicy: IfNotPresent
                    ports:
                      - containerPort: 80
                        name: http
                    resources:
                      limits: {cpu: 1, memory: 256Mi}
                    readinessProbe:
                      httpGet: {path: /, port: http}
          ---
          apiVersion: v1
          kind: Service
          metadata:
            name: web
          spec:
            selector: {app: web}
            ports:
              - port: 80
                targetPort: http
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: web
          data:
            mode: "1"
        `,
      },
    },
    {
      name: 'Flux sources, Kustomization and a HelmRelease with free-form values',
      files: {
        'clusters/apps.yaml': yaml`
          apiVersion: source.toolkit.fluxcd.io/v1
          kind: GitRepository
          metadata:
            name: lotus-lake
          spec:
            interval: 1m
            url: https://github.com/example/lotus-lake
            ref: {branch: main}
          ---
          apiVersion: kustomize.toolkit.fluxcd.io/v1
          kind: Kustomization
          metadata:
            name: lotus-lake
          spec:
            interval: 10m
            path: ./deploy
            prune: true
            sourceRef: {kind: GitRepository, name: lotus-lake}
            decryption: {provider: sops, secretRef: {name: sops-age}}
            postBuild:
              substitute: {cluster: prod}
          ---
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: dagster
          spec:
            interval: 10m
            chart:
              spec:
                chart: dagster
                version: "1.9.0"
                sourceRef: {kind: HelmRepository, name: dagster}
            values:
              dagsterWebserver:
                replicaCount: 1
                anything: [goes, {here: true}]
        `,
      },
    },
    {
      name: 'the sops block of an encrypted Secret is not part of the object',
      files: {
        'deploy/secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
            name: backup
          type: Opaque
          stringData:
            password: ENC[AES256_GCM,data:bm90LWEtc2VjcmV0,iv:AAAA,tag:BBBB==,type:str]
          sops:
            mac: ENC[AES256_GCM,data:abc,iv:AAAA,tag:BBBB==,type:str]
            lastmodified: "2024-01-01T00:00:00Z"
            version: 3.9.0
        `,
      },
    },
    {
      name: 'a Terraform object matching the CRD found in the repository',
      files: {
        'crds/terraform.yaml': terraformCrd,
        'infra/terraform.yaml': yaml`
          apiVersion: infra.contrib.fluxcd.io/v1alpha2
          kind: Terraform
          metadata:
            name: airbyte
          spec:
            interval: 1h
            path: ./orchestration/airbyte/terraform
            sourceRef: {kind: GitRepository, name: lotus-lake}
            values:
              free: [form]
        `,
      },
    },
    {
      name: 'kinds without a schema are skipped',
      files: {
        'deploy/widget.yaml': yaml`
          apiVersion: example.com/v1
          kind: Widget
          metadata:
            name: w
          spec:
            anything: 1
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'replicas given as a word and a misspelt field in a Deployment',
      files: {
        'deploy/web.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: web
          spec:
            replicas: two
            replica: 3
            selector:
              matchLabels: {app: web}
            template:
              metadata:
                labels: {app: web}
              spec:
                containers:
                  - name: web
                    image: nginx:1.27.3
        `,
      },
      errors: [
        {
          messageId: 'type',
          data: { expected: 'an integer', path: 'spec.replicas', actual: 'a string' },
          file: 'deploy/web.yaml',
          line: 6,
          column: 13,
          endLine: 6,
          endColumn: 16,
        },
        {
          messageId: 'unknownFieldSuggestion',
          data: { field: 'replica', parent: 'spec', suggestion: 'replicas' },
          file: 'deploy/web.yaml',
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 10,
        },
      ],
    },
    {
      name: 'missing required fields point at the parent mapping or at kind',
      files: {
        'crds/terraform.yaml': terraformCrd,
        'infra/terraform.yaml': yaml`
          apiVersion: infra.contrib.fluxcd.io/v1alpha2
          kind: Terraform
          metadata:
            name: airbyte
        `,
        'deploy/web.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: tool
          spec:
            containers:
              - image: busybox:1.36
        `,
      },
      errors: [
        {
          messageId: 'required',
          data: { field: 'name', parent: 'spec.containers[0]' },
          file: 'deploy/web.yaml',
          line: 7,
          column: 7,
          endLine: 7,
          endColumn: 26,
        },
        {
          messageId: 'required',
          data: { field: 'spec', parent: 'Terraform' },
          file: 'infra/terraform.yaml',
          line: 2,
          column: 7,
          endLine: 2,
          endColumn: 16,
        },
      ],
    },
    {
      name: 'Flux objects: enum value, unknown field, number where a string is expected',
      files: {
        'clusters/sources.yaml': yaml`
          apiVersion: source.toolkit.fluxcd.io/v1
          kind: HelmRepository
          metadata:
            name: dagster
          spec:
            interval: 1h
            url: oci://ghcr.io/dagster
            type: OCI
          ---
          apiVersion: kustomize.toolkit.fluxcd.io/v1
          kind: Kustomization
          metadata:
            name: apps
          spec:
            interval: 10m
            prune: true
            sourceRef: {kind: GitRepository, name: apps}
            postBuild:
              substitute:
                replicas: 3
            targetNamspace: apps
        `,
      },
      errors: [
        {
          messageId: 'enum',
          data: { path: 'spec.type', allowed: 'default, oci' },
          file: 'clusters/sources.yaml',
          line: 8,
          column: 9,
          endLine: 8,
          endColumn: 12,
        },
        {
          messageId: 'type',
          data: { expected: 'a string', path: 'spec.postBuild.substitute.replicas', actual: 'a number' },
          file: 'clusters/sources.yaml',
          line: 20,
          column: 17,
          endLine: 20,
          endColumn: 18,
        },
        {
          messageId: 'unknownFieldSuggestion',
          data: { field: 'targetNamspace', parent: 'spec', suggestion: 'targetNamespace' },
          file: 'clusters/sources.yaml',
          line: 21,
          column: 3,
          endLine: 21,
          endColumn: 17,
        },
      ],
    },
    {
      name: 'a Secret value is never shown, a misspelt stringData is',
      files: {
        'deploy/secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
            name: db
          stringdata:
            password: hunter2
          data:
            token: 12345
        `,
      },
      errors: [
        {
          messageId: 'unknownFieldSuggestion',
          data: { field: 'stringdata', parent: 'Secret', suggestion: 'stringData' },
          file: 'deploy/secret.yaml',
          line: 5,
          column: 1,
          endLine: 5,
          endColumn: 11,
        },
        {
          messageId: 'type',
          data: { expected: 'a string', path: 'data.token', actual: 'a number' },
          file: 'deploy/secret.yaml',
          line: 8,
          column: 10,
          endLine: 8,
          endColumn: 15,
        },
      ],
    },
    {
      name: 'a CRD in the repository describes its kind',
      files: {
        'crds/terraform.yaml': terraformCrd,
        'infra/terraform.yaml': yaml`
          apiVersion: infra.contrib.fluxcd.io/v1alpha2
          kind: Terraform
          metadata:
            name: airbyte
          spec:
            interval: 1h
            aprovePlan: auto
            sourceRef: {kind: GitRepo, name: lotus-lake}
        `,
      },
      errors: [
        {
          messageId: 'unknownFieldSuggestion',
          data: { field: 'aprovePlan', parent: 'spec', suggestion: 'approvePlan' },
          file: 'infra/terraform.yaml',
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 13,
        },
        {
          messageId: 'enum',
          data: { path: 'spec.sourceRef.kind', allowed: 'GitRepository, Bucket, OCIRepository' },
          file: 'infra/terraform.yaml',
          line: 8,
          column: 21,
          endLine: 8,
          endColumn: 28,
        },
      ],
    },
  ],
});

describe('schema-valid note', () => {
  it('counts the resources and kinds without a schema in one note', async () => {
    const result = await lintExample(rule, {
      files: {
        'deploy/a.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2beta1
          kind: HelmRelease
          metadata:
            name: old
          ---
          apiVersion: example.com/v1
          kind: Widget
          metadata:
            name: w1
          ---
          apiVersion: example.com/v1
          kind: Widget
          metadata:
            name: w2
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: known
        `,
      },
    });
    expect(result.findings).toEqual([]);
    expect(result.notes.map((note) => note.message)).toEqual([
      'schema-valid: 3 resources of 2 kinds have no schema (kinds: example.com/v1 Widget, helm.toolkit.fluxcd.io/v2beta1 HelmRelease)',
    ]);
  });
});

describe('schema-valid and the Flux Operator', () => {
  const alert = 'apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Alert\nmetadata:\n  name: flux\n  namespace: flux-system\nspec:\n  providerRef:\n    name: alertmanager\n  eventSources:\n    - kind: FluxInstance\n      name: flux\n';
  const instance = 'apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\nmetadata:\n  name: flux\n  namespace: flux-system\nspec:\n  distribution:\n    version: "2.x"\n    registry: ghcr.io/fluxcd\n';

  it('accepts the operator kinds as Alert event sources where a FluxInstance runs Flux', async () => {
    const result = await lintExample(rule, { files: { 'alert.yaml': alert, 'flux-instance.yaml': instance } });
    expect(result.findings).toEqual([]);
  });

  it('still rejects them without the Flux Operator', async () => {
    const result = await lintExample(rule, { files: { 'alert.yaml': alert } });
    expect(result.findings.map((finding) => `${finding.location.file}:${finding.location.startLine}:${finding.location.startColumn} ${finding.messageId}`)).toEqual(['alert.yaml:10:13 enum']);
  });
});
