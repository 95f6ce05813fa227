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
  const line = object.doc.contents?.range ? object.file.lineCounter.linePos(object.doc.contents.range[0]).line : 1;
  const where = `${object.file.root.name}/${object.file.path}:${line}`;
  const patched = object.applied?.patchedBy ?? [];
  const patches = patched.length > 0 ? `\n# patched by ${[...new Set(patched.map((at) => `${at.file.root.name}/${at.file.path}`))].join(', ')}` : '';
  return `# from ${where} (${label})${patches}\n${stringify(masked(object), { lineWidth: 0 })}`;
}

/** A copy of the object with Secret data, sensitive keys, sensitive env entries and URL passwords masked. */
function masked(object: Resource): unknown {
  const isSecret = object.kind === 'Secret' && object.group === '';
  const walk = (value: unknown, depth: number): unknown => {
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1));
    if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      const sensitiveEntry = typeof record.name === 'string' && isMaskedValue(record.name, record.value);
      const out: Record<string, unknown> = {};
      for (const [childKey, child] of Object.entries(record)) {
        // Flux decrypts and drops the SOPS metadata before applying.
        if (depth === 0 && childKey === 'sops') continue;
        if ((isSecret && depth === 0 && (childKey === 'data' || childKey === 'stringData')) || isMaskedValue(childKey, child) || (sensitiveEntry && childKey === 'value')) {
          out[childKey] = maskAll(child);
        } else {
          out[childKey] = walk(child, depth + 1);
        }
      }
      return out;
    }
    if (typeof value === 'string') return maskUrlPassword(maskAssignment(value));
    return value;
  };
  return walk(object.value, 0);
}

function maskAll(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskAll);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, maskAll(child)]));
  return value === null || value === undefined ? value : MASK;
}

/** `NAME=value` strings (Dagster envVars, container args) with a sensitive name. */
function maskAssignment(text: string): string {
  const assignment = /^(--?)?([A-Za-z_][A-Za-z0-9_.-]*)=/.exec(text);
  return assignment?.[2] && isMaskedValue(assignment[2], text.slice(assignment[0].length)) ? `${assignment[0]}${MASK}` : text;
}

/** `scheme://user:password@host` → the password masked. */
function maskUrlPassword(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]+@/gi, `$1${MASK}@`);
}
