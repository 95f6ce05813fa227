/**
 * A hand-written parser for the HCL native syntax (Terraform/OpenTofu `.tf`/`.tofu`) in plain
 * TypeScript, so that a valid file needs no Wasm. It produces the `HclFile` that hcl.ts's
 * conversion of tree-sitter's tree (`@tree-sitter-grammars/tree-sitter-hcl`, the fallback)
 * produces for the same file, directly, without building a syntax tree;
 * `test/terraform/hcl-parse-differential.test.ts` checks that both agree on every file the
 * repository holds and on a table of tricky snippets.
 *
 * It follows tree-sitter's grammar where that differs from HashiCorp's, and the conversion's
 * reading of tree-sitter's tree, for example:
 * - newlines are not significant between tokens (the grammar has them as whitespace);
 * - `c ? a : b ? x : y` groups to the left, `(c ? a : b) ? x : y`;
 * - the literal text of a template starts at its first and ends at its last non-space character
 *   (the grammar's external scanner skips whitespace before each chunk), and in a block label
 *   `${` and `%{` are text;
 * - the closing marker of a heredoc may be indented and must be followed by a newline;
 * - `provider::x::f` is one identifier, `a-b` too;
 * - the operands of `-x`, `a + b`, … are not recorded as references or calls (only what is
 *   nested in them), an object key that is a bare name is not a reference (unless the object is
 *   an operand), and the branches of a conditional are listed before those nested in it.
 *
 * It returns `undefined` for anything it does not accept, which always includes every file
 * tree-sitter reports an error for, and also a few things tree-sitter would accept but that are
 * not valid HCL or are too odd to be worth matching (a newline inside a quoted string, a comment
 * between `.` and an attribute name, keywords used as variable names, non-ASCII whitespace):
 * the caller then parses the file with tree-sitter, which gives today's result and positions.
 */
import type { HclAttribute, HclBlock, HclBody, HclExpr, HclFile, HclTraversal, Offsets } from './hcl.js';

type CallExpr = Extract<HclExpr, { kind: 'call' }>;
type ObjectItem = { key: string | undefined; value: HclExpr; offsets: Offsets };

class Reject extends Error {}
const REJECT = new Reject('not accepted by the JS HCL parser');

const ID_START = /\p{ID_Start}/u;
const ID_CONTINUE = /\p{ID_Continue}/u;
const NON_ASCII_SPACE = /\s/u;

/** Text in templates up to the next space or character the scanner looks at (`\s` covers non-ASCII spaces, which stop it). */
const QUOTED_TEXT = /[^\s"\\$%]+/y;
const LABEL_TEXT = /[^\s"\\]+/y;
const HEREDOC_TEXT = /[^\s$%]+/y;
/** A quoted string of plain text: no escape, `$`, `%`, line break or non-ASCII space. */
const SIMPLE_STRING = /"[^"\\$%\n\r\u0080-\uffff]*"|"[^"\\$%\s]*"/y;
/** An ASCII identifier (most are); the character after it decides whether the slow path continues it. */
const ASCII_IDENTIFIER = /[A-Za-z_](?:[A-Za-z0-9_-]|::)*/y;

const isAsciiIdStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isAsciiIdContinue = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHexDigit = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
/** The whitespace of the grammar and of its scanner (`iswspace`), ASCII part. */
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** Keywords that tree-sitter would not read as a variable name in every position. */
const KEYWORD_NAMES = new Set(['for', 'if', 'in', 'else', 'endif', 'endfor']);

/** HCL string escapes in literal template text (`\"`, `\\`, `\n`, …; `$${` and `%%{` stay literal markers). */
export function unescape(raw: string): string {
  if (!raw.includes('\\') && !raw.includes('$${') && !raw.includes('%%{')) return raw;
  return raw
    .replace(/\\(["\\nrt])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c)
    .replace(/\$\$\{/g, '${')
    .replace(/%%\{/g, '%{');
}

/**
 * Parse one file. Returns `undefined` when the file is not accepted (then tree-sitter decides:
 * a syntax error, or one of the rare forms this parser leaves to it).
 */
export function parseHclFile(text: string): HclFile | undefined {
  try {
    return new HclParser(text).parseFile();
  } catch (error) {
    if (error instanceof Reject) return undefined;
    // A stack overflow on absurdly deep nesting: tree-sitter decides too.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

type TemplateKind = 'quoted' | 'heredoc' | 'label';

class HclParser {
  private pos = 0;
  /** Comments seen so far (a comment between the steps of a reference ends its attribute list). */
  private comments = 0;
  private readonly out: HclFile = { body: { attributes: [], blocks: [] }, errors: [], calls: [], traversals: [], branches: [] };

  // Results of the last parse function, to spare an object per call:
  /** Span of the last expression (`parseExpression`, `parseOperation`) or term (`parseTerm`). */
  private exprStart = 0;
  private exprEnd = 0;
  /** Set by `parseTemplate` when it stops at `%{ else }`, `%{ endif }` or `%{ endfor }`. */
  private directiveEnd = '';

  constructor(private readonly text: string) {}

  parseFile(): HclFile {
    const text = this.text;
    // A byte-order mark at the start is skipped like whitespace (tree-sitter does).
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
    this.skipTrivia();
    const body = this.out.body;
    while (this.pos < text.length) {
      this.parseBodyItem(body);
      this.skipTrivia();
    }
    return this.out;
  }

  // ---- trivia ------------------------------------------------------------------------------

  /** Skip whitespace and comments. */
  private skipTrivia(): void {
    const text = this.text;
    let pos = this.pos;
    const first = text.charCodeAt(pos);
    // Most calls find a token right away.
    if (first > 32 && first < 127 && first !== 35 && first !== 47) return;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (isSpace(c)) {
        pos++;
      } else if (c === 35 || (c === 47 && text.charCodeAt(pos + 1) === 47)) {
        // `#` and `//` comments run to the end of the line.
        const newline = text.indexOf('\n', pos);
        pos = newline === -1 ? text.length : newline;
        this.comments++;
      } else if (c === 47 && text.charCodeAt(pos + 1) === 42) {
        const close = text.indexOf('*/', pos + 2);
        if (close === -1) throw REJECT;
        pos = close + 2;
        this.comments++;
      } else {
        if (c > 127 && NON_ASCII_SPACE.test(text[pos] as string)) throw REJECT;
        break;
      }
    }
    this.pos = pos;
  }

  private peek(): number {
    return this.text.charCodeAt(this.pos);
  }

  private expect(char: number): void {
    this.skipTrivia();
    if (this.text.charCodeAt(this.pos) !== char) throw REJECT;
    this.pos++;
  }

  // ---- tokens ------------------------------------------------------------------------------

  /** The end of an identifier at `at` (letters, digits, `_`, `-` and `::`), or -1 when there is none. */
  private identifierEnd(at: number): number {
    const text = this.text;
    let pos = at;
    const c = text.charCodeAt(pos);
    if (isAsciiIdStart(c)) {
      ASCII_IDENTIFIER.lastIndex = pos;
      ASCII_IDENTIFIER.test(text);
      pos = ASCII_IDENTIFIER.lastIndex;
      if (!(text.charCodeAt(pos) > 127)) return pos;
    } else if (c > 127) {
      const char = String.fromCodePoint(text.codePointAt(pos) as number);
      if (!ID_START.test(char)) return -1;
      pos += char.length;
    } else return -1;
    for (;;) {
      const d = text.charCodeAt(pos);
      if (isAsciiIdContinue(d)) pos++;
      else if (d === 58 && text.charCodeAt(pos + 1) === 58) pos += 2;
      else if (d > 127) {
        const char = String.fromCodePoint(text.codePointAt(pos) as number);
        if (!ID_CONTINUE.test(char)) break;
        pos += char.length;
      } else break;
    }
    return pos;
  }

  /** An identifier after trivia: its end (its start is `this.pos` before the call, after trivia, in `this.exprStart`). */
  private identifier(): number {
    this.skipTrivia();
    const end = this.identifierEnd(this.pos);
    if (end === -1) throw REJECT;
    this.exprStart = this.pos;
    this.pos = end;
    return end;
  }

  /** Whether the keyword `word` is at `pos` (not as the start of a longer identifier). */
  private atKeyword(word: string): boolean {
    return this.text.startsWith(word, this.pos) && this.identifierEnd(this.pos) === this.pos + word.length;
  }

  private keyword(word: string): void {
    this.skipTrivia();
    if (!this.atKeyword(word)) throw REJECT;
    this.pos += word.length;
  }

  // ---- body --------------------------------------------------------------------------------

  private parseBodyItem(body: HclBody): void {
    const text = this.text;
    const nameEnd = this.identifier();
    const nameStart = this.exprStart;
    this.skipTrivia();
    if (this.text.charCodeAt(this.pos) === 61) {
      const next = text.charCodeAt(this.pos + 1);
      if (next === 61 || next === 62) throw REJECT;
      this.pos++;
      const value = this.parseExpression(false);
      const attribute: HclAttribute = { name: text.slice(nameStart, nameEnd), nameOffsets: [nameStart, nameEnd], value, text: text.slice(this.exprStart, this.exprEnd), textOffsets: [this.exprStart, this.exprEnd] };
      body.attributes.push(attribute);
      return;
    }
    const labels: string[] = [];
    const labelOffsets: Offsets[] = [];
    for (;;) {
      this.skipTrivia();
      const c = this.text.charCodeAt(this.pos);
      if (c === 34) {
        // A label can only be a string (the grammar's `string_lit`), so `${` and `%{` in it are
        // text: tree-sitter's scanner does not look for them there.
        const start = this.pos;
        this.pos++;
        const parts = this.parseTemplate('label', undefined);
        if (text.charCodeAt(this.pos) !== 34) throw REJECT;
        this.pos++;
        labels.push(parts.length === 0 ? '' : unescape(parts[0] as string));
        labelOffsets.push([start, this.pos]);
      } else if (c === 123) {
        this.pos++;
        const inner: HclBody = { attributes: [], blocks: [] };
        const block: HclBlock = { type: text.slice(nameStart, nameEnd), labels, typeOffsets: [nameStart, nameEnd], labelOffsets, offsets: [nameStart, nameStart], body: inner };
        body.blocks.push(block);
        for (;;) {
          this.skipTrivia();
          if (this.text.charCodeAt(this.pos) === 125) break;
          if (this.pos >= text.length) throw REJECT;
          this.parseBodyItem(inner);
        }
        this.pos++;
        block.offsets = [nameStart, this.pos];
        return;
      } else {
        const end = this.identifier();
        labels.push(text.slice(this.exprStart, end));
        labelOffsets.push([this.exprStart, end]);
      }
    }
  }

  // ---- expressions -------------------------------------------------------------------------

  /**
   * An expression: a term, an operation, or a conditional (grouped to the left, like the
   * grammar). Its span is left in `exprStart`/`exprEnd`.
   *
   * `walk`: the conversion of tree-sitter's tree walks this expression instead of converting
   * it (the inside of `( … )` when the parenthesized term is converted itself, see
   * `parseTerm`): the references, calls and object keys of its top term are not recorded or
   * dropped, and its top conditional's branches are not listed; what is nested deeper is.
   */
  private parseExpression(walk: boolean): HclExpr {
    this.skipTrivia();
    const start = this.pos;
    const out = this.out;
    const branches = out.branches;
    const mark = branches.length;
    const calls = out.calls.length;
    const traversals = out.traversals.length;
    const comments = this.comments;
    // (parseOperation returns with trivia skipped.)
    let value = this.parseOperation(walk);
    let end = this.exprEnd;
    if (this.text.charCodeAt(this.pos) === 63 && walk && this.plainTerm) {
      // The condition of a conditional is converted even where the conditional is walked.
      this.rollback(start, calls, traversals, mark, comments);
      value = this.parseOperation(false);
      end = this.exprEnd;
    }
    let pending: Offsets[] | undefined;
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== 63) break;
      this.pos++;
      this.parseExpression(false);
      const whenTrue: Offsets = [this.exprStart, this.exprEnd];
      this.expect(58);
      this.skipTrivia();
      this.parseOperation(false);
      const whenFalse: Offsets = [this.exprStart, this.exprEnd];
      // A conditional's branches come before the ones nested in it (its condition's too); a
      // walked conditional lists only those of the conditionals nested in it.
      const listed = walk ? pending : [whenTrue, whenFalse];
      if (walk) pending = [whenTrue, whenFalse];
      if (listed) {
        if (mark === branches.length) branches.push(...listed);
        else branches.splice(mark, 0, ...listed);
      }
      end = this.exprEnd;
      value = { kind: 'other', offsets: [start, end] };
    }
    this.exprStart = start;
    this.exprEnd = end;
    return value;
  }

  /** Re-parses so far (each re-parses one term in the other mode): bounded, against pathological nesting. */
  private reparses = 0;

  /** Undo what was recorded since `pos` was `start`, to parse from there again. */
  private rollback(start: number, calls: number, traversals: number, branches: number, comments: number): void {
    if (++this.reparses > 10_000) throw REJECT;
    this.out.calls.length = calls;
    this.out.traversals.length = traversals;
    this.out.branches.length = branches;
    this.comments = comments;
    this.pos = start;
  }

  /** A binary operator at `pos`: its length, or 0. */
  private binaryOperator(): number {
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    const d = text.charCodeAt(this.pos + 1);
    switch (c) {
      case 42: // *
      case 37: // %
      case 43: // +
      case 47: // / (comments were skipped already)
      case 45: // -
        return 1;
      case 62: // > >=
        return d === 61 ? 2 : 1;
      case 60: // < <= (`<<` is a heredoc, never after an operand)
        if (d === 60) throw REJECT;
        return d === 61 ? 2 : 1;
      case 61: // ==
      case 33: // !=
        return d === 61 ? 2 : 0;
      case 38: // &&
        return d === 38 ? 2 : 0;
      case 124: // ||
        return d === 124 ? 2 : 0;
      default:
        return 0;
    }
  }

  private atUnary(): boolean {
    const c = this.text.charCodeAt(this.pos);
    return c === 45 || (c === 33 && this.text.charCodeAt(this.pos + 1) !== 61);
  }

  /** Whether the last `parseOperation` found a term without operators. */
  private plainTerm = false;

  /**
   * An expression without a conditional at its top: a term or an operation (whose operands are
   * walked). Called at a token (trivia skipped); returns with the trivia after it skipped.
   */
  private parseOperation(walk: boolean): HclExpr {
    const start = this.pos;
    if (this.atUnary()) {
      this.parseOperand();
      this.parseOperators();
      this.exprStart = start;
      this.plainTerm = false;
      return { kind: 'other', offsets: [start, this.exprEnd] };
    }
    const out = this.out;
    const calls = out.calls.length;
    const traversals = out.traversals.length;
    const branches = out.branches.length;
    const comments = this.comments;
    const value = this.parseTerm(walk);
    const end = this.exprEnd;
    this.skipTrivia();
    if (this.binaryOperator() === 0) {
      this.exprStart = start;
      this.exprEnd = end;
      this.plainTerm = true;
      return value;
    }
    if (!walk) {
      // The term is an operand after all.
      this.rollback(start, calls, traversals, branches, comments);
      this.parseTerm(true);
    }
    this.parseOperators();
    this.exprStart = start;
    this.plainTerm = false;
    return { kind: 'other', offsets: [start, this.exprEnd] };
  }

  /** `op operand` pairs while a binary operator follows; `exprEnd` is the last operand's end. */
  private parseOperators(): void {
    for (;;) {
      this.skipTrivia();
      const length = this.binaryOperator();
      if (length === 0) return;
      this.pos += length;
      this.parseOperand();
    }
  }

  /** An operand of an operator: unary operators and a walked term. */
  private parseOperand(): void {
    this.skipTrivia();
    if (this.atUnary()) {
      this.pos++;
      this.parseOperand();
      return;
    }
    this.parseTerm(true);
  }

  /**
   * A term: a primary and its postfix steps (`.name`, `.0`, `[i]`, `.*`, `[*]`). Its span is
   * left in `exprStart`/`exprEnd`.
   *
   * `walk`: the term is walked (an operand, or the top of a walked expression): its primary's
   * own reference or call is not recorded and its object keys are not dropped, and the inside
   * of `( … )` is converted; a converted `( … )` walks its inside.
   */
  private parseTerm(walk: boolean): HclExpr {
    // (Called at a token: trivia skipped.)
    const text = this.text;
    const start = this.pos;
    let primary: HclExpr | undefined;
    let record: HclTraversal | undefined;
    let commentMark = -1;
    let end: number;
    if (this.text.charCodeAt(this.pos) === 40) {
      this.pos++;
      this.parseExpression(!walk);
      this.expect(41);
      end = this.pos;
    } else {
      const traversals = this.out.traversals.length;
      primary = this.parsePrimary(walk);
      if (primary.kind === 'traversal' && !walk) record = this.out.traversals[traversals];
      commentMark = this.primaryComments;
      end = this.exprEnd;
    }
    let attrs: string[] | undefined;
    let open = primary !== undefined && primary.kind === 'traversal';
    let attrsEnd = end;
    let steps = false;
    for (;;) {
      this.skipTrivia();
      const at = this.pos;
      const d = this.text.charCodeAt(this.pos);
      if (d === 46) {
        const e = text.charCodeAt(at + 1);
        if (e === 46) break;
        steps = true;
        if (e === 42) {
          // `.*`: the steps after it are inside the splat.
          this.pos += 2;
          open = false;
          end = this.pos;
          continue;
        }
        this.pos++;
        const comments = this.comments;
        this.skipTrivia();
        if (this.comments !== comments) throw REJECT;
        if (isDigit(this.text.charCodeAt(this.pos))) {
          let digits = this.pos;
          while (isDigit(text.charCodeAt(digits))) digits++;
          if (this.identifierEnd(digits) !== -1) throw REJECT;
          this.pos = digits;
          open = false;
          end = digits;
          continue;
        }
        const nameEnd = this.identifier();
        // A comment between the steps is a part of the expression that ends the name list.
        if (this.comments !== commentMark) open = false;
        if (open) {
          (attrs ??= []).push(text.slice(this.exprStart, nameEnd));
          attrsEnd = nameEnd;
        }
        end = nameEnd;
      } else if (d === 91) {
        steps = true;
        open = false;
        if (text.startsWith('[*]', at)) {
          this.pos += 3;
          end = this.pos;
          continue;
        }
        this.pos++;
        this.parseExpression(false);
        this.expect(93);
        end = this.pos;
      } else break;
    }
    this.exprStart = start;
    this.exprEnd = end;
    if (!primary) return { kind: 'other', offsets: [start, end] };
    if (!steps) return primary;
    if (primary.kind !== 'traversal') return { kind: 'other', offsets: [start, end] };
    const names = attrs ?? [];
    if (record) {
      record.attrs = [...names];
      record.offsets = [start, attrsEnd];
    }
    return { kind: 'traversal', root: primary.root, attrs: names, offsets: [start, attrsEnd] };
  }

  /** Comments counted when the last primary ended (before looking for a call's `(`). */
  private primaryComments = 0;

  /** A primary (`walk`: see `parseTerm`); sets `exprEnd` and `primaryComments`. */
  private parsePrimary(walk: boolean): HclExpr {
    const text = this.text;
    const start = this.pos;
    const c = this.text.charCodeAt(this.pos);
    let value: HclExpr;
    if (c === 34) value = this.parseQuoted();
    else if (c === 60 && text.charCodeAt(start + 1) === 60) value = this.parseHeredoc();
    else if (c === 91) value = this.parseBracket();
    else if (c === 123) value = this.parseBrace(walk);
    else if (isDigit(c)) value = this.parseNumber();
    else {
      const end = this.identifierEnd(start);
      if (end === -1) throw REJECT;
      const word = text.slice(start, end);
      this.pos = end;
      this.primaryComments = this.comments;
      this.exprEnd = end;
      if (word === 'true' || word === 'false') return { kind: 'literal', value: word === 'true', offsets: [start, end] };
      if (word === 'null') return { kind: 'literal', value: null, offsets: [start, end] };
      if (KEYWORD_NAMES.has(word)) throw REJECT;
      this.skipTrivia();
      if (this.text.charCodeAt(this.pos) !== 40) {
        if (!walk) this.out.traversals.push({ root: word, attrs: [], offsets: [start, end] });
        return { kind: 'traversal', root: word, attrs: [], offsets: [start, end] };
      }
      this.pos++;
      const call: CallExpr = { kind: 'call', name: word, args: [], offsets: [start, start] };
      if (!walk) this.out.calls.push(call);
      this.skipTrivia();
      if (this.text.charCodeAt(this.pos) !== 41) {
        for (;;) {
          call.args.push(this.parseExpression(false));
          this.skipTrivia();
          const d = this.text.charCodeAt(this.pos);
          if (d === 44) {
            this.pos++;
            this.skipTrivia();
            if (this.text.charCodeAt(this.pos) === 41) break;
          } else if (d === 46 && text.startsWith('...', this.pos)) {
            this.pos += 3;
            this.skipTrivia();
            if (this.text.charCodeAt(this.pos) !== 41) throw REJECT;
            break;
          } else if (d === 41) break;
          else throw REJECT;
        }
      }
      this.pos++;
      call.offsets = [start, this.pos];
      this.primaryComments = this.comments;
      this.exprEnd = this.pos;
      return call;
    }
    this.primaryComments = this.comments;
    this.exprEnd = this.pos;
    return value;
  }

  /** `[0-9]+(\.[0-9]+([eE][-+]?[0-9]+)?)?` or `0x[0-9a-zA-Z]+`, as the grammar has them. */
  private parseNumber(): HclExpr {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    const third = text.charCodeAt(pos + 2);
    if (text.charCodeAt(pos) === 48 && text.charCodeAt(pos + 1) === 120 && (isDigit(third) || (third >= 97 && third <= 122) || (third >= 65 && third <= 90))) {
      pos += 2;
      for (;;) {
        const c = text.charCodeAt(pos);
        if (isDigit(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90)) pos++;
        else break;
      }
    } else {
      while (isDigit(text.charCodeAt(pos))) pos++;
      if (text.charCodeAt(pos) === 46 && isDigit(text.charCodeAt(pos + 1))) {
        pos++;
        while (isDigit(text.charCodeAt(pos))) pos++;
        const e = text.charCodeAt(pos);
        if (e === 101 || e === 69) {
          let exponent = pos + 1;
          const sign = text.charCodeAt(exponent);
          if (sign === 43 || sign === 45) exponent++;
          if (isDigit(text.charCodeAt(exponent))) {
            while (isDigit(text.charCodeAt(exponent))) exponent++;
            pos = exponent;
          }
        }
      }
    }
    // `1e5`, `10m`: tree-sitter reads a number and then an identifier (an error).
    if (this.identifierEnd(pos) !== -1) throw REJECT;
    this.pos = pos;
    return { kind: 'literal', value: Number(text.slice(start, pos)), offsets: [start, pos] };
  }

  /** `[ … ]`: a tuple or a `for` expression. */
  private parseBracket(): HclExpr {
    const start = this.pos;
    this.pos++;
    this.skipTrivia();
    if (this.atKeyword('for')) {
      this.parseForIntro();
      this.parseExpression(false);
      this.parseForCondition();
      this.expect(93);
      return { kind: 'other', offsets: [start, this.pos] };
    }
    const items: HclExpr[] = [];
    for (;;) {
      this.skipTrivia();
      if (this.text.charCodeAt(this.pos) === 93) break;
      items.push(this.parseExpression(false));
      this.skipTrivia();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) this.pos++;
      else if (c !== 93) throw REJECT;
    }
    this.pos++;
    return { kind: 'tuple', items, offsets: [start, this.pos] };
  }

  /** `{ … }`: an object or a `for` expression. */
  private parseBrace(walk: boolean): HclExpr {
    const text = this.text;
    const start = this.pos;
    this.pos++;
    this.skipTrivia();
    if (this.atKeyword('for')) {
      this.parseForIntro();
      this.parseExpression(false);
      this.skipTrivia();
      if (!text.startsWith('=>', this.pos)) throw REJECT;
      this.pos += 2;
      this.parseExpression(false);
      this.skipTrivia();
      if (text.startsWith('...', this.pos)) this.pos += 3;
      this.parseForCondition();
      this.expect(125);
      return { kind: 'other', offsets: [start, this.pos] };
    }
    const items: ObjectItem[] = [];
    const traversals = this.out.traversals;
    for (;;) {
      this.skipTrivia();
      if (this.text.charCodeAt(this.pos) === 125) break;
      const key = this.parseExpression(false);
      const keyStart = this.exprStart;
      let keyText: string | undefined;
      if (key.kind === 'traversal' && key.attrs.length === 0) {
        keyText = key.root;
        // A bare key is a name, not a reference (the conversion drops the last reference
        // recorded where the key starts; a walked object keeps it).
        if (!walk) {
          for (let index = traversals.length - 1; index >= 0; index--) {
            if ((traversals[index] as HclTraversal).offsets[0] === keyStart) {
              traversals.splice(index, 1);
              break;
            }
          }
        }
      } else if (key.kind === 'template' && key.parts.every((part) => typeof part === 'string')) keyText = key.parts.join('');
      this.skipTrivia();
      const c = this.text.charCodeAt(this.pos);
      const d = text.charCodeAt(this.pos + 1);
      if (c === 58 || (c === 61 && d !== 61 && d !== 62)) this.pos++;
      else throw REJECT;
      const value = this.parseExpression(false);
      items.push({ key: keyText, value, offsets: [keyStart, this.exprEnd] });
      this.skipTrivia();
      if (this.text.charCodeAt(this.pos) === 44) this.pos++;
    }
    this.pos++;
    return { kind: 'object', items, offsets: [start, this.pos] };
  }

  /** `for k, v in coll :` — the names are not references; the collection is an expression. */
  private parseForIntro(): void {
    this.pos += 3;
    this.forNames();
    this.keyword('in');
    this.parseExpression(false);
    this.expect(58);
  }

  private forNames(): void {
    const text = this.text;
    let end = this.identifier();
    if (KEYWORD_NAMES.has(text.slice(this.exprStart, end))) throw REJECT;
    this.skipTrivia();
    if (this.text.charCodeAt(this.pos) === 44) {
      this.pos++;
      end = this.identifier();
      if (KEYWORD_NAMES.has(text.slice(this.exprStart, end))) throw REJECT;
    }
  }

  private parseForCondition(): void {
    this.skipTrivia();
    if (!this.atKeyword('if')) return;
    this.pos += 2;
    this.parseExpression(false);
  }

  // ---- templates ---------------------------------------------------------------------------

  /** `"…"`: a string literal when it is only text, else a template. */
  private parseQuoted(): HclExpr {
    const text = this.text;
    const start = this.pos;
    // Most strings are plain text (no escapes, templates or non-ASCII spaces): at once.
    SIMPLE_STRING.lastIndex = start;
    if (SIMPLE_STRING.test(text)) {
      const end = SIMPLE_STRING.lastIndex;
      let from = start + 1;
      let to = end - 1;
      while (from < to && isSpace(text.charCodeAt(from))) from++;
      while (to > from && isSpace(text.charCodeAt(to - 1))) to--;
      this.pos = end;
      return { kind: 'literal', value: text.slice(from, to), offsets: [start, end] };
    }
    this.pos++;
    const parts = this.parseTemplate('quoted', undefined);
    if (this.text.charCodeAt(this.pos) !== 34) throw REJECT;
    this.pos++;
    const end = this.pos;
    if (parts.length === 0) return { kind: 'literal', value: '', offsets: [start, end] };
    if (parts.length === 1 && typeof parts[0] === 'string') return { kind: 'literal', value: unescape(parts[0]), offsets: [start, end] };
    for (let index = 0; index < parts.length; index++) {
      const part = parts[index];
      if (typeof part === 'string') parts[index] = unescape(part);
    }
    return { kind: 'template', parts, offsets: [start, end] };
  }

  /** `<<EOF` / `<<-EOF` … `EOF`. */
  private parseHeredoc(): HclExpr {
    const text = this.text;
    const start = this.pos;
    this.pos += text.charCodeAt(start + 2) === 45 ? 3 : 2;
    const nameStart = this.pos;
    let pos = nameStart;
    while (isAsciiIdContinue(text.charCodeAt(pos))) pos++;
    if (pos === nameStart) throw REJECT;
    const marker = text.slice(nameStart, pos);
    // Only spaces between the marker and the end of its line.
    while (text.charCodeAt(pos) === 32 || text.charCodeAt(pos) === 9 || text.charCodeAt(pos) === 13) pos++;
    if (text.charCodeAt(pos) !== 10) throw REJECT;
    this.pos = pos;
    const parts = this.parseTemplate('heredoc', marker);
    if (this.directiveEnd !== '') throw REJECT;
    return { kind: 'template', parts, offsets: [start, this.pos] };
  }

  /**
   * Template parts up to the end of the template: the closing quote (left at `pos`), the closing
   * heredoc marker (consumed), or a `%{ else }`/`%{ endif }`/`%{ endfor }` directive (left at
   * `pos`, its keyword in `this.directiveEnd`). Literal text is raw (not unescaped).
   */
  private parseTemplate(kind: TemplateKind, marker: string | undefined): Array<string | HclExpr> {
    const text = this.text;
    this.directiveEnd = '';
    const parts: Array<string | HclExpr> = [];
    let runStart = -1;
    let runEnd = -1;
    let pos = this.pos;
    for (;;) {
      // Whitespace between chunks is not part of them (the scanner skips it).
      let newline = false;
      for (;;) {
        const c = text.charCodeAt(pos);
        if (c === 10) {
          if (kind !== 'heredoc') throw REJECT;
          newline = true;
          pos++;
        } else if (c === 13) {
          if (kind !== 'heredoc') throw REJECT;
          pos++;
        } else if (isSpace(c)) pos++;
        else break;
      }
      if (pos >= text.length) throw REJECT;
      const c = text.charCodeAt(pos);
      if (c === 0 || (c > 127 && NON_ASCII_SPACE.test(text[pos] as string))) throw REJECT;
      if (kind !== 'heredoc' && c === 34) {
        if (runStart !== -1) parts.push(text.slice(runStart, runEnd));
        this.pos = pos;
        return parts;
      }
      const d = text.charCodeAt(pos + 1);
      if (c === 36 && d === 123 && kind !== 'label') {
        // `${ … }`
        if (runStart !== -1) parts.push(text.slice(runStart, runEnd));
        runStart = -1;
        const start = pos;
        this.pos = pos + 2;
        this.skipTrivia();
        this.skipStripMarker();
        let value: HclExpr | undefined;
        if (this.text.charCodeAt(this.pos) !== 125 && !(this.text.charCodeAt(this.pos) === 126 && this.followedByClose(this.pos + 1))) {
          value = this.parseExpression(false);
        }
        this.closeSequence();
        parts.push(value ?? { kind: 'other', offsets: [start, this.pos] });
        pos = this.pos;
        continue;
      }
      if (c === 37 && d === 123 && kind !== 'label') {
        // `%{ … }`
        if (runStart !== -1) parts.push(text.slice(runStart, runEnd));
        runStart = -1;
        const keyword = this.directiveKeyword(pos);
        if (keyword === 'else' || keyword === 'endif' || keyword === 'endfor') {
          this.pos = pos;
          this.directiveEnd = keyword;
          return parts;
        }
        parts.push(this.parseDirective(pos, keyword, kind, marker));
        pos = this.pos;
        continue;
      }
      if (kind === 'heredoc' && newline && text.startsWith(marker as string, pos)) {
        let after = pos + (marker as string).length;
        while (text.charCodeAt(after) !== 10 && isSpace(text.charCodeAt(after))) after++;
        if (text.charCodeAt(after) === 10) {
          if (runStart !== -1) parts.push(text.slice(runStart, runEnd));
          this.pos = pos + (marker as string).length;
          return parts;
        }
      }
      // One literal chunk.
      let chunkEnd = pos + 1;
      if (kind !== 'heredoc' && c === 92) {
        if (d === 34 || d === 110 || d === 114 || d === 116 || d === 92) chunkEnd = pos + 2;
        else if (d === 117 || d === 85) {
          const digits = d === 117 ? 4 : 8;
          for (let index = 0; index < digits; index++) if (!isHexDigit(text.charCodeAt(pos + 2 + index))) throw REJECT;
          chunkEnd = pos + 2 + digits;
        } else throw REJECT;
      } else if ((c === 36 || c === 37) && d === c && kind !== 'label') {
        // `$${` and `%%{` are one chunk, and so is `$$` before anything else (the scanner
        // reads the second `$` while looking for `{`): `$$${x}` is `$$` and an interpolation.
        chunkEnd = text.charCodeAt(pos + 2) === 123 ? pos + 3 : pos + 2;
      } else {
        // A stretch of text without spaces or characters the scanner treats specially, at once.
        const plain = kind === 'heredoc' ? HEREDOC_TEXT : kind === 'quoted' ? QUOTED_TEXT : LABEL_TEXT;
        plain.lastIndex = pos;
        if (plain.test(text)) chunkEnd = plain.lastIndex;
      }
      if (runStart === -1) runStart = pos;
      runEnd = chunkEnd;
      pos = chunkEnd;
    }
  }

  /** Whether only trivia and then `}` follow `at`. */
  private followedByClose(at: number): boolean {
    const saved = this.pos;
    const comments = this.comments;
    this.pos = at;
    this.skipTrivia();
    const result = this.text.charCodeAt(this.pos) === 125;
    this.pos = saved;
    this.comments = comments;
    return result;
  }

  /** The keyword of the directive whose `%{` is at `at`. */
  private directiveKeyword(at: number): string {
    const saved = this.pos;
    const comments = this.comments;
    this.pos = at + 2;
    this.skipTrivia();
    this.skipStripMarker();
    let keyword = '';
    for (const word of ['if', 'for', 'else', 'endif', 'endfor']) if (this.atKeyword(word)) keyword = word;
    this.pos = saved;
    this.comments = comments;
    if (keyword === '') throw REJECT;
    return keyword;
  }

  /** After `%{ [~]`: the keyword. */
  private directiveHead(start: number, keyword: string): void {
    this.pos = start + 2;
    this.skipTrivia();
    this.skipStripMarker();
    this.pos += keyword.length;
  }

  /** A `~` strip marker, when one is here, and the trivia after it. */
  private skipStripMarker(): void {
    if (this.text.charCodeAt(this.pos) !== 126) return;
    this.pos++;
    this.skipTrivia();
  }

  /** The closing `[~] }` of an interpolation or a directive. */
  private closeSequence(): void {
    this.skipTrivia();
    this.skipStripMarker();
    if (this.text.charCodeAt(this.pos) !== 125) throw REJECT;
    this.pos++;
  }

  /**
   * `%{ if c }…[%{ else }…]%{ endif }` or `%{ for x in c }…%{ endfor }`: the expressions in it
   * are recorded; the directive itself is an unknown part of its template.
   */
  private parseDirective(start: number, keyword: string, kind: TemplateKind, marker: string | undefined): HclExpr {
    this.directiveHead(start, keyword);
    if (keyword === 'if') {
      this.parseExpression(false);
      this.closeSequence();
      this.parseTemplate(kind, marker);
      let end = this.directiveEnd;
      if (end === 'else') {
        this.directiveHead(this.pos, 'else');
        this.closeSequence();
        this.parseTemplate(kind, marker);
        end = this.directiveEnd;
      }
      if (end !== 'endif') throw REJECT;
      this.directiveHead(this.pos, 'endif');
      this.closeSequence();
    } else {
      this.forNames();
      this.keyword('in');
      this.parseExpression(false);
      this.closeSequence();
      this.parseTemplate(kind, marker);
      if (this.directiveEnd !== 'endfor') throw REJECT;
      this.directiveHead(this.pos, 'endfor');
      this.closeSequence();
    }
    this.directiveEnd = '';
    return { kind: 'other', offsets: [start, this.pos] };
  }
}
