import path from 'node:path';
import type { Level } from '../model/finding.js';
import type { Model } from '../model/model.js';
import type { Report } from '../model/rule.js';
import type { Resource, Root, SourceFile } from '../model/workspace.js';
import type { LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { describeThrown, FAILURE_RULE, isRuleEntrypoint, WARNING_RULE, type PolicyConfig } from './config.js';
import { instantiate } from './instance.js';
import { locationHint, type LocationHint } from './location.js';
import { scrubSecretValues } from './scrub.js';

/** One rule of a policy package (`policy/main/deny`) and what it reported in this run. */
export interface PolicyRuleResult {
  ruleId: string;
  /** `error` for deny/violation rules, `warning` for warn rules; config may change it. */
  defaultLevel: Level;
  /** The query conftest would run (`data.main.deny`). */
  query: string;
  /** The policy file (as written in the config) that defines it. */
  policy: string;
  reports: Array<Report<'result'>>;
}

/** Failures after which a policy stops being evaluated in this run. */
const MAX_FAILURES = 20;

interface Evaluation {
  objects: readonly Resource[];
  /** One evaluation with every object (`combine: true`) instead of one per object. */
  combined: boolean;
}

/**
 * Evaluate every configured policy: each applied object as `input` (conftest's per-document
 * mode), or the whole set once for `combine: true` (`[{path, contents}]`, conftest's
 * `--combine`). Results become reports of rules `policy/<package>/<rule>`; a policy that
 * throws, runs out of memory or out of time leaves a note naming it, never an exception.
 */
export function runPolicies(model: Model, nowNs: number, clock: () => number = () => performance.now()): Map<string, PolicyRuleResult> {
  const rules = new Map<string, PolicyRuleResult>();
  const byPolicy = new Map<PolicyConfig, Set<Root>>();
  for (const root of model.roots) {
    for (const policy of root.config.policies ?? []) {
      const roots = byPolicy.get(policy) ?? new Set<Root>();
      roots.add(root);
      byPolicy.set(policy, roots);
    }
  }
  for (const [policy, roots] of byPolicy) {
    const objects = model.resources.filter((resource) => roots.has(resource.file.root) && resource.synthetic === undefined && resource.file.documents[resource.docIndex] !== undefined);
    new PolicyRun(policy, model, rules, nowNs, clock).run({ objects: policy.combine ? objects : objects.filter((resource) => resource.file.reported), combined: policy.combine });
  }
  return rules;
}

class PolicyRun {
  private instance!: LoadedPolicy;
  private failures: Array<{ where: string; message: string }> = [];
  private started = 0;
  private timedOut = false;
  private readonly notSets = new Set<string>();

  constructor(
    private readonly policy: PolicyConfig,
    private readonly model: Model,
    private readonly rules: Map<string, PolicyRuleResult>,
    private readonly nowNs: number,
    /** Milliseconds, for the time budget. */
    private readonly clock: () => number,
  ) {}

  run(evaluation: Evaluation): void {
    const { policy, model } = this;
    try {
      this.load();
    } catch (error) {
      model.note({ message: `Policy ${policy.name} could not be instantiated: ${describeThrown(error)}. It was not evaluated.`, file: policy.file });
      return;
    }
    this.started = this.clock();
    if (evaluation.combined) this.runCombined(evaluation.objects);
    else this.runEach(evaluation.objects);
    if (this.failures.length > 0) {
      const first = this.failures[0] as { where: string; message: string };
      const stopped = this.failures.length >= MAX_FAILURES ? ` It was stopped after ${MAX_FAILURES} failures.` : '';
      const missing = policy.missingBuiltins.length > 0 && this.failures.some((failure) => failure.message.startsWith('not implemented')) ? ` It calls builtins gitops-lint does not provide: ${policy.missingBuiltins.join(', ')}.` : '';
      const memory = this.failures.some((failure) => /Maximum memory size exceeded|opa_malloc: failed/.test(failure.message))
        ? ` Its memory cap is ${(policy.maxMemoryPages * 65536) / 1048576} MiB (\`maxMemory\` in its config entry).`
        : '';
      model.note({
        message: `Policy ${policy.name} failed on ${this.failures.length} evaluation(s) (first on ${first.where}: ${first.message}); their results are missing.${missing}${memory}${stopped}`,
        file: policy.file,
      });
    }
    if (this.timedOut) {
      model.note({ message: `Policy ${policy.name} ran past its ${policy.timeoutMs} ms budget and was stopped; objects after that point were not evaluated.`, file: policy.file });
    }
    for (const rule of this.notSets) {
      model.note({ message: `Policy ${policy.name}: rule ${rule} is not a set (write \`${rule.split('.').pop() ?? rule} contains msg if { … }\`); conftest rejects it, so it was ignored.`, file: policy.file });
    }
  }

  /** A fresh instance, with the data the previous one had. */
  private load(): void {
    this.instance = instantiate(this.policy.module, this.policy.maxMemoryPages, { nowNs: this.nowNs }).policy;
    if (this.dataSet) this.setData(this.dataFile);
  }

  private dataSet = false;
  private dataFile: SourceFile | undefined;

  private setData(file: SourceFile | undefined): void {
    this.dataSet = true;
    this.dataFile = file;
    const data = file ? { ...this.policy.data, conftest: { file: { name: path.basename(file.absPath), dir: path.dirname(file.absPath) } } } : this.policy.data;
    this.instance.setData(data);
  }

  private stopped(): boolean {
    if (this.failures.length >= MAX_FAILURES || this.timedOut) return true;
    if (this.clock() - this.started > this.policy.timeoutMs) this.timedOut = true;
    return this.timedOut;
  }

  private runEach(objects: readonly Resource[]): void {
    let currentFile: SourceFile | undefined;
    for (const resource of objects) {
      if (this.stopped()) return;
      if (resource.file !== currentFile && (this.policy.readsConftestData || currentFile === undefined)) {
        currentFile = resource.file;
        if (!this.guard(() => describe(resource), () => this.setData(this.policy.readsConftestData ? resource.file : undefined))) continue;
      }
      for (const namespace of this.policy.namespaces) {
        const document = this.evaluateNamespace(resource.value, namespace, () => describe(resource));
        if (document) this.collect(document, namespace, resource.value, (hint) => this.target(resource, hint));
      }
    }
  }

  private runCombined(objects: readonly Resource[]): void {
    const input = objects.map((resource) => ({ path: resource.file.path, contents: resource.value }));
    if (!this.guard(() => 'the combined input', () => this.setData(undefined))) return;
    for (const namespace of this.policy.namespaces) {
      const document = this.evaluateNamespace(input, namespace, () => 'the combined input');
      if (!document) continue;
      this.collect(document, namespace, undefined, (hint) => this.combinedTarget(objects, hint));
    }
  }

  /** Run `fn`; on a throw record the failure and start a fresh instance (its memory may be spent). */
  private guard(where: () => string, fn: () => void): boolean {
    try {
      fn();
      return true;
    } catch (error) {
      this.failures.push({ where: where(), message: describeThrown(error) });
      try {
        this.load();
      } catch {
        this.failures.length = MAX_FAILURES;
      }
      return false;
    }
  }

  /** The package's document: one `package` entrypoint, or one entrypoint per conftest rule. */
  private evaluateNamespace(input: unknown, namespace: string, where: () => string): Record<string, unknown> | undefined {
    const packagePath = namespace.split('.').join('/');
    let document: Record<string, unknown> | undefined;
    const ok = this.guard(where, () => {
      if (this.policy.entrypoints.includes(packagePath)) {
        const value = first(this.instance.evaluate(input, packagePath));
        document = isRecord(value) ? value : {};
        return;
      }
      document = {};
      for (const name of this.policy.entrypoints) {
        if (!isRuleEntrypoint(name, packagePath)) continue;
        const value = first(this.instance.evaluate(input, name));
        if (value !== undefined) document[name.slice(packagePath.length + 1)] = value;
      }
    });
    return ok ? document : undefined;
  }

  private collect(document: Record<string, unknown>, namespace: string, input: unknown, place: (hint: LocationHint) => Report<'result'> | undefined): void {
    const exempt = new Set<string>();
    for (const entry of asArray(document.exception)) for (const name of asArray(entry)) if (typeof name === 'string') exempt.add(name);
    for (const rule of Object.keys(document).sort()) {
      const kind = ruleKind(rule);
      if (kind === undefined) continue;
      const failure = kind.failure;
      const values = document[rule];
      if (!Array.isArray(values)) {
        this.notSets.add(`data.${namespace}.${rule}`);
        continue;
      }
      // conftest: `data.<ns>.exception[_][_] == "<rule without deny_/violation_/warn_>"` drops the rule's results.
      if (exempt.size > 0 && exempt.has(kind.exceptionName)) continue;
      for (const value of values) {
        const message = typeof value === 'string' ? value : isRecord(value) && typeof value.msg === 'string' ? value.msg : undefined;
        if (message === undefined) {
          if (isRecord(value)) this.failures.push({ where: `data.${namespace}.${rule}`, message: '"msg" field must be present and a string' });
          continue;
        }
        const report = place(isRecord(value) ? locationHint(value) : {});
        if (!report) continue;
        const ruleId = `policy/${namespace}/${rule}`;
        let entry = this.rules.get(ruleId);
        if (!entry) {
          entry = { ruleId, defaultLevel: failure ? 'error' : 'warning', query: `data.${namespace}.${rule}`, policy: this.policy.name, reports: [] };
          this.rules.set(ruleId, entry);
        }
        const judged = 'resource' in report ? report.resource.value : input;
        // conftest's metadata: the object's other keys and the query; values masked like the message.
        const rest = isRecord(value) ? Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'msg' && key !== '_loc')) : {};
        const metadata = { ...rest, query: entry.query };
        entry.reports.push({
          ...report,
          messageId: 'result',
          data: { message: scrubSecretValues(message, judged) },
          metadata: Object.keys(rest).length === 0 ? metadata : (JSON.parse(scrubSecretValues(JSON.stringify(metadata), judged)) as Record<string, unknown>),
        });
      }
    }
  }

  /** Where a per-object result goes: `_loc` line, a field path, or the object. */
  private target(resource: Resource, hint: LocationHint): Report<'result'> | undefined {
    if (hint.line !== undefined) {
      const file = this.locFile(hint.file, [resource]) ?? (hint.file === undefined ? resource.file : undefined);
      const offsets = file && lineOffsets(file, hint.line);
      if (file && offsets) return { file, offsets, messageId: 'result' };
    }
    return { resource, path: hint.path ?? [], messageId: 'result' };
  }

  /** Combined results: `_loc`, or a path starting with the input index (`[2, "contents", …]`). */
  private combinedTarget(objects: readonly Resource[], hint: LocationHint): Report<'result'> | undefined {
    if (hint.line !== undefined) {
      const file = this.locFile(hint.file, objects);
      const offsets = file && lineOffsets(file, hint.line);
      if (file && offsets) return { file, offsets, messageId: 'result' };
    }
    const [index, contents, ...rest] = hint.path ?? [];
    const resource = typeof index === 'number' ? objects[index] : undefined;
    if (resource) return { resource, path: contents === 'contents' ? rest : [], messageId: 'result' };
    // A result about the set as a whole: on the config entry that enables the policy, when linted.
    const config = this.model.files.find((file) => file.absPath === this.policy.declaredIn.file && file.documents.length > 0);
    if (config) return { file: config, docIndex: 0, path: ['policies', this.policy.declaredIn.index], messageId: 'result' };
    const fallback = objects[0];
    return fallback ? { resource: fallback, path: [], messageId: 'result' } : undefined;
  }

  /** The linted file a `_loc.file` names: root-relative path, absolute path, or a path ending in it. */
  private locFile(name: string | undefined, objects: readonly Resource[]): SourceFile | undefined {
    if (name === undefined) return undefined;
    const clean = name.replace(/^\.\//, '');
    const candidates = new Set(objects.map((resource) => resource.file));
    for (const file of candidates) if (file.path === clean || file.absPath === name) return file;
    return this.model.files.find((file) => file.path === clean || file.absPath === name);
  }
}

const kinds = new Map<string, { failure: boolean; exceptionName: string } | undefined>();

/** deny/violation (failure) or warn rule, and the name `exception` entries use for it; memoised per name. */
function ruleKind(rule: string): { failure: boolean; exceptionName: string } | undefined {
  if (kinds.has(rule)) return kinds.get(rule);
  const failure = FAILURE_RULE.test(rule);
  const kind = failure || WARNING_RULE.test(rule) ? { failure, exceptionName: /^(deny|violation|warn)$/.test(rule) ? '' : rule.replace(/^(violation|deny|warn)_/, '') } : undefined;
  kinds.set(rule, kind);
  return kind;
}

function describe(resource: Resource): string {
  const namespace = resource.appliedNamespace === undefined ? '' : `${resource.appliedNamespace}/`;
  return `${resource.kind} ${namespace}${resource.name} (${resource.file.path})`;
}

/** The value of a result set (`[{result: …}]`), or undefined. */
function first(resultSet: unknown): unknown {
  return Array.isArray(resultSet) && isRecord(resultSet[0]) ? resultSet[0].result : undefined;
}

function lineOffsets(file: SourceFile, line: number): readonly [number, number] | undefined {
  const text = file.text;
  if (text === undefined || !Number.isInteger(line) || line < 1) return undefined;
  const starts = file.lineCounter.lineStarts;
  const start = starts[line - 1];
  if (start === undefined) return undefined;
  let end = text.indexOf('\n', start);
  if (end === -1) end = text.length;
  let from = start;
  while (from < end && (text[from] === ' ' || text[from] === '\t')) from++;
  while (end > from && /\s/.test(text[end - 1] ?? '')) end--;
  return [from, Math.max(end, from)];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

