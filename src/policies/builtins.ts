/**
 * Builtins that `opa build -t wasm` leaves to the host and that `@open-policy-agent/opa-wasm`
 * does not ship (its own are `sprintf`, `json.is_valid`, `regex.split`, `yaml.*`). A module
 * that calls a builtin nobody provides throws "not implemented" when that code runs; the
 * evaluator turns that into a note naming the policy.
 *
 * Values cross the boundary as JSON: a set argument arrives as an array, and a set result
 * can only be returned as an array (sorted here, so results stay deterministic).
 */
export type Builtin = (...args: unknown[]) => unknown;

export interface BuiltinContext {
  /** `time.now_ns()`: fixed for a run, as OPA fixes it for a query. */
  nowNs: number;
  /** Receives each `trace(note)` message. */
  trace?: (note: string) => void;
}

function expectString(name: string, value: unknown, position: number): string {
  if (typeof value !== 'string') throw new TypeError(`${name}: operand ${position} must be string`);
  return value;
}

/** A string or an array/set of strings, as `strings.any_prefix_match` accepts. */
function stringList(name: string, value: unknown, position: number): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  throw new TypeError(`${name}: operand ${position} must be one of {string, array[string], set[string]}`);
}

export function customBuiltins(context: BuiltinContext): Record<string, Builtin> {
  return {
    /** Always true; the note goes to the run's trace sink (OPA prints it with `--explain`). */
    trace: (note) => {
      context.trace?.(expectString('trace', note, 1));
      return true;
    },
    /** The keys of an object, sorted (a set in OPA; an array here). */
    'object.keys': (object) => {
      if (typeof object !== 'object' || object === null || Array.isArray(object)) throw new TypeError('object.keys: operand 1 must be object');
      return Object.keys(object).sort();
    },
    'time.now_ns': () => context.nowNs,
    'strings.any_prefix_match': (search, base) => {
      const strings = stringList('strings.any_prefix_match', search, 1);
      const prefixes = stringList('strings.any_prefix_match', base, 2);
      return strings.some((value) => prefixes.some((prefix) => value.startsWith(prefix)));
    },
    'strings.any_suffix_match': (search, base) => {
      const strings = stringList('strings.any_suffix_match', search, 1);
      const suffixes = stringList('strings.any_suffix_match', base, 2);
      return strings.some((value) => suffixes.some((suffix) => value.endsWith(suffix)));
    },
  };
}

/** Names of the builtins above, for the README table and the missing-builtin check. */
export const CUSTOM_BUILTIN_NAMES = Object.keys(customBuiltins({ nowNs: 0 })).sort();

/** Builtins `@open-policy-agent/opa-wasm` 1.10.0 implements in JavaScript (`src/builtins/*.js`). */
export const SDK_BUILTIN_NAMES = ['json.is_valid', 'regex.split', 'sprintf', 'yaml.is_valid', 'yaml.marshal', 'yaml.unmarshal'];
