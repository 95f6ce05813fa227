/**
 * What may be a secret, decided once for every output that shows values: code frames
 * (`redact.ts`, over the `yaml` AST with offsets) and `gitops-lint build` (`applied/render.ts`,
 * over plain values). Both walk their tree with `walkMasks`, which asks a `MaskTree` for the
 * shape of each node and tells it what to mask:
 *
 * - the `data`, `stringData` and annotations of every object of kind `Secret`, at any depth
 *   (the items of a `kind: List`, Helm values such as `extraObjects`, any mapping that looks
 *   like a Kubernetes object);
 * - values under a sensitive key (`isMaskedValue`), sensitive env entries (`name`/`value`);
 * - in a sequence (container `args`/`command`), the element after a sensitive flag
 *   (`--password`, `-p`);
 * - kustomize `secretGenerator` literals (`name=value`): the value, whatever the name;
 * - in every string: `key=value`, `key: value` and `"key": "value"` with a sensitive key
 *   (`--db-password=…`, `DB_PASSWORD=…`, config files in ConfigMaps, DSNs), and URL passwords
 *   (`postgres://user:pass@host/db`);
 * - strings that hold a Kubernetes manifest are masked as YAML text themselves
 *   (`maskYamlText`), and text that does not parse is masked line by line whenever it mentions
 *   a Secret or a sensitive key (`maskLines`).
 */
import { isMaskedValue } from './credential.js';
// A cycle on purpose: masking an embedded manifest masks YAML text, which walks again.
import { maskYamlText } from './redact.js';

export const MASK = '***';

/** A string span `[start, end)` to mask. */
export type Span = [number, number];

type MaskPairs<N> = ReadonlyArray<{ key: string | undefined; keyNode: N | undefined; value: N }>;

/** The shape of one node, as the tree being masked sees it. */
export type MaskShape<N> =
  | { type: 'map'; pairs: MaskPairs<N> }
  | { type: 'seq'; items: readonly N[] }
  | { type: 'scalar'; value: unknown };

/**
 * A tree the walk masks: a `yaml` AST (results are ranges recorded on the side) or plain values
 * (results are the masked copy).
 */
export interface MaskTree<N, R> {
  shape(node: N): MaskShape<N>;
  /**
   * What `shape` says of a scalar (its value), or `undefined` for a collection, without
   * building the collection's shape: the walk peeks at many nodes' scalar values.
   */
  scalar?(node: N): unknown;
  /**
   * The node an alias stands for, or `undefined` for any other node. The walk enters each
   * target once; `all` must follow aliases itself.
   */
  target?(node: N): N | undefined;
  map(node: N, pairs: Array<{ key: R | undefined; keyText: string | undefined; value: R }>): R;
  seq(node: N, items: R[]): R;
  /** A node kept as it is. */
  keep(node: N): R;
  /** Every scalar under the node masked; `secretData` for a Secret's `data`/`stringData`. */
  all(node: N, secretData: boolean): R;
  /** Parts of a string scalar masked. */
  spans(node: N, text: string, spans: Span[]): R;
  /** A string holding YAML (an embedded manifest), masked as YAML text: `masked`. */
  embedded(node: N, text: string, masked: string): R;
}

/** Embedded manifests inside embedded manifests: a bound, then the whole string is masked. */
const MAX_EMBEDDING = 3;

/** Walk a tree and mask what may be a secret (see the module comment). */
export function walkMasks<N, R>(root: N, tree: MaskTree<N, R>, embedding = 0): R {
  const entered = new Set<N>();
  const walk = (node: N): R => {
    const target = tree.target?.(node);
    if (target !== undefined) {
      // An alias: its target is walked where it is written, and once more here at most.
      if (entered.has(target)) return tree.keep(node);
      entered.add(target);
      return walk(target);
    }
    const shape = tree.shape(node);
    if (shape.type === 'seq') {
      return tree.seq(
        node,
        shape.items.map((item, index) => {
          const flag = index > 0 ? flagName(scalarText(tree, shape.items[index - 1]!)) : undefined;
          const text = scalarText(tree, item);
          return flag !== undefined && text !== undefined && isMaskedValue(flag, text) ? tree.all(item, false) : walk(item);
        }),
      );
    }
    if (shape.type === 'scalar') {
      if (typeof shape.value !== 'string') return tree.keep(node);
      return maskString(node, shape.value);
    }
    // Every value a key has: a duplicate key (which tools resolve differently) and the mappings
    // a merge key (`<<: {name: DB_PASSWORD}`, `<<: *entry`) brings in count as well, so an
    // object is a Secret, or an env entry sensitive, when any reading makes it one.
    const merged = mergeSources(tree, shape.pairs);
    const textsOf = (key: string): string[] => {
      const texts: string[] = [];
      for (const pairs of [shape.pairs, ...merged]) {
        for (const pair of pairs) {
          if (pair.key !== key) continue;
          const text = scalarText(tree, pair.value);
          if (text !== undefined) texts.push(text);
        }
      }
      return texts;
    };
    const { isSecret, sensitiveEntry } = mappingRole(textsOf);
    return tree.map(
      node,
      shape.pairs.map(({ key, keyNode, value }) => {
        // A complex key (`? {token: …}`) is walked like a value; a string key is a string.
        const keyOut = keyNode === undefined ? undefined : key === undefined ? walk(keyNode) : maskString(keyNode, key);
        if (key !== undefined && ((isSecret && (key === 'data' || key === 'stringData')) || (sensitiveEntry && key === 'value'))) {
          return { key: keyOut, keyText: key, value: tree.all(value, isSecret) };
        }
        // What a merge key brings into a Secret or a sensitive env entry may be its data or value.
        if (key === MERGE_KEY && (isSecret || sensitiveEntry)) return { key: keyOut, keyText: key, value: tree.all(value, false) };
        if (key === 'secretGenerator') return { key: keyOut, keyText: key, value: walkGenerators(value) };
        if (key !== undefined && isMaskedValue(key, scalarValue(tree, value))) {
          return { key: keyOut, keyText: key, value: tree.all(value, false) };
        }
        if (isSecret && key === 'metadata') return { key: keyOut, keyText: key, value: walkMetadata(value) };
        return { key: keyOut, keyText: key, value: walk(value) };
      }),
    );
  };
  /** kustomize `secretGenerator` entries: every `literals` value (`name=value`) is a Secret value. */
  const walkGenerators = (generators: N): R => {
    const shape = tree.shape(generators);
    if (shape.type !== 'seq') return tree.all(generators, false);
    return tree.seq(
      generators,
      shape.items.map((entry) => {
        const fields = tree.shape(entry);
        if (fields.type !== 'map') return tree.all(entry, false);
        return tree.map(
          entry,
          fields.pairs.map(({ key, keyNode, value }) => ({
            key: keyNode === undefined ? undefined : key === undefined ? walk(keyNode) : maskString(keyNode, key),
            keyText: key,
            // `files` and `envs` name files (`key=path`): paths, not values.
            value: key === 'literals' ? walkLiterals(value) : key === 'files' || key === 'envs' ? tree.keep(value) : walk(value),
          })),
        );
      }),
    );
  };
  const walkLiterals = (literals: N): R => {
    const shape = tree.shape(literals);
    if (shape.type !== 'seq') return tree.all(literals, false);
    return tree.seq(
      literals,
      shape.items.map((literal) => {
        const text = scalarText(tree, literal);
        const equals = text?.indexOf('=') ?? -1;
        if (text === undefined || equals === -1) return tree.all(literal, false);
        return equals + 1 < text.length ? tree.spans(literal, text, [[equals + 1, text.length]]) : tree.keep(literal);
      }),
    );
  };
  /** A Secret's annotations (`last-applied-configuration` holds the whole Secret). */
  const walkMetadata = (metadata: N): R => {
    const shape = tree.shape(metadata);
    if (shape.type !== 'map') return walk(metadata);
    return tree.map(
      metadata,
      shape.pairs.map(({ key, keyNode, value }) => ({
        key: keyNode === undefined ? undefined : key === undefined ? walk(keyNode) : maskString(keyNode, key),
        keyText: key,
        value: key === 'annotations' ? tree.all(value, false) : walk(value),
      })),
    );
  };
  const maskString = (node: N, text: string): R => {
    if (looksLikeManifest(text)) {
      const masked = embedding < MAX_EMBEDDING ? maskYamlText(text, embedding + 1) : undefined;
      if (masked === undefined) return tree.all(node, false);
      if (masked !== text) return tree.embedded(node, text, masked);
    }
    const spans = stringSpans(text);
    return spans.length > 0 ? tree.spans(node, text, spans) : tree.keep(node);
  };
  return walk(root);
}

/**
 * Whether a mapping is a Secret, or an env entry with a sensitive name, from every string its
 * `kind`, `name` and `value` keys have (`textsOf`): one reading that makes it one is enough.
 */
function mappingRole(textsOf: (key: string) => string[]): { isSecret: boolean; sensitiveEntry: boolean } {
  const entryNames = textsOf('name');
  const entryValues = entryNames.length > 0 ? textsOf('value') : [];
  return {
    isSecret: textsOf('kind').includes('Secret'),
    sensitiveEntry: entryNames.some((name) => (entryValues.length === 0 ? isMaskedValue(name, 'x') : entryValues.some((text) => isMaskedValue(name, text)))),
  };
}

/** The key of a YAML merge (`<<: …`); a quoted `"<<"` is read as one too, which only masks more. */
const MERGE_KEY = '<<';

/** The pairs of the mappings that the merge keys among `pairs` bring in (a mapping, or a list of them, aliases followed). */
function mergeSources<N, R>(tree: MaskTree<N, R>, pairs: MaskPairs<N>): Array<MaskPairs<N>> {
  const sources: Array<MaskPairs<N>> = [];
  const add = (node: N): void => {
    const shape = tree.shape(tree.target?.(node) ?? node);
    if (shape.type === 'map') sources.push(shape.pairs);
    else if (shape.type === 'seq') {
      for (const item of shape.items) {
        const itemShape = tree.shape(tree.target?.(item) ?? item);
        if (itemShape.type === 'map') sources.push(itemShape.pairs);
      }
    }
  };
  for (const pair of pairs) if (pair.key === MERGE_KEY) add(pair.value);
  return sources;
}

function scalarValue<N, R>(tree: MaskTree<N, R>, node: N): unknown {
  const target = tree.target?.(node) ?? node;
  if (tree.scalar) return tree.scalar(target);
  const shape = tree.shape(target);
  return shape.type === 'scalar' ? shape.value : undefined;
}

function scalarText<N, R>(tree: MaskTree<N, R>, node: N): string | undefined {
  const value = scalarValue(tree, node);
  return typeof value === 'string' ? value : undefined;
}

/** A flag whose next argument is its value: `--password` → `password`; `-p` is the password of mysql, psql and friends. */
export function flagName(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (/^-[pP]$/.test(text)) return 'password';
  return /^--?([A-Za-z_][\w.-]*)$/.exec(text)?.[1];
}

/** A string that holds a Kubernetes object (YAML or JSON). */
export function looksLikeManifest(text: string): boolean {
  return text.includes('apiVersion') && /\bkind["']?\s*:/.test(text) && /\bapiVersion["']?\s*:/.test(text);
}

/**
 * Every key `isMaskedValue` accepts spells one of these (its credential words and masked names
 * all do, in any case; keys of `ASSIGNMENT` are ASCII): text without any has no sensitive
 * assignment.
 */
const MAY_NAME_CREDENTIAL = /pass|secret|token|credential|key/i;
const ASSIGNMENT = /("?)([A-Za-z_][\w.-]*)\1(\s*[=:]\s*)("[^"\n]*"|'[^'\n]*'|[^\s,;&"']+)/g;
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:([^\s@/]+)@/gi;

/**
 * The parts of a string that may be secrets: the value of each sensitive `key=value`,
 * `key: value` or `"key": "value"` (`--db-password=…`, `DB_PASSWORD=…`, a config file, JSON),
 * and URL passwords (`postgres://user:pass@host/db`).
 */
export function stringSpans(text: string): Span[] {
  const spans: Span[] = [];
  // Most strings (image names, messages) spell no word of a sensitive key, and most that do
  // (`DB_PASSWORD`, `secretKeyRef`) hold no `=` or `:`, which every assignment needs: no scan.
  const assignment = MAY_NAME_CREDENTIAL.test(text) && (text.includes('=') || text.includes(':')) ? new RegExp(ASSIGNMENT.source, 'g') : undefined;
  for (let match = assignment?.exec(text); assignment && match; match = assignment.exec(text)) {
    const [whole, , key, , value] = match as unknown as [string, string, string, string, string];
    const bare = value.replace(/^["']|["']$/g, '');
    const valueStart = match.index + whole.length - value.length;
    if (isMaskedValue(key, bare)) spans.push([valueStart, match.index + whole.length]);
    // `old: DB_PASSWORD=…`: an innocent key's value may hold an assignment of its own.
    else assignment.lastIndex = valueStart;
  }
  if (text.includes('://')) for (const match of text.matchAll(URL_PASSWORD)) {
    const password = match[1]!;
    const end = match.index + match[0].length - 1;
    spans.push([end - password.length, end]);
  }
  return spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
}

/** `text` with `spans` replaced by the mask. */
export function applySpans(text: string, spans: readonly Span[]): string {
  let out = '';
  let cursor = 0;
  for (const [start, end] of spans) {
    if (end <= cursor) continue;
    out += text.slice(cursor, Math.max(start, cursor)) + MASK;
    cursor = end;
  }
  return out + text.slice(cursor);
}

/**
 * Whether text mentions a Secret or a sensitive key anywhere (`kind: Secret`, `password`,
 * `DB_TOKEN`…): text that did not parse is then masked line by line.
 */
export function mentionsSecret(text: string): boolean {
  for (const [word] of text.matchAll(/[A-Za-z_][\w.-]*/g)) if (isMaskedValue(word, 'x')) return true;
  return /:\/\/[^\s/:@]*:[^\s@/]+@/.test(text);
}

/** The start of a key on a line: plain, or quoted (`"password":` needs no space after the colon). */
const LINE_KEY = /^(?:"(?:[^"\\\n]|\\.)*"\s*:|'(?:[^'\n]|'')*'\s*:|[^\s#'"{}[\],&*!|>%@`?:-][^#\n]*?:(?=\s|$)|[-?:][^\s#'"{}[\],&*!|>%@`][^#\n]*?:(?=\s|$))/;

/**
 * The spans of `text` between `from` and `to` that hold values, line by line, for text that
 * does not parse: indentation, `- `/`? `/`: ` indicators, keys and document markers stay,
 * everything else on a line (values, flow collections, comments' text) is masked, so each line
 * keeps its shape: `\tpassword: ***`.
 */
export function lineSpans(text: string, from = 0, to = text.length): Span[] {
  const spans: Span[] = [];
  let lineStart = from;
  while (lineStart < to) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > to) lineEnd = to;
    let end = lineEnd;
    if (end > lineStart && text[end - 1] === '\r') end--;
    const line = text.slice(lineStart, end);
    let at = /^[ \t\uFEFF]*/.exec(line)![0].length;
    if (!/^(---|\.\.\.)(\s|$)/.test(line.slice(at)) && !/^%/.test(line.slice(at))) {
      for (let indicator = /^[-?:](?:[ \t]+|$)/.exec(line.slice(at)); indicator; indicator = /^[-?:](?:[ \t]+|$)/.exec(line.slice(at))) at += indicator[0].length;
      // One key per line: in `password: a: b` everything after `password:` is the value.
      const key = LINE_KEY.exec(line.slice(at));
      if (key) {
        // A key stays, but not its sensitive parts (a registry URL with a password).
        for (const [start, end] of stringSpans(key[0])) spans.push([lineStart + at + start, lineStart + at + end]);
        at += key[0].length + /^[ \t]*/.exec(line.slice(at + key[0].length))![0].length;
      }
      if (line[at] === '#') at += /^#[ \t]*/.exec(line.slice(at))![0].length;
      if (at < line.length) spans.push([lineStart + at, lineStart + line.length]);
    }
    lineStart = lineEnd + 1;
  }
  return spans;
}

/**
 * Whether `walkMasks` masks nothing in a plain value (js-yaml's, without anchors or merge
 * keys): the same decisions as on the `yaml` AST of the same text, without building it. Any
 * mask at all (even of an empty value, which the AST walk would leave alone) answers `false`.
 *
 * This is `walkMasks` over plain values (a mapping's pairs are `Object.entries`, a string key is
 * its own node, a scalar is itself) written out for them: it stops at the first mask and builds
 * no shape objects, as it runs over every file with a finding (`masksNothingByWalk` in the
 * tests is the walk itself, and both answer the same on every value there).
 */
export function masksNothing(value: unknown): boolean {
  return !masksPlain(value);
}

/** `walk` of `walkMasks` over a plain value: true as soon as something would be masked. */
function masksPlain(node: unknown): boolean {
  if (Array.isArray(node)) {
    for (let index = 0; index < node.length; index++) {
      const item: unknown = node[index];
      if (index > 0 && typeof item === 'string') {
        const previous: unknown = node[index - 1];
        const flag = flagName(typeof previous === 'string' ? previous : undefined);
        if (flag !== undefined && isMaskedValue(flag, item)) return true;
      }
      if (masksPlain(item)) return true;
    }
    return false;
  }
  if (typeof node === 'string') return masksString(node);
  if (typeof node !== 'object' || node === null) return false;
  const record = node as Record<string, unknown>;
  let isSecret: boolean;
  let sensitiveEntry: boolean;
  if (Object.hasOwn(record, MERGE_KEY)) {
    // A plain mapping has each key once; a `<<` key (quoted, as js-yaml resolves plain merges) brings in mappings as the walk reads them.
    const merge = record[MERGE_KEY];
    const merged = (Array.isArray(merge) ? merge : [merge]).filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item));
    const textsOf = (key: string): string[] => {
      const texts: string[] = [];
      for (const source of [record, ...merged]) {
        const item = Object.hasOwn(source, key) ? source[key] : undefined;
        if (typeof item === 'string') texts.push(item);
      }
      return texts;
    };
    ({ isSecret, sensitiveEntry } = mappingRole(textsOf));
  } else {
    // Without a merge key `mappingRole` reads each of `kind`, `name` and `value` from this
    // mapping alone (one string at most): what it answers, without its arrays and closure.
    const kind = Object.hasOwn(record, 'kind') ? record.kind : undefined;
    const name = Object.hasOwn(record, 'name') ? record.name : undefined;
    const entryValue = Object.hasOwn(record, 'value') ? record.value : undefined;
    isSecret = kind === 'Secret';
    sensitiveEntry = typeof name === 'string' && isMaskedValue(name, typeof entryValue === 'string' ? entryValue : 'x');
  }
  // Object.keys, not entries: no pair array per key (the walk runs over every file with a finding).
  const keys = Object.keys(record);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    const value = record[key];
    if (masksString(key)) return true;
    if ((isSecret && (key === 'data' || key === 'stringData')) || (sensitiveEntry && key === 'value')) return true;
    if (key === MERGE_KEY && (isSecret || sensitiveEntry)) return true;
    if (key === 'secretGenerator') {
      if (masksGenerators(value)) return true;
      continue;
    }
    if (isMaskedValue(key, typeof value === 'object' && value !== null ? undefined : value)) return true;
    if (isSecret && key === 'metadata') {
      if (masksMetadata(value)) return true;
      continue;
    }
    if (masksPlain(value)) return true;
  }
  return false;
}

/** `maskString` of `walkMasks`: an embedded manifest that masking changes, or a sensitive part. */
function masksString(text: string): boolean {
  if (looksLikeManifest(text) && maskYamlText(text, 1) !== text) return true;
  // `stringSpans` finds nothing in a string without a credential word or a URL (most of them).
  if (!MAY_NAME_CREDENTIAL.test(text) && !text.includes('://')) return false;
  return stringSpans(text).length > 0;
}

/** `walkGenerators` of `walkMasks` over a plain value. */
function masksGenerators(generators: unknown): boolean {
  if (!Array.isArray(generators)) return true;
  for (const entry of generators as unknown[]) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return true;
    for (const [key, value] of Object.entries(entry)) {
      if (masksString(key)) return true;
      if (key === 'literals') {
        if (!Array.isArray(value)) return true;
        for (const literal of value as unknown[]) {
          // Every literal but a string `name=` masks something (`all` or `spans`).
          if (typeof literal !== 'string') return true;
          const equals = literal.indexOf('=');
          if (equals === -1 || equals + 1 < literal.length) return true;
        }
      } else if (key !== 'files' && key !== 'envs' && masksPlain(value)) return true;
    }
  }
  return false;
}

/** `walkMetadata` of `walkMasks` over a plain value: a Secret's annotations are masked whole. */
function masksMetadata(metadata: unknown): boolean {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return masksPlain(metadata);
  for (const key of Object.keys(metadata)) {
    if (masksString(key)) return true;
    if (key === 'annotations') return true;
    if (masksPlain((metadata as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/**
 * Whether the mask walk (`walkMasks`) over a plain value (js-yaml's, without anchors or merge
 * keys, that mirrors its AST) records no certain mask: nothing `Redaction.certain` would hold,
 * the values messages must not quote (src/engine/redact.ts, `messageMasks`). A conservative
 * answer: true only when the value holds none of what a certain mask needs, which are
 *
 * - a mapping of kind `Secret` (its `data`/`stringData`, or its `value` as a sensitive entry,
 *   masked as certain);
 * - a string, key or value, with a sensitive part (`stringSpans`): the walk masks those parts as
 *   certain where it walks the string, and a key's parts also inside a value masked whole;
 * - a `secretGenerator` key (its literals' values are certain).
 *
 * Everything else the walk masks (values under sensitive keys and of sensitive env entries, the
 * argument after a sensitive flag, embedded manifests, a Secret's annotations) is masked whole
 * and not certain. Unlike `masksNothing`, no key is judged by its name (`isMaskedValue`): only
 * strings with a credential word or a URL are scanned.
 */
export function certainNothing(node: unknown): boolean {
  if (typeof node === 'string') return !hasSensitivePart(node);
  if (Array.isArray(node)) {
    for (let index = 0; index < node.length; index++) if (!certainNothing(node[index])) return false;
    return true;
  }
  if (typeof node !== 'object' || node === null) return true;
  const record = node as Record<string, unknown>;
  if (Object.hasOwn(record, 'kind') && record.kind === 'Secret') return false;
  const keys = Object.keys(record);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    if (key === 'secretGenerator' || hasSensitivePart(key) || !certainNothing(record[key])) return false;
  }
  return true;
}

/** Whether `stringSpans` finds anything in the text, scanning only text that may hold it. */
function hasSensitivePart(text: string): boolean {
  return (MAY_NAME_CREDENTIAL.test(text) || text.includes('://')) && stringSpans(text).length > 0;
}
