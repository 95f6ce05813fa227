/**
 * Patch targets (kustomize `types.Selector`): `group`, `version`, `kind`, `name` and
 * `namespace` are regular expressions anchored as `^(?:…)$`; `labelSelector` and
 * `annotationSelector` use Kubernetes selector syntax. Name and namespace match the object's
 * original id or its current one; an object without a namespace is in `default` (kustomize
 * `ResId.EffectiveNamespace`, api/resmap/reswrangler.go `Select`).
 */
import { currentId, isMap, type KResource } from './resource.js';

export interface Target {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

/** What selecting needs to know besides the objects. */
export interface SelectContext {
  isClusterScoped(apiVersion: string, kind: string): boolean | undefined;
}

/** Kustomize's stand-in namespace of cluster-scoped objects (`resid.TotallyNotANamespace`). */
const NOT_A_NAMESPACE = '_non_namespaceable_';

export class SelectorError extends Error {}

function anchored(pattern: string | undefined, field: string): RegExp | undefined {
  if (pattern === undefined || pattern === '') return undefined;
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    throw new SelectorError(`invalid regular expression in target ${field} "${pattern}"`);
  }
}

export function parseTarget(raw: unknown): Target | undefined {
  if (!isMap(raw)) return undefined;
  const target: Target = {};
  for (const field of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) {
    const value = raw[field];
    if (typeof value === 'string') target[field] = value;
  }
  return target;
}

type Requirement = { key: string; op: 'in' | 'notin' | 'exists' | '!exists'; values: string[] };

/** Parse a Kubernetes label selector string (`a=b,c!=d,e in (f,g),!h`). */
export function parseSelector(text: string): Requirement[] {
  const requirements: Requirement[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    let match: RegExpMatchArray | null;
    if ((match = rest.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)\s*/))) {
      const values = match[3]!.split(',').map((value) => value.trim()).filter((value) => value !== '');
      requirements.push({ key: match[1]!, op: match[2] as 'in' | 'notin', values });
    } else if ((match = rest.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)\s*/))) {
      requirements.push({ key: match[1]!, op: match[2] === '!=' ? 'notin' : 'in', values: [match[3]!] });
    } else if ((match = rest.match(/^!\s*([\w./-]+)\s*/))) {
      requirements.push({ key: match[1]!, op: '!exists', values: [] });
    } else if ((match = rest.match(/^([\w./-]+)\s*/))) {
      requirements.push({ key: match[1]!, op: 'exists', values: [] });
    } else {
      throw new SelectorError(`unable to parse selector "${text}"`);
    }
    rest = rest.slice(match[0].length);
    if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
    else if (rest.length > 0) throw new SelectorError(`unable to parse selector "${text}"`);
  }
  return requirements;
}

export function matchesSelector(requirements: readonly Requirement[], labels: Record<string, unknown>): boolean {
  return requirements.every(({ key, op, values }) => {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const value = has ? String(labels[key]) : undefined;
    switch (op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && values.includes(value!);
      case 'notin':
        return !has || !values.includes(value!);
    }
  });
}

/** A compiled target; throws SelectorError for a pattern or selector that does not parse. */
export function compileTarget(target: Target, context: SelectContext): (res: KResource) => boolean {
  const group = anchored(target.group, 'group');
  const version = anchored(target.version, 'version');
  const kind = anchored(target.kind, 'kind');
  const name = anchored(target.name, 'name');
  const namespace = anchored(target.namespace, 'namespace');
  const labels = target.labelSelector ? parseSelector(target.labelSelector) : undefined;
  const annotations = target.annotationSelector ? parseSelector(target.annotationSelector) : undefined;
  return (res) => {
    const current = currentId(res);
    const apiVersion = current.group ? `${current.group}/${current.version}` : current.version;
    const clusterScoped = context.isClusterScoped(apiVersion, current.kind) === true;
    const effective = (ns: string | undefined): string => (clusterScoped ? NOT_A_NAMESPACE : (ns ?? 'default'));
    if (namespace && !namespace.test(effective(res.orgId.namespace)) && !namespace.test(effective(current.namespace))) return false;
    if (name && !name.test(res.orgId.name) && !name.test(current.name)) return false;
    if (group && !group.test(current.group)) return false;
    if (version && !version.test(current.version)) return false;
    if (kind && !kind.test(current.kind)) return false;
    const metadata = isMap(res.value.metadata) ? res.value.metadata : {};
    if (labels && !matchesSelector(labels, isMap(metadata.labels) ? metadata.labels : {})) return false;
    if (annotations && !matchesSelector(annotations, isMap(metadata.annotations) ? metadata.annotations : {})) return false;
    return true;
  };
}
