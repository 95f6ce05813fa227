import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load.js';
import { lint, loadWorkspace } from '../../src/engine/lint.js';
import { runPolicies } from '../../src/policies/evaluate.js';
import { readPolicyFile } from '../../src/policies/bundle.js';

/** test/fixtures/policies/suite: Rego sources and the bundle built from them (scripts/build-policies.mjs). */
const SUITE = path.resolve(import.meta.dirname, '../fixtures/policies/suite');

const deployment = (name: string, image: string, labels = '{app: web, team: a}') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: ${labels}
spec:
  template:
    spec:
      containers:
        - name: app
          image: ${image}
          resources:
            limits: {memory: 128Mi}
`;

/** Lint in-memory files of a root placed in the suite folder (policy paths resolve there). */
async function run(config: string, files: Record<string, string>, dir = SUITE) {
  const result = await lint({ rules: [], roots: [{ dir, files: { '.gitops-lint.yaml': config, ...files } }] });
  return {
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      level: f.level,
      message: f.message,
      file: f.location.file,
      line: f.location.startLine,
      column: f.location.startColumn,
      endLine: f.location.endLine,
      endColumn: f.location.endColumn,
      ...(f.suppressions ? { suppressed: true } : {}),
    })),
    fingerprints: result.findings.map((f) => f.fingerprint),
    metadata: result.findings.map((f) => f.metadata),
    notes: result.notes.map((note) => note.message),
    rules: result.rules.map((rule) => rule.id),
    timings: result.timings ?? {},
  };
}

const MAIN = 'policies:\n  - bundle/bundle.tar.gz\n';

describe('policies: conftest conventions', () => {
  it('deny with a string result is reported on the object', async () => {
    const { findings } = await run(MAIN, { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  mode: debug\n' });
    expect(findings).toEqual([
      { ruleId: 'policy/main/deny', level: 'error', message: 'ConfigMap debug mode is on.', file: 'cm.yaml', line: 1, column: 1, endLine: 1, endColumn: 15 },
    ]);
  });

  it('deny with an object result is reported on the field path of its details', async () => {
    const text = deployment('web', 'ghcr.io/acme/web:1.0').replace('          resources:\n            limits: {memory: 128Mi}\n', '          resources: {requests: {cpu: 10m}}\n');
    const { findings } = await run(MAIN, { 'web.yaml': text });
    expect(findings).toEqual([
      { ruleId: 'policy/main/deny', level: 'error', message: 'Container app has no memory limit.', file: 'web.yaml', line: 12, column: 11, endLine: 12, endColumn: 20 },
    ]);
  });

  it("an object result's other keys are the finding's metadata, with the query (as conftest reports them)", async () => {
    const text = deployment('web', 'ghcr.io/acme/web:1.0').replace('          resources:\n            limits: {memory: 128Mi}\n', '');
    const { metadata } = await run(MAIN, { 'web.yaml': text, 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  mode: debug\n' });
    expect(metadata).toEqual([{ query: 'data.main.deny' }, { details: { path: 'spec.template.spec.containers[0].resources' }, severity: 'high', query: 'data.main.deny' }]);
  });

  it('warn is a warning', async () => {
    const { findings } = await run(MAIN, {
      'hr.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n  interval: 10m\n',
    });
    expect(findings).toEqual([
      { ruleId: 'policy/main/warn', level: 'warning', message: 'HelmRelease podinfo has no install remediation.', file: 'hr.yaml', line: 1, column: 1, endLine: 1, endColumn: 38 },
    ]);
  });

  it('violation with conftest _loc is reported on that line', async () => {
    const { findings } = await run(MAIN, {
      'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n  type: LoadBalancer\n',
    });
    expect(findings).toEqual([
      { ruleId: 'policy/main/violation', level: 'error', message: 'LoadBalancer Services are not allowed.', file: 'svc.yaml', line: 7, column: 3, endLine: 7, endColumn: 21 },
    ]);
  });

  it('a deny_ suffix is its own rule, and sprintf takes Go verbs (%d, %q)', async () => {
    const { findings } = await run(MAIN, { 'web.yaml': deployment('web', 'ghcr.io/acme/web:latest') });
    expect(findings).toEqual([
      { ruleId: 'policy/main/deny_latest', level: 'error', message: 'Container 0 uses "ghcr.io/acme/web:latest".', file: 'web.yaml', line: 1, column: 1, endLine: 1, endColumn: 20 },
    ]);
  });

  it('an exception cancels only the rules it names', async () => {
    const { findings } = await run(MAIN, { 'toolbox.yaml': deployment('toolbox', 'docker.io/toolbox:latest') });
    expect(findings.map((f) => [f.ruleId, f.message])).toEqual([
      ['policy/main/deny_registry', 'Image docker.io/toolbox:latest is not from ["ghcr.io/acme/", "registry.k8s.io/"].'],
    ]);
  });

  it("the bundle's data.json is the policy's data", async () => {
    const { findings } = await run(MAIN, { 'web.yaml': deployment('web', 'quay.io/web:1.0') });
    expect(findings.map((f) => f.message)).toEqual(['Image quay.io/web:1.0 is not from ["ghcr.io/acme/", "registry.k8s.io/"].']);
  });

  it('a bare .wasm module with a data: YAML file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-policy-'));
    const archive = readPolicyFile(await readFile(path.join(SUITE, 'bundle/bundle.tar.gz')));
    writeFileSync(path.join(dir, 'policy.wasm'), archive.wasm);
    writeFileSync(path.join(dir, 'registries.yaml'), 'registries:\n  - quay.io/\n');
    const { findings } = await run('policies:\n  - path: policy.wasm\n    data: registries.yaml\n', { 'web.yaml': deployment('web', 'ghcr.io/acme/web:1.0') }, dir);
    expect(findings.map((f) => f.message)).toEqual(['Image ghcr.io/acme/web:1.0 is not from ["quay.io/"].']);
  });

  it('combine: true evaluates the whole set as [{path, contents}]', async () => {
    const config = 'policies:\n  - path: bundle/bundle.tar.gz\n    namespace: combined\n    combine: true\n';
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector: {app: api}\n';
    const { findings } = await run(config, { 'api.yaml': deployment('api', 'x'), 'svc.yaml': service, 'web.yaml': deployment('web', 'x') });
    expect(findings).toEqual([
      // About the set as a whole: on the config entry that enables the policy.
      { ruleId: 'policy/combined/warn', level: 'warning', message: 'No NetworkPolicy in the set.', file: '.gitops-lint.yaml', line: 2, column: 5, endLine: 2, endColumn: 31 },
      { ruleId: 'policy/combined/deny', level: 'error', message: 'Deployment web has no Service.', file: 'web.yaml', line: 4, column: 9, endLine: 4, endColumn: 12 },
    ]);
  });

  it('builtins: sprintf from the SDK (overridden), object.keys, trace and time.now_ns from gitops-lint', async () => {
    const { findings } = await run(MAIN, {
      'web.yaml': deployment('web', 'ghcr.io/acme/web:1.0', '{app: web}'),
      'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n',
    });
    expect(findings.map((f) => [f.ruleId, f.message])).toEqual([
      ['policy/main/warn_namespace', 'Namespace apps is declared in git.'],
      ['policy/main/warn_labels', 'Deployment web has fewer than 2 labels (["app"]).'],
    ]);
  });

  it('package rules built as one entrypoint per rule, with an exception for every rule ("")', async () => {
    const config = 'policies:\n  - path: bundle/bundle.tar.gz\n    namespace: rules\n';
    const { findings } = await run(config, {
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
      'b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-wide\n',
    });
    expect(findings.map((f) => [f.ruleId, f.level, f.file, f.message])).toEqual([
      ['policy/rules/deny', 'error', 'a.yaml', 'ConfigMap a has no namespace.'],
      ['policy/rules/warn', 'warning', 'a.yaml', 'ConfigMap a has no labels.'],
    ]);
  });

  it('a Secret value quoted by a message is masked', async () => {
    const { findings } = await run(MAIN, { 'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2-very-secret\n' });
    expect(findings.map((f) => f.message)).toEqual(['Secret key password holds ***.']);
  });
});

describe('policies: failures are notes, never crashes', () => {
  it('a policy that throws (a builtin nobody provides) leaves a note naming it', async () => {
    const config = 'policies:\n  - path: bundle/bundle.tar.gz\n    namespace: throws\n';
    const { findings, notes } = await run(config, { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  size: 2Ki\n' });
    expect(findings).toEqual([]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      /^Policy bundle\/bundle\.tar\.gz failed on 1 evaluation\(s\) \(first on ConfigMap cm \(cm\.yaml\): not implemented: built-in function \d+: units\.parse_bytes\); their results are missing\. It calls builtins gitops-lint does not provide: units\.parse_bytes\.$/,
    );
  });

  it('a policy that exhausts its memory cap leaves a note naming it; the next evaluations run on a fresh instance with its data', async () => {
    const config = 'policies:\n  - path: bundle/bundle.tar.gz\n    namespace: [memory, main]\n    maxMemory: 2\n';
    const { findings, notes } = await run(config, {
      'a.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  mode: debug\n---\n${deployment('web', 'quay.io/web:1.0')}`,
    });
    expect(findings.map((f) => [f.ruleId, f.message])).toEqual([
      ['policy/main/deny', 'ConfigMap debug mode is on.'],
      ['policy/main/deny_registry', 'Image quay.io/web:1.0 is not from ["ghcr.io/acme/", "registry.k8s.io/"].'],
    ]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^Policy bundle\/bundle\.tar\.gz failed on 1 evaluation\(s\) \(first on ConfigMap a \(a\.yaml\): .*(Maximum memory size exceeded|opa_malloc: failed).*\); their results are missing\. Its memory cap is 2 MiB \(`maxMemory` in its config entry\)\.$/);
  });

  it('a boolean deny rule is not a set: a note, as conftest rejects it', async () => {
    const config = 'policies:\n  - path: bundle/bundle.tar.gz\n    namespace: notset\n';
    const { findings, notes } = await run(config, { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n' });
    expect(findings).toEqual([]);
    expect(notes).toEqual(['Policy bundle/bundle.tar.gz: rule data.notset.deny is not a set (write `deny contains msg if { … }`); conftest rejects it, so it was ignored.']);
  });
});

describe('policies: config errors (exit 2 with file:line:col)', () => {
  const configError = async (config: string): Promise<string> => {
    const error = await run(config, {}).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).describe(SUITE);
  };

  it('a missing bundle', async () => {
    expect(await configError('rules: {}\npolicies:\n  - bundle/missing.tar.gz\n')).toBe('.gitops-lint.yaml:3:5: Cannot read the policy "bundle/missing.tar.gz" (ENOENT).');
  });

  it('a file that is neither a bundle nor a module', async () => {
    expect(await configError('policies:\n  - path: policy/main.rego\n')).toBe(
      '.gitops-lint.yaml:2:11: The policy "policy/main.rego" cannot be used: neither a bundle (.tar.gz) nor a Wasm module.',
    );
  });

  it('a missing data file', async () => {
    expect(await configError('policies:\n  - path: bundle/bundle.tar.gz\n    data: nope.json\n')).toBe('.gitops-lint.yaml:3:11: Cannot read the policy data "nope.json" (ENOENT).');
  });

  it('a namespace the bundle has no entrypoint for', async () => {
    expect(await configError('policies:\n  - path: bundle/bundle.tar.gz\n    namespace: k8s.security\n')).toBe(
      '.gitops-lint.yaml:3:16: The policy "bundle/bundle.tar.gz" has no entrypoint for package "k8s.security" (it has combined, combined/deny, combined/warn, main, main/deny_registry, memory, notset, rules/deny, rules/exception, rules/warn, throws); build it with `opa build -t wasm -e k8s/security`.',
    );
  });

  it('an unknown key in an entry', async () => {
    expect(await configError('policies:\n  - path: bundle/bundle.tar.gz\n    namespaces: main\n')).toBe('.gitops-lint.yaml:3:5: Unknown key "namespaces" in policies.0.');
  });
});

describe('policies: rules like any rule', () => {
  it('levels are set in rules:, and comments suppress', async () => {
    const config = `${MAIN}rules:\n  policy/main/warn_labels: error\n  policy/main/deny_registry: 'off'\n`;
    const text = `# gitops-lint-disable-next-line policy/main/deny_latest -- debugging image\n${deployment('web', 'docker.io/web:latest', '{app: web}')}`;
    const { findings, rules } = await run(config, { 'web.yaml': text });
    expect(findings.map((f) => [f.ruleId, f.level, f.line, f.suppressed ?? false])).toEqual([
      ['policy/main/deny_latest', 'error', 2, true],
      ['policy/main/warn_labels', 'error', 2, false],
    ]);
    expect(rules).toEqual(['policy/main/deny_latest', 'policy/main/warn_labels']);
  });

  it('fingerprints do not change when the finding moves', async () => {
    const text = deployment('web', 'ghcr.io/acme/web:latest');
    const before = await run(MAIN, { 'web.yaml': text });
    const after = await run(MAIN, { 'web.yaml': `# moved down\n\n${text}` });
    expect(after.findings.map((f) => f.line)).toEqual([3]);
    expect(after.fingerprints).toEqual(before.fingerprints);
  });

  it('policies are timed as one step of the run', async () => {
    const { timings } = await run(MAIN, { 'web.yaml': deployment('web', 'ghcr.io/acme/web:1.0') });
    expect(Object.keys(timings)).toEqual(['policies']);
  });
});


describe('policies: the time budget', () => {
  it('a policy past its budget is stopped with a note; the objects before that point keep their results', async () => {
    const files: Record<string, string> = { '.gitops-lint.yaml': 'policies:\n  - path: bundle/bundle.tar.gz\n    timeout: 25\n' };
    for (const name of ['a', 'b', 'c', 'd', 'e']) files[`${name}.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  mode: debug\n`;
    const { model, notes } = await loadWorkspace({ rules: [], roots: [{ dir: SUITE, files }] });
    // A clock that advances 10 ms each time the budget is checked (once per object, once at the start).
    let now = 0;
    const results = runPolicies(model, 0, () => (now += 10));
    expect(results.get('policy/main/deny')?.reports.map((report) => ('resource' in report ? report.resource.name : ''))).toEqual(['a', 'b']);
    expect(notes.map((note) => note.message)).toEqual([
      'Policy bundle/bundle.tar.gz ran past its 25 ms budget and was stopped; objects after that point were not evaluated.',
    ]);
  });
});

describe('policies: a printed config', () => {
  it('shows each policy entry, not its compiled module or data', async () => {
    const { roots } = await loadWorkspace({ rules: [], roots: [{ dir: SUITE, files: { '.gitops-lint.yaml': MAIN } }] });
    expect(JSON.parse(JSON.stringify(roots[0]?.config.policies))).toEqual([
      {
        file: path.join(SUITE, 'bundle/bundle.tar.gz'),
        namespaces: ['main'],
        combine: false,
        maxMemory: 64,
        timeout: 10000,
        entrypoints: ['combined', 'combined/deny', 'combined/warn', 'main', 'main/deny_registry', 'memory', 'notset', 'rules/deny', 'rules/exception', 'rules/warn', 'throws'],
      },
    ]);
  });
});
