/**
 * The dbt SQL scan (`scanSql`, `stripJinjaComments`), written with string searches: named cases
 * pin its edges with offsets, and a seeded differential holds it to the regular expressions it
 * replaced (kept here as the reference) on random texts made of the tokens that matter.
 */
import { describe, expect, it } from 'vitest';
import { scanSql, stripJinjaComments, type DbtCall } from '../../src/dbt/project.js';
import type { SourceFile } from '../../src/model/workspace.js';

/** The scan of a text as a model file. */
function scan(text: string): { calls: DbtCall[]; dynamic: number } {
  const { calls, dynamic } = scanSql({ text } as SourceFile, 'model');
  return { calls, dynamic };
}

/** `[start, end)` of the first `needle` in `text`. */
function span(text: string, needle: string): [number, number] {
  const start = text.indexOf(needle);
  if (start === -1) throw new Error(`${needle} not found`);
  return [start, start + needle.length];
}

/** The regular-expression scan the string scan replaced (the reference of the differential). */
const reference = {
  strip(text: string): string {
    const blank = (match: string) => match.replace(/[^\n]/g, ' ');
    const uncommented = text.includes('{#') ? text.replace(/\{#[\s\S]*?#\}/g, blank) : text;
    return text.includes('raw') ? uncommented.replace(/\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}/g, blank) : uncommented;
  },
  scan(stripped: string): { calls: DbtCall[]; dynamic: number } {
    const out = { calls: [] as DbtCall[], dynamic: 0 };
    const ARG = /\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*/y;
    if (!/(?<![\w.])(ref|source)\s*\(/.test(stripped)) return out;
    for (const block of stripped.matchAll(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g)) {
      const start = block.index;
      const inner = block[0];
      for (const call of inner.matchAll(/(?<![\w.])(ref|source)\s*\(/g)) {
        let cursor = call.index + call[0].length;
        const args: string[] = [];
        let literal = true;
        for (;;) {
          ARG.lastIndex = cursor;
          const arg = ARG.exec(inner);
          if (!arg) {
            literal = false;
            break;
          }
          args.push((arg[1] ?? arg[2]) as string);
          cursor += arg[0].length;
          if (inner[cursor] === ',') {
            cursor++;
            if (/^\s*\w+\s*=/.test(inner.slice(cursor))) {
              const close = inner.indexOf(')', cursor);
              if (close === -1) literal = false;
              else cursor = close;
              break;
            }
            continue;
          }
          break;
        }
        if (!literal || inner[cursor] !== ')' || args.length === 0) out.dynamic++;
        else out.calls.push({ fn: call[1] as 'ref' | 'source', args, offsets: [start + call.index, start + cursor + 1] });
      }
    }
    return out;
  },
};

describe('stripJinjaComments', () => {
  it('blanks comments up to the first #} after them, keeping line breaks, and raw blocks', () => {
    expect(stripJinjaComments("{# a\n b #}select {{ ref('x') }}")).toBe("    \n     select {{ ref('x') }}");
    expect(stripJinjaComments('{#}#} x')).toBe('      x');
    expect(stripJinjaComments('{# open {# x #} y')).toBe(`${' '.repeat(16)}y`);
    expect(stripJinjaComments('{# never closed')).toBe('{# never closed');
    expect(stripJinjaComments("{% raw %}{{ ref('x') }}{% endraw %}\n")).toBe(`${' '.repeat(35)}\n`);
    expect(stripJinjaComments("{# {% endraw %} #}{% raw %}{{ ref('x') }}")).toBe(`${' '.repeat(18)}{% raw %}{{ ref('x') }}`);
  });
});

describe('scanSql', () => {
  it('finds ref() and source() with literal arguments inside {{ }} and {% %}, placed from the name to the parenthesis', () => {
    const text = "select * from {{ ref('orders') }} join {{ source( \"raw\" , 't' ) }}\n{% set x = ref('pkg', 'm') %}";
    expect(scan(text)).toStrictEqual({
      calls: [
        { fn: 'ref', args: ['orders'], offsets: span(text, "ref('orders')") },
        { fn: 'source', args: ['raw', 't'], offsets: span(text, "source( \"raw\" , 't' )") },
        { fn: 'ref', args: ['pkg', 'm'], offsets: span(text, "ref('pkg', 'm')") },
      ],
      dynamic: 0,
    });
  });

  it('ends the positional arguments at a keyword argument, and counts calls it cannot read as dynamic', () => {
    const text = "{{ ref('m', v=2) }} {{ ref(var('x')) }} {{ ref('a\\'b') }} {{ ref() }}";
    expect(scan(text)).toStrictEqual({ calls: [{ fn: 'ref', args: ['m'], offsets: span(text, "ref('m', v=2)") }], dynamic: 3 });
  });

  it('finds a call nested in another, and none outside a block, after a word character or a dot, or past the block end', () => {
    const text = "ref('out') {{ ref(ref('in')) }} {{ xref('a') }} {{ self.ref('b') }} {{ ref('c' }} ') }}";
    expect(scan(text)).toStrictEqual({ calls: [{ fn: 'ref', args: ['in'], offsets: span(text, "ref('in')") }], dynamic: 2 });
  });

  it('takes a block to the first closing marker of its kind after it, and scans on after an unclosed one', () => {
    const text = "{{ {% ref('a') }} %} {{ ref('b') %} {{ unclosed {% ref('c') %}";
    // `{{ ref('b') %}` is never closed by `}}`: not a block.
    expect(scan(text).calls.map((call) => call.args[0])).toEqual(['a', 'c']);
  });

  it('gives what the regular expressions it replaced gave, on 40,000 random texts', () => {
    const tokens = ['{{', '}}', '{%', '%}', '{#', '#}', 'ref', 'source', '(', ')', "'", '"', ',', ' ', '\n', '\\', 'x', '.', '=', 'v', 'a_b', 'raw', 'endraw', '-', '\u00a0', "'m'", '"n"', ' ref(', "ref('a')", '{% raw %}', '{% endraw %}', '_', '{', '}', '%', '#', 'version=2', '\t'];
    let seed = 20261206;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let calls = 0;
    for (let index = 0; index < 40_000; index++) {
      let text = '';
      for (let length = 1 + next(25); length > 0; length--) text += tokens[next(tokens.length)] as string;
      const stripped = stripJinjaComments(text);
      expect(stripped, JSON.stringify(text)).toBe(reference.strip(text));
      const found = scan(stripped);
      expect(found, JSON.stringify(text)).toStrictEqual(reference.scan(stripped));
      calls += found.calls.length;
    }
    expect(calls).toBeGreaterThan(400);
  });
});
