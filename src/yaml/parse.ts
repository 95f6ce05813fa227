import { LineCounter, parseAllDocuments } from 'yaml';
import type { FileProblem, ParsedDocument } from '../model/workspace.js';

/**
 * Aliases are expanded by `toJS`; a small limit keeps "billion laughs" documents from
 * exhausting memory while leaving room for the anchors real manifests use.
 */
const MAX_ALIAS_COUNT = 200;

export interface ParsedText {
  documents: ParsedDocument[];
  lineCounter: LineCounter;
  problems: FileProblem[];
}

/** Parse multi-document YAML (JSON is parsed the same way) keeping node ranges. Never throws. */
export function parseYamlText(text: string): ParsedText {
  const lineCounter = new LineCounter();
  const problems: FileProblem[] = [];
  const documents: ParsedDocument[] = [];
  let parsed;
  try {
    parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  } catch (error) {
    problems.push({ code: 'PARSE_FAILED', message: errorMessage(error), offsets: [0, Math.min(text.length, 1)] });
    return { documents, lineCounter, problems };
  }
  // parseAllDocuments returns an EmptyStream (an array) for empty input.
  const docs = Array.isArray(parsed) ? parsed : [parsed];
  docs.forEach((doc, index) => {
    for (const error of doc.errors) {
      problems.push({ code: error.code, message: firstLine(error.message), offsets: widen(text, error.code, clampOffsets(error.pos, text.length)) });
    }
    let value: unknown;
    try {
      value = doc.errors.length > 0 ? safePartialValue(doc) : doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const start = doc.contents?.range[0] ?? 0;
      problems.push({ code: 'ALIAS_LIMIT', message: firstLine(errorMessage(error)), offsets: clampOffsets([start, start + 1], text.length) });
      value = undefined;
    }
    documents.push({ index, doc, value });
  });
  return { documents, lineCounter, problems };
}

/** A document with syntax errors still yields what could be read, so other rules can use it. */
function safePartialValue(doc: ReturnType<typeof parseAllDocuments>[number]): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    return undefined;
  }
}

const KEY_TOKEN = /^(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\s:#][^:#\n]*?)(?=[ \t]*:)/;

/** The parser points at one character; a duplicate key is shown whole. */
function widen(text: string, code: string, offsets: [number, number]): [number, number] {
  if (code === 'DUPLICATE_KEY') {
    const match = KEY_TOKEN.exec(text.slice(offsets[0], offsets[0] + 1024));
    if (match) return [offsets[0], offsets[0] + match[0].length];
  }
  return offsets;
}

function clampOffsets(pos: readonly [number, number], length: number): [number, number] {
  const start = Math.max(0, Math.min(pos[0], length));
  const end = Math.max(start, Math.min(pos[1], length));
  return [start, end];
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
