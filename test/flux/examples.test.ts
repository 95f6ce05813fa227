/**
 * The Flux rules on the example repositories: the good pair lints clean together, each repo
 * alone yields notes and no findings, and the broken pair yields exactly its Flux mistakes.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { lint } from '../../src/engine/lint.js';
import type { MemoryRoot } from '../../src/workspace/load.js';
import { fluxRules } from './rules.js';

const examples = path.join(import.meta.dirname, '..', '..', 'examples');

function readTree(dir: string, base = dir, out: Record<string, string> = {}): Record<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) readTree(full, base, out);
    else out[path.relative(base, full).split(path.sep).join('/')] = /\.(ya?ml|json)$/.test(entry.name) ? readFileSync(full, 'utf8') : '';
  }
  return out;
}

/** A root read from disk with only the Flux rules on, and the `repos`/`externalSecrets` of its config. */
function exampleRoot(relative: string): MemoryRoot {
  const dir = path.join(examples, relative);
  const files = readTree(dir);
  const config = defaultConfig(fluxRules);
  const raw = (parse(files['.gitops-lint.yaml'] ?? '') ?? {}) as { repos?: Record<string, string>; externalSecrets?: Array<string | { name: string; namespace?: string; keys?: string[] }> };
  for (const [name, target] of Object.entries(raw.repos ?? {})) config.repos[name] = path.resolve(dir, target);
  for (const secret of raw.externalSecrets ?? []) config.externalSecrets.push(typeof secret === 'string' ? { name: secret } : secret);
  return { dir, files, config };
}

async function lintExamples(...relatives: string[]) {
  const result = await lint({ roots: relatives.map(exampleRoot), rules: fluxRules });
  expect(result.errors).toEqual([]);
  return {
    findings: result.findings.map((finding) => `${path.relative(examples, path.join(finding.location.root, finding.location.file))}:${finding.location.startLine} ${finding.ruleId}`),
    notes: result.notes.map((note) => note.message),
  };
}

describe('examples', () => {
  it('lint clean together', async () => {
    expect(await lintExamples('lotus-lake', 'h-kube')).toEqual({ findings: [], notes: [] });
  });

  it('the app repo alone: no finding, one note', async () => {
    expect(await lintExamples('lotus-lake')).toEqual({
      findings: [],
      notes: ['References from lotus-lake to objects that are not in it were not checked: no linted Flux Kustomization applies its files. Lint it together with the repository that deploys it.'],
    });
  });

  it('the cluster repo alone: no finding, one note about the app repo', async () => {
    const { findings, notes } = await lintExamples('h-kube');
    expect(findings).toEqual([]);
    expect(notes).toEqual([
      `GitRepository lotus-lake/lotus-lake: \`repos:\` maps it to ${path.join(examples, 'lotus-lake')}, which is not among the linted roots, so the paths and objects its Kustomizations and Terraforms use were not checked. Lint that repository together with this one, or map it with \`repos:\` in .gitops-lint.yaml.`,
    ]);
  });

  it('the broken pair yields its Flux mistakes and nothing else', async () => {
    const { findings } = await lintExamples('broken/lotus-lake', 'broken/h-kube');
    expect(findings).toEqual([
      'broken/h-kube/cluster/infrastructure/tofu-controller.yaml:3 flux-api-version',
      'broken/h-kube/cluster/namespaces/lotus-lake/lotus-lake-terraform.yaml:13 flux-path-exists',
      'broken/h-kube/cluster/namespaces/lotus-lake/network-policy.yaml:1 kustomize-unreferenced-manifest',
      'broken/h-kube/clusters/homelab/alerting-secret.yaml:12 flux-decryption-required',
      'broken/lotus-lake/deploy/cube/refresh-worker.yaml:10 flux-depends-on',
      'broken/lotus-lake/deploy/cube/release.yaml:16 flux-source-ref',
      'broken/lotus-lake/deploy/dagster/ducklake-database.yaml:22 flux-substitution',
      'broken/lotus-lake/deploy/dagster/restore.yaml:7 duplicate-resource',
      'broken/lotus-lake/deploy/kustomization.yaml:12 kustomize-resources-exist',
      'broken/lotus-lake/deploy/tools/raw-compaction.yaml:29 secret-ref-exists',
    ]);
  });

  it('each broken repo alone yields only the mistakes it holds itself', async () => {
    expect((await lintExamples('broken/lotus-lake')).findings).toEqual([
      'broken/lotus-lake/deploy/dagster/restore.yaml:7 duplicate-resource',
      'broken/lotus-lake/deploy/kustomization.yaml:12 kustomize-resources-exist',
    ]);
    expect((await lintExamples('broken/h-kube')).findings).toEqual([
      'broken/h-kube/cluster/infrastructure/tofu-controller.yaml:3 flux-api-version',
      'broken/h-kube/cluster/namespaces/lotus-lake/network-policy.yaml:1 kustomize-unreferenced-manifest',
      'broken/h-kube/clusters/homelab/alerting-secret.yaml:12 flux-decryption-required',
    ]);
  });
});
