import { defineRule } from '../src/model/rule.js';
import { SchemaRegistry, validateObject, type SchemaMessageId } from '../src/schema/index.js';

/** At most this many problems per object: one broken indentation should not bury the rest. */
const MAX_PROBLEMS_PER_RESOURCE = 20;
const MAX_KINDS_IN_NOTE = 10;

const deployment = (replicas: string): string =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    `  replicas: ${replicas}`,
    '  selector:',
    '    matchLabels: {app: web}',
    '  template:',
    '    metadata:',
    '      labels: {app: web}',
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: nginx:1.27.3',
    '',
  ].join('\n');

export default defineRule<SchemaMessageId>({
  meta: {
    id: 'schema-valid',
    description: 'Require Kubernetes, Flux and custom resources to match their API schema',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      type: 'Expected {{expected}} at {{path}}, found {{actual}}.',
      unknownField: 'Unknown field "{{field}}" in {{parent}}.',
      unknownFieldSuggestion: 'Unknown field "{{field}}" in {{parent}} (did you mean "{{suggestion}}"?).',
      required: 'Missing required field "{{field}}" in {{parent}}.',
      requiredOneOf: 'Missing one of the fields {{fields}} in {{parent}}.',
      enum: 'Value of {{path}} must be one of: {{allowed}}.',
      pattern: 'Value of {{path}} does not match the pattern `{{pattern}}`.',
      minLength: 'Value of {{path}} must be at least {{limit}} characters long.',
      maxLength: 'Value of {{path}} must be at most {{limit}} characters long.',
      range: 'Value of {{path}} must be {{comparison}} {{limit}}.',
      multipleOf: 'Value of {{path}} must be a multiple of {{limit}}.',
      minItems: 'List {{path}} must have at least {{limit}} items.',
      maxItems: 'List {{path}} must have at most {{limit}} items.',
      uniqueItems: 'List {{path}} must not contain duplicate items.',
      minProperties: 'Mapping {{path}} must have at least {{limit}} entries.',
      maxProperties: 'Mapping {{path}} must have at most {{limit}} entries.',
      anyOf: 'Value of {{path}} does not match any of the allowed forms.',
      oneOf: 'Value of {{path}} must match exactly one of the allowed forms.',
      not: 'Value of {{path}} has a form that is not allowed here.',
    },
    docs: {
      rationale: [
        'A manifest that does not match its schema is rejected by the API server, or, for custom resources, loses the misspelt fields silently (the API server prunes unknown fields), and Flux only tells you in the events of a failed reconciliation.',
        'This rule checks every object offline: Kubernetes kinds of the GA API groups, current Flux kinds (source v1, kustomize v1, helm v2, notification, image v1) and CloudNativePG from schemas vendored from the `kubernetes-models` npm packages, and any kind whose `CustomResourceDefinition` is in the linted repositories (for example a Flux `gotk-components.yaml`); such CRDs take precedence over the vendored schemas.',
        'Unknown fields are errors, as with `kubectl apply` (strict field validation) and `kubeconform -strict`; `null` counts as an unset field, as in Kubernetes. The top-level `sops` block of encrypted files is ignored. Objects of kinds without a schema (removed API versions, CRDs not in the repositories) are skipped and counted in one note. Messages name the field and the expected type, never the value.',
      ].join('\n\n'),
      incorrect: [
        { title: 'replicas given as a word', files: { 'deploy/web.yaml': deployment('two') } },
        {
          title: 'misspelt interval in a HelmRelease',
          files: {
            'deploy/release.yaml': [
              'apiVersion: helm.toolkit.fluxcd.io/v2',
              'kind: HelmRelease',
              'metadata:',
              '  name: dagster',
              'spec:',
              '  intervall: 10m',
              '  chart:',
              '    spec:',
              '      chart: dagster',
              '      sourceRef: {kind: HelmRepository, name: dagster}',
              '',
            ].join('\n'),
          },
        },
      ],
      correct: [{ files: { 'deploy/web.yaml': deployment('2') } }],
      whenNotToUse:
        'When the cluster runs API versions or CRDs that differ from the vendored schemas and the CRDs are not in the linted repositories; add the CRD files to a linted root instead when you can.',
    },
  },
  check(ctx) {
    const registry = new SchemaRegistry();
    for (const crd of ctx.model.ofKind('CustomResourceDefinition', 'apiextensions.k8s.io')) registry.addCrd(crd.value);

    const unknownKinds = new Map<string, number>();
    for (const resource of ctx.model.resources) {
      const problems = validateObject(
        registry,
        { apiVersion: resource.apiVersion, kind: resource.kind, value: resource.value, encrypted: resource.encrypted },
        MAX_PROBLEMS_PER_RESOURCE,
      );
      if (!problems) {
        const key = `${resource.apiVersion} ${resource.kind}`;
        unknownKinds.set(key, (unknownKinds.get(key) ?? 0) + 1);
        continue;
      }
      for (const problem of problems) {
        ctx.report({ resource, path: problem.path, key: problem.key === true, messageId: problem.messageId, data: problem.data });
      }
    }

    if (unknownKinds.size > 0) {
      const count = [...unknownKinds.values()].reduce((sum, n) => sum + n, 0);
      const kinds = [...unknownKinds.keys()].sort();
      const shown = kinds.slice(0, MAX_KINDS_IN_NOTE).join(', ') + (kinds.length > MAX_KINDS_IN_NOTE ? ', …' : '');
      const resources = count === 1 ? 'resource' : 'resources';
      const kindWord = kinds.length === 1 ? 'kind has' : 'kinds have';
      ctx.model.note({ message: `schema-valid: ${count} ${resources} of ${kinds.length} ${kindWord} no schema (kinds: ${shown})` });
    }
  },
});
