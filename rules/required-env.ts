import { push } from '../src/engine/collections.js';
import { defineRule, type RuleContext } from '../src/model/rule.js';
import type { Container, EnvEntry, EnvSource, Resource } from '../src/model/workspace.js';
import type { Model } from '../src/model/model.js';

interface EnvRequirement {
  name: string;
  secret?: string;
  value?: boolean;
}

interface WorkloadSelector {
  kind: string;
  name: string;
  namespace?: string;
  container?: string;
  env: Array<string | EnvRequirement>;
}

interface RequiredEnvOptions {
  workloads: WorkloadSelector[];
}

type MessageId = 'missing' | 'missingFromSecret' | 'missingValue' | 'wrongSource' | 'containerNotFound';

/** Where a variable's value comes from, as far as git shows. */
type Provider =
  | { kind: 'entry'; entry: EnvEntry }
  | { kind: 'source'; source: EnvSource }
  /** A Secret/ConfigMap whose keys are unknown (external, env-file generator), or that is not in the linted roots. */
  | { kind: 'maybe'; source: EnvSource; absent: boolean };

const DAGSTER_EXAMPLE = `rules:
  required-env:
    - error
    - workloads:
        - kind: HelmRelease
          name: dagster
          container: lotus-lake
          env:
            - name: DUCKLAKE_DB_PASSWORD
              secret: ducklake-db-app
`;

const DAGSTER_RELEASE = `apiVersion: helm.toolkit.fluxcd.io/v2
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
            tag: 3f2a9c1
            pullPolicy: IfNotPresent
          env:
            - name: DUCKLAKE_DB_HOST
              value: ducklake-db-rw
`;

export default defineRule<MessageId, RequiredEnvOptions>({
  meta: {
    id: 'required-env',
    description: 'Require configured environment variables on named workloads, from the configured source',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      missing:
        'Container {{container}} of {{workload}} does not receive the required variable {{variable}}, so it starts without it and fails at run time. Add {{variable}} to its env, or to a Secret or ConfigMap it loads with envFrom.',
      missingFromSecret:
        'Container {{container}} of {{workload}} does not receive the required variable {{variable}} from Secret {{secret}}, so it starts without it and fails at run time. Add an env entry with valueFrom.secretKeyRef to {{secret}}, or load {{secret}} with envFrom (envSecrets in Dagster values) and give it the key {{variable}}.',
      missingValue:
        'Container {{container}} of {{workload}} does not receive the required variable {{variable}}, which must be a literal value or come from a ConfigMap, so it starts without it and fails at run time. Add an env entry for {{variable}} with a value or a configMapKeyRef.',
      wrongSource:
        'Variable {{variable}} of container {{container}} comes from {{actual}}, but the configuration requires it {{expected}}: a value taken from elsewhere is not the one the team manages and rotates. Take {{variable}} {{expected}} instead.',
      containerNotFound:
        'Workload {{workload}} has no container {{container}}, so its required variables cannot be checked. Correct the container in the required-env configuration: a container name, the name field of a Helm values object, or a values path such as dagster-user-deployments.deployments[0].',
    },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        workloads: {
          type: 'array',
          description: 'Workloads and the environment variables each must receive.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'name', 'env'],
            properties: {
              kind: { type: 'string', description: 'Kind of the workload: Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod or HelmRelease.' },
              name: { type: 'string', description: 'Name of the workload.' },
              namespace: { type: 'string', description: 'Namespace the workload is applied to; any namespace when omitted.' },
              container: {
                type: 'string',
                description:
                  'Container name, the `name` field of a HelmRelease values object, or its values path (e.g. `dagster-user-deployments.deployments[0]`). When omitted every container of a pod spec must receive the variables (init containers excluded), and for a HelmRelease every image-bearing values object.',
              },
              env: {
                type: 'array',
                description: 'The variables: a name (any source), or an object saying where the value must come from.',
                items: {
                  anyOf: [
                    { type: 'string', minLength: 1 },
                    {
                      type: 'object',
                      additionalProperties: false,
                      required: ['name'],
                      not: { required: ['secret', 'value'] },
                      properties: {
                        name: { type: 'string', minLength: 1, description: 'Variable name.' },
                        secret: {
                          type: 'string',
                          description: 'The Secret the value must come from: a secretKeyRef to it, or envFrom/envSecrets of it with the variable among its keys.',
                        },
                        value: { type: 'boolean', description: 'When true the value must be a literal or come from a ConfigMap (configMapKeyRef, envFrom, envConfigMaps, or a Dagster map-form env).' },
                      },
                    },
                  ],
                },
              },
            },
          },
        },
      },
    },
    defaultOptions: { workloads: [] },
    docs: {
      rationale:
        'A workload that starts without a variable it needs fails at run time, minutes after the push, and the cause is buried in pod logs. A credential taken from the wrong place (a literal instead of the Secret the team rotates) works until the day it does not. This rule lets a repository declare, in `.gitops-lint.yaml`, the variables each workload must receive and where from. It understands pod specs and HelmRelease values (Dagster `env` as a list or a map, `envSecrets`, `envConfigMaps`), and counts variables loaded through `envFrom` when the Secret or ConfigMap is in the linted repositories (SOPS files and CloudNativePG-generated `<cluster>-app` Secrets included) and has the key. Keys of Secrets that cannot be known (external Secrets without `keys`, env-file generators) count as present; a source that is not in the linted roots is skipped with a note. Without configuration the rule does nothing.',
      incorrect: [
        {
          title: 'The database password is missing from the Dagster user deployment',
          files: { '.gitops-lint.yaml': DAGSTER_EXAMPLE, 'deploy/dagster/release.yaml': DAGSTER_RELEASE },
        },
        {
          title: 'The password comes from a literal instead of the CloudNativePG Secret',
          options: { workloads: [{ kind: 'Deployment', name: 'api', env: [{ name: 'DB_PASSWORD', secret: 'ducklake-db-app' }] }] },
          files: {
            'deploy/api.yaml':
              'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1.0.0\n          env:\n            - name: DB_PASSWORD\n              value: hunter2\n',
          },
        },
      ],
      correct: [
        {
          title: 'The password comes from the Secret generated by CloudNativePG',
          files: {
            '.gitops-lint.yaml': DAGSTER_EXAMPLE,
            'deploy/dagster/database.yaml': 'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: ducklake-db\n  namespace: lotus-lake\nspec:\n  instances: 1\n',
            'deploy/dagster/release.yaml': `${DAGSTER_RELEASE}            - name: DUCKLAKE_DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: ducklake-db-app\n                  key: password\n`,
          },
        },
      ],
      whenNotToUse: 'When the variables a workload needs are checked at start-up by the application itself and reported clearly enough.',
    },
  },
  check(ctx) {
    const { model } = ctx;
    if (ctx.options.workloads.length === 0) return;
    const byResource = new Map<Resource, Container[]>();
    for (const container of model.containers) push(byResource, container.resource, container);
    for (const workload of ctx.options.workloads) {
      const requirements = workload.env.map((entry) => (typeof entry === 'string' ? { name: entry } : entry));
      const resources = model
        .find({ kind: workload.kind, name: workload.name })
        .filter((resource) => workload.namespace === undefined || resource.appliedNamespace === workload.namespace || (byResource.get(resource) ?? []).some((container) => container.namespace === workload.namespace));
      if (resources.length === 0) {
        const where = workload.namespace === undefined ? '' : ` in namespace ${workload.namespace}`;
        model.note({ message: `required-env: no ${workload.kind} ${workload.name}${where} in the linted roots; its required variables were not checked.` });
        continue;
      }
      for (const resource of resources) {
        const workloadName = `${resource.kind} ${resource.name}`;
        const containers = selectContainers(byResource.get(resource) ?? [], workload.container);
        if (containers.length === 0 && workload.container !== undefined) {
          ctx.report({ resource, path: ['metadata', 'name'], messageId: 'containerNotFound', data: { workload: workloadName, container: workload.container } });
          continue;
        }
        for (const container of containers) {
          const label = container.name ?? container.valuesPath ?? workload.container ?? resource.name;
          for (const requirement of requirements) checkVariable(ctx, model, container, requirement, { container: label, workload: workloadName });
        }
      }
    }
  },
});

function selectContainers(containers: Container[], selector: string | undefined): Container[] {
  if (selector !== undefined) return containers.filter((container) => container.name === selector || container.valuesPath === selector);
  return containers.filter((container) => container.origin === 'helmValues' || container.path.includes('containers'));
}

type Ctx = RuleContext<MessageId, RequiredEnvOptions>;

function checkVariable(ctx: Ctx, model: Model, container: Container, requirement: EnvRequirement, names: { container: string; workload: string }): void {
  const variable = requirement.name;
  const provider = resolve(model, container, requirement);
  const expected = requirement.secret !== undefined ? `from Secret ${requirement.secret}` : 'as a literal value or from a ConfigMap';
  if (provider === undefined) {
    const path = container.envPath ?? container.path;
    const data = { ...names, variable };
    if (requirement.secret !== undefined) ctx.report({ resource: container.resource, path, messageId: 'missingFromSecret', data: { ...data, secret: requirement.secret } });
    else if (requirement.value === true) ctx.report({ resource: container.resource, path, messageId: 'missingValue', data });
    else ctx.report({ resource: container.resource, path, messageId: 'missing', data });
    return;
  }
  if (provider.kind === 'maybe') {
    if (provider.absent) {
      model.note({ message: `required-env: ${variable} of container ${names.container} (${names.workload}) may come from ${provider.source.kind} ${provider.source.name}, which is not in the linted roots; not checked.` });
    }
    return;
  }
  if (provider.kind === 'entry') {
    if (!entryMatches(provider.entry, requirement)) {
      ctx.report({ resource: container.resource, path: provider.entry.path, messageId: 'wrongSource', data: { ...names, variable, actual: describeEntry(provider.entry), expected } });
    }
    return;
  }
  if (!sourceMatches(provider.source, requirement)) {
    const actual = `${provider.source.kind} ${provider.source.name} (through ${provider.source.via})`;
    ctx.report({ resource: container.resource, path: provider.source.path, messageId: 'wrongSource', data: { ...names, variable, actual, expected } });
  }
}

/**
 * The entry or source the variable's value comes from: an explicit `env` entry beats any
 * `envFrom` source, and among those the last one with the key wins (reference §8). A source
 * whose keys cannot be known is taken as providing the variable when it is an acceptable
 * source, and skipped otherwise.
 */
function resolve(model: Model, container: Container, requirement: EnvRequirement): Provider | undefined {
  const entries = container.env.filter((entry) => entry.name === requirement.name);
  const entry = entries.at(-1);
  if (entry) return { kind: 'entry', entry };
  for (const source of [...container.envFrom].reverse()) {
    const prefix = source.prefix ?? '';
    if (!requirement.name.startsWith(prefix)) continue;
    const data = model.configData.find(source.kind, source.name, container.namespace);
    if (data && data.keysKnown) {
      if (data.keys.has(requirement.name.slice(prefix.length))) return { kind: 'source', source };
      continue;
    }
    if (sourceMatches(source, requirement)) return { kind: 'maybe', source, absent: data === undefined };
  }
  return undefined;
}

function entryMatches(entry: EnvEntry, requirement: EnvRequirement): boolean {
  if (requirement.secret !== undefined) return entry.secretKeyRef?.name === requirement.secret;
  if (requirement.value === true) return entry.configMapKeyRef !== undefined || (entry.secretKeyRef === undefined && entry.otherSource === undefined);
  return true;
}

function sourceMatches(source: EnvSource, requirement: EnvRequirement): boolean {
  if (requirement.secret !== undefined) return source.kind === 'Secret' && source.name === requirement.secret;
  if (requirement.value === true) return source.kind === 'ConfigMap';
  return true;
}

function describeEntry(entry: EnvEntry): string {
  if (entry.secretKeyRef) return `Secret ${entry.secretKeyRef.name}`;
  if (entry.configMapKeyRef) return `ConfigMap ${entry.configMapKeyRef.name}`;
  if (entry.otherSource) return `a ${entry.otherSource}`;
  return 'a literal value';
}
