import type { Region } from '../model/finding.js';
import type { Palette, Style } from './ansi.js';
import { sanitize } from './text.js';

/** Lines of the range itself that are shown; longer ranges are cut, the position says the rest. */
const MAX_RANGE_LINES = 3;
/** Source lines are cut to this width so a minified file cannot flood the terminal. */
const MAX_WIDTH = 160;
/** When the range starts further right than this, the frame scrolls so the range stays visible. */
const SCROLL_AFTER = 100;

export interface FrameInput {
  region: Region;
  /** Source lines from `firstLine` on, as `LintResult.sourceLines` returns them (redacted). */
  lines: readonly string[];
  firstLine: number;
  /** Colour of the underline (the finding's level). */
  mark: Style;
  colors: Palette;
}

/** The 1-based line range to fetch for a frame around `region`: one line of context each side. */
export function frameLines(region: Region): { from: number; to: number } {
  const lastRangeLine = Math.min(lastLine(region), region.startLine + MAX_RANGE_LINES - 1);
  return { from: Math.max(1, region.startLine - 1), to: lastRangeLine + 1 };
}

/**
 * The last line a region really covers: a range ending at column 1 ends on the line before
 * (end positions are exclusive).
 */
export function lastLine(region: Region): number {
  return region.endLine > region.startLine && region.endColumn === 1 ? region.endLine - 1 : region.endLine;
}

/**
 * A code frame: a gutter with line numbers, `>` on the first line of the range and `^^^` under
 * a single-line range. Returns the frame's lines, without a trailing newline.
 */
export function codeFrame({ region, lines, firstLine, mark, colors }: FrameInput): string[] {
  const shown = lines.map((line) => line.replace(/\r$/, ''));
  const lastShown = firstLine + shown.length - 1;
  const width = String(lastShown).length;
  const offset = region.startColumn - 1 > SCROLL_AFTER ? region.startColumn - 1 - SCROLL_AFTER / 2 : 0;
  const singleLine = region.startLine === lastLine(region);
  const out: string[] = [];
  shown.forEach((raw, i) => {
    const lineNo = firstLine + i;
    const { text, shift } = clip(raw, offset);
    const marker = lineNo === region.startLine ? mark('>') : ' ';
    out.push(`${marker} ${colors.dim(`${String(lineNo).padStart(width)} |`)}${text === '' ? '' : ` ${sanitize(text)}`}`);
    if (singleLine && lineNo === region.startLine) {
      out.push(`  ${colors.dim(`${' '.repeat(width)} |`)} ${underline(raw, region, offset, shift, mark)}`);
    }
  });
  return out;
}

/** A window of the line starting at `offset`, with `…` where it was cut. */
function clip(line: string, offset: number): { text: string; shift: number } {
  const head = offset > 0 ? '…' : '';
  const body = line.slice(offset, offset + MAX_WIDTH);
  const tail = line.length > offset + MAX_WIDTH ? '…' : '';
  return { text: `${head}${body}${tail}`, shift: head.length };
}

function underline(line: string, region: Region, offset: number, shift: number, mark: Style): string {
  const start = Math.max(0, region.startColumn - 1 - offset);
  const visibleEnd = Math.min(line.length - offset, MAX_WIDTH);
  // At least one caret, so empty ranges and ranges past the end of the line still show a spot.
  const end = Math.max(start + 1, Math.min(region.endColumn - 1 - offset, visibleEnd));
  // Tabs are kept so the carets line up with what the terminal renders above them.
  const pad = line
    .slice(offset, offset + start)
    .replace(/[^\t]/g, ' ')
    .padEnd(start, ' ');
  return `${' '.repeat(shift)}${pad}${mark('^'.repeat(end - start))}`;
}
