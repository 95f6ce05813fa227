/** Narrowing helpers for plain values parsed from YAML. */

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Scalars that YAML may have typed as numbers or booleans, as the strings Kubernetes sees. */
export function asScalarString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Value at a path inside a plain value. */
export function getIn(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let current = value;
  // Indexed: called for nearly every check of every object, mostly before V8 optimises it, where a for-of loop makes an iterator result per step.
  for (let index = 0; index < path.length; index++) {
    const segment = path[index]!;
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (typeof current === 'object' && current !== null) current = (current as Record<string, unknown>)[String(segment)];
    else return undefined;
  }
  return current;
}
