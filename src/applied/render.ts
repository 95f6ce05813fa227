/**
 * `gitops-lint build`: the applied objects as YAML, each after a comment saying where it was
 * written and which build applies it — an offline `flux build kustomization` across repos.
 * Values that may be secrets are masked the way code frames mask them.
 */
import { stringify } from 'yaml';
import type { Resource } from '../model/workspace.js';
import type { Model } from '../model/model.js';
import { isReference } from '../engine/credential.js';
import { applySpans, MASK, stringSpans, walkMasks, type MaskTree } from '../engine/mask.js';
import { maskedOffset, masksEveryValue, redact } from '../engine/redact.js';
import type { AppliedBuild } from './types.js';

export interface RenderOptions {
  /** Only the build of this Flux Kustomization: `namespace/name`, or `name` alone. */
  kustomization?: string;
}

export class UnknownKustomizationError extends Error {}

/** The label of a build in comments: the Flux Kustomization, or the kustomize folder. */
export function buildLabel(build: AppliedBuild): string {
  if (build.kustomization) {
    const { appliedNamespace: namespace, name } = build.kustomization;
    return `Kustomization ${namespace === undefined ? name : `${namespace}/${name}`}`;
  }
  return `kustomize build ${build.root.name}/${build.dir === '' ? '.' : build.dir}`;
}

function matches(build: AppliedBuild, wanted: string): boolean {
  const kustomization = build.kustomization;
  if (!kustomization) return false;
  return wanted.includes('/') ? `${kustomization.appliedNamespace ?? ''}/${kustomization.name}` === wanted : kustomization.name === wanted;
}

/** Print the applied objects of every build (or of one Flux Kustomization) as YAML documents. */
export function renderApplied(model: Model, options: RenderOptions = {}): string {
  const builds = options.kustomization === undefined ? model.applied.builds : model.applied.builds.filter((build) => matches(build, options.kustomization!));
  if (options.kustomization !== undefined && builds.length === 0) {
    const known = model.applied.builds.flatMap((build) => (build.kustomization ? [`${build.kustomization.appliedNamespace ?? ''}/${build.kustomization.name}`] : []));
    throw new UnknownKustomizationError(
      `No applied Flux Kustomization ${options.kustomization} whose build is known${known.length > 0 ? ` (known: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''})` : ''}.`,
    );
  }
  const objects: Array<{ object: Resource; label: string }> = [];
  const inBuilds = new Set<Resource>();
  for (const build of builds) {
    for (const object of build.objects) {
      inBuilds.add(object);
      objects.push({ object, label: buildLabel(build) });
    }
  }
  if (options.kustomization === undefined) {
    for (const object of model.resources) if (!inBuilds.has(object)) objects.push({ object, label: 'applied as written' });
  }
  // Values masked anywhere are masked everywhere: an alias (`*shared`) copies a Secret's value
  // under an innocent key, and so do copies by hand.
  const secrets = new Set<string>();
  const tree = valuesTree(secrets);
  const masked = objects.map(({ object, label }) => ({ object, label, value: maskedCopy(object, tree) }));
  const everywhere = knownSecrets(secrets);
  return masked.map(({ object, label, value }) => renderObject(object, label, everywhere(value))).join('---\n');
}

function renderObject(object: Resource, label: string, value: unknown): string {
  // An object from a config file outside the linted files has no document: line 1.
  const range = object.doc?.contents?.range;
  const line = range ? object.file.lineCounter.linePos(range[0]).line : 1;
  const where = `${object.file.root.name}/${object.file.path}:${line}`;
  const patched = object.applied?.patchedBy ?? [];
  const patches = patched.length > 0 ? `\n# patched by ${[...new Set(patched.map((at) => `${at.file.root.name}/${at.file.path}`))].join(', ')}` : '';
  if (masksEveryValue(object.file)) {
    // The written text, as code frames show it: the parsed value of a broken document may
    // have a Secret's value under a key of its own.
    const redaction = redact(object.file);
    const range = object.doc?.range;
    if (redaction && range) {
      const text = redaction.text.slice(maskedOffset(redaction, range[0], 'start'), maskedOffset(redaction, range[2], 'end'));
      return `# from ${where} (${label}; does not parse: as written, every value masked)${patches}\n${text.endsWith('\n') ? text : `${text}\n`}`;
    }
    return `# from ${where} (${label}; does not parse: every value masked)${patches}\n`;
  }
  return `# from ${where} (${label})${patches}\n${stringify(value, { lineWidth: 0 })}`;
}

/**
 * A copy of the object with everything that may be a secret masked, decided by the walk code
 * frames use (`engine/mask.ts`): the `data`, `stringData` and annotations of a Secret at any
 * depth, values under sensitive keys and of sensitive env entries, the argument after a
 * sensitive flag, sensitive assignments and URL passwords in every string (keys included),
 * and embedded manifests masked as YAML text.
 */
function maskedCopy(object: Resource, tree: MaskTree<unknown, unknown>): unknown {
  const value = object.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return walkMasks(value, tree);
  // Flux decrypts and drops the SOPS metadata before applying.
  const { sops: _sops, ...applied } = value as Record<string, unknown>;
  return walkMasks(applied, tree);
}

/** The walk over plain values: the result is the masked copy; masked strings go to `secrets`. */
const valuesTree = (secrets: Set<string>): MaskTree<unknown, unknown> => ({
  shape(node) {
    if (Array.isArray(node)) return { type: 'seq', items: node };
    if (typeof node === 'object' && node !== null) {
      return { type: 'map', pairs: Object.entries(node).map(([key, value]) => ({ key, keyNode: key, value })) };
    }
    return { type: 'scalar', value: node };
  },
  map(_node, pairs) {
    const out: Record<string, unknown> = {};
    for (const { key, keyText, value } of pairs) out[String(key ?? keyText)] = value;
    return out;
  },
  seq(_node, items) {
    return items;
  },
  keep(node) {
    return node;
  },
  all(node) {
    return maskAll(node, secrets);
  },
  spans(_node, text, spans) {
    for (const [start, end] of spans) secrets.add(text.slice(start, end).replace(/^["']|["']$/g, ''));
    return applySpans(text, spans);
  },
  embedded(_node, _text, masked) {
    return masked;
  },
});

/** A key under a masked value is a name, with its sensitive parts masked as anywhere else (a registry URL with a password). */
function maskKey(key: string, secrets: Set<string>): string {
  const spans = stringSpans(key);
  for (const [start, end] of spans) secrets.add(key.slice(start, end).replace(/^["']|["']$/g, ''));
  return spans.length > 0 ? applySpans(key, spans) : key;
}

function maskAll(value: unknown, secrets: Set<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => maskAll(item, secrets));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, child]) => [maskKey(key, secrets), maskAll(child, secrets)]));
  if (typeof value === 'string') secrets.add(value);
  return value === null || value === undefined ? value : MASK;
}

/**
 * Shorter masked values are not looked for elsewhere: a Secret's `username: admin` would mask
 * every `admin` of the build.
 */
const MIN_KNOWN_SECRET = 8;

/**
 * A function masking the strings (values and keys) of a masked copy that equal a value masked
 * elsewhere: an alias (`*shared`) copies a Secret's value whole under an innocent key.
 */
function knownSecrets(secrets: ReadonlySet<string>): (value: unknown) => unknown {
  const known = new Set([...secrets].filter((secret) => secret.trim().length >= MIN_KNOWN_SECRET && !isReference(secret)));
  if (known.size === 0) return (value) => value;
  const text = (value: string): string => (known.has(value) ? MASK : value);
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, child]) => [text(key), walk(child)]));
    return typeof value === 'string' ? text(value) : value;
  };
  return walk;
}
