import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';

/**
 * Side by side with conftest: for each input, `opaEval` is the value of `data.main` printed by
 * OPA 1.7.1 for the example policy's Rego sources (helpers removed), recorded with
 *
 *   opa eval --format json -d examples/policies/policy -i <input>.json 'data.main'
 *
 * (input = the YAML below as JSON). `conftestView` applies conftest's own reading of that
 * document (policy/engine.go at v0.69.0: rules matching ^(deny|violation)(_[a-zA-Z0-9]+)*$ fail and
 * ^warn(_[a-zA-Z0-9]+)*$ warn; `data.main.exception[_][_] == <rule without deny_/violation_/warn_,
 * "" for the bare name>` drops the rule's results; a result is a string or an object's `msg`).
 * gitops-lint runs the compiled bundle (examples/policies/bundle) on the same object.
 */
const CASES: ReadonlyArray<{ name: string; input: string; opaEval: Record<string, unknown> }> = [
  {
    name: 'web-no-limit',
    input: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/web:1.4.2
`,
    opaEval: {"deny": [{"details": {"path": "spec.template.spec.containers[0].resources"}, "msg": "Deployment web: container \"app\" has no memory limit."}], "deny_latest_tag": [], "exception": [], "violation_registry": [], "warn": [], "warn_labels": ["Deployment web has no labels."]},
  },
  {
    name: 'toolbox-latest',
    input: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: toolbox
  labels: {app: toolbox}
spec:
  template:
    spec:
      containers:
        - name: shell
          image: docker.io/library/busybox:latest
`,
    opaEval: {"deny": [{"details": {"path": "spec.template.spec.containers[0].resources"}, "msg": "Deployment toolbox: container \"shell\" has no memory limit."}], "deny_latest_tag": ["Deployment toolbox: image \"docker.io/library/busybox:latest\" uses the mutable tag latest."], "exception": [["latest_tag"]], "violation_registry": ["Deployment toolbox: image \"docker.io/library/busybox:latest\" is not from an allowed registry (ghcr.io/acme/, registry.k8s.io/)."], "warn": [], "warn_labels": []},
  },
  {
    name: 'api-latest',
    input: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: docker.io/acme/api:latest
          resources:
            limits: {memory: 256Mi}
`,
    opaEval: {"deny": [], "deny_latest_tag": ["Deployment api: image \"docker.io/acme/api:latest\" uses the mutable tag latest."], "exception": [], "violation_registry": ["Deployment api: image \"docker.io/acme/api:latest\" is not from an allowed registry (ghcr.io/acme/, registry.k8s.io/)."], "warn": [], "warn_labels": ["Deployment api has no labels."]},
  },
  {
    name: 'statefulset-two-containers',
    input: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  labels: {app: db}
spec:
  template:
    spec:
      containers:
        - name: db
          image: ghcr.io/acme/db:16
          resources:
            limits: {memory: 1Gi}
        - name: pause
          image: registry.k8s.io/pause:3.9
`,
    opaEval: {"deny": [{"details": {"path": "spec.template.spec.containers[1].resources"}, "msg": "StatefulSet db: container \"pause\" has no memory limit."}], "deny_latest_tag": [], "exception": [], "violation_registry": [], "warn": [], "warn_labels": []},
  },
  {
    name: 'helmrelease-no-remediation',
    input: `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
spec:
  interval: 10m
`,
    opaEval: {"deny": [], "deny_latest_tag": [], "exception": [], "violation_registry": [], "warn": ["HelmRelease podinfo: spec.install.remediation is not set."], "warn_labels": []},
  },
  {
    name: 'helmrelease-ok',
    input: `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
spec:
  interval: 10m
  install:
    remediation: {retries: 3}
`,
    opaEval: {"deny": [], "deny_latest_tag": [], "exception": [], "violation_registry": [], "warn": [], "warn_labels": []},
  },
];

const EXAMPLES = path.resolve(import.meta.dirname, '../../examples/policies');
const FAILURE = /^(deny|violation)(_[a-zA-Z0-9]+)*$/;
const WARNING = /^warn(_[a-zA-Z0-9]+)*$/;

/** rule id → messages, the way conftest reads a package document. */
function conftestView(document: Record<string, unknown>): Record<string, string[]> {
  const exceptions = new Set((document.exception as string[][] | undefined ?? []).flat());
  const out: Record<string, string[]> = {};
  for (const [rule, values] of Object.entries(document)) {
    if (!FAILURE.test(rule) && !WARNING.test(rule)) continue;
    const name = /^(deny|violation|warn)$/.test(rule) ? '' : rule.replace(/^(violation|deny|warn)_/, '');
    if (exceptions.has(name)) continue;
    const messages = (values as unknown[]).map((value) => (typeof value === 'string' ? value : (value as { msg: string }).msg));
    if (messages.length > 0) out[`policy/main/${rule}`] = messages.sort();
  }
  return out;
}

describe('example policies: gitops-lint gives the messages conftest gives', () => {
  for (const testCase of CASES) {
    it(testCase.name, async () => {
      const result = await lint({ rules: [], roots: [{ dir: EXAMPLES, files: { '.gitops-lint.yaml': 'policies:\n  - bundle/bundle.tar.gz\n', 'input.yaml': testCase.input } }] });
      const actual: Record<string, string[]> = {};
      for (const finding of result.findings) (actual[finding.ruleId] ??= []).push(finding.message);
      for (const messages of Object.values(actual)) messages.sort();
      expect(actual).toEqual(conftestView(testCase.opaEval));
      for (const finding of result.findings) expect(finding.level).toBe(FAILURE.test(finding.ruleId.split('/')[2] ?? '') ? 'error' : 'warning');
    });
  }
});

const opaAvailable = spawnSync('opa', ['version'], { stdio: 'ignore' }).status === 0;

describe('the recorded opa eval output is current', () => {
  if (!opaAvailable) {
    it.skip('opa is not on the PATH (it is never installed in CI; see README "Team policies in Rego")', () => {});
    return;
  }
  for (const testCase of CASES) {
    it(testCase.name, () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-opa-'));
      const input = path.join(dir, 'input.json');
      writeFileSync(input, JSON.stringify(parse(testCase.input)));
      const run = spawnSync('opa', ['eval', '--format', 'json', '-d', 'examples/policies/policy', '-i', input, 'data.main'], { cwd: path.resolve(EXAMPLES, '../..'), encoding: 'utf8' });
      const value = (JSON.parse(run.stdout) as { result: Array<{ expressions: Array<{ value: Record<string, unknown> }> }> }).result[0]?.expressions[0]?.value ?? {};
      for (const helper of ['containers', 'workload_kinds', 'registries']) delete value[helper];
      expect(value).toEqual(testCase.opaEval);
    });
  }
});
