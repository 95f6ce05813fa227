import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { IncrementalLint } from '../../src/engine/incremental.js';
import { lint } from '../../src/engine/lint.js';
import { LoadCache } from '../../src/lsp/cache.js';
import type { Rule } from '../../src/model/rule.js';
import type { LintResult } from '../../src/model/result.js';

const rules = builtinRules as ReadonlyArray<Rule<string, never>>;
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLES = path.join(REPO, 'examples/broken');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Every finding (place, rule, level, message, fingerprint, suppressions) and every note of a run, in order. */
function summary(result: LintResult): string[] {
  return [
    ...result.findings.map(
      (f) =>
        `${f.location.root}|${f.location.file}:${f.location.startLine}:${f.location.startColumn}-${f.location.endLine}:${f.location.endColumn} ${f.level} ${f.ruleId} ${f.fingerprint} ${JSON.stringify(f.suppressions ?? [])} ${f.message}`,
    ),
    ...result.notes.map((note) => `note ${note.file ?? ''} ${note.message}`),
    ...result.errors.map((error) => `error ${error.message}`),
    `files ${result.fileCount} resources ${result.resourceCount}`,
  ];
}

/**
 * One step of an editing session: open buffers (path → text, replacing the file on disk) and
 * changes written to disk first, which the editor reports as the language server's `schedule`
 * would (contents again, and discovery when files are created or deleted).
 */
interface Step {
  name: string;
  open?: Record<string, string>;
  write?: Record<string, string | null>;
}

/**
 * Run `steps` through the language server's path (LoadCache, IncrementalLint) and through a
 * fresh whole run each, and compare them; returns the number of findings after each step.
 */
async function session(base: string, roots: string[], steps: Step[]): Promise<number[]> {
  const cache = new LoadCache();
  const incremental = new IncrementalLint();
  let open = new Map<string, string>();
  const counts: number[] = [];
  for (const [index, step] of steps.entries()) {
    if (step.write) {
      const files: string[] = [];
      for (const [file, text] of Object.entries(step.write)) {
        const absolute = path.join(base, file);
        if (text === null) rmSync(absolute);
        else writeFileSync(absolute, text);
        files.push(absolute);
      }
      cache.invalidate({ files, discovery: true });
    }
    if (step.open) open = new Map(Object.entries(step.open).map(([file, text]) => [path.join(base, file), text]));
    cache.beginRun({ refresh: false });
    const incrementalResult = await lint({ roots, cwd: base, rules, overrides: open, load: cache.hooks, incremental });
    cache.endRun();
    // After the first run, unchanged files' resources, copies and containers come from the memo.
    if (index > 0) expect(cache.hooks.modelMemo.stats.reused, step.name).toBeGreaterThan(0);
    const whole = await lint({ roots, cwd: base, rules, overrides: open });
    expect(summary(incrementalResult), step.name).toEqual(summary(whole));
    counts.push(whole.findings.length);
  }
  return counts;
}

/** Write `files` (path relative to `base` → text) under `base`, folders included. */
function writeFiles(base: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(base, file)), { recursive: true });
    writeFileSync(path.join(base, file), text);
  }
}

describe('the language server after each edit gives exactly what a whole run gives', () => {
  it('on the broken examples: tag edits, added and removed resources and files, a renamed Kustomization path, broken YAML, .sops.yaml and .gitops-lint.yaml changes', async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'gitops-lint-differential-'));
    dirs.push(base);
    cpSync(EXAMPLES, base, { recursive: true });
    const roots = [path.join(base, 'lotus-lake'), path.join(base, 'h-kube')];
    const read = (file: string): string => readFileSync(path.join(base, file), 'utf8');
    const release = 'lotus-lake/deploy/dagster/release.yaml';
    const deploy = 'h-kube/cluster/namespaces/lotus-lake/lotus-lake-deploy.yaml';
    const cubeRelease = 'lotus-lake/deploy/cube/release.yaml';
    const releaseText = read(release);
    const deployText = read(deploy);
    const cubeText = read(cubeRelease);
    const sopsText = read('lotus-lake/.sops.yaml');
    const configText = read('h-kube/.gitops-lint.yaml');
    const extraSecret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: extra\n  namespace: lotus-lake\ntype: Opaque\nstringData:\n  password: hunter2\n';

    const steps: Step[] = [
      { name: 'first run' },
      { name: 'nothing changed' },
      { name: 'an image tag edited', open: { [release]: releaseText.replace('tag: latest', 'tag: "1.2.3"') } },
      { name: 'the tag edited back', open: { [release]: releaseText } },
      { name: 'a document added to an open file', open: { [release]: `${releaseText}---\n${extraSecret}` } },
      { name: 'the document removed again', open: { [release]: releaseText } },
      { name: 'a Kustomization path renamed', open: { [release]: releaseText, [deploy]: deployText.replace('path: ./deploy', 'path: ./deploy/dagster') } },
      { name: 'a Kustomization path to nowhere', open: { [release]: releaseText, [deploy]: deployText.replace('path: ./deploy', 'path: ./deploy/missing') } },
      { name: 'the path back', open: { [release]: releaseText, [deploy]: deployText } },
      { name: 'broken YAML', open: { [release]: releaseText.replace('kind: HelmRelease', 'kind: [HelmRelease') } },
      { name: 'YAML fixed', open: { [release]: releaseText } },
      { name: 'a HelmRelease removed from its file', open: { [release]: releaseText, [cubeRelease]: '# nothing here any more\n' } },
      { name: 'a file created on disk', open: { [release]: releaseText, [cubeRelease]: cubeText }, write: { 'lotus-lake/deploy/dagster/extra-secret.yaml': extraSecret } },
      { name: 'the new file listed in its kustomization', write: { 'lotus-lake/deploy/dagster/kustomization.yaml': read('lotus-lake/deploy/dagster/kustomization.yaml').replace('resources:\n', 'resources:\n  - extra-secret.yaml\n') } },
      { name: 'a file deleted on disk', write: { 'lotus-lake/deploy/dagster/extra-secret.yaml': null } },
      { name: '.sops.yaml edited in the editor, not saved', open: { 'lotus-lake/.sops.yaml': sopsText.replace('^deploy/', '^deploy/dagster/') } },
      { name: 'another file edited meanwhile', open: { 'lotus-lake/.sops.yaml': sopsText.replace('^deploy/', '^deploy/dagster/'), [release]: releaseText.replace('tag: latest', 'tag: "1.2.3"') } },
      { name: '.sops.yaml closed', open: { [release]: releaseText } },
      { name: '.sops.yaml changed', write: { 'lotus-lake/.sops.yaml': sopsText.replace('^deploy/', '^deploy/dagster/') } },
      { name: '.sops.yaml back', write: { 'lotus-lake/.sops.yaml': sopsText } },
      { name: '.gitops-lint.yaml changed', write: { 'h-kube/.gitops-lint.yaml': `${configText}\nrules:\n  image-tag-mutable: error\n  duplicate-resource: "off"\n` } },
      { name: 'an edit under the new config', open: { [release]: releaseText.replace('tag: latest', 'tag: "1.2.3"') } },
      { name: '.gitops-lint.yaml back', write: { 'h-kube/.gitops-lint.yaml': configText } },
      { name: 'the last edit undone', open: { [release]: releaseText } },
    ];

    const counts = await session(base, roots, steps);
    // The edits change the findings (a sequence that never changes them proves little).
    expect(new Set(counts).size).toBeGreaterThan(4);
  });

  it('on the synthetic 200-file workspace of the bench (no Flux entry point in git, generated builds): tag edits, a renamed and a missing Kustomization path, a resource dropped from a kustomization, broken YAML', async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'gitops-lint-differential-bench-'));
    dirs.push(base);
    execFileSync(process.execPath, [path.join(REPO, 'scripts/bench.mjs'), '--generate', base, '200', 'findings']);
    const read = (file: string): string => readFileSync(path.join(base, file), 'utf8');
    const release = 'apps/app-0/res-1.yaml';
    const apps = 'clusters/apps.yaml';
    const kustomization = 'apps/app-1/kustomization.yaml';
    const releaseText = read(release);
    const appsText = read(apps);
    const kustomizationText = read(kustomization);
    const tagged = releaseText.replace(/tag: "[^"]*"/, 'tag: latest');
    expect(tagged).not.toBe(releaseText);
    const steps: Step[] = [
      { name: 'first run' },
      { name: 'an image tag edited', open: { [release]: tagged } },
      { name: 'the tag edited back', open: { [release]: releaseText } },
      { name: 'a Kustomization path renamed', open: { [apps]: appsText.replace('path: ./apps/app-1\n', 'path: ./apps/app-2\n') } },
      { name: 'a Kustomization path to nowhere', open: { [apps]: appsText.replace('path: ./apps/app-1\n', 'path: ./apps/missing\n') } },
      { name: 'the path back', open: { [apps]: appsText } },
      { name: 'a resource dropped from a kustomization', open: { [kustomization]: kustomizationText.replace('  - res-1.yaml\n', '') } },
      { name: 'broken YAML in the kustomization', open: { [kustomization]: kustomizationText.replace('resources:', 'resources: [') } },
      { name: 'the kustomization back', open: { [kustomization]: kustomizationText } },
      { name: 'a file deleted on disk', write: { 'apps/app-2/res-0.yaml': null } },
    ];
    expect(appsText).toContain('path: ./apps/app-1\n');
    const counts = await session(base, [base], steps);
    expect(new Set(counts).size).toBeGreaterThan(3);
  });

  it('edits of one file that change findings on another: references (pull Secrets, env, volumes, Helm values), duplicates in a build and in a cluster, namespaces from a kustomization and a Flux Kustomization, notes of kept references', async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'gitops-lint-differential-cross-'));
    dirs.push(base);
    const fluxKustomization = (targetNamespace: string) =>
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: ssh://git@github.com/acme/fleet\n---\n` +
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  path: ./clusters\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n---\n` +
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: web\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  path: ./apps/web\n${targetNamespace}  sourceRef:\n    kind: GitRepository\n    name: flux-system\n---\n` +
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: jobs\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  path: ./apps/jobs\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`;
    const kustomization = (namespace: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ${namespace}\nresources:\n  - deploy.yaml\n  - secrets.yaml\n  - config.yaml\n  - release.yaml\n`;
    const deploy =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      imagePullSecrets:\n        - name: regcred\n' +
      '      volumes:\n        - name: certs\n          secret:\n            secretName: certs\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:1.2.3\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: db, key: password}\n';
    const secret = (name: string, namespace?: string) =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n${namespace === undefined ? '' : `  namespace: ${namespace}\n`}type: Opaque\ndata:\n  password: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]\n`;
    const secrets = (pullName: string) => [secret(pullName), secret('db'), secret('certs'), secret('app-secret')].join('---\n');
    const config = (name: string, namespace?: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${namespace === undefined ? '' : `  namespace: ${namespace}\n`}data:\n  mode: production\n`;
    const release =
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web-chart\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: web\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n        namespace: flux-system\n' +
      '  values:\n    auth:\n      existingSecret: app-secret\n    cache:\n      existingSecret: "{{ .Values.cacheSecret }}"\n';
    // In namespace web as written (no kustomization): it reads the Secrets of apps/web from there.
    const jobs = (configName: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: jobs\n  namespace: web\nspec:\n  selector:\n    matchLabels: {app: jobs}\n  template:\n    metadata:\n      labels: {app: jobs}\n    spec:\n      imagePullSecrets:\n        - name: regcred\n` +
      `      containers:\n        - name: jobs\n          image: ghcr.io/acme/jobs:1.0.0\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: db, key: password}\n---\n${config(configName, 'web')}`;
    const files: Record<string, string> = {
      // The Secrets here are stand-ins: what the SOPS rules say of them is not what this test is about.
      '.gitops-lint.yaml': 'rules:\n  sops-secret-encrypted: "off"\n  sops-metadata-valid: "off"\n  flux-decryption-required: "off"\n',
      'clusters/flux.yaml': fluxKustomization(''),
      'clusters/charts.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: flux-system\nspec:\n  interval: 1h\n  url: https://charts.example.com\n',
      'apps/web/kustomization.yaml': kustomization('web'),
      'apps/web/deploy.yaml': deploy,
      'apps/web/secrets.yaml': secrets('regcred'),
      'apps/web/config.yaml': config('settings'),
      'apps/web/release.yaml': release,
      'apps/jobs/jobs.yaml': jobs('jobs-settings'),
      // A build whose own kustomization file never changes, while a kustomization it includes moves one of its objects.
      'apps/batch/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - shared.yaml\n  - sub\n',
      'apps/batch/shared.yaml': config('shared', 'two'),
      'apps/batch/sub/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: one\nresources:\n  - shared.yaml\n',
      'apps/batch/sub/shared.yaml': config('shared'),
    };
    writeFiles(base, files);
    const steps: Step[] = [
      { name: 'first run' },
      { name: 'the pull Secret renamed in its own file: the Deployment in another file misses it', open: { 'apps/web/secrets.yaml': secrets('other-regcred') } },
      { name: 'the pull Secret back', open: { 'apps/web/secrets.yaml': secrets('regcred') } },
      { name: 'the kustomization moves its objects to another namespace: the Deployment of apps/jobs misses its Secrets there', open: { 'apps/web/kustomization.yaml': kustomization('shop') } },
      { name: 'the kustomization back', open: {} },
      { name: 'the Flux Kustomization sets a target namespace', open: { 'clusters/flux.yaml': fluxKustomization('  targetNamespace: flux-system\n') } },
      { name: 'the target namespace removed again', open: { 'clusters/flux.yaml': fluxKustomization('') } },
      { name: 'a ConfigMap renamed to the name of one in the same build', open: { 'apps/web/config.yaml': `${config('settings')}---\n${config('settings')}` } },
      { name: 'the duplicate removed', open: { 'apps/web/config.yaml': config('settings') } },
      { name: 'a ConfigMap in another Kustomization of the cluster gets the same name and namespace', open: { 'apps/jobs/jobs.yaml': jobs('settings') } },
      { name: 'the kustomization namespace no longer meets it', open: { 'apps/jobs/jobs.yaml': jobs('settings'), 'apps/web/kustomization.yaml': kustomization('shop') } },
      { name: 'the namespace back: the two meet again', open: { 'apps/jobs/jobs.yaml': jobs('settings'), 'apps/web/kustomization.yaml': kustomization('web') } },
      { name: 'an unrelated edit: kept references, their notes and duplicates stand', open: { 'apps/jobs/jobs.yaml': jobs('settings'), 'apps/web/deploy.yaml': deploy.replace('web:1.2.3', 'web:1.2.4') } },
      { name: 'the Helm values Secret removed from its file', open: { 'apps/web/secrets.yaml': [secret('regcred'), secret('db'), secret('certs')].join('---\n') } },
      { name: 'an included kustomization moves its object to the namespace of another one in the same build', open: { 'apps/batch/sub/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: two\nresources:\n  - shared.yaml\n' } },
      { name: 'everything back', open: {} },
    ];
    const counts = await session(base, [base], steps);
    // Each edit changes findings on another file than the edited one (or takes them back).
    expect(counts).toEqual([0, 2, 0, 2, 0, 2, 0, 1, 0, 1, 2, 1, 1, 1, 1, 0]);
  });

  it('a flux-instance HelmRelease whose chart source, in a sibling build, is edited: what its unknown sync hid is checked as soon as the release is no flux-instance one', async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'gitops-lint-differential-sync-'));
    dirs.push(base);
    const kustomization = (name: string, dir: string) =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  path: ${dir}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`;
    const sync = `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: ssh://git@github.com/acme/fleet\n---\n${kustomization('flux-system', './clusters')}`;
    const oci = (chart: string) =>
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: flux-operator\n  namespace: flux-system\nspec:\n  interval: 1h\n  url: oci://ghcr.io/controlplaneio-fluxcd/charts/${chart}\n  ref:\n    tag: 0.1.0\n`;
    // Values from a Secret: their instance.sync is never known.
    const release = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: flux\n  namespace: flux-system\nspec:\n  interval: 1h\n  chartRef:\n    kind: OCIRepository\n    name: flux-operator\n  valuesFrom:\n    - kind: Secret\n      name: flux-values\n';
    const app = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:1.2.3\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: db, key: password}\n';
    const files: Record<string, string> = {
      '.gitops-lint.yaml': 'externalSecrets:\n  - name: flux-system\n    namespace: flux-system\n  - name: flux-values\n    namespace: flux-system\n',
      'clusters/gotk-sync.yaml': sync,
      'clusters/a.yaml': kustomization('a', './a'),
      'clusters/b.yaml': kustomization('b', './b'),
      'a/oci.yaml': oci('flux-instance'),
      'b/flux.yaml': release,
      'b/app.yaml': app,
    };
    writeFiles(base, files);
    const steps: Step[] = [
      { name: 'the flux-instance chart: its sync is unknown' },
      { name: 'another chart: no sync at all', open: { 'a/oci.yaml': oci('other-chart') } },
      { name: 'the flux-instance chart again', open: { 'a/oci.yaml': oci('flux-instance') } },
      { name: 'another chart again', open: { 'a/oci.yaml': oci('other-chart') } },
    ];
    const counts = await session(base, [base], steps);
    // The missing Secret db is an error only while no release creates objects nobody can name.
    expect(counts[1]).toBeGreaterThan(counts[0] ?? 0);
    expect(counts).toEqual([counts[0], counts[1], counts[0], counts[1]]);
  });

  it('.sourceignore files and spec.ignore edited on disk and in the editor: the files a generated build applies, and the references they satisfy', async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'gitops-lint-differential-ignore-'));
    dirs.push(base);
    const sync = (ignore: string) =>
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: ssh://git@github.com/acme/fleet\n${ignore}---\n` +
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  path: ./clusters\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n---\n` +
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: web\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  path: ./apps/web\n  targetNamespace: web\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`;
    // No kustomization.yaml in apps/web: Flux generates one from the files its artifact keeps.
    const deploy =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:1.2.3\n          envFrom:\n            - configMapRef: {name: settings}\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: db, key: password}\n';
    const files: Record<string, string> = {
      '.gitops-lint.yaml': 'rules:\n  sops-secret-encrypted: "off"\n  sops-metadata-valid: "off"\n  flux-decryption-required: "off"\n',
      '.sourceignore': '# nothing\n',
      'clusters/flux.yaml': sync(''),
      'apps/web/deploy.yaml': deploy,
      'apps/web/secrets.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\nstringData:\n  password: x\n',
      'apps/web/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: production\n',
    };
    writeFiles(base, files);
    const steps: Step[] = [
      { name: 'first run' },
      { name: '.sourceignore leaves the Secret out, on disk', write: { '.sourceignore': '/apps/web/secrets.yaml\n' } },
      { name: '.sourceignore back, on disk', write: { '.sourceignore': '# nothing\n' } },
      { name: '.sourceignore leaves the ConfigMap out, in the editor', open: { '.sourceignore': '/apps/web/config.yaml\n' } },
      { name: 'the editor buffer edited again: both out', open: { '.sourceignore': '/apps/web/config.yaml\n/apps/web/secrets.yaml\n' } },
      { name: 'the buffer closed', open: {} },
      { name: 'a nested .sourceignore created', write: { 'apps/web/.sourceignore': 'secrets.yaml\n' } },
      { name: 'the nested one deleted', write: { 'apps/web/.sourceignore': null } },
      { name: 'spec.ignore leaves the Secret out', open: { 'clusters/flux.yaml': sync('  ignore: |\n    /apps/web/secrets.yaml\n') } },
      { name: 'spec.ignore leaves the ConfigMap out', open: { 'clusters/flux.yaml': sync('  ignore: |\n    /apps/web/config.yaml\n') } },
      { name: 'spec.ignore removed', open: {} },
    ];
    const counts = await session(base, [base], steps);
    expect(counts).toEqual([0, 1, 0, 1, 2, 0, 1, 0, 1, 1, 0]);
  });

  it('Flux Kustomization overrides (namePrefix, targetNamespace, patches) and duplicates across builds, edited in the Flux file and in the files it applies', async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'gitops-lint-differential-overrides-'));
    dirs.push(base);
    const fluxKustomization = (name: string, dir: string, extra: string) =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  path: ${dir}\n${extra}  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`;
    const sync = (webExtra: string) =>
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: ssh://git@github.com/acme/fleet\n---\n` +
      `${fluxKustomization('flux-system', './clusters', '')}---\n${fluxKustomization('web', './apps/web', webExtra)}---\n${fluxKustomization('jobs', './apps/jobs', '  targetNamespace: web\n')}`;
    const config = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  mode: production\n`;
    const role = (name: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${name}\nrules: []\n`;
    const files: Record<string, string> = {
      'clusters/flux.yaml': sync('  targetNamespace: web\n'),
      'apps/web/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - a.yaml\n  - b.yaml\n',
      'apps/web/a.yaml': `${config('x')}---\n${role('reader')}`,
      'apps/web/b.yaml': config('y'),
      'apps/jobs/jobs.yaml': `${config('p-z')}---\n${role('writer')}`,
    };
    writeFiles(base, files);
    const steps: Step[] = [
      { name: 'first run' },
      { name: 'a ConfigMap of the build renamed to the name of the other', open: { 'apps/web/b.yaml': config('x') } },
      { name: 'the Flux Kustomization adds a name prefix: the prefixed name meets one in the other Kustomization', open: { 'apps/web/b.yaml': config('z'), 'clusters/flux.yaml': sync('  targetNamespace: web\n  namePrefix: p-\n') } },
      { name: 'the target namespace moves: they no longer meet', open: { 'apps/web/b.yaml': config('z'), 'clusters/flux.yaml': sync('  targetNamespace: shop\n  namePrefix: p-\n') } },
      { name: 'a cluster-scoped object of the same name in both, whatever the namespace', open: { 'apps/web/b.yaml': config('z'), 'clusters/flux.yaml': sync('  targetNamespace: shop\n  namePrefix: p-\n'), 'apps/jobs/jobs.yaml': `${config('p-z')}---\n${role('p-reader')}` } },
      { name: 'a Flux patch renames the ConfigMap', open: { 'apps/web/b.yaml': config('z'), 'clusters/flux.yaml': sync('  targetNamespace: web\n  patches:\n    - target: {kind: ConfigMap, name: y}\n      patch: |\n        - op: replace\n          path: /metadata/name\n          value: x\n') } },
      { name: 'only the applied file edited under the patch', open: { 'apps/web/b.yaml': `${config('y')}# edited\n`, 'clusters/flux.yaml': sync('  targetNamespace: web\n  patches:\n    - target: {kind: ConfigMap, name: y}\n      patch: |\n        - op: replace\n          path: /metadata/name\n          value: x\n') } },
      { name: 'everything back', open: {} },
    ];
    const counts = await session(base, [base], steps);
    // Each Flux-side edit changes the duplicates found in files it did not touch (or takes them back).
    expect(counts).toEqual([0, 1, 1, 0, 1, 0, 1, 0]);
  });
});
