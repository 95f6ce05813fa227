import { describeObject } from '../src/flux/describe.js';
import { isUnread } from '../src/workspace/unread.js';
import type { FluxPathConsumer } from '../src/flux/types.js';
import { resolveInRoot } from '../src/kustomize/tree.js';
import { asArray, asRecord, asString } from '../src/engine/values.js';
import { defineRule, type RuleContext } from '../src/model/rule.js';
import type { SourceFile } from '../src/model/workspace.js';

type MessageId = 'missing' | 'outside' | 'notDirectory' | 'noTerraform' | 'notKubernetes' | 'componentMissing';

const TERRAFORM = `apiVersion: infra.contrib.fluxcd.io/v1alpha2
kind: Terraform
metadata:
  name: lotus-lake-airbyte
  namespace: lotus-lake
spec:
  interval: 10m
  approvePlan: auto
  path: PATH
  sourceRef:
    kind: GitRepository
    name: lotus-lake
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: lotus-lake
  namespace: lotus-lake
spec:
  interval: 5m
  url: https://github.com/matta-kelly/lotus-lake
`;

const APP_REPO = {
  'orchestration/airbyte/terraform/main.tf': 'resource "airbyte_source" "shopify" {}\n',
  'orchestration/airbyte/terraform/variables.tf': 'variable "airbyte_client_id" {}\n',
};

const FLUX_SYSTEM = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: ssh://git@github.com/matta-kelly/h-kube
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./apps
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

/** A Kubernetes object as Flux needs it: apiVersion, kind and metadata.name. */
function notKubernetes(file: SourceFile): boolean {
  if (file.problems.length > 0) return false;
  return file.documents.some((document) => {
    const value = document.value;
    if (value === null || value === undefined) return false;
    const object = asRecord(value);
    return !object || asString(object.apiVersion) === undefined || asString(object.kind) === undefined || asString(asRecord(object.metadata)?.name) === undefined;
  });
}

function checkPath(ctx: RuleContext<MessageId>, consumer: FluxPathConsumer): boolean {
  const note = ctx.model.flux.linkNote(consumer);
  if (note) ctx.model.note({ message: note, file: consumer.resource.file.absPath });
  const { link, path, resource } = consumer;
  if (link.status !== 'linked') return false;
  const data = { referrer: describeObject(resource), path: path.written ?? '', repo: link.root.name };
  // A folder that cannot be read (or a symlink out of the root) exists; its note says so.
  if (path.status === 'missing' && path.dir !== undefined && isUnread(link.root, path.dir)) return false;
  if (path.status === 'missing') ctx.report({ resource, path: ['spec', 'path'], messageId: 'missing', data });
  else if (path.status === 'outside') ctx.report({ resource, path: ['spec', 'path'], messageId: 'outside', data });
  else if (path.status === 'file') ctx.report({ resource, path: ['spec', 'path'], messageId: 'notDirectory', data });
  return path.status === 'directory';
}

export default defineRule<MessageId>({
  meta: {
    id: 'flux-path-exists',
    description: 'Require Kustomization and Terraform paths to be folders of the repository their source fetches, and folders without kustomization.yaml to hold only Kubernetes manifests',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      missing: 'Path {{path}} of {{referrer}} does not exist in {{repo}}: the controller fails with "path not found". Fix the path (it is relative to the root of {{repo}}).',
      outside: 'Path {{path}} of {{referrer}} leaves the root of {{repo}}: Flux confines paths to the source artifact, so this fails. Use a path inside the repository.',
      notDirectory: 'Path {{path}} of {{referrer}} is a file in {{repo}}, not a folder: the controller expects a folder. Point the path at the folder that holds it.',
      noTerraform: 'Path {{path}} of {{referrer}} has no .tf file in {{repo}}: there is no module to plan. Point the path at the folder with the .tf files.',
      notKubernetes:
        'Path {{path}} in {{repo}} has no kustomization.yaml, so Flux applies every YAML file under it, and {{file}} is not a Kubernetes object (apiVersion, kind and metadata.name): the build of {{referrer}} fails with "missing Resource metadata". Add a kustomization.yaml that lists the manifests, move the file, or exclude it in .sourceignore.',
      componentMissing: 'Component {{component}} of {{referrer}} does not exist: {{repo}} has no kustomization at {{target}}, so the build fails. Fix the entry, or set ignoreMissingComponents: true if it is optional.',
    },
    docs: {
      rationale:
        'A Flux Kustomization builds the folder `spec.path` of the repository its source fetches, and a tofu-controller Terraform runs the module in its `spec.path`. Both paths often point into *another* repository (the cluster repo fetches the app repo), so a rename there breaks the cluster silently. The rule resolves the GitRepository to a linted root (config `repos:`, else the last segment of its URL) — only when it fetches the branch that root has checked out, if several GitRepositories fetch different branches of it; a path inside a `spec.include` destination leads into the included repository — and checks that the path is a folder there, that a Terraform folder has `.tf` files, and that the Kustomization `components` exist. When the folder has no `kustomization.yaml`, Flux generates one that lists every `.yaml`/`.yml` below it (after the source\'s ignore rules: `.sops.yaml` is excluded by default, but not once a `.sourceignore` or `spec.ignore` exists), and any file that is not a Kubernetes object fails the whole build. When the repository is not among the linted roots, the check is skipped with a note.',
      incorrect: [
        {
          title: 'The Terraform module folder is missing from the app repo',
          roots: { 'h-kube': { 'namespaces/lotus-lake-terraform.yaml': TERRAFORM.replace('PATH', './orchestration/airbyte/tf') }, 'lotus-lake': APP_REPO },
        },
        {
          title: 'A values file next to manifests in a folder without kustomization.yaml',
          files: {
            'clusters/flux-system.yaml': FLUX_SYSTEM,
            'apps/podinfo.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: podinfo\ndata:\n  color: blue\n',
            'apps/values.yaml': 'replicaCount: 2\n',
          },
        },
      ],
      correct: [
        {
          title: 'The module folder exists in the app repo',
          roots: { 'h-kube': { 'namespaces/lotus-lake-terraform.yaml': TERRAFORM.replace('PATH', './orchestration/airbyte/terraform') }, 'lotus-lake': APP_REPO },
        },
        {
          title: 'The cluster repo linted alone: the app repo path is skipped with a note',
          files: { 'namespaces/lotus-lake-terraform.yaml': TERRAFORM.replace('PATH', './orchestration/airbyte/tf') },
        },
        {
          title: '.sops.yaml is excluded from the artifact by default',
          files: {
            'clusters/flux-system.yaml': FLUX_SYSTEM,
            'apps/podinfo.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: podinfo\ndata:\n  color: blue\n',
            'apps/.sops.yaml': 'creation_rules:\n  - encrypted_regex: ^(data|stringData)$\n',
          },
        },
      ],
    },
  },
  check(ctx) {
    const graph = ctx.model.flux;
    for (const kustomization of graph.kustomizations) {
      if (!checkPath(ctx, kustomization)) continue;
      const { resource, link, path } = kustomization;
      if (link.status !== 'linked' || path.dir === undefined) continue;
      const data = { referrer: describeObject(resource), path: path.written ?? './', repo: link.root.name };
      if (!kustomization.kustomization) {
        for (const file of kustomization.scanned) {
          if (notKubernetes(file)) ctx.report({ resource, path: ['spec', 'path'], messageId: 'notKubernetes', data: { ...data, file: file.path } });
        }
      }
      if (resource.get(['spec', 'ignoreMissingComponents']) === true) continue;
      asArray(resource.get(['spec', 'components'])).forEach((component, index) => {
        if (typeof component !== 'string') return;
        const target = resolveInRoot(path.dir as string, component);
        if (target !== undefined && ctx.model.kustomize.at(link.root, target)) return;
        ctx.report({ resource, path: ['spec', 'components', index], messageId: 'componentMissing', data: { ...data, component, target: target ?? component } });
      });
    }
    for (const terraform of graph.terraforms) {
      if (!checkPath(ctx, terraform) || terraform.hasTerraformFiles || terraform.link.status !== 'linked') continue;
      ctx.report({ resource: terraform.resource, path: ['spec', 'path'], messageId: 'noTerraform', data: { referrer: describeObject(terraform.resource), path: terraform.path.written ?? './', repo: terraform.link.root.name } });
    }
  },
});
