import { kustomizationFileReferences } from '../src/flux/kustomize-files.js';
import { isRemoteTarget, resolveInRoot } from '../src/kustomize/tree.js';
import { asArray, asRecord, asString } from '../src/engine/values.js';
import { defineRule } from '../src/model/rule.js';
import { kustomizationIn } from '../src/workspace/source-file.js';
import type { YamlPath } from '../src/model/finding.js';
import type { SourceFile } from '../src/model/workspace.js';
import { isUnread } from '../src/workspace/unread.js';

const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - dagster/
  - cube/
`;

const CUBE = {
  'deploy/cube/kustomization.yaml': 'resources:\n  - release.yaml\n',
  'deploy/cube/release.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cube\n',
};

type MessageId = 'missing' | 'outside' | 'noKustomization' | 'componentInResources' | 'kustomizationInComponents' | 'cycle' | 'notAnObject';

export default defineRule<MessageId>({
  meta: {
    id: 'kustomize-resources-exist',
    description: 'Require every file and folder a kustomization.yaml names to exist',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      missing: 'Entry {{entry}} of {{field}} names {{target}}, which does not exist: kustomize build fails, and with it the Flux Kustomization that applies this folder. Fix the path or remove the entry.',
      outside: 'Entry {{entry}} of {{field}} leaves the repository root: Flux builds inside the source artifact, so the file cannot be read. Move it into the repository.',
      noKustomization:
        'Entry {{entry}} of {{field}} is a folder without kustomization.yaml: kustomize only builds folders that have one ("unable to find one of kustomization.yaml"). Add a kustomization.yaml there, or list its files instead.',
      componentInResources: 'Entry {{entry}} of {{field}} is a Component: kustomize refuses components in resources. Move it to components.',
      kustomizationInComponents: 'Entry {{entry}} of components is a Kustomization, not a Component: kustomize refuses it. Move it to resources, or make it kind: Component.',
      cycle: 'Entry {{entry}} of {{field}} names this kustomization\'s own folder or a folder above it: kustomize refuses it ("cycle detected"), and with it the Flux Kustomization that applies this folder. Remove the entry.',
      notAnObject:
        'This document is listed in {{kustomization}} but {{problem}}: kustomize build refuses it (every document it reads needs a kind and, unless it is a List, a metadata.name), and with it the Flux Kustomization that applies the folder. Fix the document or take the file out of resources.',
    },
    docs: {
      rationale:
        'A `kustomization.yaml` that names a file or folder that is not there fails `kustomize build`, and Flux then applies nothing of the Kustomization that builds it — not even the unchanged objects. The rule checks `resources`, `components` and the deprecated `bases` (a folder entry must hold a kustomization file, and components must be kind `Component`), patch files (`patches[].path`, `patchesStrategicMerge`, `patchesJson6902[].path`), generator inputs (`files`, `envs`), `configurations`, `crds`, `replacements[].path` and transformer, generator and validator files. Remote entries are not checked. kustomize also refuses an entry that names the kustomization\'s own folder or a folder above it (a cycle), and a listed document that is not an object with a `kind` and (unless it is a List) a `metadata.name`: both are reported too.',
      incorrect: [
        { title: 'A folder that was never committed', files: { 'deploy/kustomization.yaml': `${KUSTOMIZATION}  - superset/\n`, 'deploy/dagster/kustomization.yaml': 'resources: []\n', ...CUBE } },
        {
          title: 'A folder that lists itself',
          files: { 'deploy/cube/kustomization.yaml': 'resources:\n  - release.yaml\n  - .\n', 'deploy/cube/release.yaml': CUBE['deploy/cube/release.yaml'] },
        },
        {
          title: 'A listed manifest without metadata.name',
          files: { 'deploy/cube/kustomization.yaml': 'resources:\n  - release.yaml\n', 'deploy/cube/release.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n' },
        },
        {
          title: 'A patch file that was renamed',
          files: { 'deploy/cube/kustomization.yaml': 'resources:\n  - release.yaml\npatches:\n  - path: replicas-patch.yaml\n', 'deploy/cube/release.yaml': CUBE['deploy/cube/release.yaml'] },
        },
      ],
      correct: [{ files: { 'deploy/kustomization.yaml': KUSTOMIZATION, 'deploy/dagster/kustomization.yaml': 'resources: []\n', ...CUBE } }],
    },
  },
  check(ctx) {
    const { model } = ctx;
    const graph = model.flux;
    const checkedFiles = new Set<SourceFile>();
    for (const node of model.kustomize.nodes) {
      // A kustomization no build reads (an archive folder outside every Flux path) never fails.
      if (model.appliedStatus(node.file) !== 'applied') continue;
      const root = node.file.root;
      const file = node.file;
      const hasKustomizationFile = (dir: string): boolean => kustomizationIn(model.rootFiles(root).filesIn.get(dir) ?? []) !== undefined;
      for (const entry of node.entries) {
        // Built only for an entry that is reported (most are not).
        const where = (messageId: MessageId) => ({ file, docIndex: node.docIndex, path: [entry.field, entry.index], messageId, data: { field: entry.field, entry: entry.value, target: entry.target ?? entry.value } });
        if (entry.kind === 'missing') {
          // A folder that cannot be read or a symlink out of the root exists: its note says so.
          if (entry.target !== undefined && isUnread(root, entry.target)) continue;
          ctx.report(where(entry.target === undefined ? 'outside' : 'missing'));
          continue;
        }
        if (entry.kind === 'file' && entry.field === 'resources' && entry.target !== undefined) {
          const listed = model.rootFiles(root).files.get(entry.target);
          if (listed && !checkedFiles.has(listed)) {
            checkedFiles.add(listed);
            listed.documents.forEach((document, docIndex) => {
              const problem = notAnObject(document.value, listed, docIndex);
              if (problem) ctx.report({ file: listed, docIndex, path: problem.path, messageId: 'notAnObject', data: { kustomization: file.path, problem: problem.text } });
            });
          }
        }
        if (entry.kind !== 'directory' || entry.target === undefined) continue;
        // kustomize refuses a folder at or above one it is building (errIfArgEqualOrHigher).
        if (entry.target === node.dir || entry.target === '' || node.dir.startsWith(`${entry.target}/`)) {
          ctx.report(where('cycle'));
          continue;
        }
        const child = model.kustomize.at(root, entry.target);
        if (!child) {
          // An unparsable kustomization file is yaml-syntax's to report.
          if (!hasKustomizationFile(entry.target)) ctx.report(where('noKustomization'));
          continue;
        }
        const kind = asString(asRecord(child.file.documents[child.docIndex]?.value)?.kind) ?? 'Kustomization';
        if (entry.field === 'resources' && kind === 'Component') ctx.report(where('componentInResources'));
        if (entry.field === 'components' && kind !== 'Component') ctx.report(where('kustomizationInComponents'));
      }
      const value = asRecord(file.documents[node.docIndex]?.value) ?? {};
      asArray(value.bases).forEach((base, index) => {
        if (typeof base !== 'string' || isRemoteTarget(base)) return;
        const target = resolveInRoot(node.dir, base);
        const data = { field: 'bases', entry: base, target: target ?? base };
        if (target === undefined) ctx.report({ file, docIndex: node.docIndex, path: ['bases', index], messageId: 'outside', data });
        else if (isUnread(root, target)) return;
        else if (graph.entryAt(root, target) === undefined) ctx.report({ file, docIndex: node.docIndex, path: ['bases', index], messageId: 'missing', data });
        else if (!hasKustomizationFile(target)) ctx.report({ file, docIndex: node.docIndex, path: ['bases', index], messageId: 'noKustomization', data });
      });
      for (const reference of kustomizationFileReferences(node)) {
        const field = String(reference.path[0]);
        const data = { field, entry: reference.value, target: reference.target ?? reference.value };
        if (reference.target === undefined) {
          ctx.report({ file, docIndex: node.docIndex, path: reference.path, messageId: 'outside', data });
          continue;
        }
        const found = graph.entryAt(root, reference.target);
        if (found === 'file' || (found === 'directory' && reference.expects === 'fileOrDirectory')) continue;
        if (isUnread(root, reference.target)) continue;
        ctx.report({ file, docIndex: node.docIndex, path: reference.path, messageId: 'missing', data });
      }
    }
  },
});

const TYPE_NAMES: Record<string, string> = { string: 'a string', number: 'a number', boolean: 'a boolean' };

/**
 * Why kustomize refuses a document of a resource file (kyaml's GetValidatedMetadata), if it
 * does. Empty documents (null, {}, [], '') are skipped by kustomize; so are documents with a
 * syntax error here (yaml-syntax reports those).
 */
function notAnObject(value: unknown, file: SourceFile, docIndex: number): { text: string; path: YamlPath } | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (hasSyntaxError(file, docIndex)) return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : { text: 'is a list, not a mapping', path: [] };
  if (typeof value !== 'object') return { text: `is ${TYPE_NAMES[typeof value] ?? 'a scalar'}, not a mapping`, path: [] };
  const object = value as Record<string, unknown>;
  if (isEmptyMapping(object)) return undefined;
  for (let index = 0; index < TYPE_FIELDS.length; index++) {
    const field = TYPE_FIELDS[index]!;
    const fieldValue = object[field];
    if (fieldValue !== undefined && fieldValue !== null && typeof fieldValue !== 'string') return { text: `its ${field} is not a string`, path: [field] };
  }
  const kind = object.kind;
  if (typeof kind !== 'string' || kind === '') return { text: 'has no kind', path: [] };
  const metadata = object.metadata;
  if (metadata !== undefined && metadata !== null && (typeof metadata !== 'object' || Array.isArray(metadata))) return { text: 'its metadata is not a mapping', path: ['metadata'] };
  if (kind.endsWith('List')) return undefined;
  const name = asRecord(metadata)?.name;
  if (name !== undefined && name !== null && typeof name !== 'string') return { text: 'its metadata.name is not a string', path: ['metadata', 'name'] };
  if (typeof name !== 'string' || name === '') return { text: 'has no metadata.name', path: metadata === undefined || metadata === null ? [] : ['metadata'] };
  return undefined;
}

const TYPE_FIELDS = ['apiVersion', 'kind'] as const;

/** `Object.keys(object).length === 0` without making the key list (asked of every document of every listed file). */
function isEmptyMapping(object: Record<string, unknown>): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return false;
  return true;
}

function hasSyntaxError(file: SourceFile, docIndex: number): boolean {
  if (file.problems.length === 0) return false;
  return (file.documents[docIndex]?.doc.errors ?? []).some((error) => error.code !== 'DUPLICATE_KEY');
}
