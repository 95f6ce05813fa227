import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { outsideConfigFolder, resolveInside } from '../workspace/confine.js';
import { BundleError, readPolicyFile, type PolicyArchive } from './bundle.js';
import { instantiate, loadSdk } from './instance.js';

/** A `policies:` entry as written: a path, or a path with options. */
export type PolicyEntry =
  | string
  | {
      path: string;
      /** A JSON or YAML file merged into the policy's `data` (over the bundle's `data.json`). */
      data?: string;
      /** Rego packages whose rules are run (conftest's `--namespace`); default `main`. */
      namespace?: string | string[];
      /** Evaluate once with every applied object, in conftest's `--combine` shape. */
      combine?: boolean;
      /** Wasm memory cap in MiB (default 64). */
      maxMemory?: number;
      /** Evaluation time budget in milliseconds for the whole run (default 10000). */
      timeout?: number;
    };

/** A policy file loaded from the config: compiled, with its data and the entrypoints to call. */
export interface PolicyConfig {
  /** Absolute path of the bundle or module. */
  file: string;
  /** The path as written in the config (names the policy in notes). */
  name: string;
  /** The config file and the index of the entry in its `policies:` list. */
  declaredIn: { file: string; index: number };
  module: WebAssembly.Module;
  data: Record<string, unknown>;
  namespaces: string[];
  combine: boolean;
  maxMemoryPages: number;
  timeoutMs: number;
  /** Entrypoint names of the module. */
  entrypoints: string[];
  /** Builtins the module imports that neither the SDK nor the linter provides. */
  missingBuiltins: string[];
  /**
   * Whether the module may read `data.conftest` (its string table names it): only then is
   * `data.conftest.file` set for each file, which costs a `setData` per file.
   */
  readsConftestData: boolean;
}

export const DEFAULT_MAX_MEMORY_MIB = 64;
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Rule names conftest runs: failures and warnings, optionally with `_suffix`es. */
export const FAILURE_RULE = /^(deny|violation)(_[a-zA-Z0-9]+)*$/;
export const WARNING_RULE = /^warn(_[a-zA-Z0-9]+)*$/;

/** Why a `policies:` entry cannot be used, and which key of the entry is at fault. */
export class PolicyConfigError extends Error {
  constructor(
    message: string,
    readonly key: 'path' | 'data' | 'namespace',
  ) {
    super(message);
  }
}

/** A policy file read and compiled, kept while its size and mtime stay (the language server reloads configs often). */
interface Compiled {
  stamp: string;
  archive: PolicyArchive;
  module: WebAssembly.Module;
}

const compiled = new Map<string, Compiled>();

async function compile(file: string, written: string): Promise<Compiled> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new PolicyConfigError(`Cannot read the policy "${written}" (${error.code ?? error.message}).`, 'path');
  });
  const stamp = `${info.size}:${info.mtimeMs}`;
  const cached = compiled.get(file);
  if (cached && cached.stamp === stamp) return cached;
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new PolicyConfigError(`Cannot read the policy "${written}" (${error.code ?? error.message}).`, 'path');
  });
  let archive: PolicyArchive;
  try {
    archive = readPolicyFile(bytes);
  } catch (error) {
    if (error instanceof BundleError) throw new PolicyConfigError(`The policy "${written}" cannot be used: ${error.message}.`, 'path');
    throw error;
  }
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(archive.wasm as Uint8Array<ArrayBuffer>);
  } catch (error) {
    throw new PolicyConfigError(`The policy "${written}" is not a valid Wasm module (${(error as Error).message}).`, 'path');
  }
  const entry = { stamp, archive, module };
  compiled.set(file, entry);
  return entry;
}

/** Load one `policies:` entry of `configFile`. Throws `PolicyConfigError`. */
export async function loadPolicyEntry(entry: PolicyEntry, configFile: string, index: number, boundary: string = path.dirname(configFile)): Promise<PolicyConfig> {
  await loadSdk();
  const options = typeof entry === 'string' ? { path: entry } : entry;
  const dir = path.dirname(configFile);
  // Like `extends`: a cloned repository's config must not make the linter open files outside
  // the root that holds it (directly or through a symlink); such a path is never opened.
  const confine = (written: string, key: 'path' | 'data'): string => {
    const confined = resolveInside(boundary, path.resolve(dir, written));
    if ('escapes' in confined) throw new PolicyConfigError(`The policy ${key === 'data' ? 'data ' : ''}"${written}" is ${outsideConfigFolder(boundary)}.`, key);
    return confined.path;
  };
  const file = confine(options.path, 'path');
  const dataFile = options.data === undefined ? undefined : confine(options.data, 'data');
  const { archive, module } = await compile(file, options.path);
  const data: Record<string, unknown> = { ...archive.data };
  if (options.data !== undefined && dataFile !== undefined) {
    const text = await readFile(dataFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new PolicyConfigError(`Cannot read the policy data "${options.data}" (${error.code ?? error.message}).`, 'data');
    });
    let value: unknown;
    try {
      value = /\.json$/i.test(dataFile) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
    } catch (error) {
      throw new PolicyConfigError(`The policy data "${options.data}" is not valid ${/\.json$/i.test(dataFile) ? 'JSON' : 'YAML'} (${(error as Error).message.split('\n')[0]}).`, 'data');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PolicyConfigError(`The policy data "${options.data}" must be a mapping.`, 'data');
    Object.assign(data, value);
  }
  const maxMemoryPages = Math.max(1, Math.floor(((options.maxMemory ?? DEFAULT_MAX_MEMORY_MIB) * 1024 * 1024) / 65536));
  let probe;
  try {
    probe = instantiate(module, maxMemoryPages, { nowNs: 0 });
  } catch (error) {
    throw new PolicyConfigError(`The policy "${options.path}" cannot be loaded (${describeThrown(error)}).`, 'path');
  }
  const entrypoints = Object.keys(probe.policy.entrypoints).sort();
  const namespaces = options.namespace === undefined ? ['main'] : Array.isArray(options.namespace) ? options.namespace : [options.namespace];
  for (const namespace of namespaces) {
    const prefix = namespace.split('.').join('/');
    if (!entrypoints.some((name) => name === prefix || isRuleEntrypoint(name, prefix))) {
      throw new PolicyConfigError(
        `The policy "${options.path}" has no entrypoint for package "${namespace}" (it has ${entrypoints.join(', ') || 'none'}); build it with \`opa build -t wasm -e ${prefix}\`.`,
        typeof entry === 'string' || entry.namespace === undefined ? 'path' : 'namespace',
      );
    }
  }
  const loaded: PolicyConfig = {
    file,
    name: options.path,
    declaredIn: { file: configFile, index },
    module,
    data,
    namespaces,
    combine: options.combine ?? false,
    maxMemoryPages,
    timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS,
    entrypoints,
    missingBuiltins: probe.missingBuiltins,
    readsConftestData: Buffer.from(archive.wasm.buffer, archive.wasm.byteOffset, archive.wasm.byteLength).includes('conftest'),
  };
  // A printed config (`--print-config`, logs) shows the entry, not the compiled module and its data.
  Object.defineProperty(loaded, 'toJSON', {
    enumerable: false,
    value: () => ({ file, namespaces: loaded.namespaces, combine: loaded.combine, maxMemory: options.maxMemory ?? DEFAULT_MAX_MEMORY_MIB, timeout: loaded.timeoutMs, entrypoints: loaded.entrypoints }),
  });
  return loaded;
}

/** `main/deny_foo` for package `main`: an entrypoint built for one conftest rule (or `exception`). */
export function isRuleEntrypoint(name: string, packagePath: string): boolean {
  if (!name.startsWith(`${packagePath}/`)) return false;
  const rule = name.slice(packagePath.length + 1);
  return FAILURE_RULE.test(rule) || WARNING_RULE.test(rule) || rule === 'exception';
}

/** The SDK throws strings and plain objects as well as Errors. */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
  return String(error);
}
