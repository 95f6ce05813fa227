/**
 * Comments of a YAML text with their exact offsets. The composed `yaml` AST merges and moves
 * comments (a trailing comment and the next head comment become one string), so the concrete
 * syntax tree is read instead.
 */
import { Parser } from 'yaml';

/** One `#` comment as written. */
export interface RawComment {
  /** Offset of the `#`. */
  offset: number;
  /** Offset just past the last character of the comment. */
  end: number;
  /** Text after the `#`, as SOPS keeps it (`#ENC[…]` → `ENC[…]`). */
  text: string;
  /** True when the comment follows other content on its line. */
  trailing: boolean;
  /** Column of the `#` for full-line comments; indentation of the line for trailing ones. */
  indent: number;
}

let memo: { text: string; comments: RawComment[] } | undefined;

/** Every comment of a YAML text, in order. Remembers the last text it was asked about. */
export function rawComments(text: string): RawComment[] {
  if (memo?.text === text) return memo.comments;
  const comments: RawComment[] = [];
  try {
    for (const token of new Parser().parse(text)) collect(token, text, comments);
  } catch {
    // The CST parser does not throw on bad YAML; this only guards against the unforeseen.
  }
  comments.sort((a, b) => a.offset - b.offset);
  const unique = comments.filter((c, i) => i === 0 || comments[i - 1]?.offset !== c.offset);
  memo = { text, comments: unique };
  return unique;
}

function collect(node: unknown, text: string, out: RawComment[]): void {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const item = stack.pop();
    if (Array.isArray(item)) {
      stack.push(...item);
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    const token = item as { type?: unknown; offset?: unknown; source?: unknown };
    if (token.type === 'comment' && typeof token.offset === 'number' && typeof token.source === 'string') {
      out.push(makeComment(token.offset, token.source, text));
      continue;
    }
    for (const value of Object.values(item)) if (value !== null && typeof value === 'object') stack.push(value);
  }
}

function makeComment(offset: number, source: string, text: string): RawComment {
  const before = text.slice(lineStartOf(text, offset), offset);
  const trailing = before.trim() !== '';
  const indent = trailing ? before.length - before.trimStart().length : before.length;
  return { offset, end: offset + source.length, text: source.slice(1), trailing, indent };
}

/** Indentation (leading spaces and tabs) of the line an offset is on. */
export function lineIndent(text: string, offset: number): number {
  const lineStart = lineStartOf(text, offset);
  let i = lineStart;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i - lineStart;
}

/** Offset of the start of the line an offset is on. */
export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
