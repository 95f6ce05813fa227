/** Wording helpers for schema messages: paths, type names, suggestions. */
import type { JsonType } from './types.js';

/** `spec.template.spec.containers[0].image`; keys that are not identifiers are bracketed. */
export function formatPath(path: ReadonlyArray<string | number>, rootName: string): string {
  if (path.length === 0) return rootName;
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

const ARTICLE: Record<JsonType, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

export function describeTypes(types: readonly JsonType[]): string {
  const names = types.map((type) => ARTICLE[type]);
  return names.length <= 1 ? (names[0] ?? 'a value') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** The JSON type of a value, with integers told apart from other numbers. */
export function typeOf(value: unknown): JsonType {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
    case 'bigint':
      return Number.isInteger(Number(value)) ? 'integer' : 'number';
    default:
      return 'object';
  }
}

/** Describes what was found without ever showing the value itself. */
export function describeFound(value: unknown): string {
  const type = typeOf(value);
  return type === 'integer' ? 'a number' : ARTICLE[type];
}

/** Schema values (enum members) are safe to show: they come from the schema, not the document. */
export function formatAllowed(values: readonly unknown[]): string {
  const shown = values.slice(0, 12).map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
  return values.length > shown.length ? `${shown.join(', ')}, …` : shown.join(', ');
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The closest known field name, if it is close enough to be a likely typo. */
export function suggest(field: string, known: readonly string[]): string | undefined {
  const lower = field.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = candidate.toLowerCase() === lower ? 0 : distance(lower, candidate.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(field.length / 3)));
  return bestDistance <= limit ? best : undefined;
}
