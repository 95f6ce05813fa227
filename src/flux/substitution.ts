/**
 * Flux post-build substitution (reference §2.5): which `${...}` expressions need a variable,
 * which `$$` escapes collapse, what variables a Kustomization defines, and where expressions
 * sit in the objects it applies.
 */
import type { YamlPath } from '../model/finding.js';
import { fileTextIncludes } from '../workspace/text-facts.js';
import type { ConfigData, Resource } from '../model/workspace.js';
import { parseDocument } from 'yaml';
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

/**
 * A file without `$` has nothing to substitute: the walk below is skipped for it. Nor has one
 * whose every `$` is in a top-level `sops:` block, which the walk skips (kustomize-controller
 * drops it before substituting): sops writes `encrypted_regex: ^(data|stringData)$` there, so
 * nearly every encrypted file has a `$`.
 */
export function mayHoldDollar(resource: Resource): boolean {
  const { file } = resource;
  if (file.text === undefined) return true;
  if (!fileTextIncludes(file, '$')) return false;
  let answer = dollarOutsideSops.get(file);
  if (answer === undefined) dollarOutsideSops.set(file, (answer = !dollarsOnlyInSopsBlocks(file.text, file.documents)));
  return answer;
}

const dollarOutsideSops = new WeakMap<Resource['file'], boolean>();

/** A top-level `sops:` key opening a block mapping (nothing but a comment after it on its line). */
const SOPS_BLOCK_KEY = /^sops:[ \t]*(?:#.*)?\r?$/;
/** SOPS_BLOCK_KEY at a line's start in the whole text (sticky; its line ends at a newline or the text's end). */
const SOPS_BLOCK_KEY_AT = /sops:[ \t]*(?:#.*)?\r?(?=\n|$)/y;
/** SOPS_BLOCK_KEY on every line (counted with `test`: no match array). */
const SOPS_BLOCK_LINES = new RegExp(SOPS_BLOCK_KEY.source, 'gm');

/**
 * True when every `$` of `text` is on an indented line under a column-0 `sops:` line (before the
 * next column-0 line), and the file has as many such lines as documents whose value has a
 * top-level `sops` mapping (so each is that mapping, not a pair inside a flow collection).
 */
export function dollarsOnlyInSopsBlocks(text: string, documents: readonly { readonly value: unknown }[]): boolean {
  const blocks = sopsBlocksHoldingEveryDollar(text);
  if (blocks === -1) return false;
  let withSops = 0;
  for (let index = 0; index < documents.length; index++) if (hasSopsMapping(documents[index]!.value)) withSops++;
  return blocks === withSops;
}

function hasSopsMapping(value: unknown): boolean {
  const record = asRecord(value);
  return record !== undefined && Object.hasOwn(record, 'sops') && asRecord(record.sops) !== undefined;
}

/**
 * The number of column-0 `sops:` block lines of `text` when every `$` is on an indented line
 * under one of them (before the next column-0 line), else -1. Walked by offset: no line slice,
 * match array or regex made per call.
 */
function sopsBlocksHoldingEveryDollar(text: string): number {
  for (let at = text.indexOf('$'); at !== -1; at = text.indexOf('$', at + 1)) {
    let line = text.lastIndexOf('\n', at - 1) + 1;
    if (line === 0 || text.charCodeAt(line) !== 32) return -1;
    // Back to the column-0 line this one is under.
    for (;;) {
      // The line before starts after the newline before the one ending it; before offset 0 there
      // is none (`lastIndexOf` from -1 would look at offset 0 again: a text starting with an empty
      // line then never left line 1).
      line = line < 2 ? 0 : text.lastIndexOf('\n', line - 2) + 1;
      const first = text.charCodeAt(line);
      // ' ', '\n', '\r', '#'
      if (first !== 32 && first !== 10 && first !== 13 && first !== 35) break;
      if (line === 0) return -1;
    }
    SOPS_BLOCK_KEY_AT.lastIndex = line;
    if (!SOPS_BLOCK_KEY_AT.test(text)) return -1;
  }
  let blocks = 0;
  SOPS_BLOCK_LINES.lastIndex = 0;
  while (SOPS_BLOCK_LINES.test(text)) blocks++;
  return blocks;
}

/** Every string in an object (keys and values) that contains a `$`, with its path. */
export function stringsWithDollar(value: unknown, path: YamlPath = [], out: StringNode[] = []): StringNode[] {
  collectDollars(value, [...path], out);
  return out;
}

/** `path` is one array pushed and popped along the walk; only the strings found get a copy. */
function collectDollars(value: unknown, path: Array<string | number>, out: StringNode[]): void {
  if (typeof value === 'string') {
    // SOPS ciphertexts cannot hold expressions the linter could read.
    if (value.includes('$') && !value.startsWith('ENC[AES256_GCM,')) out.push({ path: [...path], key: false, text: value });
  } else if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      collectDollars(value[index], path, out);
      path.pop();
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      // kustomize-controller removes the SOPS metadata when it decrypts, before substituting.
      if (path.length === 0 && key === 'sops') continue;
      path.push(key);
      if (key.includes('$')) out.push({ path: [...path], key: true, text: key });
      collectDollars((value as Record<string, unknown>)[key], path, out);
      path.pop();
    }
  }
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

/**
 * A variable whose value the repository does not tell: it comes from a Secret (SOPS-encrypted,
 * or in the cluster only), from a source that is missing or not linted, or from one of several
 * ConfigMaps that could be the one the cluster has.
 */
export const UNKNOWN_VARIABLE: unique symbol = Symbol('unknown variable');

/** A string, `UNKNOWN_VARIABLE`, or `undefined` when the variable is known not to be defined. */
export type VariableValue = string | typeof UNKNOWN_VARIABLE | undefined;

export type VariableLookup = (name: string) => VariableValue;

export interface Evaluated {
  text: string;
  /** The variable values and defaults written into the text. */
  inserted: string[];
}

/** Identifier characters of fluxcd/pkg envsubst (`unicode.IsLetter`, `unicode.IsDigit`, `_`). */
const IDENT = /[\p{L}\p{Nd}_]/u;

/**
 * Evaluate one string as fluxcd/pkg envsubst does in strict mode (reference §2): `$$` becomes
 * `$`, `${v}` a value, and the default forms (`${v:=d}`, `${v=d}`, `${v:-d}`, `${v:+d}`,
 * `${v:?d}`) their default when the variable is empty or unset; defaults may nest `${w}` and
 * escape `\\`, `\/` and `$$`. `undefined` when the result cannot be known: an unknown value,
 * a variable that is not defined and has no default (strict mode fails the build, which
 * flux-substitution reports), an operator the linter does not evaluate (case, length,
 * substring, pattern), or text that does not parse.
 */
export function evaluateSubstitution(text: string, lookup: VariableLookup): Evaluated | undefined {
  const inserted: string[] = [];
  const parsed = evaluateFrom(text, 0, false, lookup, inserted);
  return parsed && parsed.end === text.length ? { text: parsed.text, inserted } : undefined;
}

/** Reads from `start` to the end (top level) or to the `}` closing a default (inside). */
function evaluateFrom(
  text: string, start: number, inDefault: boolean, lookup: VariableLookup, inserted: string[],
): { text: string; end: number } | undefined {
  let out = '';
  let at = start;
  while (at < text.length) {
    const char = text[at]!;
    const next = text[at + 1];
    if (inDefault && char === '}') return { text: out, end: at };
    if (char === '$' && next === '{') {
      const expression = evaluateExpression(text, at + 2, lookup, inserted);
      if (!expression) return undefined;
      out += expression.text;
      at = expression.end + 1;
    } else if (char === '$' && next === '$') {
      out += '$';
      at += 2;
    } else if (inDefault && char === '\\' && (next === '\\' || next === '/')) {
      out += next;
      at += 2;
    } else {
      out += char;
      at += 1;
    }
  }
  return inDefault ? undefined : { text: out, end: at };
}

/** `${` was read; `start` is the first character of the name. Returns the value and the index of the closing `}`. */
function evaluateExpression(text: string, start: number, lookup: VariableLookup, inserted: string[]): { text: string; end: number } | undefined {
  let at = start;
  while (at < text.length && IDENT.test(text[at]!)) at++;
  const name = text.slice(start, at);
  if (name === '') return undefined;
  const value = lookup(name);
  if (text[at] === '}') {
    if (typeof value !== 'string') return undefined;
    inserted.push(value);
    return { text: value, end: at };
  }
  let operatorEnd: number;
  if (text[at] === '=') operatorEnd = at + 1;
  else if (text[at] === ':' && '=-?+'.includes(text[at + 1] ?? '')) operatorEnd = at + 2;
  else return undefined;
  // Flux evaluates the default before looking at the variable, so a default that fails fails the expression.
  const fallback = evaluateFrom(text, operatorEnd, true, lookup, inserted);
  if (!fallback || value === UNKNOWN_VARIABLE) return undefined;
  if (value !== undefined && value !== '') {
    inserted.push(value);
    return { text: value, end: fallback.end };
  }
  return { text: fallback.text, end: fallback.end };
}

type EmittedStyle = 'plain' | 'quoted' | 'block';

/**
 * How the go-yaml v2 emitter that Flux serialises objects with (sigs.k8s.io/yaml `JSONToYAML`)
 * writes a string value holding an expression, in block context: plain unless an indicator or
 * surrounding whitespace forbids it, a literal block for several lines. `undefined` for
 * control characters, whose escaping the linter does not follow.
 */
function emittedStyle(written: string): EmittedStyle | undefined {
  if (written.includes('\n')) return 'block';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B-\u001F\u007F\uFEFF]/.test(written)) return undefined;
  if (/^[ \t]|[ \t]$/.test(written)) return 'quoted';
  if (/^[#,[\]{}&*!|>'"%@`]/.test(written) || /^[-?:](?:[ \t]|$)/.test(written) || /^(?:---|\.\.\.)/.test(written)) return 'quoted';
  if (/:(?:[ \t]|$)|[ \t]#/.test(written)) return 'quoted';
  return 'plain';
}

/**
 * Parse the text a plain scalar becomes as go-yaml v2 does (YAML 1.1 types). Where YAML 1.1
 * and 1.2 disagree (`yes`, `0777`, `1_000`, dates), and when the text does not parse as a
 * single value, the result is not trusted.
 */
function reparse(text: string): { value: unknown } | undefined {
  if (readsAsItself(text)) return { value: text };
  let agreed: string | undefined;
  let value: unknown;
  for (const version of ['1.1', '1.2'] as const) {
    const doc = parseDocument(`v: ${text}`, { version, logLevel: 'error' });
    if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
    const parsed = asRecord(doc.toJS());
    if (!parsed || Object.keys(parsed).length !== 1 || !('v' in parsed)) return undefined;
    const json = JSON.stringify(parsed.v);
    if (agreed !== undefined && json !== agreed) return undefined;
    agreed = json;
    value = parsed.v;
  }
  return { value };
}

/**
 * Words YAML 1.1 or 1.2 reads as a boolean or null rather than a string (compared lowercase,
 * a superset of both schemas' spellings).
 */
const RESOLVED_WORDS = new Set(['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null']);

/**
 * True for the plain scalars both YAML versions read as the very same string, decided without
 * the parser (host names, URLs, image references): a letter, `_` or `/` first (so never a
 * number, timestamp or special float; not even `e5`, which the parser's YAML 1.1 float pattern
 * takes for NaN), no space (so no comment, no `: ` and no flow syntax
 * after the first character), no trailing `:`, and no boolean or null word.
 */
export function readsAsItself(text: string): boolean {
  return /^[A-Za-z_/][\w./:@%+=~-]*$/.test(text) && !text.endsWith(':') && !/^[eE][-+]?\d/.test(text) && !RESOLVED_WORDS.has(text.toLowerCase());
}

/**
 * The value a string written in an object has after post-build substitution, or `undefined`
 * when it cannot be known. Flux serialises the object to YAML, substitutes in the text and
 * parses it again (reference §2), so `replicas: ${N}` with `N: "2"` becomes the integer 2 and
 * `${quote}${id}${quote}` with `quote: '"'` a string.
 */
export function substitutedValue(written: string, lookup: VariableLookup): { value: unknown } | undefined {
  const evaluated = evaluateSubstitution(written, lookup);
  const style = emittedStyle(written);
  if (!evaluated || !style) return undefined;
  if (style === 'plain') return evaluated.text === written ? { value: written } : reparse(evaluated.text);
  // Quoted scalars and literal blocks stay strings, unless an inserted quote or backslash changes how they read.
  if (style === 'quoted' && [written, ...evaluated.inserted].some((part) => /['"\\]/.test(part))) return undefined;
  return { value: evaluated.text };
}

/** What one Flux Kustomization's post-build substitution does, as far as the linted roots tell. */
export interface KustomizationSubstitution {
  kustomization: FluxKustomization;
  /** True when substitution runs, false when objects are applied as written, `undefined` when the roots do not tell. */
  runs: boolean | undefined;
  /** The value of a variable (inline `substitute` wins over `substituteFrom`, later sources over earlier ones). */
  value: VariableLookup;
}

/**
 * A ConfigMap's value for a variable. A Secret's values are not read: in git they are
 * SOPS-encrypted, and Flux reads the cluster's copy. When several ConfigMaps could be the
 * source (one per cluster folder, all named `cluster-vars` in `flux-system`), the value is
 * known only if they agree.
 */
function sourceValue(candidates: readonly ConfigData[], name: string): VariableValue | 'absent' {
  let value: VariableValue | 'absent' | null = null;
  for (const data of candidates) {
    if (!data.keysKnown) return UNKNOWN_VARIABLE;
    let here: VariableValue | 'absent' = 'absent';
    if (data.keys.has(name)) {
      const written = data.kind === 'ConfigMap' && data.origin === 'manifest' && !data.encrypted ? asRecord(data.resource?.value.data)?.[name] : undefined;
      // A value holding `$` may itself be rewritten by the Kustomization that applies the ConfigMap.
      here = typeof written === 'string' && !written.includes('$') ? written.replaceAll('\n', '') : UNKNOWN_VARIABLE;
    }
    if (value !== null && value !== here) return UNKNOWN_VARIABLE;
    value = here;
  }
  return value ?? 'absent';
}

/** What a Kustomization substitutes: whether it runs and each variable's value, as far as the linted roots tell. */
export function kustomizationSubstitution(kustomization: FluxKustomization, graph: FluxGraph): KustomizationSubstitution {
  const { resource } = kustomization;
  if (!kustomization.postBuild) return { kustomization, runs: false, value: () => undefined };
  const variables = kustomizationVariables(kustomization, graph);
  const strategy = asScalarString(resource.get(['spec', 'postBuild', 'substituteStrategy']));
  const runs = strategy === 'Always' || variables.names.size > 0 ? true : variables.complete ? false : undefined;
  const inline = asRecord(getIn(resource.value, ['spec', 'postBuild', 'substitute'])) ?? {};
  const entries = asArray(getIn(resource.value, ['spec', 'postBuild', 'substituteFrom']));
  const sourceAt = new Map(variables.sources.map((source) => [source.index, source]));
  const namespace = resource.appliedNamespace;
  const cache = new Map<string, VariableValue>();
  const lookup = (name: string): VariableValue => {
    if (Object.prototype.hasOwnProperty.call(inline, name)) {
      const written = inline[name];
      // A value holding `$` may be rewritten by the substitution of the Kustomization that applies this one.
      return typeof written === 'string' && !written.includes('$') ? written.replaceAll('\n', '') : UNKNOWN_VARIABLE;
    }
    for (let index = entries.length - 1; index >= 0; index--) {
      const source = sourceAt.get(index);
      if (!source) return UNKNOWN_VARIABLE;
      if (!source.data) {
        if (!source.optional || graph.gap(resource, namespace) !== undefined) return UNKNOWN_VARIABLE;
        continue;
      }
      const { matches } = graph.data(source.kind, source.name, namespace);
      const exact = matches.filter((candidate) => candidate.namespace === namespace);
      const value = sourceValue(exact.length > 0 ? exact : matches, name);
      if (value !== 'absent') return value;
    }
    return undefined;
  };
  return {
    kustomization,
    runs,
    value(name) {
      if (!cache.has(name)) cache.set(name, lookup(name));
      return cache.get(name);
    },
  };
}

/** One distinct value an object is applied with. */
export interface SubstitutedCopy {
  /** The object as applied: written values, substituted ones, or the caller's `unknown` marker where the value cannot be known. */
  value: Record<string, unknown>;
  /** The Flux Kustomizations that apply this copy (none for an object no linted Flux Kustomization applies). */
  kustomizations: FluxKustomization[];
  /** True when substitution ran on this copy (values at `changed` are substituted ones). */
  substituted: boolean;
  /** Paths of string values that hold `${…}` or `$$`: substituted, set to `unknown`, or applied as written. */
  changed: readonly YamlPath[];
  /** Paths of values set to the `unknown` marker. */
  unknown: readonly YamlPath[];
  /** Paths of mapping keys holding `${…}`, which substitution may rename. */
  dynamicKeys: readonly YamlPath[];
}

export interface AppliedCopies {
  copies: SubstitutedCopy[];
  /** False when no Flux Kustomization in the linted roots applies the object. */
  applied: boolean;
}

function replaceAt(value: unknown, path: YamlPath, index: number, replacement: unknown): unknown {
  if (index === path.length) return replacement;
  const segment = path[index]!;
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[segment as number] = replaceAt(value[segment as number], path, index + 1, replacement);
    return copy;
  }
  const record = value as Record<string, unknown>;
  return { ...record, [segment]: replaceAt(record[segment], path, index + 1, replacement) };
}

/** No paths: shared by the copies applied as written (one per object), which are read, never added to. */
const NO_PATHS: readonly YamlPath[] = Object.freeze([]);

function writtenCopy(value: Record<string, unknown>, kustomizations: FluxKustomization[]): SubstitutedCopy {
  return { value, kustomizations, substituted: false, changed: NO_PATHS, unknown: NO_PATHS, dynamicKeys: NO_PATHS };
}

/**
 * The distinct values an object is applied with after post-build substitution, one per
 * distinct outcome over the Flux Kustomizations that apply it. A copy applied without
 * substitution (no `postBuild`, no variable, or `kustomize.toolkit.fluxcd.io/substitute:
 * disabled`) keeps the written values. An object no linted Flux Kustomization applies gets one
 * copy whose `${…}` values are `unknown`: the repository that applies it (and how) is not known.
 */
export function appliedCopies(
  resource: Resource,
  graph: FluxGraph,
  substitutionOf: (kustomization: FluxKustomization) => KustomizationSubstitution,
  unknown: unknown,
): AppliedCopies {
  const kustomizations = graph.appliedBy(resource);
  // Most objects hold no `$` at all: applied as written, with nothing more made for them.
  if (!mayHoldDollar(resource)) return { copies: [writtenCopy(resource.value, kustomizations)], applied: kustomizations.length > 0 };
  const written = (kustomizations: FluxKustomization[]): SubstitutedCopy => writtenCopy(resource.value, kustomizations);
  const nodes = stringsWithDollar(resource.value);
  const withExpressions = (text: string): boolean => scanSubstitutions(text).expressions.length > 0;
  const values = nodes.filter((node) => !node.key && (withExpressions(node.text) || node.text.includes('$$')));
  const dynamicKeys = nodes.filter((node) => node.key && withExpressions(node.text)).map((node) => node.path);
  if (kustomizations.length === 0) {
    const copy = written([]);
    const unknownPaths = values.filter((node) => withExpressions(node.text)).map((node) => node.path);
    if (unknownPaths.length === 0 && dynamicKeys.length === 0) return { copies: [copy], applied: false };
    for (const path of unknownPaths) copy.value = replaceAt(copy.value, path, 0, unknown) as Record<string, unknown>;
    return { copies: [{ ...copy, changed: unknownPaths, unknown: unknownPaths, dynamicKeys }], applied: false };
  }
  if (values.length === 0 && dynamicKeys.length === 0) return { copies: [written(kustomizations)], applied: true };

  const disabled = substitutionDisabled(resource);
  const byOutcome = new Map<string, SubstitutedCopy>();
  for (const kustomization of kustomizations) {
    const substitution = substitutionOf(kustomization);
    let key = 'written';
    let copy: SubstitutedCopy | undefined;
    if (!disabled && substitution.runs !== false) {
      const outcomes = values.map((node) => (substitution.runs ? substitutedValue(node.text, substitution.value) : undefined));
      key = JSON.stringify(outcomes.map((outcome) => (outcome ? [outcome.value] : null)));
      if (!byOutcome.has(key)) {
        let value: unknown = resource.value;
        const unknownPaths: YamlPath[] = [];
        values.forEach((node, index) => {
          const outcome = outcomes[index];
          if (!outcome) unknownPaths.push(node.path);
          value = replaceAt(value, node.path, 0, outcome ? outcome.value : unknown);
        });
        copy = {
          value: value as Record<string, unknown>,
          kustomizations: [],
          substituted: true,
          changed: values.map((node) => node.path),
          unknown: unknownPaths,
          dynamicKeys,
        };
      }
    } else if (!byOutcome.has(key)) {
      copy = { ...written([]), changed: values.map((node) => node.path) };
    }
    if (copy) byOutcome.set(key, copy);
    byOutcome.get(key)!.kustomizations.push(kustomization);
  }
  return { copies: [...byOutcome.values()], applied: true };
}
