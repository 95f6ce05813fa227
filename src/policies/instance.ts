import type { LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { customBuiltins, SDK_BUILTIN_NAMES, type BuiltinContext } from './builtins.js';
import { goSprintf } from './sprintf.js';

type Sdk = typeof import('@open-policy-agent/opa-wasm');

let sdk: Sdk | undefined;

/**
 * Load `@open-policy-agent/opa-wasm` (only runs that configure policies pay for it). Its ESM
 * entry exports `loadPolicySync` on the default export only; the CJS one names it.
 */
export async function loadSdk(): Promise<Sdk> {
  if (!sdk) {
    const imported = (await import('@open-policy-agent/opa-wasm')) as Sdk & { default?: Sdk };
    sdk = imported.default && typeof imported.default.loadPolicySync === 'function' ? imported.default : imported;
  }
  return sdk;
}

export interface PolicyInstance {
  policy: LoadedPolicy;
  /** Builtins the module imports that neither the SDK nor `customBuiltins` provides. */
  missingBuiltins: string[];
}

/** Wasm pages the memory starts with (the SDK's default); it grows up to the cap. */
const INITIAL_PAGES = 5;

/** Instantiate a compiled policy with a capped memory and the linter's builtins. */
export function instantiate(module: WebAssembly.Module, maxPages: number, context: BuiltinContext): PolicyInstance {
  if (!sdk) throw new Error('loadSdk() must run before a policy is instantiated');
  const builtins = customBuiltins(context);
  const loader = sdk;
  const policy = withOverrides(OVERRIDES, () => loader.loadPolicySync(module, { initial: Math.min(INITIAL_PAGES, maxPages), maximum: maxPages }, builtins));
  const provided = new Set([...SDK_BUILTIN_NAMES, ...Object.keys(builtins)]);
  return { policy, missingBuiltins: importedBuiltins(policy).filter((name) => !provided.has(name)).sort() };
}

interface PolicyExports {
  builtins(): number;
  opa_json_dump(address: number): number;
  opa_malloc(size: number): number;
  opa_json_parse(address: number, length: number): number;
}

/**
 * Builtins the SDK ships but gets wrong for Rego: its `sprintf` (sprintf-js) throws on Go's
 * `%v`/`%q`. The SDK looks its own builtins up before custom ones, so these are put in front
 * of its import functions instead (below).
 */
const OVERRIDES: Record<string, (...args: unknown[]) => unknown> = {
  sprintf: (format, args) => {
    if (typeof format !== 'string') throw new TypeError('sprintf: operand 1 must be string');
    if (!Array.isArray(args)) throw new TypeError('sprintf: operand 2 must be array');
    return goSprintf(format, args);
  },
};

/**
 * Run the SDK's synchronous loader with `WebAssembly.Instance` wrapped for that call only:
 * the module's builtin imports (`opa_builtin0..4`) are given a front that answers the
 * overridden builtins and passes every other call to the SDK.
 */
function withOverrides<T>(overrides: Record<string, (...args: unknown[]) => unknown>, load: () => T): T {
  const Original = WebAssembly.Instance;
  function Wrapped(module: WebAssembly.Module, imports: WebAssembly.Imports): WebAssembly.Instance {
    const env = imports.env as Record<string, unknown> & { memory: WebAssembly.Memory };
    let names: Record<number, string> | undefined;
    const nameOf = (id: number): string | undefined => {
      if (!names) {
        const exports = instance.exports as unknown as PolicyExports;
        names = {};
        for (const [name, builtinId] of Object.entries(readJson(env.memory, exports.opa_json_dump(exports.builtins())) as Record<string, number>)) names[builtinId] = name;
      }
      return names?.[id];
    };
    for (const arity of [0, 1, 2, 3, 4]) {
      const key = `opa_builtin${arity}`;
      const original = env[key] as (...args: number[]) => number;
      env[key] = (id: number, context: number, ...addresses: number[]): number => {
        const name = nameOf(id);
        const override = name === undefined ? undefined : overrides[name];
        if (!override) return original(id, context, ...addresses);
        const exports = instance.exports as unknown as PolicyExports;
        const args = addresses.map((address) => readJson(env.memory, exports.opa_json_dump(address)));
        return writeJson(env.memory, exports, override(...args));
      };
    }
    // Builtins are only called by evaluations, after the instance exists.
    const instance = new Original(module, imports);
    return instance;
  }
  WebAssembly.Instance = Wrapped as unknown as typeof WebAssembly.Instance;
  try {
    return load();
  } finally {
    WebAssembly.Instance = Original;
  }
}

function readJson(memory: WebAssembly.Memory, address: number): unknown {
  const bytes = new Uint8Array(memory.buffer);
  let end = address;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return JSON.parse(Buffer.from(bytes.subarray(address, end)).toString('utf8'));
}

function writeJson(memory: WebAssembly.Memory, exports: PolicyExports, value: unknown): number {
  const encoded = Buffer.from(JSON.stringify(value), 'utf8');
  const address = exports.opa_malloc(encoded.length);
  new Uint8Array(memory.buffer).set(encoded, address);
  const parsed = exports.opa_json_parse(address, encoded.length);
  if (parsed === 0) throw new Error('failed to parse a builtin result');
  return parsed;
}

/** Names of the builtins the module calls out for (its `builtins()` export: name → id). */
function importedBuiltins(policy: LoadedPolicy): string[] {
  const instance = ('instance' in policy.wasmInstance ? policy.wasmInstance.instance : policy.wasmInstance) as WebAssembly.Instance;
  const exports = instance.exports as unknown as PolicyExports;
  return Object.keys(readJson(policy.mem, exports.opa_json_dump(exports.builtins())) as Record<string, number>);
}
