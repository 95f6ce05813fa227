import { qualified } from '../src/flux/describe.js';
import {
  VARIABLE_NAME, kustomizationVariables, scanSubstitutions, mayHoldDollar, stringsWithDollar, substitutionDisabled, substitutionRuns,
} from '../src/flux/substitution.js';
import { asRecord } from '../src/engine/values.js';
import { defineRule } from '../src/model/rule.js';

const KUSTOMIZATION = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: lotus-lake-deploy
  namespace: lotus-lake
spec:
  interval: 10m
  prune: true
  path: ./deploy
  targetNamespace: lotus-lake
  sourceRef:
    kind: GitRepository
    name: lotus-lake
  postBuild:
    substituteFrom:
      - kind: ConfigMap
        name: cluster-vars
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: lotus-lake
  namespace: lotus-lake
spec:
  interval: 5m
  url: https://github.com/matta-kelly/lotus-lake
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-vars
  namespace: lotus-lake
data:
  CLUSTER_DOMAIN: homelab.example.net
  S3_ENDPOINT: http://seaweedfs-s3.seaweedfs.svc.cluster.local:8333
`;

const DATABASE = `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: ducklake-db
spec:
  instances: 2
  storage:
    size: 5Gi
  backup:
    barmanObjectStore:
      destinationPath: DESTINATION
      endpointURL: \${S3_ENDPOINT}
`;

export default defineRule<'undefinedVariable' | 'invalidName' | 'invalidInlineName'>({
  meta: {
    id: 'flux-substitution',
    description: 'Require every post-build variable a Flux Kustomization substitutes to be defined, with a valid name',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      undefinedVariable:
        'Expression {{expression}} needs variable {{name}}, which Kustomization {{kustomization}} does not define in postBuild.substitute or substituteFrom: strict substitution (kustomize-controller 1.9 and later) fails the whole Kustomization with "variable not set". Define {{name}}, give it a default such as {{withDefault}}, or mark the object kustomize.toolkit.fluxcd.io/substitute: disabled.',
      invalidName:
        'Key {{key}} of {{kind}} {{name}} is not a valid variable name (letters, digits and underscores, not starting with a digit), and Kustomization {{kustomization}} substitutes from {{name}}: Flux rejects the whole Kustomization ("var name is invalid"). Rename the key, or move it to another {{kind}}.',
      invalidInlineName: 'Key {{key}} of postBuild.substitute is not a valid variable name (letters, digits and underscores, not starting with a digit): Flux rejects the whole Kustomization ("var name is invalid"). Rename it.',
    },
    docs: {
      rationale:
        'With `spec.postBuild`, Flux replaces `${VAR}` expressions in every object the Kustomization applies with values from `postBuild.substitute` and the ConfigMaps and Secrets of `postBuild.substituteFrom` (read from the Kustomization\'s own namespace). Since kustomize-controller 1.9 substitution is strict: an expression without a default whose variable is not defined fails the whole Kustomization. Every variable name, including every key of a `substituteFrom` source, must match `^[_a-zA-Z][_a-zA-Z0-9]*$`, or nothing is applied. The rule follows the Kustomization into the repository it applies (the app repo, when linted together), skips objects labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled`, and says nothing when the defined variables cannot be known (a source whose keys are unknown or that may live in a repository that is not linted). Expressions with a default (`${VAR:=x}`, `${VAR:-x}`) need no definition. Substitution only runs when at least one variable is defined, unless `substituteStrategy: Always`.',
      incorrect: [
        {
          title: 'A variable that cluster-vars does not define',
          roots: { 'h-kube': { 'namespaces/lotus-lake.yaml': KUSTOMIZATION }, 'lotus-lake': { 'deploy/database.yaml': DATABASE.replace('DESTINATION', 's3://${BACKUP_BUCKET}/ducklake-db') } },
        },
        {
          title: 'A substituteFrom key that is not a variable name',
          roots: { 'h-kube': { 'namespaces/lotus-lake.yaml': KUSTOMIZATION.replace('  CLUSTER_DOMAIN:', '  cluster-domain:') }, 'lotus-lake': { 'deploy/database.yaml': DATABASE.replace('DESTINATION', 's3://cnpg-backups/ducklake-db') } },
        },
      ],
      correct: [
        {
          roots: { 'h-kube': { 'namespaces/lotus-lake.yaml': KUSTOMIZATION }, 'lotus-lake': { 'deploy/database.yaml': DATABASE.replace('DESTINATION', 's3://${BACKUP_BUCKET:=cnpg-backups}/ducklake-db') } },
        },
      ],
    },
  },
  check(ctx) {
    const graph = ctx.model.flux;
    // A source shared by several Kustomizations has its bad keys reported once.
    const reportedKeys = new Set<string>();
    for (const kustomization of graph.kustomizations) {
      if (!kustomization.postBuild) continue;
      const { resource } = kustomization;
      const name = qualified(resource.appliedNamespace, resource.name);
      const variables = kustomizationVariables(kustomization, graph);
      for (const key of Object.keys(asRecord(resource.get(['spec', 'postBuild', 'substitute'])) ?? {})) {
        if (!VARIABLE_NAME.test(key)) ctx.report({ resource, path: ['spec', 'postBuild', 'substitute', key], key: true, messageId: 'invalidInlineName', data: { key } });
      }
      for (const source of variables.sources) {
        const data = source.data;
        if (!data) continue;
        for (const key of data.keys) {
          if (VARIABLE_NAME.test(key)) continue;
          const id = `${data.kind}\0${data.namespace ?? ''}\0${data.name}\0${key}`;
          if (reportedKeys.has(id)) continue;
          reportedKeys.add(id);
          const messageData = { key, kind: source.kind, name: source.name, kustomization: name };
          const field = data.origin === 'manifest' && data.resource ? ['data', 'stringData', 'binaryData'].find((candidate) => asRecord(data.resource?.value[candidate])?.[key] !== undefined) : undefined;
          if (data.resource && field) ctx.report({ resource: data.resource, path: [field, key], key: true, messageId: 'invalidName', data: messageData });
          else ctx.report({ resource, path: ['spec', 'postBuild', 'substituteFrom', source.index, 'name'], messageId: 'invalidName', data: messageData });
        }
      }
      if (!kustomization.known || !variables.complete || !substitutionRuns(kustomization, variables)) continue;
      for (const applied of kustomization.resources) {
        if (!mayHoldDollar(applied) || substitutionDisabled(applied)) continue;
        for (const node of stringsWithDollar(applied.value)) {
          for (const expression of scanSubstitutions(node.text).expressions) {
            if (!expression.needsValue || variables.names.has(expression.name)) continue;
            ctx.report({
              resource: applied,
              path: node.path,
              key: node.key,
              messageId: 'undefinedVariable',
              data: { expression: expression.text, name: expression.name, kustomization: name, withDefault: `\${${expression.name}:=value}` },
            });
          }
        }
      }
    }
  },
});
