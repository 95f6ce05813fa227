/**
 * Regular expressions written in a linted repository — `.sops.yaml` and SOPS metadata
 * regexes, kustomize `images[].name`, CRD `pattern`s — are Go RE2 patterns: sops, kustomize
 * and the Kubernetes API server compile them with Go's `regexp`. They are evaluated here by
 * re2js, a port of RE2 to JavaScript, so they mean what they mean to those programs (`(?i)`
 * anywhere, `\z`, `[[:alpha:]]`, `\pL`, `(?P<name>…)`, no lookaround or backreferences)
 * and match in linear time: a repository cannot hang a pre-commit hook or the editor with a
 * pattern such as `(a+)+$`, which backtracks exponentially in JavaScript's engine.
 *
 * Most patterns are plain (`^(data|stringData)$`, `apps/.*\.yaml$`, `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`):
 * in the subset `plainRegExp` accepts, JavaScript's engine gives Go's answer on ASCII text
 * without carriage returns, and with no repeated group and one repetition (two when the
 * pattern is anchored with `^`) its backtracking stays within n² steps on short text. Those
 * are tested with a `RegExp`, several times faster than re2js, whose compilation of the
 * pattern waits until a text outside that case comes.
 */
import { RE2JS } from 're2js';

/** A compiled RE2 pattern. `test` is unanchored, as Go's `MatchString`. */
export interface GoRegexp {
  readonly source: string;
  test(text: string): boolean;
}

/** A compiled pattern, or why Go's `regexp.Compile` refuses it (its own words, such as "missing closing ): `(data`"). */
export type GoRegexpResult = { ok: true; regexp: GoRegexp } | { ok: false; reason: string };

/** Repositories hold a handful of patterns; the bound only keeps hostile input from growing the caches without end. */
const MAX_PATTERNS = 4096;
/** Results are remembered for short inputs (key names, paths, image names), which repeat across files. */
const MAX_RESULTS = 1024;
const MAX_REMEMBERED_LENGTH = 256;
/** The longest text a plain pattern is tested on with JavaScript's engine (its backtracking stays polynomial and small). */
const MAX_FAST_LENGTH = 256;
/** Text on which the plain subset means the same in both engines: ASCII (a `.` is one code point) without `\r` (which `.` matches in Go only). */
const OUTSIDE_FAST_TEXT = /[\r\u0080-\uffff]/;
const PREFIX = 'error parsing regexp: ';
const cache = new Map<string, GoRegexpResult>();

class Compiled implements GoRegexp {
  private readonly results = new Map<string, boolean>();

  constructor(
    readonly source: string,
    private re: RE2JS | undefined,
    private readonly fast: RegExp | undefined,
  ) {}

  test(text: string): boolean {
    if (text.length > MAX_REMEMBERED_LENGTH) return this.match(text);
    let result = this.results.get(text);
    if (result === undefined) {
      result = this.match(text);
      if (this.results.size >= MAX_RESULTS) this.results.clear();
      this.results.set(text, result);
    }
    return result;
  }

  private match(text: string): boolean {
    if (this.fast && text.length <= MAX_FAST_LENGTH && !OUTSIDE_FAST_TEXT.test(text)) return this.fast.test(text);
    this.re ??= RE2JS.compile(this.source);
    return this.re.test(text);
  }
}

/**
 * Compiles a Go RE2 pattern (Perl syntax, as `regexp.Compile`). Never throws; cached.
 *
 * @example compileGoRegexp('(?i)^secret').ok // true
 */
export function compileGoRegexp(pattern: string): GoRegexpResult {
  let result = cache.get(pattern);
  if (result === undefined) {
    const fast = plainRegExp(pattern);
    if (fast) {
      result = { ok: true, regexp: new Compiled(pattern, undefined, fast) };
    } else {
      try {
        result = { ok: true, regexp: new Compiled(pattern, RE2JS.compile(pattern), undefined) };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        result = { ok: false, reason: message.startsWith(PREFIX) ? message.slice(PREFIX.length) : message };
      }
    }
    if (cache.size >= MAX_PATTERNS) cache.clear();
    cache.set(pattern, result);
  }
  return result;
}

/** Characters that stand for themselves outside a class. */
const LITERAL = /^[\x20-\x7e]$/;
const META = '\\.+*?()|[]{}^$';
/** Escapes with the same meaning in both engines (on ASCII text). */
const ESCAPES = new Set([...META, '/', '-', '\'', '"', '#', '&', '~', '!', '%', ',', ':', ';', '<', '=', '>', '@', '`', '_', ' ', 'd', 'D', 'w', 'W']);
const CLASS_ESCAPES = new Set([...ESCAPES].filter((c) => !['D', 'W'].includes(c)));
const MAX_COUNT = 1000;

/**
 * A `RegExp` equivalent to a Go pattern of the plain subset, or undefined: printable ASCII
 * literals, `.`, `^`, `$`, escaped punctuation, `\d \D \w \W`, classes of literals and ordered
 * ranges (no `[` inside, no `]` first), `(…)` and `(?:…)` groups, `|`, a leading `(?i)`, and
 * `* + ? {n} {n,} {n,m}` (lazy too) after a literal, class or `.`, one of them that repeats
 * (two after a leading `^` with no `|` outside groups); a group may only be optional. Anything else (and any pattern Go might refuse) is
 * left to re2js.
 */
export function plainRegExp(pattern: string): RegExp | undefined {
  let flags = '';
  let i = 0;
  if (pattern.startsWith('(?i)')) {
    flags = 'i';
    i = 4;
  }
  const anchored = pattern[i] === '^';
  let depth = 0;
  let repeats = 0;
  let alternatives = false;
  /** What a quantifier would apply to: 'atom', 'group' (a closing parenthesis) or none. */
  let last: 'atom' | 'group' | undefined;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined || !ESCAPES.has(next)) return undefined;
      i += 2;
      last = 'atom';
    } else if (c === '[') {
      const end = classEnd(pattern, i);
      if (end === undefined) return undefined;
      i = end;
      last = 'atom';
    } else if (c === '(') {
      if (pattern[i + 1] === '?') {
        if (pattern[i + 2] !== ':') return undefined;
        i += 3;
      } else i += 1;
      depth++;
      last = undefined;
    } else if (c === ')') {
      if (depth === 0) return undefined;
      depth--;
      i += 1;
      last = 'group';
    } else if (c === '|' || c === '^' || c === '$') {
      if (c === '|' && depth === 0) alternatives = true;
      i += 1;
      last = undefined;
    } else if (c === '*' || c === '+' || c === '?' || c === '{') {
      if (last === undefined || (last === 'group' && c !== '?')) return undefined;
      let end = i + 1;
      if (c === '{') {
        const count = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(pattern.slice(i));
        if (!count) return undefined;
        const min = Number(count[1]);
        const max = count[2] === undefined ? min : count[3] === '' ? Infinity : Number(count[3]);
        if (min > MAX_COUNT || (max !== Infinity && (max > MAX_COUNT || max < min))) return undefined;
        if (max > 1) repeats++;
        end = i + count[0].length;
      } else if (c !== '?') repeats++;
      if (pattern[end] === '?') end++;
      i = end;
      last = undefined;
    } else if (c === '}' || c === ']' || !LITERAL.test(c)) {
      return undefined;
    } else {
      i += 1;
      last = 'atom';
    }
  }
  if (depth !== 0 || repeats > (anchored && !alternatives ? 2 : 1)) return undefined;
  try {
    return new RegExp(pattern.slice(flags ? 4 : 0), flags);
  } catch {
    return undefined;
  }
}

/** The offset after a plain class starting at `start`, or undefined. */
function classEnd(pattern: string, start: number): number | undefined {
  let i = start + 1;
  if (pattern[i] === '^') i++;
  const first = i;
  /** The previous literal, when a `-` after it may make a range. */
  let previous: string | undefined;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === ']') return i === first ? undefined : i + 1;
    if (c === '[' || !LITERAL.test(c)) return undefined;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined || !CLASS_ESCAPES.has(next)) return undefined;
      previous = /[dw]/.test(next) ? undefined : next;
      i += 2;
      continue;
    }
    if (c === '-' && i !== first && pattern[i + 1] !== ']') {
      // A range between two literals, in order; a `-` anywhere else is for re2js to judge.
      let to = pattern[i + 1];
      let width = 2;
      if (to === '\\') {
        to = pattern[i + 2];
        width = 3;
        if (to === undefined || !CLASS_ESCAPES.has(to) || /[dw]/.test(to)) return undefined;
      }
      if (previous === undefined || to === undefined || to === '[' || !LITERAL.test(to) || to < previous) return undefined;
      previous = undefined;
      i += width;
      continue;
    }
    previous = c;
    i++;
  }
  return undefined;
}
