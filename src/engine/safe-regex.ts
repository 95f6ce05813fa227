/**
 * Patterns written in a linted repository (kustomize `images[].name`, CRD `pattern`s,
 * `.sops.yaml` regexes) run in JavaScript's backtracking engine, where a repeated group
 * whose content can end in a repetition, such as `(a+)+$` or `(\w+\s?)*`, takes exponential
 * time on a short input that does not match; Go's RE2, which Flux, kustomize and sops use,
 * cannot. Such patterns are refused so a repository cannot hang a pre-commit hook or the
 * editor. A separator after the inner repetition (`([0-9]+(ms|s))+`) keeps a pattern safe.
 */
export function hasNestedRepetition(source: string): boolean {
  try {
    return new Scanner(source).alternatives(false).dangerous;
  } catch {
    return false;
  }
}

interface Atom {
  /** The atom repeats (quantifier `*`, `+` or `{n,}`), or is a group that can end in a repetition. */
  repeats: boolean;
  /** The atom can be skipped (`?`, `*`, `{0,n}`). */
  optional: boolean;
}

class Scanner {
  private index = 0;

  constructor(private readonly source: string) {}

  /** Alternatives up to `)` (or the end): whether one can end in a repetition, and whether a nested repeat was found. */
  alternatives(inGroup: boolean): { endsRepeating: boolean; dangerous: boolean } {
    let dangerous = false;
    let endsRepeating = false;
    let atoms: Atom[] = [];
    const close = () => {
      endsRepeating ||= endsWithRepetition(atoms);
      atoms = [];
    };
    while (this.index < this.source.length) {
      const char = this.source[this.index];
      if (char === ')' && inGroup) break;
      if (char === '|') {
        close();
        this.index++;
        continue;
      }
      let inner = { endsRepeating: false, dangerous: false };
      if (char === '(') {
        this.index++;
        if (this.source[this.index] === '?') this.index += this.source[this.index + 1] === '<' && /[=!]/.test(this.source[this.index + 2] ?? '') ? 3 : 2;
        inner = this.alternatives(true);
        this.index++;
      } else if (char === '[') {
        this.skipClass();
      } else {
        this.index += char === '\\' ? 2 : 1;
      }
      const quantifier = this.quantifier();
      if (inner.dangerous || (quantifier.repeats && inner.endsRepeating)) dangerous = true;
      atoms.push({ repeats: quantifier.repeats || inner.endsRepeating, optional: quantifier.optional });
    }
    close();
    return { endsRepeating, dangerous };
  }

  private skipClass(): void {
    this.index++;
    while (this.index < this.source.length && this.source[this.index] !== ']') this.index += this.source[this.index] === '\\' ? 2 : 1;
    this.index++;
  }

  private quantifier(): { repeats: boolean; optional: boolean } {
    const rest = this.source.slice(this.index);
    const match = /^(?:([*+?])|\{(\d*)(,?)(\d*)\})\??/.exec(rest);
    if (!match) return { repeats: false, optional: false };
    this.index += match[0].length;
    if (match[1]) return { repeats: match[1] !== '?', optional: match[1] !== '+' };
    const min = Number(match[2] || '0');
    const unbounded = match[3] === ',' && match[4] === '';
    const max = unbounded ? Infinity : Number(match[4] || match[2] || '0');
    return { repeats: max > 1, optional: min === 0 };
  }
}

/** From the end, skipping optional atoms: does the sequence end in a repeating atom? */
function endsWithRepetition(atoms: readonly Atom[]): boolean {
  for (let index = atoms.length - 1; index >= 0; index--) {
    const atom = atoms[index] as Atom;
    if (atom.repeats) return true;
    if (!atom.optional) return false;
  }
  return false;
}
