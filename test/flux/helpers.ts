import path from 'node:path';
import { defaultConfig, resolveConfigText } from '../../src/config/load.js';
import { buildModel } from '../../src/model/build.js';
import type { RunNote } from '../../src/model/finding.js';
import type { Resource } from '../../src/model/workspace.js';
import type { Model } from '../../src/model/model.js';
import { loadMemoryRoot } from '../../src/workspace/load.js';
import { VIRTUAL_BASE } from '../../src/testing/index.js';
import { fluxRules } from './rules.js';

/** The model of in-memory roots (`{rootName: {path: text}}`), honouring each root's `.gitops-lint.yaml`. */
export async function fluxModel(roots: Record<string, Record<string, string>>): Promise<{ model: Model; notes: RunNote[] }> {
  const notes: RunNote[] = [];
  const loaded = await Promise.all(
    Object.entries(roots).map(async ([name, files]) => {
      const dir = path.join(VIRTUAL_BASE, name);
      const text = files['.gitops-lint.yaml'];
      const config = text === undefined ? defaultConfig(fluxRules) : await resolveConfigText(text, path.join(dir, '.gitops-lint.yaml'), fluxRules);
      return loadMemoryRoot({ dir, name, files }, config, notes);
    }),
  );
  const model = buildModel(
    loaded.map((entry) => entry.root),
    loaded.flatMap((entry) => entry.files),
    notes,
  );
  return { model, notes };
}

/** `root:path#kind/namespace/name` of resources, for compact assertions. */
export function ids(resources: readonly Resource[]): string[] {
  return resources.map((resource) => `${resource.file.root.name}:${resource.file.path}#${resource.kind}/${resource.appliedNamespace ?? '-'}/${resource.name}`);
}

export const GIT_REPOSITORY = (name: string, namespace: string, url: string, extra = ''): string =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  interval: 5m\n  url: ${url}\n${extra}`;

export const KUSTOMIZATION = (name: string, namespace: string, source: string, pathValue: string, extra = ''): string =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  interval: 10m\n  prune: true\n  path: ${pathValue}\n  sourceRef:\n    kind: GitRepository\n    name: ${source}\n${extra}`;

export const CONFIG_MAP = (name: string, namespace?: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${namespace === undefined ? '' : `  namespace: ${namespace}\n`}data:\n  a: b\n`;
