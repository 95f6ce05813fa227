import type { YamlPath } from '../model/finding.js';

/** Where a policy result asks to be reported, read from the result object. */
export interface LocationHint {
  /** `_loc.file` (conftest ≥ 0.64) or `location.file`. */
  file?: string;
  /** `_loc.line` / `location.line`: a JSON number, as conftest requires. */
  line?: number;
  /** A field path inside the object (`details.path`, `details.field`, `location` as a path). */
  path?: YamlPath;
}

/**
 * Read a location hint, most specific first: `_loc` (conftest's own: `{file, line}`, `line`
 * a number), `location` (the same shape, or a field path), then a field path in `details`
 * (`details.path`, `details.field`, or `details` itself as a path string).
 */
export function locationHint(result: Record<string, unknown>): LocationHint {
  const hint: LocationHint = {};
  for (const key of ['_loc', 'location']) {
    const value = result[key];
    if (isRecord(value)) {
      if (typeof value.file === 'string' && hint.file === undefined) hint.file = value.file;
      if (typeof value.line === 'number' && hint.line === undefined) hint.line = value.line;
      const pathValue = parseFieldPath(value.path);
      if (pathValue && !hint.path) hint.path = pathValue;
    } else if (key === 'location' && !hint.path) {
      const pathValue = parseFieldPath(value);
      if (pathValue) hint.path = pathValue;
    }
  }
  if (!hint.path) {
    const details = result.details;
    const pathValue = isRecord(details) ? (parseFieldPath(details.path) ?? parseFieldPath(details.field)) : parseFieldPath(details);
    if (pathValue) hint.path = pathValue;
  }
  return hint;
}

/**
 * A field path as policies write it: an array of keys and indexes, a dotted path with `[n]`
 * indexes (`spec.template.spec.containers[0].resources`, optionally after `input.`), or a
 * JSON pointer (`/spec/template/spec/containers/0`). Anything else is not a path.
 */
export function parseFieldPath(value: unknown): YamlPath | undefined {
  if (Array.isArray(value)) {
    return value.every((segment) => typeof segment === 'string' || (typeof segment === 'number' && Number.isInteger(segment) && segment >= 0)) ? (value as YamlPath) : undefined;
  }
  if (typeof value !== 'string' || value === '') return undefined;
  if (value.startsWith('/')) {
    return value
      .slice(1)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((part) => (/^(0|[1-9]\d*)$/.test(part) ? Number(part) : part));
  }
  const text = value.replace(/^(input|\$)\./, '');
  if (!/^[\w-]+(\[\d+\]|\[["'][^"']*["']\]|\.[\w./-]+?)*$/.test(text) || /\s/.test(text)) return undefined;
  const out: Array<string | number> = [];
  const token = /([\w-]+)|\[(\d+)\]|\[["']([^"']*)["']\]/g;
  for (let match = token.exec(text); match; match = token.exec(text)) {
    if (match[1] !== undefined) out.push(match[1]);
    else if (match[2] !== undefined) out.push(Number(match[2]));
    else if (match[3] !== undefined) out.push(match[3]);
  }
  return out.length > 0 ? out : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
