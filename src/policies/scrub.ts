/** Shortest value that is masked: shorter ones would mask ordinary words of a message. */
const MIN_SECRET_LENGTH = 4;

/**
 * A policy's message may quote the object it judged. For a Secret, replace every value of
 * `data` (as written and base64-decoded) and `stringData` found in the message by `***`:
 * messages name keys, never values.
 */
export function scrubSecretValues(message: string, input: unknown): string {
  const values = new Set<string>();
  for (const object of Array.isArray(input) ? input.map((entry) => (isRecord(entry) ? entry.contents : undefined)) : [input]) {
    if (!isRecord(object) || object.kind !== 'Secret') continue;
    for (const [field, decode] of [['data', true], ['stringData', false]] as const) {
      const map = object[field];
      if (!isRecord(map)) continue;
      for (const raw of Object.values(map)) {
        if (typeof raw !== 'string') continue;
        values.add(raw);
        if (decode) values.add(Buffer.from(raw, 'base64').toString('utf8'));
      }
    }
  }
  if (values.size === 0) return message;
  let out = message;
  for (const value of [...values].filter((value) => value.trim().length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length)) {
    out = out.split(value).join('***');
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
