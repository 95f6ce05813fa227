import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { lint } from '../../src/engine/lint.js';
import type { LintResult } from '../../src/model/result.js';
import type { Rule } from '../../src/model/rule.js';
import { VIRTUAL_BASE } from '../../src/testing/index.js';
import { chartTemplates } from '../../src/workspace/chart-templates.js';
import { runCli, tempRepo } from '../cli/temp-repo.js';
import { GitRepo } from '../staged/git-repo.js';

type AnyRule = Rule<string, never>;
const rules = builtinRules as unknown as AnyRule[];

const CHART = 'apiVersion: v2\nname: app\nversion: 0.1.0\n';
const VALUES = 'replicaCount: 1\nimage:\n  repository: ghcr.io/example/app\n  tag: "1.0"\n';
/** `tag` twice: a duplicate key on line 4, columns 3–6. */
const VALUES_DUPLICATE = 'replicaCount: 1\nimage:\n  tag: "1.0"\n  tag: "1.1"\n';

/** A chart template as Helm charts write them: YAML only once rendered. */
const TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  namespace: {{ .Release.Namespace }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      app: app
  template:
    metadata:
      labels:
        app: app
    spec:
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
`;
const HELPERS = '{{- define "app.fullname" -}}\n{{ .Release.Name }}-app\n{{- end }}\n';
/** A Secret template with a literal value: never printed, never reported. */
const SECRET_TEMPLATE = `apiVersion: v1
kind: Secret
metadata:
  name: {{ .Release.Name }}-auth
stringData:
  password: correct-horse-battery-staple
  token: {{ .Values.token | quote }}
`;

/** `file:line:col-endLine:endCol rule` per finding. */
function positions(result: LintResult): string[] {
  return result.findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn}-${f.location.endLine}:${f.location.endColumn} ${f.ruleId}`);
}

function lintMemory(files: Record<string, string>): Promise<LintResult> {
  return lint({ roots: [{ dir: path.join(VIRTUAL_BASE, 'fleet'), name: 'fleet', files }], rules, cwd: VIRTUAL_BASE });
}

function chartNotes(result: LintResult): string[] {
  return result.notes.filter((note) => note.message.startsWith('Helm chart templates')).map((note) => `${path.relative(VIRTUAL_BASE, note.file ?? '')}: ${note.message}`);
}

describe('chartTemplates', () => {
  it('finds files below a chart’s templates folder, nested charts and .tpl files', () => {
    const templates = chartTemplates([
      'Chart.yaml',
      'templates/service.yaml',
      'charts/app/Chart.yaml',
      'charts/app/values.yaml',
      'charts/app/crds/crd.yaml',
      'charts/app/templates/deploy/deployment.yaml',
      'charts/app/templates/_helpers.tpl',
      'charts/app/charts/db/Chart.yaml',
      'charts/app/charts/db/templates/statefulset.yaml',
      'charts/app/files/templates/config.yaml',
      'apps/component/templates/patch.yaml',
      'scripts/render.yaml.tpl',
    ]);
    expect([...templates]).toEqual([
      ['templates/service.yaml', ''],
      ['charts/app/templates/deploy/deployment.yaml', 'charts/app'],
      ['charts/app/templates/_helpers.tpl', 'charts/app'],
      ['charts/app/charts/db/templates/statefulset.yaml', 'charts/app/charts/db'],
      ['scripts/render.yaml.tpl', ''],
    ]);
  });

  it('finds none in a repository without Chart.yaml', () => {
    expect(chartTemplates(['apps/component/templates/patch.yaml', 'apps/component/kustomization.yaml']).size).toBe(0);
  });
});

describe('Helm chart templates in the workspace', () => {
  it('skips a chart’s templates with one note and no finding', async () => {
    const result = await lintMemory({
      'charts/app/Chart.yaml': CHART,
      'charts/app/values.yaml': VALUES,
      'charts/app/templates/deployment.yaml': TEMPLATE,
      'charts/app/templates/secret.yaml': SECRET_TEMPLATE,
      'charts/app/templates/_helpers.tpl': HELPERS,
    });
    expect(positions(result)).toEqual([]);
    expect(chartNotes(result)).toEqual(['fleet/charts/app/Chart.yaml: Helm chart templates in charts/app are rendered by Helm and were not linted.']);
    expect(result.resourceCount).toBe(0);
  });

  it('skips the templates of a nested subchart, with a note for each chart', async () => {
    const result = await lintMemory({
      'charts/app/Chart.yaml': CHART,
      'charts/app/templates/deployment.yaml': TEMPLATE,
      'charts/app/charts/db/Chart.yaml': 'apiVersion: v2\nname: db\nversion: 0.1.0\n',
      'charts/app/charts/db/templates/secret.yaml': SECRET_TEMPLATE,
    });
    expect(positions(result)).toEqual([]);
    expect(chartNotes(result)).toEqual([
      'fleet/charts/app/Chart.yaml: Helm chart templates in charts/app are rendered by Helm and were not linted.',
      'fleet/charts/app/charts/db/Chart.yaml: Helm chart templates in charts/app/charts/db are rendered by Helm and were not linted.',
    ]);
  });

  it('still parses values.yaml next to Chart.yaml and reports its syntax errors', async () => {
    const result = await lintMemory({
      'charts/app/Chart.yaml': CHART,
      'charts/app/values.yaml': VALUES_DUPLICATE,
      'charts/app/templates/deployment.yaml': TEMPLATE,
    });
    expect(positions(result)).toEqual(['charts/app/values.yaml:4:3-4:6 yaml-syntax']);
    expect(chartNotes(result)).toHaveLength(1);
  });

  it('lints a templates folder with no Chart.yaml above it as YAML', async () => {
    // A kustomize component folder called `templates`: nothing renders it, so it is applied as written.
    const result = await lintMemory({
      'apps/component/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - templates/config.yaml\n',
      'apps/component/templates/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: fast\n  mode: safe\n',
    });
    expect(positions(result)).toEqual(['apps/component/templates/config.yaml:7:3-7:7 yaml-syntax']);
    expect(chartNotes(result)).toEqual([]);
  });

  it('skips templates on disk and never prints a template’s secret value', async () => {
    const dir = tempRepo({
      'charts/app/Chart.yaml': CHART,
      'charts/app/values.yaml': VALUES_DUPLICATE,
      'charts/app/templates/deployment.yaml': TEMPLATE,
      'charts/app/templates/secret.yaml': SECRET_TEMPLATE,
    });
    const run = await runCli(['.'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('charts/app/values.yaml');
    expect(run.stdout).not.toContain('templates/');
    expect(run.stdout).not.toContain('correct-horse-battery-staple');
    expect(run.stdout).toContain('Helm chart templates in charts/app are rendered by Helm and were not linted.');
    const json = await runCli(['.', '-f', 'json'], dir);
    expect(json.stdout).not.toContain('correct-horse-battery-staple');
    expect((JSON.parse(json.stdout) as { findings: Array<{ location: { file: string } }> }).findings.map((f) => f.location.file)).toEqual(['charts/app/values.yaml']);
    // An editor buffer of a template (the language server's overrides) is not linted either.
    const edited = await lint({ roots: [dir], rules, overrides: new Map([[path.join(dir, 'charts/app/templates/secret.yaml'), `${SECRET_TEMPLATE}  bad: [\n`]]) });
    expect(positions(edited)).toEqual(['charts/app/values.yaml:4:3-4:6 yaml-syntax']);
  });

  it('skips chart templates in a --staged run', async () => {
    const repo = new GitRepo()
      .write({
        'charts/app/Chart.yaml': CHART,
        'charts/app/values.yaml': VALUES_DUPLICATE,
        'charts/app/templates/deployment.yaml': TEMPLATE,
        'charts/app/templates/secret.yaml': SECRET_TEMPLATE,
      })
      .add('.');
    // The working tree no longer has the chart: the index decides.
    repo.remove('charts/app/Chart.yaml');
    const result = await lint({ roots: ['.'], cwd: repo.dir, rules, staged: true });
    expect(positions(result)).toEqual(['charts/app/values.yaml:4:3-4:6 yaml-syntax']);
    expect(result.notes.filter((note) => note.message.startsWith('Helm chart templates')).map((note) => [path.relative(repo.dir, note.file ?? ''), note.message])).toEqual([
      ['charts/app/Chart.yaml', 'Helm chart templates in charts/app are rendered by Helm and were not linted.'],
    ]);
  });
});
