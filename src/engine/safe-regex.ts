/**
 * Regular expressions written in a linted repository — `.sops.yaml` and SOPS metadata
 * regexes, kustomize `images[].name`, CRD `pattern`s — are Go RE2 patterns: sops, kustomize
 * and the Kubernetes API server compile them with Go's `regexp`. They are evaluated here by
 * re2js, a port of RE2 to JavaScript, so they mean what they mean to those programs (`(?i)`
 * anywhere, `\z`, `[[:alpha:]]`, `\pL`, `(?P<name>…)`, no lookaround or backreferences)
 * and match in linear time: a repository cannot hang a pre-commit hook or the editor with a
 * pattern such as `(a+)+$`, which backtracks exponentially in JavaScript's engine.
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
const PREFIX = 'error parsing regexp: ';
const cache = new Map<string, GoRegexpResult>();

class Compiled implements GoRegexp {
  private readonly results = new Map<string, boolean>();

  constructor(
    readonly source: string,
    private readonly re: RE2JS,
  ) {}

  test(text: string): boolean {
    if (text.length > MAX_REMEMBERED_LENGTH) return this.re.test(text);
    let result = this.results.get(text);
    if (result === undefined) {
      result = this.re.test(text);
      if (this.results.size >= MAX_RESULTS) this.results.clear();
      this.results.set(text, result);
    }
    return result;
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
    try {
      result = { ok: true, regexp: new Compiled(pattern, RE2JS.compile(pattern)) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result = { ok: false, reason: message.startsWith(PREFIX) ? message.slice(PREFIX.length) : message };
    }
    if (cache.size >= MAX_PATTERNS) cache.clear();
    cache.set(pattern, result);
  }
  return result;
}
