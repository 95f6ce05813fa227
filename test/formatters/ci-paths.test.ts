// Paths as CI reads them: SARIF URIs relative to each root's repository (code scanning reads a
// relative URI as a path in the repository that was checked out), GitHub annotations relative
// to the workspace the workflow checked out, and files outside it named in the message.
import path from 'node:path';
import type { Log } from 'sarif';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { github } from '../../src/formatters/github.js';
import { sarif } from '../../src/formatters/sarif.js';
import type { FormatterContext } from '../../src/model/result.js';
import { runCli, tempRepo } from '../cli/temp-repo.js';
import { finding, lintResult } from './fixture.js';

const WORKSPACE = '/home/runner/work/lotus-lake/lotus-lake';
const TEMP_HKUBE = '/home/runner/work/_temp/h-kube';
const MONO = '/repos/platform';

function parse(text: string): Log {
  return JSON.parse(text) as Log;
}

function locations(log: Log): unknown[] {
  return (log.runs[0]?.results ?? []).map((r) => r.locations?.[0]?.physicalLocation?.artifactLocation);
}

describe('sarif URIs are relative to the repository', () => {
  const context: FormatterContext = { cwd: MONO, toolVersion: '0.1.0', color: false };

  it('names a lint root below the repository top as %SRCROOT% = the top, paths from the top', () => {
    const result = lintResult(
      [finding({ ruleId: 'env-required', level: 'error', root: `${MONO}/clusters/prod`, file: 'apps/web.yaml', at: [3, 5, 3, 9], message: 'M.' })],
      { roots: [{ dir: `${MONO}/clusters/prod`, name: 'prod', git: true, repo: MONO }] },
    );
    const log = parse(sarif(result, context));
    expect(log.runs[0]?.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///repos/platform/' } });
    expect(locations(log)).toEqual([{ uri: 'clusters/prod/apps/web.yaml', uriBaseId: '%SRCROOT%' }]);
  });

  it('gives each of several roots its own id, based at its own repository', () => {
    const result = lintResult(
      [
        finding({ ruleId: 'env-required', level: 'error', root: `${WORKSPACE}/deploy`, file: 'app.yaml', at: [1, 1, 1, 2], message: 'M.' }),
        finding({ ruleId: 'env-required', level: 'error', root: TEMP_HKUBE, file: 'apps/lotus-lake.yaml', at: [2, 1, 2, 2], message: 'M.' }),
      ],
      {
        roots: [
          { dir: `${WORKSPACE}/deploy`, name: 'deploy', git: true, repo: WORKSPACE },
          { dir: TEMP_HKUBE, name: 'h-kube', git: true, repo: TEMP_HKUBE },
        ],
      },
    );
    const log = parse(sarif(result, { ...context, cwd: WORKSPACE }));
    expect(log.runs[0]?.originalUriBaseIds).toEqual({
      DEPLOY: { uri: `file://${WORKSPACE}/` },
      H_KUBE: { uri: `file://${TEMP_HKUBE}/` },
    });
    expect(locations(log)).toEqual([
      { uri: 'deploy/app.yaml', uriBaseId: 'DEPLOY' },
      { uri: 'apps/lotus-lake.yaml', uriBaseId: 'H_KUBE' },
    ]);
  });

  it('locates a run note in a root below the top relative to the top', () => {
    const result = lintResult([], {
      roots: [{ dir: `${MONO}/clusters/prod`, name: 'prod', git: true, repo: MONO }],
      notes: [{ message: 'Skipped big.yaml: larger than 4 MiB.', file: `${MONO}/clusters/prod/big.yaml` }],
    });
    const notification = parse(sarif(result, context)).runs[0]?.invocations?.[0]?.toolExecutionNotifications?.[0];
    expect(notification?.locations?.[0]?.physicalLocation?.artifactLocation).toEqual({ uri: 'clusters/prod/big.yaml', uriBaseId: '%SRCROOT%' });
  });

  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('writes repository paths for a folder of a real git repository linted from inside it', async () => {
    const repo = tempRepo(
      {
        'clusters/prod/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - secret.yaml\n',
        'clusters/prod/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: web\nstringData:\n  password: plain-value\n',
      },
      { git: true },
    );
    dirs.push(repo);
    const run = await runCli(['--format', 'sarif', '.'], path.join(repo, 'clusters/prod'));
    const log = parse(run.stdout);
    expect(log.runs[0]?.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: `file://${repo}/` } });
    expect(locations(log)).toEqual([{ uri: 'clusters/prod/secret.yaml', uriBaseId: '%SRCROOT%' }]);
  });
});

describe('github annotations are relative to the workspace', () => {
  const context: FormatterContext = { cwd: `${WORKSPACE}/deploy`, toolVersion: '0.1.0', color: false, workspace: WORKSPACE };
  const roots = [
    { dir: `${WORKSPACE}/deploy`, name: 'deploy', git: true, repo: WORKSPACE },
    { dir: TEMP_HKUBE, name: 'h-kube', git: true, repo: TEMP_HKUBE },
  ];

  it('names a workspace file from the workspace, whatever the working directory', () => {
    const result = lintResult([finding({ ruleId: 'env-required', level: 'error', root: `${WORKSPACE}/deploy`, file: 'app.yaml', at: [4, 5, 4, 9], message: 'M.' })], { roots });
    expect(github(result, context)).toBe('::error file=deploy/app.yaml,line=4,col=5,endLine=4,endColumn=8,title=env-required::M.\n');
  });

  it('names a file of a repository cloned outside the workspace in the message, never ../_temp', () => {
    const result = lintResult([finding({ ruleId: 'env-required', level: 'error', root: TEMP_HKUBE, file: 'apps/lotus-lake.yaml', at: [9, 11, 9, 20], message: 'Path "./deploy" is missing.' })], {
      roots,
      notes: [{ message: 'Skipped big.yaml: larger than 4 MiB.', file: `${TEMP_HKUBE}/big.yaml` }],
    });
    expect(github(result, context)).toBe(
      '::error title=env-required::h-kube/apps/lotus-lake.yaml:9:11: Path "./deploy" is missing.\n' + 'gitops-lint: note: h-kube/big.yaml: Skipped big.yaml: larger than 4 MiB.\n',
    );
  });

  it('logs findings beyond the annotation limit with the same names', () => {
    const many = Array.from({ length: 11 }, (_, i) =>
      finding({ ruleId: 'env-required', level: 'warning', root: TEMP_HKUBE, file: `apps/a-${String(i + 1).padStart(2, '0')}.yaml`, at: [1, 1, 1, 2], message: `F${i + 1}.` }),
    );
    const out = github(lintResult(many, { roots }), context).split('\n');
    expect(out).toContain('h-kube/apps/a-11.yaml:1:1: warning: F11. [env-required]');
    expect(out.join('\n')).not.toContain('_temp');
  });

  it('annotates workspace files before files outside it, which the diff cannot show', () => {
    const outside = Array.from({ length: 10 }, (_, i) =>
      finding({ ruleId: 'env-required', level: 'error', root: TEMP_HKUBE, file: `apps/a-${String(i + 1).padStart(2, '0')}.yaml`, at: [1, 1, 1, 2], message: `H${i + 1}.` }),
    );
    const inside = finding({ ruleId: 'env-required', level: 'error', root: `${WORKSPACE}/deploy`, file: 'z.yaml', at: [2, 1, 2, 2], message: 'W.' });
    const out = github(lintResult([...outside, inside], { roots }), context).split('\n');
    expect(out[0]).toBe('::error file=deploy/z.yaml,line=2,col=1,endLine=2,endColumn=1,title=env-required::W.');
    expect(out).toContain('h-kube/apps/a-10.yaml:1:1: error: H10. [env-required]');
  });
});
