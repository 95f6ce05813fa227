/**
 * `gitops-lint build`: the applied objects as YAML, each after a comment saying where it was
 * written and which build applies it — an offline `flux build kustomization` across repos.
 * Values that may be secrets are masked the way code frames mask them.
 */
import { stringify } from 'yaml';
import type { Resource } from '../model/workspace.js';
import type { Model } from '../model/model.js';
import { isMaskedValue } from '../engine/credential.js';
import type { AppliedBuild } from './types.js';

const MASK = '***';

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
  const documents: string[] = [];
  const inBuilds = new Set<Resource>();
  for (const build of builds) {
    for (const object of build.objects) {
      inBuilds.add(object);
      documents.push(renderObject(object, buildLabel(build)));
    }
  }
  if (options.kustomization === undefined) {
    for (const object of model.resources) if (!inBuilds.has(object)) documents.push(renderObject(object, 'applied as written'));
  }
  return documents.join('---\n');
}

function renderObject(object: Resource, label: string): string {
  // An object from a config file outside the linted files has no document: line 1.
  const range = object.doc?.contents?.range;
  const line = range ? object.file.lineCounter.linePos(range[0]).line : 1;
  const where = `${object.file.root.name}/${object.file.path}:${line}`;
  const patched = object.applied?.patchedBy ?? [];
  const patches = patched.length > 0 ? `\n# patched by ${[...new Set(patched.map((at) => `${at.file.root.name}/${at.file.path}`))].join(', ')}` : '';
  return `# from ${where} (${label})${patches}\n${stringify(masked(object), { lineWidth: 0 })}`;
}

/**
 * A copy of the object with everything that may be a secret masked: the `data`, `stringData`
 * and annotations of a Secret at any depth (List items, Helm values, embedded manifests),
 * values under sensitive keys, sensitive env entries, the argument after a sensitive `--flag`,
 * and in every string each `key=value`, `key: value` or `"key": "value"` with a sensitive key,
 * and URL passwords.
 */
function masked(object: Resource): unknown {
  const walk = (value: unknown, depth: number): unknown => {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      value.forEach((item, index) => {
        const previous = index > 0 ? value[index - 1] : undefined;
        const flag = typeof previous === 'string' ? /^--?([A-Za-z_][\w.-]*)$/.exec(previous)?.[1] : undefined;
        out.push(flag !== undefined && typeof item === 'string' && isMaskedValue(flag, item) ? MASK : walk(item, depth + 1));
      });
      return out;
    }
    if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      const isSecret = record.kind === 'Secret' && (record.apiVersion === undefined || record.apiVersion === 'v1');
      const sensitiveEntry = typeof record.name === 'string' && isMaskedValue(record.name, typeof record.value === 'string' ? record.value : 'x');
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(record)) {
        // Flux decrypts and drops the SOPS metadata before applying.
        if (depth === 0 && key === 'sops') continue;
        if ((isSecret && (key === 'data' || key === 'stringData')) || isMaskedValue(key, child) || (sensitiveEntry && key === 'value')) {
          out[key] = maskAll(child);
        } else if (isSecret && key === 'metadata' && typeof child === 'object' && child !== null) {
          // last-applied-configuration and the like hold the whole Secret.
          const metadata = { ...(child as Record<string, unknown>) };
          if (metadata.annotations !== undefined) metadata.annotations = maskAll(metadata.annotations);
          out[key] = walk(metadata, depth + 1);
        } else {
          out[key] = walk(child, depth + 1);
        }
      }
      return out;
    }
    if (typeof value === 'string') return maskText(value);
    return value;
  };
  return walk(object.value, 0);
}

function maskAll(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskAll);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, maskAll(child)]));
  return value === null || value === undefined ? value : MASK;
}

/** Sensitive assignments anywhere in a string (config files, DSNs, JSON, `--flag=value`), and URL passwords. */
function maskText(text: string): string {
  const assignments = text.replace(/("?)([A-Za-z_][\w.-]*)\1(\s*[=:]\s*)("[^"\n]*"|'[^'\n]*'|[^\s,;&"']+)/g, (whole, quote: string, key: string, separator: string, value: string) => {
    const bare = value.replace(/^["']|["']$/g, '');
    return isMaskedValue(key, bare) ? `${quote}${key}${quote}${separator}${MASK}` : whole;
  });
  return assignments.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s@]+@/gi, `$1${MASK}@`);
}
