import { isCredential } from '../src/engine/credential.js';
import { asRecord, getIn } from '../src/engine/values.js';
import type { YamlPath } from '../src/model/finding.js';
import { defineRule, type RuleContext } from '../src/model/rule.js';
import type { Resource } from '../src/model/workspace.js';

type MessageId = 'envLiteral' | 'helmValue' | 'helmEnv';

export default defineRule<MessageId>({
  meta: {
    id: 'no-plaintext-sensitive-env',
    description: 'Disallow plaintext credentials in environment variables and HelmRelease values',
    scope: 'repository',
    category: 'security',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      envLiteral:
        'Variable {{variable}} of container {{container}} looks like a credential and is set with a literal value, which anyone who can read the repository can read (the value is not shown here). Take it from a SOPS-encrypted Secret with valueFrom.secretKeyRef instead.',
      helmValue:
        'Helm value {{key}} looks like a credential and is written in plaintext in HelmRelease {{release}}, readable by anyone who can read the repository (the value is not shown here). Move it to a SOPS-encrypted Secret and pass it with spec.valuesFrom, or use the chart option that takes an existing Secret.',
      helmEnv:
        'Variable {{variable}} at {{key}} in HelmRelease {{release}} looks like a credential and is set with a literal value, readable by anyone who can read the repository (the value is not shown here). Take it from a SOPS-encrypted Secret instead: a secretKeyRef, or envSecrets in the chart values.',
    },
    docs: {
      rationale:
        'Everything in a GitOps repository is read by every clone, fork, CI log and backup. A password, token or key written as a literal `value:` of an environment variable, or as a plain value under a key such as `password` in HelmRelease `spec.values`, is a leaked credential. Put it in a Secret encrypted with SOPS and reference it (`valueFrom.secretKeyRef`, `envFrom`, Dagster `envSecrets`, Flux `valuesFrom`, or an `existingSecret` option of the chart).\n\nA literal is reported only when it is a credential, as one judgement shared with the SOPS rules and the masking of code frames decides: its key names one (`PASSWORD`, `PASS`, `SECRET`, `TOKEN`, `API_KEY`, `ACCESS_KEY`, `PRIVATE_KEY`, `CREDENTIAL`…) and not a setting about one (`tokenUrl`, `TOKEN_TTL`, `passwordFile`, `usePasswordFiles`, `maxTokens`). Not reported: keys with a `/` (annotations such as `secret.reloader.stakater.com/reload`, CSI `csi.storage.k8s.io/*-secret-name`); keys that name a Secret, its namespace or one of its keys (`existingSecret`, `envFromSecret`, `githubConfigSecret`, `pullSecret`, `secretName`, `secretNamespace`, `*-secret-namespace`, `secretRef`, `passwordKey`, `adminPasswordKey`, `secretKey`) when the value is such a name and not token-like — except `clientSecret`, `cookieSecret`, `jwtSecret` and the like, and in environment variables `*_SECRET` and `SECRET_KEY`, which are credentials; values that are references (`$VAR`, `${VAR}`, `$(VAR)`, `{{ … }}`, Grafana `$__file{…}`, `op://…`, `ref+…://…`, `vault:…`, sops `ENC[…]`, and `secretKeyRef`-style objects); empty strings, booleans, numbers, durations (`24h`) and URLs without user information or query. Findings name the key, never the value.',
      incorrect: [
        {
          title: 'A literal password in a Deployment',
          files: {
            'apps/api.yaml':
              'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1.0.0\n          env:\n            - name: DB_PASSWORD\n              value: hunter2\n',
          },
        },
        {
          title: 'A plaintext password in HelmRelease values',
          files: {
            'apps/airbyte.yaml':
              'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: airbyte\nspec:\n  values:\n    postgresql:\n      auth:\n        username: airbyte\n        password: admin\n',
          },
        },
      ],
      correct: [
        {
          title: 'Credentials from Secrets, references and Flux substitution',
          files: {
            'apps/api.yaml':
              'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1.0.0\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: ducklake-db-app\n                  key: password\n            - name: AUTH_HEADER\n              value: Bearer $(API_TOKEN)\n',
            'apps/airbyte.yaml':
              'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: airbyte\nspec:\n  values:\n    postgresql:\n      auth:\n        existingSecret: airbyte-db\n        secretKeys:\n          adminPasswordKey: admin-password\n        password: ${AIRBYTE_DB_PASSWORD}\n',
          },
        },
        {
          title: 'Names of Secrets, annotations and 1Password references under secret-looking keys',
          files: {
            'apps/runner.yaml':
              'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: home-ops-runner\nspec:\n  values:\n    githubConfigSecret: home-ops-runner-secret\n    podAnnotations:\n      secret.reloader.stakater.com/reload: home-ops-runner-secret\n    onepassword:\n      token: op://Automation/1password connect/token\n',
          },
        },
      ],
      whenNotToUse: 'For throw-away credentials of local development stacks that never reach a shared cluster (prefer a suppression comment with a reason on those lines).',
    },
  },
  check(ctx) {
    // A plaintext credential in git is readable whether or not a build applies the file.
    const containers = ctx.model.writtenContainers;
    for (let containerIndex = 0; containerIndex < containers.length; containerIndex++) {
      const container = containers[containerIndex]!;
      // Helm values are walked as a whole below, env lists included.
      if (container.origin !== 'podSpec') continue;
      const entries = container.env;
      for (let entryIndex = 0; entryIndex < entries.length; entryIndex++) {
        const entry = entries[entryIndex]!;
        if (!isCredential(entry.name, entry.value, 'env')) continue;
        const path = typeof entry.path.at(-1) === 'number' ? [...entry.path, 'value'] : entry.path;
        ctx.report({ resource: container.resource, path, messageId: 'envLiteral', data: { variable: entry.name, container: container.name ?? String(container.path.at(-1)) } });
      }
    }
    for (const release of ctx.model.written.filter((resource) => resource.kind === 'HelmRelease' && resource.group === 'helm.toolkit.fluxcd.io')) {
      walkValues(ctx, release, getIn(release.value, ['spec', 'values']), ['spec', 'values'], undefined);
    }
  },
});

/**
 * Values keys as a chart documents them (`auth.password`, `env[0]`): the path below
 * `spec.values`, worded only for a finding.
 */
function dottedOf(path: YamlPath): string {
  let out = '';
  for (let index = 2; index < path.length; index++) {
    const segment = path[index]!;
    out = typeof segment === 'number' ? `${out}[${segment}]` : out === '' ? segment : `${out}.${segment}`;
  }
  return out;
}

/** `path` is one array pushed and popped as the walk goes (copied for a finding): every value of every release is visited. */
function walkValues(ctx: RuleContext<MessageId>, release: Resource, value: unknown, path: Array<string | number>, parentKey: string | undefined): void {
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      // Dagster k8sRunLauncher `envVars`: `KEY=VALUE` strings.
      if (parentKey === 'envVars' && typeof item === 'string' && item.includes('=')) {
        const variable = item.slice(0, item.indexOf('='));
        if (isCredential(variable, item.slice(item.indexOf('=') + 1), 'env')) {
          const itemPath = [...path, index];
          ctx.report({ resource: release, path: itemPath, messageId: 'helmEnv', data: { variable, key: dottedOf(itemPath), release: release.name } });
        }
        continue;
      }
      path.push(index);
      walkValues(ctx, release, item, path, undefined);
      path.pop();
    }
    return;
  }
  const object = asRecord(value);
  if (!object) return;
  // A Kubernetes EnvVar anywhere in the values: `- name: DB_PASSWORD` / `value: ...`.
  if (typeof object.name === 'string' && isCredential(object.name, object.value, 'env')) {
    ctx.report({ resource: release, path: [...path, 'value'], messageId: 'helmEnv', data: { variable: object.name, key: dottedOf(path), release: release.name } });
  }
  const keys = Object.keys(object);
  for (let at = 0; at < keys.length; at++) {
    const key = keys[at]!;
    const child = object[key];
    if (typeof child === 'string') {
      // Map-form env (Dagster `env: {NAME: value}`) holds variables, not chart settings.
      const isEnv = parentKey === 'env';
      if (!isCredential(key, child, isEnv ? 'env' : 'setting')) continue;
      const childPath = [...path, key];
      const childDotted = dottedOf(childPath);
      if (isEnv) ctx.report({ resource: release, path: childPath, messageId: 'helmEnv', data: { variable: key, key: childDotted, release: release.name } });
      else ctx.report({ resource: release, path: childPath, messageId: 'helmValue', data: { key: childDotted, release: release.name } });
    } else if (typeof child === 'object' && child !== null) {
      path.push(key);
      walkValues(ctx, release, child, path, key);
      path.pop();
    }
  }
}
