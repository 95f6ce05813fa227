/**
 * kustomize `configMapGenerator` / `secretGenerator` (api/kv, api/internal/generators):
 * - data from `literals` (`key=value`, one pair of surrounding quotes removed), `files`
 *   (`path` keyed by its base name, or `key=path`) and `envs`/`env` (dotenv lines);
 *   Secret values base64-encoded, `type` defaulting to `Opaque`;
 * - `generatorOptions` and the entry's `options` (`labels`, `annotations`, `immutable`,
 *   `disableNameSuffixHash`; the entry's win);
 * - `behavior: create` (default) adds the object, `merge`/`replace` change the object of
 *   that name already in the build;
 * - the content-hash name suffix is added once at the end of the whole build, from the final
 *   object (kustomize `addHashesToNames`, api/hasher): sha256 of the JSON of
 *   `{data, kind, name, type (Secret)}` (+ non-empty `binaryData`/`stringData`), keys sorted;
 *   kustomize looks the name up as one field called `metadata/name`, so `name` is always
 *   `""`; the first 10 hex digits with 0→g 1→h 3→k a→m e→t. Verified against `kubectl kustomize`.
 * An input that cannot be read (missing, not read by the loader, SOPS-encrypted, which
 * kustomize-controller decrypts before building) leaves the hash unknown: the object keeps
 * its keys, its name has no suffix and `nameUnknown` is set, with a problem `unknown-input`.
 * Values of an env file that the loader did not read are unknown, and so are its keys.
 */
import { createHash } from 'node:crypto';
import type { SourceFile } from '../model/workspace.js';
import { resolvePath } from '../engine/collections.js';
import type { BuildContext } from './context.js';
import { childLocation, markFileText, markKey, markNode, type Location } from './origin.js';
import { currentId, describeId, isMap, newResource, notePatched, setIn, writable, type KResource, type Value } from './resource.js';

export interface GeneratorEntry {
  kind: 'ConfigMap' | 'Secret';
  entry: Value;
  at: Location;
  /** The kustomization's `generatorOptions`. */
  options: { value: Value; at: Location } | undefined;
}

interface DataItem {
  key: string;
  value: string;
  at: Location;
}

const SOPS_MARK = /ENC\[AES256_GCM,|^sops_version=|"sops"\s*:|^sops:/m;

function stripQuotes(value: string): string {
  if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) return value.slice(1, -1);
  return value;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The readable text of an input file, or why it has none. */
function readInput(context: BuildContext, dir: string, entry: string, at: Location): { file?: SourceFile; text?: string; unknown: string | undefined } {
  const target = resolvePath(dir, entry);
  if (target === undefined) {
    context.problem('outside-root', `"${entry}" is outside the source`, at);
    return { unknown: 'outside the source' };
  }
  const file = context.host.file(target);
  if (!file) {
    context.problem('missing-file', `generator input "${entry}" not found`, at);
    return { unknown: 'missing' };
  }
  const text = file.text ?? context.host.readText?.(target);
  if (text === undefined) return { file, unknown: 'not read by the linter' };
  if (SOPS_MARK.test(text)) return { file, unknown: 'SOPS-encrypted' };
  return { file, text, unknown: undefined };
}

/**
 * Lines of an env file (kustomize `kv.KeyValuesFromLine`): leading whitespace trimmed, `#`
 * comments and empty lines skipped, `KEY=value` with the value kept as written; a line
 * without `=` takes the value from the controller's environment, unknown here.
 */
function envItems(text: string, at: Location): { items: DataItem[]; fromEnvironment: string[] } {
  const items: DataItem[] = [];
  const fromEnvironment: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = (index === 0 ? raw.replace(/^\uFEFF/, '') : raw).trimStart();
    if (line === '' || line.startsWith('#')) return;
    const equals = line.indexOf('=');
    if (equals < 0) fromEnvironment.push(line);
    items.push({ key: equals < 0 ? line : line.slice(0, equals), value: equals < 0 ? '' : line.slice(equals + 1), at });
  });
  return { items, fromEnvironment };
}

function toBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isMap(value)) for (const [key, entry] of Object.entries(value)) out[key] = entry === null || entry === undefined ? '' : String(entry);
  return out;
}

/** Build one generator entry's object (without the hash suffix). */
function generate(context: BuildContext, dir: string, generator: GeneratorEntry): KResource | undefined {
  const { entry, at, kind } = generator;
  const name = entry.name;
  if (typeof name !== 'string' || name === '') {
    context.problem('invalid-generator', `a ${kind} generator needs a name`, at);
    return undefined;
  }
  const items: DataItem[] = [];
  const unknown: string[] = [];
  if (Array.isArray(entry.literals)) {
    entry.literals.forEach((literal, index) => {
      const text = String(literal);
      const equals = text.indexOf('=');
      const itemAt = childLocation(childLocation(at, 'literals'), index);
      if (equals <= 0) {
        context.problem('invalid-generator', `invalid literal "${text}": expected key=value`, itemAt);
        return;
      }
      items.push({ key: text.slice(0, equals), value: stripQuotes(text.slice(equals + 1)), at: itemAt });
    });
  }
  if (Array.isArray(entry.files)) {
    entry.files.forEach((raw, index) => {
      if (typeof raw !== 'string') return;
      const itemAt = childLocation(childLocation(at, 'files'), index);
      const equals = raw.indexOf('=');
      const key = equals > 0 ? raw.slice(0, equals) : basename(raw);
      const input = readInput(context, dir, equals > 0 ? raw.slice(equals + 1) : raw, itemAt);
      if (input.unknown) unknown.push(`"${raw}" (${input.unknown})`);
      // A consumer of the data (a HelmRelease's valuesFrom) reads the file itself, for positions.
      markFileText(itemAt, input.text === undefined ? undefined : input.file);
      items.push({ key, value: input.text ?? '', at: itemAt });
    });
  }
  const envs: Array<{ path: string; at: Location }> = [];
  if (Array.isArray(entry.envs)) entry.envs.forEach((raw, index) => typeof raw === 'string' && envs.push({ path: raw, at: childLocation(childLocation(at, 'envs'), index) }));
  if (typeof entry.env === 'string') envs.push({ path: entry.env, at: childLocation(at, 'env') });
  for (const env of envs) {
    const input = readInput(context, dir, env.path, env.at);
    if (input.unknown) {
      unknown.push(`"${env.path}" (${input.unknown})`);
      continue;
    }
    const parsed = envItems(input.text!, env.at);
    items.push(...parsed.items);
    if (parsed.fromEnvironment.length > 0) unknown.push(`"${env.path}" (${parsed.fromEnvironment.join(', ')} from the controller's environment)`);
  }
  const options = { ...(generator.options?.value ?? {}), ...(isMap(entry.options) ? entry.options : {}) };
  const labels = { ...stringMap(generator.options?.value.labels), ...stringMap(isMap(entry.options) ? entry.options.labels : undefined) };
  const annotations = { ...stringMap(generator.options?.value.annotations), ...stringMap(isMap(entry.options) ? entry.options.annotations : undefined) };

  const metadata: Value = { name };
  if (typeof entry.namespace === 'string' && entry.namespace !== '') metadata.namespace = entry.namespace;
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  const value: Value = { apiVersion: 'v1', kind, metadata };
  markNode(value, at);
  markNode(metadata, at);
  markKey(metadata, 'name', childLocation(at, 'name'));
  if (items.length > 0) {
    const data: Record<string, string> = {};
    markNode(data, at);
    for (const item of items) {
      data[item.key] = kind === 'Secret' ? toBase64(item.value) : item.value;
      markKey(data, item.key, item.at);
    }
    value.data = data;
  }
  if (kind === 'Secret') value.type = typeof entry.type === 'string' && entry.type !== '' ? entry.type : 'Opaque';
  if (options.immutable === true) value.immutable = true;
  const res = newResource(value, at);
  res.written = { file: at.file, docIndex: at.docIndex };
  res.generated = { hash: options.disableNameSuffixHash !== true, behavior: typeof entry.behavior === 'string' ? entry.behavior : 'create' };
  if (unknown.length > 0) {
    res.nameUnknown = res.generated.hash;
    context.problem('unknown-input', `${kind} "${name}" has inputs the build cannot know: ${unknown.join(', ')}${res.generated.hash ? ', so its name suffix is unknown' : ''}`, at);
  }
  return res;
}

/** Merge (`merge`) or replace (`replace`) the data of an existing object with a generated one. */
function combine(existing: KResource, generated: KResource, behavior: string, at: Location): void {
  const replace = behavior === 'replace';
  const data = isMap(generated.value.data) ? generated.value.data : {};
  if (replace) setIn(existing, ['data'], { ...data }, at);
  else {
    const target = writable(existing, ['data']);
    for (const [key, value] of Object.entries(data)) {
      target[key] = value;
      markKey(target, key, at);
    }
  }
  for (const field of ['labels', 'annotations']) {
    const pairs = (generated.value.metadata as Value)[field];
    if (!isMap(pairs)) continue;
    for (const [key, value] of Object.entries(pairs)) setIn(existing, ['metadata', field, key], value, at);
  }
  if (generated.value.immutable === true) setIn(existing, ['immutable'], true, at);
  existing.nameUnknown ||= generated.nameUnknown;
  if (existing.generated && generated.generated) existing.generated.hash = generated.generated.hash;
  notePatched(existing, at);
}

/** Run the generators of one kustomization on its accumulator. */
export function applyGenerators(context: BuildContext, dir: string, resources: KResource[], generators: readonly GeneratorEntry[]): KResource[] {
  const out = [...resources];
  for (const generator of generators) {
    const res = generate(context, dir, generator);
    if (!res) continue;
    const id = currentId(res);
    const existing = out.find((candidate) => {
      const other = currentId(candidate);
      return other.kind === id.kind && other.group === '' && [candidate.orgId.name, ...candidate.previousNames, other.name].includes(id.name) && (id.namespace === undefined || (other.namespace ?? 'default') === id.namespace);
    });
    const behavior = res.generated!.behavior;
    if (behavior === 'merge' || behavior === 'replace') {
      if (!existing) context.problem('generator-no-base', `${describeId(id)}: behavior "${behavior}" needs an existing object of that name`, generator.at);
      else combine(existing, res, behavior, generator.at);
      continue;
    }
    if (behavior !== 'create') {
      context.problem('invalid-generator', `unknown generator behavior "${behavior}"`, childLocation(generator.at, 'behavior'));
      continue;
    }
    if (existing) {
      context.problem('duplicate-id', `may not add resource with an already registered id: ${describeId(id)}; behavior must be merge or replace`, generator.at);
      continue;
    }
    out.push(res);
  }
  return out;
}

/** kustomize's content hash of a ConfigMap or Secret (api/hasher). */
export function contentHash(value: Value): string {
  const field = (key: string): unknown => (isMap(value[key]) ? value[key] : '');
  const encoded: Record<string, unknown> = value.kind === 'Secret' ? { kind: 'Secret', type: typeof value.type === 'string' ? value.type : '', name: '', data: field('data') } : { kind: 'ConfigMap', name: '', data: field('data') };
  const extra = value.kind === 'Secret' ? 'stringData' : 'binaryData';
  if (isMap(value[extra])) encoded[extra] = value[extra];
  const hex = createHash('sha256').update(goJson(encoded)).digest('hex').slice(0, 10);
  return hex.replace(/[013ae]/g, (digit) => ({ '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' })[digit]!);
}

/** JSON as Go's encoding/json writes a map: sorted keys, `<`, `>`, `&`, U+2028/9 escaped. */
function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (isMap(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${goJson(key)}:${goJson(value[key])}`)
      .join(',')}}`;
  }
  return (JSON.stringify(value) ?? 'null').replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Add the hash suffixes of generated objects (once, at the end of the whole build). */
export function finishGenerated(resources: readonly KResource[]): void {
  for (let position = 0; position < resources.length; position++) {
    const res = resources[position]!;
    if (!res.generated?.hash || res.nameUnknown) continue;
    const name = currentId(res).name;
    res.previousNames = res.previousNames.concat(name);
    setIn(res, ['metadata', 'name'], `${name}-${contentHash(res.value)}`, undefined);
  }
}
