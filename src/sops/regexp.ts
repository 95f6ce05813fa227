/**
 * Go RE2 → JavaScript RegExp conversion for the regexes SOPS evaluates (`path_regex`,
 * `encrypted_regex`, `unencrypted_regex`, the comment regexes).
 *
 * SOPS calls Go's `regexp.MatchString`, which is unanchored, so the converted RegExp must be
 * used with `test()` and never be wrapped in anchors. Everything RE2 accepts that has no exact
 * JS equivalent, and everything RE2 rejects that JS would accept (lookaround,
 * backreferences), is returned as an error so the caller can report it instead of guessing.
 */

/** Result of {@link convertGoRegexp}: a RegExp, or a reason the pattern cannot be used. */
import { hasNestedRepetition } from '../engine/safe-regex.js';
export type GoRegexpResult = { ok: true; regexp: RegExp } | { ok: false; reason: string };

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** Characters that must stay escaped in a JS pattern (valid identity escapes even with `u`). */
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));
const SIMPLE_ESCAPES: Record<string, string> = { a: '\\x07', f: '\\f', t: '\\t', n: '\\n', r: '\\r', v: '\\v' };
const CLASS_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S']);
const MAX_REPEAT = 1000;
const cache = new Map<string, GoRegexpResult>();

class Unconvertible extends Error {}

/**
 * Converts a Go RE2 pattern to an equivalent JS RegExp. Never throws.
 *
 * @example convertGoRegexp('^(data|stringData)$') // { ok: true, regexp: /^(data|stringData)$/ }
 */
export function convertGoRegexp(pattern: string): GoRegexpResult {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let result: GoRegexpResult;
  try {
    const { source, flags } = new Converter(pattern).run();
    if (hasNestedRepetition(source)) throw new Unconvertible('it nests repetitions, which take exponential time in JavaScript (RE2 would not)');
    result = { ok: true, regexp: new RegExp(source, flags) };
  } catch (error) {
    const reason = error instanceof Unconvertible ? error.message : 'it is not a valid regular expression';
    result = { ok: false, reason };
  }
  cache.set(pattern, result);
  return result;
}

class Converter {
  private i = 0;
  private out = '';
  private flags = new Set<string>();

  constructor(private readonly p: string) {}

  run(): { source: string; flags: string } {
    this.leadingFlags();
    while (this.i < this.p.length) this.atom();
    return { source: this.out, flags: [...this.flags].sort().join('') };
  }

  private fail(reason: string): never {
    throw new Unconvertible(reason);
  }

  /** Only a flag group at the very start maps onto JS flags; scoped or later flags do not. */
  private leadingFlags(): void {
    const m = /^\(\?([imsU]+)\)/.exec(this.p);
    if (!m) return;
    for (const f of m[1] ?? '') {
      if (f === 'U') this.fail('the ungreedy flag (?U) has no JavaScript equivalent');
      this.flags.add(f);
    }
    this.i = m[0].length;
  }

  private atom(): void {
    const c = this.p[this.i] as string;
    if (c === '\\') return this.escape(false);
    if (c === '[') return this.charClass();
    if (c === '(') return this.group();
    if (c === '{') return this.brace();
    if (c === ']' || c === '}') {
      this.out += `\\${c}`;
      this.i++;
      return;
    }
    this.out += c;
    this.i++;
  }

  private group(): void {
    const rest = this.p.slice(this.i);
    if (rest.startsWith('(?P<')) {
      this.out += '(?<';
      this.i += 4;
      return;
    }
    if (/^\(\?(=|!|<=|<!)/.test(rest)) this.fail('lookaround is not supported by RE2');
    if (rest.startsWith('(?<') || rest.startsWith('(?:')) {
      this.out += rest.slice(0, 3);
      this.i += 3;
      return;
    }
    if (rest.startsWith('(?')) this.fail('inline flags are only convertible at the start of the pattern');
    this.out += '(';
    this.i++;
  }

  /** `{n}`, `{n,}`, `{n,m}` repeat; any other brace is a literal in RE2. */
  private brace(): void {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.i));
    if (!m) {
      this.out += '\\{';
      this.i++;
      return;
    }
    const min = Number(m[1]);
    const max = m[3] ? Number(m[3]) : min;
    if (min > MAX_REPEAT || max > MAX_REPEAT) this.fail(`RE2 allows at most ${MAX_REPEAT} repetitions`);
    if (m[3] && max < min) this.fail('the repetition range is inverted');
    this.out += m[0];
    this.i += m[0].length;
  }

  private escape(inClass: boolean): void {
    const c = this.p[this.i + 1];
    if (c === undefined) this.fail('the pattern ends with a lone backslash');
    this.i += 2;
    if (c === 'Q') return this.quoted(inClass);
    if (c === 'A' && !inClass) return void (this.out += '(?<![\\s\\S])');
    if (c === 'z' && !inClass) return void (this.out += '(?![\\s\\S])');
    if ((c === 'b' || c === 'B') && !inClass) return void (this.out += `\\${c}`);
    if (CLASS_ESCAPES.has(c)) return void (this.out += `\\${c}`);
    if (c === 'p' || c === 'P') return this.unicodeClass(c);
    if (c === 'x') return this.hex();
    if (/[0-7]/.test(c)) return this.octal(c);
    const simple = SIMPLE_ESCAPES[c];
    if (simple) return void (this.out += simple);
    if (/[A-Za-z0-9]/.test(c)) this.fail(`\\${c} is not supported by RE2 or has no JavaScript equivalent`);
    this.out += this.literal(c, inClass);
  }

  private literal(c: string, inClass: boolean): string {
    if (JS_SYNTAX.has(c) || (inClass && c === '-')) return `\\${c}`;
    return c;
  }

  private quoted(inClass: boolean): void {
    const end = this.p.indexOf('\\E', this.i);
    const text = end === -1 ? this.p.slice(this.i) : this.p.slice(this.i, end);
    for (const ch of text) this.out += this.literal(ch, inClass);
    this.i = end === -1 ? this.p.length : end + 2;
  }

  private unicodeClass(c: 'p' | 'P'): void {
    let name: string;
    if (this.p[this.i] === '{') {
      const end = this.p.indexOf('}', this.i);
      if (end === -1) this.fail('a \\p{…} class is not closed');
      name = this.p.slice(this.i + 1, end);
      this.i = end + 1;
    } else {
      name = this.p[this.i] ?? '';
      this.i++;
    }
    if (!/^\^?[A-Za-z_]+$/.test(name)) this.fail('a Unicode class name is invalid');
    let negate = c === 'P';
    if (name.startsWith('^')) {
      negate = !negate;
      name = name.slice(1);
    }
    const property = name.length <= 2 || name === 'Any' ? name : `Script=${name}`;
    this.flags.add('u');
    this.out += `\\${negate ? 'P' : 'p'}{${property}}`;
  }

  private hex(): void {
    let code: number;
    if (this.p[this.i] === '{') {
      const m = /^\{([0-9A-Fa-f]{1,6})\}/.exec(this.p.slice(this.i));
      if (!m) this.fail('a \\x{…} escape is malformed');
      code = parseInt(m[1] as string, 16);
      this.i += m[0].length;
    } else {
      const m = /^[0-9A-Fa-f]{2}/.exec(this.p.slice(this.i));
      if (!m) this.fail('a \\x escape needs two hex digits');
      code = parseInt(m[0], 16);
      this.i += 2;
    }
    this.out += codePoint(code, this.flags);
  }

  /** RE2 reads `\0`–`\7` plus up to two more octal digits; a lone `\1`–`\7` is a backreference. */
  private octal(first: string): void {
    const m = /^[0-7]{0,2}/.exec(this.p.slice(this.i));
    const digits = first + (m?.[0] ?? '');
    if (first !== '0' && digits.length === 1) this.fail('backreferences are not supported by RE2');
    this.i += digits.length - 1;
    this.out += codePoint(parseInt(digits, 8), this.flags);
  }

  private charClass(): void {
    this.out += '[';
    this.i++;
    if (this.p[this.i] === '^') {
      this.out += '^';
      this.i++;
    }
    // RE2 reads a `]` right after `[` or `[^` as a literal; JS would close an empty class.
    if (this.p[this.i] === ']') {
      this.out += '\\]';
      this.i++;
    }
    while (this.i < this.p.length) {
      const c = this.p[this.i] as string;
      if (c === ']') {
        this.out += ']';
        this.i++;
        return;
      }
      if (c === '\\') {
        this.escape(true);
        continue;
      }
      if (c === '[' && this.p[this.i + 1] === ':') {
        this.posixClass();
        continue;
      }
      this.out += c === '[' ? '\\[' : c;
      this.i++;
    }
    this.fail('a character class is not closed');
  }

  private posixClass(): void {
    const m = /^\[:(\^?)([a-z]+):\]/.exec(this.p.slice(this.i));
    if (!m) {
      this.out += '\\[';
      this.i++;
      return;
    }
    const set = POSIX_CLASSES[m[2] as string];
    if (!set) this.fail(`[:${m[2]}:] is not a POSIX class`);
    if (m[1]) this.fail('negated POSIX classes have no JavaScript equivalent');
    this.out += set;
    this.i += m[0].length;
  }
}

function codePoint(code: number, flags: Set<string>): string {
  if (code > 0x10ffff) throw new Unconvertible('a code point is out of range');
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  flags.add('u');
  return `\\u{${code.toString(16)}}`;
}
