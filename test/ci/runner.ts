// A small stand-in for the GitHub Actions runner: it runs the `run:` steps of a workflow and of
// this repository's composite action (action.yml) the way the runner does — `bash --noprofile
// --norc -eo pipefail` with the step's env and working directory, `GITHUB_OUTPUT` files, step
// outputs, `if:` conditions and `${{ }}` expressions — with the runner's environment variables.
// Actions of other repositories are replaced by what they do here (`actions/checkout` clones a
// local repository; `actions/setup-node` is the node already on PATH) and recorded.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface Step {
  name?: string;
  id?: string;
  if?: string | boolean;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number | boolean>;
  'working-directory'?: string;
}

export interface StepLog {
  name: string;
  uses?: string;
  skipped: boolean;
  /** The stdout of a run step (where workflow commands are read from). */
  stdout: string;
  stderr: string;
  code: number;
  /** Inputs given to a `uses:` step, expressions evaluated. */
  with?: Record<string, string>;
}

export interface Runner {
  /** Runner-level environment: GITHUB_WORKSPACE, RUNNER_TEMP, PATH, … */
  env: Record<string, string>;
  /** Replacement for an action that is not this repository's: gets the evaluated inputs. */
  external: (uses: string, inputs: Record<string, string>, env: Record<string, string>) => void;
  /** This repository, where `gitops-lint/gitops-lint@…` resolves to. */
  actionPath: string;
  log: StepLog[];
  failed: boolean;
}

interface Scope {
  inputs: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string>; outcome: string }>;
  secrets: Record<string, string>;
  actionPath: string;
}

// ---- expressions -------------------------------------------------------------------------

type Value = string | boolean | undefined;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*(?:('(?:[^']|'')*')|(==|!=|&&|\|\||[!()])|([A-Za-z_][\w.-]*))/y;
  let match: RegExpExecArray | null;
  let at = 0;
  while (at < text.length) {
    pattern.lastIndex = at;
    match = pattern.exec(text);
    if (match === null) {
      if (text.slice(at).trim() === '') break;
      throw new Error(`Unsupported expression: ${text}`);
    }
    tokens.push(match[1] ?? match[2] ?? match[3] ?? '');
    at = pattern.lastIndex;
  }
  return tokens;
}

function truthy(value: Value): boolean {
  return value !== undefined && value !== '' && value !== false;
}

/** Evaluates the subset of the expression language that the tested files use; anything else throws. */
export function evaluate(text: string, scope: Scope, runner: Runner): Value {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const lookup = (name: string): Value => {
    const parts = name.split('.');
    const [head, ...rest] = parts;
    if (head === 'inputs' && rest.length === 1) return scope.inputs[rest[0] ?? ''] ?? '';
    if (head === 'secrets' && rest.length === 1) return scope.secrets[rest[0] ?? ''] ?? '';
    if (head === 'steps' && rest.length === 3 && rest[1] === 'outputs') return scope.steps[rest[0] ?? '']?.outputs[rest[2] ?? ''] ?? '';
    if (name === 'runner.temp') return runner.env.RUNNER_TEMP;
    if (name === 'github.workspace') return runner.env.GITHUB_WORKSPACE;
    if (name === 'github.action_path') return scope.actionPath;
    if (name === 'github.token') return 'ghs_simulated_token';
    if (name === 'true') return true;
    if (name === 'false') return false;
    throw new Error(`Unsupported expression value: ${name}`);
  };
  const primary = (): Value => {
    const token = next();
    if (token === undefined) throw new Error(`Truncated expression: ${text}`);
    if (token === '!') return !truthy(primary());
    if (token === '(') {
      const value = or();
      if (next() !== ')') throw new Error(`Unbalanced expression: ${text}`);
      return value;
    }
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (peek() === '(') {
      next();
      if (next() !== ')') throw new Error(`Unsupported call: ${token}`);
      if (token === 'cancelled') return false;
      if (token === 'always') return true;
      if (token === 'success') return !runner.failed;
      if (token === 'failure') return runner.failed;
      throw new Error(`Unsupported function: ${token}`);
    }
    return lookup(token);
  };
  const comparison = (): Value => {
    let left = primary();
    while (peek() === '==' || peek() === '!=') {
      const op = next();
      const right = primary();
      left = op === '==' ? String(left ?? '') === String(right ?? '') : String(left ?? '') !== String(right ?? '');
    }
    return left;
  };
  const and = (): Value => {
    let left = comparison();
    while (peek() === '&&') {
      next();
      const right = comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  function or(): Value {
    let left = and();
    while (peek() === '||') {
      next();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  }
  const value = or();
  if (i !== tokens.length) throw new Error(`Unsupported expression: ${text}`);
  return value;
}

/** Replaces every `${{ … }}` in a string. */
export function interpolate(text: string, scope: Scope, runner: Runner): string {
  return text.replace(/\$\{\{(.*?)\}\}/gs, (_, expression: string) => {
    const value = evaluate(expression, scope, runner);
    return value === undefined ? '' : String(value);
  });
}

function condition(value: string | boolean | undefined, scope: Scope, runner: Runner): boolean {
  if (value === undefined) return !runner.failed;
  if (typeof value === 'boolean') return value;
  const expression = value.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  return truthy(evaluate(expression, scope, runner));
}

// ---- steps -------------------------------------------------------------------------------

function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) outputs[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return outputs;
}

function runShell(step: Step, scope: Scope, runner: Runner, cwd: string, counter: { n: number }): StepLog & { outputs: Record<string, string> } {
  if ((step.shell ?? 'bash') !== 'bash') throw new Error(`Unsupported shell: ${step.shell}`);
  const dir = path.join(runner.env.RUNNER_TEMP ?? '', '_runner_file_commands');
  mkdirSync(dir, { recursive: true });
  const n = ++counter.n;
  const script = path.join(dir, `step-${n}.sh`);
  const output = path.join(dir, `output-${n}`);
  writeFileSync(script, interpolate(step.run ?? '', scope, runner));
  writeFileSync(output, '');
  const env: Record<string, string> = { ...runner.env, GITHUB_OUTPUT: output, GITHUB_ACTION_PATH: scope.actionPath };
  for (const [key, value] of Object.entries(step.env ?? {})) env[key] = interpolate(String(value), scope, runner);
  const workingDirectory = step['working-directory'] === undefined ? cwd : path.resolve(cwd, interpolate(step['working-directory'], scope, runner));
  const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: workingDirectory, env, encoding: 'utf8' });
  return { name: step.name ?? step.run ?? '', skipped: false, stdout: run.stdout, stderr: run.stderr, code: run.status ?? 1, outputs: readOutputs(output) };
}

/** Runs steps in order; `this repository`'s action (`uses: <owner>/gitops-lint@ref`) runs its composite steps. */
export function runSteps(steps: Step[], runner: Runner, scope: Scope): void {
  const counter = { n: 0 };
  for (const step of steps) {
    const name = step.name ?? step.uses ?? step.run ?? '';
    if (!condition(step.if, scope, runner)) {
      runner.log.push({ name, ...(step.uses && { uses: step.uses }), skipped: true, stdout: '', stderr: '', code: 0 });
      continue;
    }
    let outputs: Record<string, string> = {};
    let code = 0;
    if (step.run !== undefined) {
      const result = runShell(step, scope, runner, runner.env.GITHUB_WORKSPACE ?? '', counter);
      runner.log.push(result);
      outputs = result.outputs;
      code = result.code;
    } else if (step.uses !== undefined) {
      const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([key, value]) => [key, interpolate(String(value), scope, runner)]));
      if (/^[\w-]+\/gitops-lint@/.test(step.uses) || step.uses === './') {
        const result = runAction(inputs, runner, scope.secrets);
        outputs = result.outputs;
        code = result.code;
        runner.log.push({ name, uses: step.uses, skipped: false, stdout: '', stderr: '', code, with: inputs });
      } else {
        const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, interpolate(String(value), scope, runner)]));
        runner.external(step.uses, inputs, env);
        runner.log.push({ name, uses: step.uses, skipped: false, stdout: '', stderr: '', code: 0, with: inputs });
      }
    } else {
      throw new Error(`A step needs run or uses: ${JSON.stringify(step)}`);
    }
    if (step.id !== undefined) scope.steps[step.id] = { outputs, outcome: code === 0 ? 'success' : 'failure' };
    if (code !== 0) runner.failed = true;
  }
}

interface ActionDefinition {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

/** This repository's composite action with these inputs (defaults from action.yml). */
export function runAction(given: Record<string, string>, runner: Runner, secrets: Record<string, string>): { outputs: Record<string, string>; code: number } {
  const action = parse(readFileSync(path.join(runner.actionPath, 'action.yml'), 'utf8')) as ActionDefinition;
  if (action.runs.using !== 'composite') throw new Error('Only composite actions are run here.');
  for (const key of Object.keys(given)) {
    if (!(key in action.inputs)) throw new Error(`The action has no input "${key}".`);
  }
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([key, input]) => [key, given[key] ?? String(input.default ?? '')]));
  const scope: Scope = { inputs, steps: {}, secrets, actionPath: runner.actionPath };
  const inner: Runner = { ...runner, failed: false };
  // The log is shared: the action's steps are logged in place.
  runSteps(action.runs.steps, inner, scope);
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([key, output]) => [key, interpolate(output.value, scope, inner)]));
  return { outputs, code: inner.failed ? 1 : 0 };
}
