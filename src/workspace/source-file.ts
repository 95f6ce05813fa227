import type { LineCounter } from 'yaml';
import type { FileFormat, Root, SourceFile } from '../model/workspace.js';
import { lineCounterOf, parseYamlText } from '../yaml/parse.js';

/** Files larger than this are not parsed (generated bundles, dumps); a note says so. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

export function formatOf(relativePath: string): FileFormat {
  const base = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  if (/\.ya?ml$/i.test(base) || KUSTOMIZATION_NAMES.has(base)) return 'yaml';
  if (/\.json$/i.test(base)) return 'json';
  return 'other';
}

export function isKustomizationFile(relativePath: string): boolean {
  return KUSTOMIZATION_NAMES.has(relativePath.slice(relativePath.lastIndexOf('/') + 1));
}

export type LoadOutcome = { file: SourceFile; skipped?: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Turn raw content into a SourceFile; YAML and JSON are parsed once, here. */
export function loadSourceFile(root: Root, relativePath: string, absPath: string, content: Uint8Array | string | undefined): LoadOutcome {
  const format = formatOf(relativePath);
  let lineCounter: LineCounter | undefined;
  const file: SourceFile = {
    root,
    path: relativePath,
    absPath,
    format,
    text: undefined,
    documents: [],
    // Positions are needed for few files: line offsets are computed on first use.
    get lineCounter() {
      lineCounter ??= lineCounterOf(file.text ?? '');
      return lineCounter;
    },
    reported: true,
    problems: [],
  };
  if (format === 'other' || content === undefined) return { file };
  const skipped = decode(content);
  if (typeof skipped === 'object') return { file, skipped: skipped.reason };
  file.text = skipped;
  const parsed = parseYamlText(skipped);
  file.documents = parsed.documents;
  file.problems = parsed.problems;
  return { file };
}

function decode(content: Uint8Array | string): string | { reason: string } {
  if (typeof content === 'string') {
    return content.length > MAX_FILE_BYTES ? { reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` } : content;
  }
  if (content.byteLength > MAX_FILE_BYTES) return { reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` };
  const head = content.subarray(0, 8000);
  if (head.includes(0)) return { reason: 'binary content' };
  try {
    const text = utf8.decode(content);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return { reason: 'not valid UTF-8' };
  }
}
