import { qualified } from '../src/flux/describe.js';
import { appliedCopies, kustomizationSubstitution, type KustomizationSubstitution, type SubstitutedCopy } from '../src/flux/substitution.js';
import type { FluxKustomization } from '../src/flux/types.js';
import { interpolate } from '../src/engine/report.js';
import type { YamlPath } from '../src/model/finding.js';
import type { Resource } from '../src/model/workspace.js';
import { defineRule } from '../src/model/rule.js';
import { SchemaRegistry, UNKNOWN_VALUE, validateObject, type SchemaMessageId, type SchemaProblem } from '../src/schema/index.js';

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

type MessageId = SchemaMessageId | 'substituted' | 'notSubstituted';

/** Schema messages, also quoted inside the substitution messages. */
const SCHEMA_MESSAGES: Record<SchemaMessageId, string> = {
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
};

/** Patches that mention this may change a Kustomization's post-build substitution. */

/** Checks of a value that depend on the values inside it. */
const VALUE_DEPENDENT = new Set<SchemaMessageId>(['enum', 'uniqueItems', 'anyOf', 'oneOf', 'not', 'minItems', 'maxItems']);
/** Checks of a mapping that a key renamed by substitution may satisfy. */
const KEY_DEPENDENT = new Set<SchemaMessageId>(['required', 'requiredOneOf', 'minProperties', 'maxProperties']);

function startsWith(path: YamlPath, prefix: YamlPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}

/** True when a problem is about a value that substitution wrote (or would have written). */
function aboutChangedValue(problem: SchemaProblem, changed: readonly YamlPath[]): boolean {
  return changed.some(
    (path) =>
      startsWith(problem.path, path) ||
      (VALUE_DEPENDENT.has(problem.messageId) && startsWith(path, problem.path)) ||
      (problem.messageId === 'required' && startsWith(path, [...problem.path, problem.data.field ?? ''])),
  );
}

/** True when a problem may not exist once substitution renames a mapping key holding `${…}`. */
function throughDynamicKey(problem: SchemaProblem, dynamicKeys: readonly YamlPath[]): boolean {
  return dynamicKeys.some(
    (key) => startsWith(problem.path, key) || (KEY_DEPENDENT.has(problem.messageId) && startsWith(key.slice(0, -1), problem.path)),
  );
}

function describeKustomizations(kustomizations: readonly FluxKustomization[]): string {
  const names = [...new Set(kustomizations.map(({ resource }) => qualified(resource.appliedNamespace, resource.name)))].sort();
  if (names.length === 1) return `Kustomization ${names[0]}`;
  const shown = names.length > 3 ? [...names.slice(0, 3), `${names.length - 3} more`] : names;
  return `Kustomizations ${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

interface Found {
  problem: SchemaProblem;
  mode: 'plain' | 'substituted' | 'written';
  kustomizations: FluxKustomization[];
}

/** Whether a problem comes from substitution: a substituted value, or an expression a Kustomization applies as written. */
function modeOf(copy: SubstitutedCopy, problem: SchemaProblem): Found['mode'] {
  if (copy.kustomizations.length === 0 || !aboutChangedValue(problem, copy.changed)) return 'plain';
  return copy.substituted ? 'substituted' : 'written';
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

export default defineRule<MessageId>({
  meta: {
    id: 'schema-valid',
    description: 'Require Kubernetes, Flux and custom resources to match their API schema',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      ...SCHEMA_MESSAGES,
      substituted: 'After post-build substitution by {{kustomizations}}: {{problem}}.',
      notSubstituted:
        'Applied as written by {{kustomizations}}, without post-build substitution (no spec.postBuild, no variable defined, or the object is marked kustomize.toolkit.fluxcd.io/substitute: disabled): {{problem}}.',
    },
    docs: {
      rationale: [
        'A manifest that does not match its schema is rejected by the API server, or, for custom resources, loses the misspelt fields silently (the API server prunes unknown fields), and Flux only tells you in the events of a failed reconciliation.',
        'This rule checks every object offline: Kubernetes kinds of the GA API groups, current Flux kinds (source v1, kustomize v1, helm v2, notification, image v1) and CloudNativePG from schemas vendored from the `kubernetes-models` npm packages, and any kind whose `CustomResourceDefinition` is in the linted repositories (for example a Flux `gotk-components.yaml`); such CRDs take precedence over the vendored schemas.',
        'Unknown fields are errors, as with `kubectl apply` (strict field validation) and `kubeconform -strict`; `null` counts as an unset field, as in Kubernetes. The top-level `sops` block of encrypted files is ignored. Objects of kinds without a schema (removed API versions, CRDs not in the repositories) are skipped and counted in one note. Messages name the field and the expected type, never the value.',
        'Values that hold `${VAR}` are checked as Flux applies them: after the post-build substitution of each Flux Kustomization that applies the object, with the values the linted repositories give (`postBuild.substitute`, `substituteFrom` ConfigMaps, defaults such as `${VAR:=ReadWriteOnce}`, `$${x}` escapes). Flux substitutes in the object written as YAML and parses the result again, so `replicas: ${REPLICAS}` becomes an integer, and a number substituted into a string field (an `env` value) is a number unless wrapped in a quote variable. Substitution runs only when `spec.postBuild` defines at least one variable (or `substituteStrategy: Always`) and the object is not marked `kustomize.toolkit.fluxcd.io/substitute: disabled`; otherwise the expression itself is applied and checked. An object applied by several Kustomizations with different values is checked once per distinct outcome. When a value is not known — a variable from a Secret (SOPS-encrypted in git), from a source outside the linted repositories, from ConfigMaps that differ between cluster folders, or a patch that may change the Kustomization\'s `postBuild` (a parent adding `substituteFrom` to its children) — or when no linted Flux Kustomization applies the object (the repository that applies it defines the variables), the field is not checked, and one note counts such fields.',
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
      correct: [
        { files: { 'deploy/web.yaml': deployment('2') } },
        {
          title: 'replicas set by post-build substitution',
          files: {
            'clusters/apps.yaml': [
              'apiVersion: source.toolkit.fluxcd.io/v1',
              'kind: GitRepository',
              'metadata: {name: flux-system, namespace: flux-system}',
              'spec: {interval: 1m, url: ssh://git@github.com/example/fleet}',
              '---',
              'apiVersion: kustomize.toolkit.fluxcd.io/v1',
              'kind: Kustomization',
              'metadata: {name: apps, namespace: flux-system}',
              'spec:',
              '  interval: 10m',
              '  prune: true',
              '  path: ./deploy',
              '  sourceRef: {kind: GitRepository, name: flux-system}',
              '  targetNamespace: apps',
              '  postBuild:',
              '    substitute: {REPLICAS: "2"}',
              '',
            ].join('\n'),
            'deploy/web.yaml': deployment('${REPLICAS}'),
          },
        },
      ],
      whenNotToUse:
        'When the cluster runs API versions or CRDs that differ from the vendored schemas and the CRDs are not in the linted repositories; add the CRD files to a linted root instead when you can.',
    },
  },
  check(ctx) {
    const registry = new SchemaRegistry();
    for (const crd of ctx.model.ofKind('CustomResourceDefinition', 'apiextensions.k8s.io')) registry.addCrd(crd.value);

    const substitutions = new Map<FluxKustomization, KustomizationSubstitution>();
    const substitutionOf = (kustomization: FluxKustomization): KustomizationSubstitution => {
      let substitution = substitutions.get(kustomization);
      if (!substitution) {
        // Applied Kustomizations carry their parents' patches: postBuild is known as Flux sees it.
        substitutions.set(kustomization, (substitution = kustomizationSubstitution(kustomization, ctx.model.flux)));
      }
      return substitution;
    };

    const unknownKinds = new Map<string, number>();
    let unappliedFields = 0;
    let unknownFields = 0;
    let unseenApplierFields = 0;
    // The Flux Operator patches the notification CRDs to accept its own kinds as event sources.
    const fluxOperator = ctx.model.written.some((resource) => resource.kind === 'FluxInstance') || ctx.model.resources.some((resource) => resource.synthetic !== undefined && /FluxInstance|flux-instance/.test(resource.synthetic));
    // Copies of one written document (a file two builds apply) are judged together, reported once.
    // A document applied once (most) is held alone, without an array of one.
    const byDocument = new Map<Resource, Resource | Resource[]>();
    const resources = ctx.model.resources;
    for (let index = 0; index < resources.length; index++) {
      const resource = resources[index]!;
      // Synthesized objects (FluxInstance sync, externalSources) are not written text to validate.
      if (resource.synthetic !== undefined) continue;
      const written = resource.applied?.written ?? resource;
      // A document with a syntax error is reported by yaml-syntax; what the parser recovered
      // from it (a misplaced block read as another field) would only add false schema errors.
      if (hasSyntaxError(written)) continue;
      const members = byDocument.get(written);
      if (members === undefined) byDocument.set(written, resource);
      else if (Array.isArray(members)) members.push(resource);
      // Setting a key again keeps its place in the map's order.
      else byDocument.set(written, [members, resource]);
    }
    byDocument.forEach((group) => {
      const resource = Array.isArray(group) ? group[0]! : group;
      if (!registry.lookup(resource.apiVersion, resource.kind)) {
        const key = `${resource.apiVersion} ${resource.kind}`;
        unknownKinds.set(key, (unknownKinds.get(key) ?? 0) + 1);
        return;
      }
      // Each distinct value the object is applied with is checked; a problem several copies share is reported once.
      let mayBeCompleted: boolean;
      let copies: SubstitutedCopy[];
      let applied: boolean;
      // Most documents are applied once, with no unknown value and no problem: nothing more is allocated for them.
      if (!Array.isArray(group)) {
        mayBeCompleted = resource.group.endsWith('.toolkit.fluxcd.io') && resource.applied?.assumed === true;
        ({ copies, applied } = appliedCopies(resource, ctx.model.flux, substitutionOf, UNKNOWN_VALUE));
      } else {
        mayBeCompleted = resource.group.endsWith('.toolkit.fluxcd.io') && group.every((member) => member.applied?.assumed === true);
        const each = group.map((member) => appliedCopies(member, ctx.model.flux, substitutionOf, UNKNOWN_VALUE));
        copies = each.flatMap((one) => one.copies);
        applied = each.some((one) => one.applied);
      }
      let found: Map<string, Found> | undefined;
      let unknownPaths: Set<string> | undefined;
      for (let copyIndex = 0; copyIndex < copies.length; copyIndex++) {
        const copy = copies[copyIndex]!;
        // Indexed: most copies have no unknown value, and no iterator is made for them.
        const unknown = copy.unknown;
        for (let unknownIndex = 0; unknownIndex < unknown.length; unknownIndex++) (unknownPaths ??= new Set()).add(JSON.stringify(unknown[unknownIndex]));
        const object = { apiVersion: resource.apiVersion, kind: resource.kind, value: copy.value, encrypted: resource.encrypted };
        const problems = validateObject(registry, object, MAX_PROBLEMS_PER_RESOURCE);
        if (problems === undefined || problems.length === 0) continue;
        for (const problem of problems) {
          if (throughDynamicKey(problem, copy.dynamicKeys)) continue;
          // An applier the linter cannot see (an entry point outside git) commonly patches
          // defaults (interval, prune, sourceRef) into every Flux object it applies.
          if (operatorKind(resource, copy.value, problem.path, fluxOperator)) continue;
          if (problem.messageId === 'required' && mayBeCompleted) {
            unseenApplierFields++;
            continue;
          }
          const mode = modeOf(copy, problem);
          const id = JSON.stringify([problem.path, problem.key === true, problem.messageId, problem.data, mode]);
          found ??= new Map();
          let entry = found.get(id);
          if (!entry) found.set(id, (entry = { problem, mode, kustomizations: [] }));
          entry.kustomizations.push(...copy.kustomizations);
        }
      }
      if (applied) unknownFields += unknownPaths?.size ?? 0;
      else unappliedFields += unknownPaths?.size ?? 0;
      if (!found) return;
      for (const { problem, mode, kustomizations } of found.values()) {
        const where = { resource, path: problem.path, key: problem.key === true };
        if (mode === 'plain') {
          ctx.report({ ...where, messageId: problem.messageId, data: problem.data });
        } else {
          const text = interpolate(SCHEMA_MESSAGES[problem.messageId], problem.data).replace(/\.$/, '');
          ctx.report({ ...where, messageId: mode === 'substituted' ? 'substituted' : 'notSubstituted', data: { kustomizations: describeKustomizations(kustomizations), problem: text } });
        }
      }
    });

    if (unappliedFields > 0) {
      ctx.model.note({
        message: `schema-valid: ${plural(unappliedFields, 'field', 'fields')} holding \${…} in objects that no linted Flux Kustomization applies ${unappliedFields === 1 ? 'was' : 'were'} not checked: post-build substitution sets their values, and the Kustomization that would define them is not in the linted roots`,
      });
    }
    if (unknownFields > 0) {
      ctx.model.note({
        message: `schema-valid: ${plural(unknownFields, 'field', 'fields')} holding \${…} ${unknownFields === 1 ? 'was' : 'were'} not checked after post-build substitution: the value is not known from the linted roots (a variable from a Secret or from a source outside the roots, ConfigMaps that differ between clusters, a patch that may change postBuild, or an expression the linter does not evaluate)`,
      });
    }

    if (unseenApplierFields > 0) {
      ctx.model.note({
        message: `schema-valid: ${plural(unseenApplierFields, 'missing required field', 'missing required fields')} of Flux objects ${unseenApplierFields === 1 ? 'was' : 'were'} not reported: what applies those objects is not in git (no Flux entry point), and it may patch the fields in (a parent Kustomization's spec.patches).`,
      });
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

const OPERATOR_KINDS: ReadonlySet<string> = new Set(['FluxInstance', 'ResourceSet', 'ResourceSetInputProvider']);

/**
 * An Alert event source or Receiver resource of a Flux Operator kind, in a repository that runs
 * the Flux Operator: it patches the Alert and Receiver CRDs' kind enums to accept them
 * (flux-operator internal/builder/templates.go).
 */
function operatorKind(resource: Resource, value: unknown, path: YamlPath, operator: boolean): boolean {
  if (!operator || resource.group !== 'notification.toolkit.fluxcd.io') return false;
  const list = resource.kind === 'Alert' ? 'eventSources' : resource.kind === 'Receiver' ? 'resources' : undefined;
  if (!list || path.length < 4 || path[0] !== 'spec' || path[1] !== list || typeof path[2] !== 'number' || path[3] !== 'kind') return false;
  const items = (value as { spec?: Record<string, unknown> }).spec?.[list];
  const kind = Array.isArray(items) ? (items[path[2]] as { kind?: unknown } | undefined)?.kind : undefined;
  return typeof kind === 'string' && OPERATOR_KINDS.has(kind);
}

/** Whether the document a resource was made from has a YAML syntax error (duplicate keys aside). */
function hasSyntaxError(resource: Resource): boolean {
  // Clean files (most) are answered without building the document's AST.
  if (resource.file.problems.length === 0) return false;
  return resource.doc.errors.some((error) => error.code !== 'DUPLICATE_KEY');
}
