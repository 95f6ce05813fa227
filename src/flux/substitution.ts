/**
 * Flux post-build substitution (reference §2.5): which `${...}` expressions need a variable,
 * which `$$` escapes collapse, what variables a Kustomization defines, and where expressions
 * sit in the objects it applies.
 */
import type { YamlPath } from '../model/finding.js';
import type { ConfigData, Resource } from '../model/workspace.js';
import { asArray, asRecord, asScalarString, asString, getIn } from '../engine/values.js';
import type { FluxGraph, FluxKustomization } from './types.js';

/** Variable names Flux accepts: `^[_[:alpha:]][_[:alpha:][:digit:]]*$`. */
export const VARIABLE_NAME = /^[_A-Za-z][_A-Za-z0-9]*$/;

export interface Expression {
  /** The whole expression, e.g. `${CLUSTER_DOMAIN}`. */
  text: string;
  name: string;
  /** False when an operator supplies a default (`-`, `:-`, `=`, `:=`, `+`, `:+`, `?`, `:?`). */
  needsValue: boolean;
}

export interface Scan {
  expressions: Expression[];
  /** Runs of two or three `$` not followed by `{`: each becomes a single `$`. */
  collapsingEscapes: number;
}

const DEFAULT_OPERATORS = [':-', ':=', ':+', ':?', '-', '=', '+', '?'];

/**
 * Scan a string as fluxcd/pkg envsubst does: each `$$` becomes `$` (so `$${x}` is a literal
 * `${x}`), and `${...}` is an expression with bash-like operators.
 */
export function scanSubstitutions(text: string): Scan {
  const scan: Scan = { expressions: [], collapsingEscapes: 0 };
  let index = text.indexOf('$');
  while (index !== -1) {
    let run = 1;
    while (text[index + run] === '$') run++;
    const after = text[index + run];
    // `$$` or `$$$` shrinks to a single `$`: a `$$(VAR)` Kubernetes escape is lost. Four or
    // more read as a deliberate escape of the escape.
    if ((run === 2 || run === 3) && after !== '{') scan.collapsingEscapes++;
    if (run % 2 === 0 || after !== '{') {
      index = text.indexOf('$', index + run);
      continue;
    }
    const open = index + run;
    let depth = 0;
    let end = -1;
    for (let at = open; at < text.length; at++) {
      if (text[at] === '{') depth++;
      else if (text[at] === '}' && --depth === 0) {
        end = at;
        break;
      }
    }
    if (end === -1) break;
    const inner = text.slice(open + 1, end);
    const lengthOf = inner.startsWith('#');
    const name = /^[A-Za-z0-9_]*/.exec(lengthOf ? inner.slice(1) : inner)?.[0] ?? '';
    if (name !== '') {
      const operator = lengthOf ? '' : inner.slice(name.length);
      const needsValue = !DEFAULT_OPERATORS.some((candidate) => operator.startsWith(candidate));
      scan.expressions.push({ text: text.slice(open - 1, end + 1), name, needsValue });
    }
    index = text.indexOf('$', end + 1);
  }
  return scan;
}

export interface StringNode {
  path: YamlPath;
  /** True when the string is a mapping key (report with `key: true`). */
  key: boolean;
  text: string;
}

/** Every string in an object (keys and values) that contains a `$`, with its path. */
/** A file without `$` has nothing to substitute: the walk below is skipped for it. */
export function mayHoldDollar(resource: Resource): boolean {
  return resource.file.text === undefined || resource.file.text.includes('$');
}

export function stringsWithDollar(value: unknown, path: YamlPath = [], out: StringNode[] = []): StringNode[] {
  if (typeof value === 'string') {
    // SOPS ciphertexts cannot hold expressions the linter could read.
    if (value.includes('$') && !value.startsWith('ENC[AES256_GCM,')) out.push({ path, key: false, text: value });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => stringsWithDollar(item, [...path, index], out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      // kustomize-controller removes the SOPS metadata when it decrypts, before substituting.
      if (path.length === 0 && key === 'sops') continue;
      if (key.includes('$')) out.push({ path: [...path, key], key: true, text: key });
      stringsWithDollar(child, [...path, key], out);
    }
  }
  return out;
}

/** Objects opt out with the label or annotation `kustomize.toolkit.fluxcd.io/substitute: disabled` (exact case). */
export function substitutionDisabled(resource: Resource): boolean {
  const metadata = asRecord(resource.value.metadata) ?? {};
  return ['labels', 'annotations'].some((field) => asRecord(metadata[field])?.['kustomize.toolkit.fluxcd.io/substitute'] === 'disabled');
}

export interface SubstituteSource {
  index: number;
  kind: 'Secret' | 'ConfigMap';
  name: string;
  optional: boolean;
  /** The object found in the Kustomization's namespace, if any. */
  data: ConfigData | undefined;
}

export interface Variables {
  /** Variable names defined (inline `substitute` and the keys of found `substituteFrom` sources). */
  names: Set<string>;
  /**
   * False when some definitions cannot be known: a source that is missing but required (the
   * Kustomization fails anyway), whose keys are not known, or that may come from a repo not linted.
   */
  complete: boolean;
  sources: SubstituteSource[];
}

/** What a Kustomization's `postBuild` defines. */
export function kustomizationVariables(kustomization: FluxKustomization, graph: FluxGraph): Variables {
  const { resource } = kustomization;
  const namespace = resource.appliedNamespace;
  const variables: Variables = { names: new Set(), complete: true, sources: [] };
  asArray(getIn(resource.value, ['spec', 'postBuild', 'substituteFrom'])).forEach((raw, index) => {
    const item = asRecord(raw);
    const kind = asString(item?.kind);
    const name = asString(item?.name);
    if (!item || (kind !== 'Secret' && kind !== 'ConfigMap') || name === undefined) {
      variables.complete = false;
      return;
    }
    const matches = graph.data(kind, name, namespace).matches;
    const data = matches.find((candidate) => candidate.namespace === namespace) ?? matches[0];
    const optional = item.optional === true;
    variables.sources.push({ index, kind, name, optional, data });
    if (!data) {
      if (!optional || graph.gap(resource, namespace) !== undefined) variables.complete = false;
      return;
    }
    if (!data.keysKnown) variables.complete = false;
    for (const key of data.keys) variables.names.add(key);
  });
  for (const key of Object.keys(asRecord(getIn(resource.value, ['spec', 'postBuild', 'substitute'])) ?? {})) variables.names.add(key);
  return variables;
}

/** Whether substitution runs: `Always`, or `WithVariables` (the default) with at least one variable. */
export function substitutionRuns(kustomization: FluxKustomization, variables: Variables): boolean {
  if (!kustomization.postBuild) return false;
  const strategy = asScalarString(kustomization.resource.get(['spec', 'postBuild', 'substituteStrategy']));
  return strategy === 'Always' || variables.names.size > 0 || !variables.complete;
}
