import { gunzipSync } from 'node:zlib';

/** What a policy file holds once unpacked: the Wasm module, the bundle's data and its entrypoints. */
export interface PolicyArchive {
  wasm: Uint8Array;
  /** The bundle's data documents merged at their paths (`/a/b/data.json` → `{a: {b: …}}`). */
  data: Record<string, unknown>;
  /** Entrypoints listed in `/.manifest` (`wasm[].entrypoint`), when the bundle has one. */
  manifestEntrypoints?: string[];
}

/** Uncompressed size a bundle may reach; a larger one is refused rather than inflated. */
const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

export class BundleError extends Error {}

export function isWasm(bytes: Uint8Array): boolean {
  return WASM_MAGIC.every((byte, i) => bytes[i] === byte);
}

/**
 * Read a policy file: a bundle (`bundle.tar.gz` from `opa build -t wasm`) or a bare Wasm module.
 * Only the bundle's `/policy.wasm` (or the module the manifest names), data files and
 * `/.manifest` are read; nothing in it is written anywhere.
 */
export function readPolicyFile(bytes: Uint8Array): PolicyArchive {
  if (isWasm(bytes)) return { wasm: bytes, data: {} };
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw new BundleError('neither a bundle (.tar.gz) nor a Wasm module');
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: MAX_BUNDLE_BYTES });
  } catch (error) {
    throw new BundleError(`cannot decompress the bundle (${(error as NodeJS.ErrnoException).code ?? 'corrupt gzip'})`);
  }
  const entries = readTar(tar);
  const manifestBytes = entries.get('.manifest');
  let manifest: { wasm?: Array<{ entrypoint?: unknown; module?: unknown }> } = {};
  if (manifestBytes) {
    try {
      manifest = JSON.parse(Buffer.from(manifestBytes).toString('utf8')) as typeof manifest;
    } catch {
      throw new BundleError('its .manifest is not valid JSON');
    }
  }
  const wasmEntries = Array.isArray(manifest.wasm) ? manifest.wasm : [];
  const modules = [...new Set(wasmEntries.map((entry) => (typeof entry.module === 'string' ? stripSlash(entry.module) : 'policy.wasm')))];
  if (modules.length > 1) throw new BundleError(`it holds ${modules.length} Wasm modules; build one module per bundle`);
  const wasm = entries.get(modules[0] ?? 'policy.wasm');
  if (!wasm) throw new BundleError('it has no policy.wasm (build it with `opa build -t wasm`)');
  if (!isWasm(wasm)) throw new BundleError(`its ${modules[0] ?? 'policy.wasm'} is not a Wasm module`);
  const data: Record<string, unknown> = {};
  for (const [name, content] of entries) {
    const base = name.split('/').pop();
    if (base !== 'data.json') continue;
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(content).toString('utf8'));
    } catch {
      throw new BundleError(`its ${name} is not valid JSON`);
    }
    mergeAt(data, name.split('/').slice(0, -1), value);
  }
  const archive: PolicyArchive = { wasm, data };
  const entrypoints = wasmEntries.map((entry) => entry.entrypoint).filter((entry): entry is string => typeof entry === 'string');
  if (manifestBytes) archive.manifestEntrypoints = entrypoints;
  return archive;
}

function stripSlash(name: string): string {
  return name.replace(/^\.?\/+/, '');
}

/** Merge a data document at a path of the data tree, as OPA does for `<dir>/data.json`. */
export function mergeAt(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const segment of path) {
    const next = node[segment];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) node = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      node[segment] = created;
      node = created;
    }
  }
  if (path.length === 0 && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new BundleError('its root data.json is not an object');
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) deepMerge(node, value as Record<string, unknown>);
  else if (path.length > 0) {
    // A non-object document replaces the folder's node.
    let parent = target;
    for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string, unknown>;
    parent[path[path.length - 1] as string] = value;
  }
}

function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isPlainObject(existing) && isPlainObject(value)) deepMerge(existing, value);
    else target[key] = value;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Regular files of a tar archive by path (no leading `./` or `/`). Handles ustar prefixes,
 * PAX `path` records and GNU long names, which is what Go's archive/tar (opa build) writes.
 */
export function readTar(tar: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const buffer = Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength);
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= buffer.length) {
    const header = buffer.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const size = parseOctal(header.subarray(124, 136));
    if (size === undefined) throw new BundleError('its tar header is corrupt');
    const type = String.fromCharCode(header[156] ?? 0);
    const body = buffer.subarray(offset + 512, offset + 512 + size);
    if (body.length < size) throw new BundleError('the tar archive is truncated');
    const name = cString(header.subarray(0, 100));
    const prefix = header.subarray(257, 263).toString('latin1').startsWith('ustar') ? cString(header.subarray(345, 500)) : '';
    if (type === 'x') longName = paxPath(body) ?? longName;
    else if (type === 'L') longName = cString(body);
    else {
      if (type === '0' || type === '\0' || type === '7') {
        const full = longName ?? (prefix ? `${prefix}/${name}` : name);
        files.set(stripSlash(full), body);
      }
      longName = undefined;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return Buffer.from(end === -1 ? bytes : bytes.subarray(0, end)).toString('utf8');
}

function parseOctal(bytes: Uint8Array): number | undefined {
  const text = cString(bytes).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return undefined;
  return parseInt(text, 8);
}

/** The `path` record of a PAX extended header (`<len> path=<value>\n`, lengths in bytes). */
function paxPath(body: Uint8Array): string | undefined {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let pos = 0;
  while (pos < bytes.length) {
    const space = bytes.indexOf(0x20, pos);
    if (space === -1) break;
    const length = Number(bytes.subarray(pos, space).toString('latin1'));
    if (!Number.isInteger(length) || length <= 0) break;
    const record = bytes.subarray(space + 1, pos + length - 1).toString('utf8');
    if (record.startsWith('path=')) return record.slice(5);
    pos += length;
  }
  return undefined;
}
