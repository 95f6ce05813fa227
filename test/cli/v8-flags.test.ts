import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { tempRepo } from './temp-repo.js';

interface Budget {
  loaded(): void;
  onFilesListed(paths: readonly string[]): void;
  restore(): void;
  readonly raised: boolean;
}

const flags = createRequire(import.meta.url)('../../bin/v8-flags.js') as {
  v8Tuning(args: string[], set?: (flags: string) => boolean): Budget;
  setFlags(flags: string, v8Version?: string): boolean;
  KNOWN_V8: string[];
  DEFAULT_INTERRUPT_BUDGET: number;
  DEFAULT_INLINED_BYTECODE_CUMULATIVE: number;
  LARGE_RUN_YAML_FILES: number;
};

/** A budget whose flag changes are recorded instead of made (`accept: false` as when V8 refuses them). */
function recorded(args: string[], accept = true) {
  const set: string[] = [];
  const budget = flags.v8Tuning(args, (value) => {
    set.push(value);
    return accept;
  });
  return { budget, set };
}

const yamlFiles = (count: number, folder = 'apps') => Array.from({ length: count }, (_, index) => `${folder}/app-${index}/release.yaml`);
const RAISED = `--interrupt-budget=${4 * flags.DEFAULT_INTERRUPT_BUDGET}`;
const DEFAULTS = `--interrupt-budget=${flags.DEFAULT_INTERRUPT_BUDGET}`;
const NO_MARKING_TASK = '--no-incremental-marking-task';
const NO_GC_TASKS = `${NO_MARKING_TASK} --no-minor-gc-task`;
const GC_TASKS = '--incremental-marking-task --minor-gc-task';
/** The flags of one kind among those a tuning set. */
const only = (set: string[], flag: string) => set.filter((value) => value.startsWith(flag));

/**
 * What V8 traces (`trace`) in a child process whose heap keeps growing across turns of the event
 * loop, with `flag` set at its start, as the bin sets its flags once the bundle is loaded.
 */
function growingHeap(trace: string, flag: string): string {
  return spawnSync(
    process.execPath,
    [
      trace,
      '-e',
      `${flag ? `require('node:v8').setFlagsFromString('${flag}');` : ''}
      const kept = [];
      (async () => {
        for (let round = 0; round < 60; round++) {
          for (let i = 0; i < 20000; i++) kept.push({ round, i, text: 'value ' + round + ' ' + i });
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();`,
    ],
    { encoding: 'utf8' },
  ).stdout;
}

const defaultOf = (flag: string): number => {
  const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
  const current = new RegExp(`${flag} \\(.*\\)\\n\\s+type: int\\s+default: ${flag}=(\\d+)`).exec(options);
  expect(current, flag).not.toBeNull();
  return Number(current![1]);
};

describe("the bin's V8 interrupt budget", () => {
  it("keeps V8's defaults for a run that lists fewer YAML files than a large run", () => {
    const { budget, set } = recorded(['-f', 'json', 'examples/lotus-lake']);
    budget.loaded();
    budget.onFilesListed([...yamlFiles(flags.LARGE_RUN_YAML_FILES - 1), ...Array.from({ length: 3000 }, (_, index) => `modules/m${index}/main.tf`)]);
    budget.restore();
    expect(only(set, '--interrupt-budget')).toEqual([]);
    expect(budget.raised).toBe(false);
  });

  it('raises the budget fourfold, once, when the YAML files listed so far reach a large run, across roots', () => {
    const { budget, set } = recorded([]);
    budget.onFilesListed(yamlFiles(300, 'app-repo'));
    expect(set).toEqual([]);
    budget.onFilesListed(['cluster/flux-system/gotk-sync.YML', ...yamlFiles(flags.LARGE_RUN_YAML_FILES - 301, 'cluster')]);
    expect(set).toEqual([RAISED]);
    expect(budget.raised).toBe(true);
    budget.onFilesListed(yamlFiles(2000, 'third'));
    expect(set).toEqual([RAISED]);
  });

  it("puts V8's defaults back before the code cache is written", () => {
    const { budget, set } = recorded(['build', '.']);
    budget.onFilesListed(yamlFiles(flags.LARGE_RUN_YAML_FILES));
    budget.restore();
    expect(set).toEqual([RAISED, DEFAULTS]);
    expect(budget.raised).toBe(false);
    budget.restore();
    expect(set).toEqual([RAISED, DEFAULTS]);
  });

  it('never raises it for the language server, where optimizing pays over a session', () => {
    const { budget, set } = recorded(['lsp', '--stdio']);
    budget.onFilesListed(yamlFiles(20_000));
    expect(set).toEqual([]);
  });

  it('has nothing to restore when V8 refused the flag', () => {
    const { budget, set } = recorded([], false);
    budget.onFilesListed(yamlFiles(flags.LARGE_RUN_YAML_FILES));
    expect(budget.raised).toBe(false);
    budget.restore();
    expect(set).toEqual([RAISED]);
  });

  it("knows the running V8's defaults, so restoring them restores what the run started with", () => {
    expect(flags.DEFAULT_INTERRUPT_BUDGET).toBe(defaultOf('--interrupt-budget'));
    expect(flags.DEFAULT_INLINED_BYTECODE_CUMULATIVE).toBe(defaultOf('--max-inlined-bytecode-size-cumulative'));
  });
});

describe("the language server's V8 inlining budget", () => {
  const SMALLER = `--max-inlined-bytecode-size-cumulative=${flags.DEFAULT_INLINED_BYTECODE_CUMULATIVE / 8}`;

  it('is an eighth of the default once the bundle is loaded, and the default again before the code cache is written', () => {
    const { budget, set } = recorded(['lsp', '--stdio']);
    budget.loaded();
    expect(set).toEqual([SMALLER]);
    budget.restore();
    expect(set).toEqual([SMALLER, `--max-inlined-bytecode-size-cumulative=${flags.DEFAULT_INLINED_BYTECODE_CUMULATIVE}`]);
  });

  it('is left alone by lint runs, build and rules', () => {
    for (const args of [[], ['-f', 'json', '.'], ['build', '.'], ['rules'], ['--staged']]) {
      const { budget, set } = recorded(args);
      budget.loaded();
      budget.restore();
      expect(only(set, '--max-inlined'), args.join(' ')).toEqual([]);
    }
  });
});

describe("lint runs without V8's incremental-marking and minor-GC tasks", () => {
  it('turn the tasks off once the bundle is loaded, and on again before the code cache is written', () => {
    for (const args of [[], ['-f', 'json', '.'], ['build', '.'], ['rules'], ['--staged']]) {
      const { budget, set } = recorded(args);
      budget.loaded();
      budget.loaded();
      expect(set, args.join(' ')).toEqual([NO_GC_TASKS]);
      budget.restore();
      budget.restore();
      expect(set, args.join(' ')).toEqual([NO_GC_TASKS, GC_TASKS]);
    }
  });

  it('leave it to the language server, whose heap lives as long as the editor', () => {
    const { budget, set } = recorded(['lsp', '--stdio']);
    budget.loaded();
    budget.restore();
    expect(only(set, NO_MARKING_TASK)).toEqual([]);
    expect(only(set, GC_TASKS)).toEqual([]);
  });

  it('have nothing to restore when V8 refused the flags', () => {
    const { budget, set } = recorded([], false);
    budget.loaded();
    budget.restore();
    expect(set).toEqual([NO_GC_TASKS]);
  });

  it("is V8's default, and setting it mid-run stops marking from starting on a task while the hard limit still starts it", () => {
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    expect(options).toMatch(/--incremental-marking-task \(.*\)\n\s+type: bool\s+default: --incremental-marking-task\n/);
    // Past the soft limit V8 posts its marking task, which runs at the next turn; past the hard
    // limit it marks at once.
    const grow = (flag: string) => growingHeap('--trace-incremental-marking', flag);
    expect(grow('')).toContain('[IncrementalMarking] Start (task)');
    const withoutTask = grow(NO_MARKING_TASK);
    expect(withoutTask).not.toContain('[IncrementalMarking] Start (task)');
    expect(withoutTask).toContain('[IncrementalMarking] Start (allocation limit)');
  });

  it("minor-GC task: V8's default, and set mid-run, the young generation is scavenged only when full", () => {
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    expect(options).toMatch(/--minor-gc-task \(.*\)\n\s+type: bool\s+default: --minor-gc-task\n/);
    // With the task, V8 scavenges at a turn once the young generation is nearly full; without
    // it, only on the allocation that fills it.
    const scavenges = (flag: string) =>
      growingHeap('--trace-gc', flag)
        .split('\n')
        .filter((line) => line.includes(': Scavenge '));
    expect(scavenges('').some((line) => line.includes('task'))).toBe(true);
    const withoutTask = scavenges('--no-minor-gc-task');
    expect(withoutTask.length).toBeGreaterThan(0);
    expect(withoutTask.filter((line) => line.includes('task'))).toEqual([]);
  });
});

describe('the CLI tells its io what each root lists, before reading', () => {
  const files = {
    'apps/podinfo/release.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: podinfo\n  namespace: apps\n',
    'apps/podinfo/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - release.yaml\n',
    'infra/main.tf': 'variable "name" {\n  type = string\n}\n',
    'README.md': '# cluster\n',
  };

  async function listed(argv: string[], cwd: string): Promise<string[][]> {
    const calls: string[][] = [];
    await main(argv, { stdout: () => {}, stderr: () => {}, cwd, env: {}, isTTY: false, onFilesListed: (paths) => calls.push([...paths].sort()) });
    // Roots load concurrently: in the order of their first path.
    return calls.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
  }

  it('lists a work tree root as discovery found it (ignored files left out)', async () => {
    const dir = tempRepo({ ...files, '.gitignore': 'build/\n', 'build/out.yaml': 'kind: ConfigMap\n' }, { git: true });
    expect(await listed(['-f', 'json', '.'], dir)).toEqual([['.gitignore', 'README.md', 'apps/podinfo/kustomization.yaml', 'apps/podinfo/release.yaml', 'infra/main.tf']]);
  });

  it('lists each root of a multi-root run, and the staged files in a pre-commit run', async () => {
    const app = tempRepo(files, { git: true });
    const cluster = tempRepo({ 'clusters/home/apps.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n' }, { git: true });
    expect(await listed(['build', app, cluster], app)).toEqual([['clusters/home/apps.yaml'], ['README.md', 'apps/podinfo/kustomization.yaml', 'apps/podinfo/release.yaml', 'infra/main.tf']]);
    writeFileSync(path.join(app, 'apps/podinfo/new.yaml'), 'kind: ConfigMap\n');
    execFileSync('git', ['add', 'apps/podinfo/new.yaml'], { cwd: app });
    expect(await listed(['--staged', '-f', 'json'], app)).toEqual([['README.md', 'apps/podinfo/kustomization.yaml', 'apps/podinfo/new.yaml', 'apps/podinfo/release.yaml', 'infra/main.tf']]);
  });
});

describe('the flags the bin sets', () => {
  const all = () => {
    const { budget: lint, set } = recorded([]);
    lint.loaded();
    lint.onFilesListed(yamlFiles(flags.LARGE_RUN_YAML_FILES));
    lint.restore();
    const { budget: server, set: serverSet } = recorded(['lsp', '--stdio']);
    server.loaded();
    server.restore();
    return [...new Set([...set, ...serverSet])];
  };

  it('are all known to the running V8: it prints an unknown flag on stderr instead of throwing', () => {
    expect(all()).toHaveLength(6);
    const set = spawnSync(process.execPath, ['-e', `const v8 = require('node:v8'); for (const flag of ${JSON.stringify(all())}) v8.setFlagsFromString(flag);`], { encoding: 'utf8' });
    expect(set.stderr).toBe('');
    const unknown = spawnSync(process.execPath, ['-e', "require('node:v8').setFlagsFromString('--no-such-flag-of-v8')"], { encoding: 'utf8' });
    expect(unknown.stderr).toContain('unrecognized flag');
  });

  it("are set only on the V8 they were measured on (Node 20's 11.3), never on another", () => {
    expect(flags.KNOWN_V8).toContain(process.versions.v8.split('.', 2).join('.'));
    expect(flags.setFlags('--interrupt-budget=67584', '11.8.172.17-node.19')).toBe(false);
    expect(flags.setFlags('--interrupt-budget=67584', '13.6.233.10-node.24')).toBe(false);
    expect(flags.setFlags('--interrupt-budget=67584', '12.4.254.21-node.33')).toBe(false);
    expect(flags.setFlags('--interrupt-budget=67584', '10.2.154.26-node.30')).toBe(false);
    expect(flags.setFlags(`--interrupt-budget=${flags.DEFAULT_INTERRUPT_BUDGET}`, process.versions.v8)).toBe(true);
  });
});
