/**
 * A hand-written parser for the HCL native syntax (Terraform/OpenTofu `.tf`/`.tofu`) in plain
 * TypeScript, so that a valid file needs no Wasm: it builds the same syntax tree that the
 * tree-sitter Terraform grammar (`@tree-sitter-grammars/tree-sitter-hcl`, which hcl.ts falls back
 * to) builds for it, reduced to what hcl.ts's conversion reads, and hcl.ts converts either tree
 * with the same code. `test/terraform/hcl-parse-differential.test.ts` checks that both give the
 * same `HclFile` on every file the repository holds and on a table of tricky snippets.
 *
 * It follows tree-sitter's grammar where it differs from HashiCorp's (so that the conversion
 * result is the same), for example:
 * - newlines are not significant between tokens (the grammar has them as whitespace);
 * - `c ? a : b ? x : y` groups to the left, `(c ? a : b) ? x : y`;
 * - the literal text of a template starts at its first and ends at its last non-space character
 *   (the grammar's external scanner skips whitespace before each chunk);
 * - the closing marker of a heredoc may be indented and must be followed by a newline;
 * - `provider::x::f` is one identifier, `a-b` too.
 *
 * It returns `undefined` for anything it does not accept, which always includes every file
 * tree-sitter reports an error for, and also a few things tree-sitter would accept but that are
 * not valid HCL or are too odd to be worth matching (a newline inside a quoted string, a comment
 * between `.` and an attribute name, keywords used as variable names, non-ASCII whitespace):
 * the caller then parses the file with tree-sitter, which gives today's result and positions.
 */

/**
 * A syntax-tree node shaped like tree-sitter's (the conversion in hcl.ts reads both). Only the
 * nodes and tokens that the conversion looks at are built: anonymous tokens are left out except
 * `(` (which marks a parenthesized expression), and the insides of operations, `for` expressions
 * and template directives are flattened to the nodes in source order (the conversion only walks
 * them for the expressions they hold).
 */
export interface SyntaxNode {
  type: string;
  named: boolean;
  start: number;
  end: number;
  children: SyntaxNode[];
}

/** Shared by every leaf: no array per leaf. Never appended to (comments replace it). */
export const NO_CHILDREN: SyntaxNode[] = [];

class Reject extends Error {}
const REJECT = new Reject('not accepted by the JS HCL parser');

const node = (type: string, start: number, end: number, children: SyntaxNode[] = NO_CHILDREN): SyntaxNode => ({ type, named: true, start, end, children });

const ID_START = /\p{ID_Start}/u;
const ID_CONTINUE = /\p{ID_Continue}/u;
const NON_ASCII_SPACE = /\s/u;

const isAsciiIdStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isAsciiIdContinue = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHexDigit = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
/** The whitespace of the grammar and of its scanner (`iswspace`), ASCII part. */
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** Keywords that tree-sitter would not read as a variable name in every position. */
const KEYWORD_NAMES = new Set(['for', 'if', 'in', 'else', 'endif', 'endfor']);

/**
 * Parse one file. Returns the `config_file` node, or `undefined` when the file is not accepted
 * (then tree-sitter decides: a syntax error, or one of the rare forms this parser leaves to it).
 */
export function parseHclSyntax(text: string): SyntaxNode | undefined {
  try {
    return new HclParser(text).parseFile();
  } catch (error) {
    if (error instanceof Reject) return undefined;
    // A stack overflow on absurdly deep nesting: tree-sitter decides too.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

class HclParser {
  private pos = 0;
  private readonly comments: Array<[number, number]> = [];

  constructor(private readonly text: string) {}

  parseFile(): SyntaxNode {
    const text = this.text;
    // A byte-order mark at the start is skipped like whitespace (tree-sitter does).
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
    this.skipTrivia();
    const items: SyntaxNode[] = [];
    while (this.pos < text.length) {
      items.push(this.parseBodyItem());
      this.skipTrivia();
    }
    const first = items[0];
    const last = items[items.length - 1];
    const root = node('config_file', 0, text.length, first && last ? [node('body', first.start, last.end, items)] : []);
    if (first && last) {
      root.start = first.start;
      root.end = last.end;
    }
    if (this.comments.length > 0) this.placeComments(root);
    return root;
  }

  // ---- trivia ------------------------------------------------------------------------------

  /** Skip whitespace and comments (recorded for `placeComments`). */
  private skipTrivia(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (isSpace(c)) {
        pos++;
      } else if (c === 35 || (c === 47 && text.charCodeAt(pos + 1) === 47)) {
        // `#` and `//` comments run to the end of the line.
        const start = pos;
        const newline = text.indexOf('\n', pos);
        pos = newline === -1 ? text.length : newline;
        let end = pos;
        if (text.charCodeAt(end - 1) === 13) end--;
        this.comments.push([start, end]);
      } else if (c === 47 && text.charCodeAt(pos + 1) === 42) {
        const close = text.indexOf('*/', pos + 2);
        if (close === -1) throw REJECT;
        this.comments.push([pos, close + 2]);
        pos = close + 2;
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

  /**
   * Put every comment where tree-sitter puts it: as a child of the smallest node that has
   * tokens on both sides of it, among that node's children in source order.
   */
  private placeComments(root: SyntaxNode): void {
    for (const [start, end] of this.comments) {
      let parent = root;
      for (;;) {
        const children = parent.children;
        let low = 0;
        let high = children.length;
        // The first child that starts after the comment.
        while (low < high) {
          const mid = (low + high) >> 1;
          if ((children[mid] as SyntaxNode).start < start) low = mid + 1;
          else high = mid;
        }
        const before = children[low - 1];
        if (before && before.end > start) {
          if (before.end < end) throw REJECT;
          parent = before;
          continue;
        }
        if (parent.start < start && end <= parent.end && parent !== root) {
          if (parent.type === 'get_attr') throw REJECT;
          const comment: SyntaxNode = { type: 'comment', named: true, start, end, children: NO_CHILDREN };
          if (parent.children === NO_CHILDREN) parent.children = [comment];
          else parent.children.splice(low, 0, comment);
        }
        break;
      }
    }
  }

  // ---- tokens ------------------------------------------------------------------------------

  /** An identifier at `pos` (letters, digits, `_`, `-` and `::`), or -1 when there is none. */
  private identifierEnd(at: number): number {
    const text = this.text;
    let pos = at;
    const c = text.charCodeAt(pos);
    if (isAsciiIdStart(c)) pos++;
    else if (c > 127) {
      const point = text.codePointAt(pos) as number;
      const char = String.fromCodePoint(point);
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

  private identifier(): SyntaxNode {
    this.skipTrivia();
    const start = this.pos;
    const end = this.identifierEnd(start);
    if (end === -1) throw REJECT;
    this.pos = end;
    return node('identifier', start, end);
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

  private parseBodyItem(): SyntaxNode {
    const name = this.identifier();
    this.skipTrivia();
    const text = this.text;
    if (this.peek() === 61) {
      const next = text.charCodeAt(this.pos + 1);
      if (next === 61 || next === 62) throw REJECT;
      this.pos++;
      const value = this.parseExpression();
      return node('attribute', name.start, value.end, [name, value]);
    }
    const parts: SyntaxNode[] = [name];
    for (;;) {
      this.skipTrivia();
      const c = this.peek();
      if (c === 34) {
        // A label can only be a string (the grammar's `string_lit`), so `${` and `%{` in it are
        // text: tree-sitter's scanner does not look for them there.
        const start = this.pos;
        this.pos++;
        const literal = this.parseTemplate('label', undefined);
        if (text.charCodeAt(this.pos) !== 34) throw REJECT;
        this.pos++;
        parts.push(node('string_lit', start, this.pos, literal));
      } else if (c === 123) {
        this.pos++;
        const items: SyntaxNode[] = [];
        for (;;) {
          this.skipTrivia();
          if (this.peek() === 125) break;
          if (this.pos >= text.length) throw REJECT;
          items.push(this.parseBodyItem());
        }
        this.pos++;
        const first = items[0];
        const last = items[items.length - 1];
        if (first && last) parts.push(node('body', first.start, last.end, items));
        return node('block', name.start, this.pos, parts);
      } else {
        parts.push(this.identifier());
      }
    }
  }

  // ---- expressions -------------------------------------------------------------------------

  /** `expression`: a term, an operation, or a conditional (grouped to the left, like the grammar). */
  private parseExpression(): SyntaxNode {
    let expression = this.parseOperation();
    for (;;) {
      this.skipTrivia();
      if (this.peek() !== 63) return expression;
      this.pos++;
      const whenTrue = this.parseExpression();
      this.expect(58);
      const whenFalse = this.parseOperation();
      const conditional = node('conditional', expression.start, whenFalse.end, [expression, whenTrue, whenFalse]);
      expression = node('expression', conditional.start, conditional.end, [conditional]);
    }
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
        return 1;
      case 47: // / (comments were skipped already)
        return 1;
      case 45: // -
        return 1;
      case 62: // > >=
        return d === 61 ? 2 : 1;
      case 60: // < <= (`<<` is a heredoc, never after an operand)
        if (d === 60) throw REJECT;
        return d === 61 ? 2 : 1;
      case 61: // ==
        return d === 61 ? 2 : 0;
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

  /** An `expression` node without a conditional at its top. */
  private parseOperation(): SyntaxNode {
    const pieces: SyntaxNode[] = [];
    this.skipTrivia();
    const start = this.pos;
    let operator = this.parseUnary(pieces);
    for (;;) {
      this.skipTrivia();
      const length = this.binaryOperator();
      if (length === 0) break;
      this.pos += length;
      this.parseUnary(pieces);
      operator = true;
    }
    const end = Math.max((pieces[pieces.length - 1] as SyntaxNode).end, this.termEnd);
    if (!operator) return node('expression', start, end, pieces);
    const operation = node('operation', start, end, pieces);
    return node('expression', operation.start, operation.end, [operation]);
  }

  /** The end of the last term parsed (a parenthesized term ends at its `)`, which is not a node). */
  private termEnd = 0;

  /** Appends a term's pieces; true when it was preceded by a unary operator. */
  private parseUnary(pieces: SyntaxNode[]): boolean {
    this.skipTrivia();
    const c = this.peek();
    if (c === 45 || (c === 33 && this.text.charCodeAt(this.pos + 1) !== 61)) {
      this.pos++;
      this.parseUnary(pieces);
      return true;
    }
    this.parseTerm(pieces);
    return false;
  }

  /** A term (`_expr_term` without operations): its primary and postfix steps, appended to `pieces`. */
  private parseTerm(pieces: SyntaxNode[]): void {
    this.skipTrivia();
    const text = this.text;
    const start = this.pos;
    const c = this.peek();
    let end: number;
    if (c === 40) {
      this.pos++;
      pieces.push({ type: '(', named: false, start, end: start + 1, children: NO_CHILDREN });
      pieces.push(this.parseExpression());
      this.expect(41);
      end = this.pos;
    } else {
      const primary = this.parsePrimary();
      pieces.push(primary);
      end = primary.end;
    }
    // Postfix steps: `.name`, `.0`, `[i]`, `.*` and `[*]` (each splat takes the steps after it).
    let splat: SyntaxNode | undefined;
    for (;;) {
      this.skipTrivia();
      const at = this.pos;
      const d = this.peek();
      let step: SyntaxNode;
      if (d === 46) {
        const e = text.charCodeAt(at + 1);
        if (e === 46) break;
        if (e === 42) {
          this.pos += 2;
          splat = node('splat', at, this.pos, []);
          pieces.push(splat);
          end = this.pos;
          continue;
        }
        this.pos++;
        this.skipTrivia();
        if (isDigit(this.peek())) {
          let digits = this.pos;
          while (isDigit(text.charCodeAt(digits))) digits++;
          if (this.identifierEnd(digits) !== -1) throw REJECT;
          this.pos = digits;
          step = node('index', at, digits);
        } else {
          const name = this.identifier();
          step = node('get_attr', at, name.end, [name]);
        }
      } else if (d === 91) {
        if (text.startsWith('[*]', at)) {
          this.pos += 3;
          splat = node('splat', at, this.pos, []);
          pieces.push(splat);
          end = this.pos;
          continue;
        }
        this.pos++;
        const index = this.parseExpression();
        this.expect(93);
        step = node('index', at, this.pos, [index]);
      } else break;
      end = step.end;
      if (splat) {
        splat.children.push(step);
        splat.end = step.end;
      } else pieces.push(step);
    }
    this.termEnd = end;
  }

  private parsePrimary(): SyntaxNode {
    const text = this.text;
    const start = this.pos;
    const c = this.peek();
    if (c === 34) return this.parseQuoted();
    if (c === 60 && text.charCodeAt(start + 1) === 60) return this.parseHeredoc();
    if (c === 91) return this.parseBracket();
    if (c === 123) return this.parseBrace();
    if (isDigit(c)) return this.parseNumber();
    const end = this.identifierEnd(start);
    if (end === -1) throw REJECT;
    const word = text.slice(start, end);
    this.pos = end;
    if (word === 'true' || word === 'false') return node('literal_value', start, end, [node('bool_lit', start, end)]);
    if (word === 'null') return node('literal_value', start, end, [node('null_lit', start, end)]);
    if (KEYWORD_NAMES.has(word)) throw REJECT;
    const name = node('identifier', start, end);
    this.skipTrivia();
    if (this.peek() !== 40) return node('variable_expr', start, end, [name]);
    this.pos++;
    const args: SyntaxNode[] = [];
    this.skipTrivia();
    if (this.peek() !== 41) {
      for (;;) {
        args.push(this.parseExpression());
        this.skipTrivia();
        const d = this.peek();
        if (d === 44) {
          this.pos++;
          this.skipTrivia();
          if (this.peek() === 41) break;
        } else if (d === 46 && text.startsWith('...', this.pos)) {
          this.pos += 3;
          this.skipTrivia();
          if (this.peek() !== 41) throw REJECT;
          break;
        } else if (d === 41) break;
        else throw REJECT;
      }
    }
    this.pos++;
    const children = [name];
    const first = args[0];
    if (first) children.push(node('function_arguments', first.start, (args[args.length - 1] as SyntaxNode).end, args));
    return node('function_call', start, this.pos, children);
  }

  /** `[0-9]+(\.[0-9]+([eE][-+]?[0-9]+)?)?` or `0x[0-9a-zA-Z]+`, as the grammar has them. */
  private parseNumber(): SyntaxNode {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    if (text.charCodeAt(pos) === 48 && text.charCodeAt(pos + 1) === 120 && isAsciiIdContinue(text.charCodeAt(pos + 2)) && text.charCodeAt(pos + 2) !== 95 && text.charCodeAt(pos + 2) !== 45) {
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
    return node('literal_value', start, pos, [node('numeric_lit', start, pos)]);
  }

  /** `[ … ]`: a tuple or a `for` expression. */
  private parseBracket(): SyntaxNode {
    const start = this.pos;
    this.pos++;
    this.skipTrivia();
    if (this.atKeyword('for')) {
      const children = this.parseForIntro();
      children.push(this.parseExpression());
      this.parseForCondition(children);
      this.expect(93);
      return node('for_expr', start, this.pos, children);
    }
    const items: SyntaxNode[] = [];
    for (;;) {
      this.skipTrivia();
      if (this.peek() === 93) break;
      items.push(this.parseExpression());
      this.skipTrivia();
      const c = this.peek();
      if (c === 44) this.pos++;
      else if (c !== 93) throw REJECT;
    }
    this.pos++;
    return node('collection_value', start, this.pos, [node('tuple', start, this.pos, items)]);
  }

  /** `{ … }`: an object or a `for` expression. */
  private parseBrace(): SyntaxNode {
    const text = this.text;
    const start = this.pos;
    this.pos++;
    this.skipTrivia();
    if (this.atKeyword('for')) {
      const children = this.parseForIntro();
      children.push(this.parseExpression());
      this.skipTrivia();
      if (!text.startsWith('=>', this.pos)) throw REJECT;
      this.pos += 2;
      children.push(this.parseExpression());
      this.skipTrivia();
      if (text.startsWith('...', this.pos)) this.pos += 3;
      this.parseForCondition(children);
      this.expect(125);
      return node('for_expr', start, this.pos, children);
    }
    const items: SyntaxNode[] = [];
    for (;;) {
      this.skipTrivia();
      if (this.peek() === 125) break;
      const key = this.parseExpression();
      this.skipTrivia();
      const c = this.peek();
      const d = text.charCodeAt(this.pos + 1);
      if (c === 58 || (c === 61 && d !== 61 && d !== 62)) this.pos++;
      else throw REJECT;
      const value = this.parseExpression();
      items.push(node('object_elem', key.start, value.end, [key, value]));
      this.skipTrivia();
      if (this.peek() === 44) this.pos++;
    }
    this.pos++;
    return node('collection_value', start, this.pos, [node('object', start, this.pos, items)]);
  }

  /** `for k, v in coll :` — the collection expression (the names are not expressions). */
  private parseForIntro(): SyntaxNode[] {
    this.pos += 3;
    const names = [this.identifier()];
    this.skipTrivia();
    if (this.peek() === 44) {
      this.pos++;
      names.push(this.identifier());
    }
    for (const name of names) if (KEYWORD_NAMES.has(this.text.slice(name.start, name.end))) throw REJECT;
    this.keyword('in');
    const collection = this.parseExpression();
    this.expect(58);
    return [collection];
  }

  private parseForCondition(children: SyntaxNode[]): void {
    this.skipTrivia();
    if (!this.atKeyword('if')) return;
    this.pos += 2;
    children.push(this.parseExpression());
  }

  // ---- templates ---------------------------------------------------------------------------

  /** `"…"`: a `literal_value` (`string_lit`) when it is only text, else a `template_expr`. */
  private parseQuoted(): SyntaxNode {
    const start = this.pos;
    this.pos++;
    const parts = this.parseTemplate('quoted', undefined);
    const text = this.text;
    if (text.charCodeAt(this.pos) !== 34) throw REJECT;
    this.pos++;
    const end = this.pos;
    if (parts.every((part) => part.type === 'template_literal')) return node('literal_value', start, end, [node('string_lit', start, end, parts)]);
    return node('template_expr', start, end, [node('quoted_template', start, end, parts)]);
  }

  /** `<<EOF` / `<<-EOF` … `EOF`. */
  private parseHeredoc(): SyntaxNode {
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
    const end = this.pos;
    return node('template_expr', start, end, [node('heredoc_template', start, end, parts)]);
  }

  /**
   * Template parts up to the end of the template: the closing quote (left at `pos`), the closing
   * heredoc marker (consumed), or a `%{ else }`/`%{ endif }`/`%{ endfor }` directive (left at
   * `pos`, its keyword in `this.directiveEnd`).
   */
  private parseTemplate(kind: 'quoted' | 'heredoc' | 'label', marker: string | undefined): SyntaxNode[] {
    const text = this.text;
    this.directiveEnd = '';
    const parts: SyntaxNode[] = [];
    let runStart = -1;
    let runEnd = -1;
    const closeRun = (): void => {
      if (runStart !== -1) parts.push(node('template_literal', runStart, runEnd));
      runStart = -1;
    };
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
        closeRun();
        this.pos = pos;
        return parts;
      }
      const d = text.charCodeAt(pos + 1);
      if (c === 36 && d === 123 && kind !== 'label') {
        // `${ … }`
        closeRun();
        const start = pos;
        this.pos = pos + 2;
        this.skipTrivia();
        if (this.peek() === 126) {
          this.pos++;
          this.skipTrivia();
        }
        const children: SyntaxNode[] = [];
        if (this.peek() !== 125 && !(this.peek() === 126 && this.followedByClose(this.pos + 1))) {
          children.push(this.parseExpression());
          this.skipTrivia();
        }
        if (this.peek() === 126) {
          this.pos++;
          this.skipTrivia();
        }
        if (this.peek() !== 125) throw REJECT;
        this.pos++;
        parts.push(node('template_interpolation', start, this.pos, children));
        pos = this.pos;
        continue;
      }
      if (c === 37 && d === 123 && kind !== 'label') {
        // `%{ … }`
        closeRun();
        const start = pos;
        const keyword = this.directiveKeyword(pos);
        if (keyword === 'else' || keyword === 'endif' || keyword === 'endfor') {
          this.pos = pos;
          this.directiveEnd = keyword;
          return parts;
        }
        parts.push(this.parseDirective(start, keyword, kind, marker));
        pos = this.pos;
        continue;
      }
      if (kind === 'heredoc' && newline && text.startsWith(marker as string, pos)) {
        let after = pos + (marker as string).length;
        while (text.charCodeAt(after) !== 10 && isSpace(text.charCodeAt(after))) after++;
        if (text.charCodeAt(after) === 10) {
          closeRun();
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
      } else if ((c === 36 || c === 37) && d === c) {
        // `$${` and `%%{` are one chunk, and so is `$$` before anything else (the scanner
        // reads the second `$` while looking for `{`): `$$${x}` is `$$` and an interpolation.
        chunkEnd = text.charCodeAt(pos + 2) === 123 ? pos + 3 : pos + 2;
      }
      else if (c >= 0xd800 && c <= 0xdbff) chunkEnd = pos + 2;
      if (runStart === -1) runStart = pos;
      runEnd = chunkEnd;
      pos = chunkEnd;
    }
  }

  /** Set by `parseTemplate` when it stops at `%{ else }`, `%{ endif }` or `%{ endfor }`. */
  private directiveEnd = '';

  /** Whether only trivia and then `}` follow `at`. */
  private followedByClose(at: number): boolean {
    const saved = this.pos;
    const savedComments = this.comments.length;
    this.pos = at;
    this.skipTrivia();
    const result = this.peek() === 125;
    this.pos = saved;
    this.comments.length = savedComments;
    return result;
  }

  /** The keyword of the directive whose `%{` is at `at`. */
  private directiveKeyword(at: number): string {
    const saved = this.pos;
    const savedComments = this.comments.length;
    this.pos = at + 2;
    this.skipTrivia();
    if (this.peek() === 126) {
      this.pos++;
      this.skipTrivia();
    }
    let keyword = '';
    for (const word of ['if', 'for', 'else', 'endif', 'endfor']) if (this.atKeyword(word)) keyword = word;
    this.pos = saved;
    this.comments.length = savedComments;
    if (keyword === '') throw REJECT;
    return keyword;
  }

  /** After `%{ [~]`: the keyword, then the directive's closing `[~] }`. */
  private directiveHead(start: number, keyword: string): void {
    this.pos = start + 2;
    this.skipTrivia();
    if (this.peek() === 126) {
      this.pos++;
      this.skipTrivia();
    }
    this.pos += keyword.length;
  }

  private directiveTail(): void {
    this.skipTrivia();
    if (this.peek() === 126) {
      this.pos++;
      this.skipTrivia();
    }
    if (this.peek() !== 125) throw REJECT;
    this.pos++;
  }

  /** `%{ if c }…[%{ else }…]%{ endif }` or `%{ for x in c }…%{ endfor }`, flattened. */
  private parseDirective(start: number, keyword: string, kind: 'quoted' | 'heredoc', marker: string | undefined): SyntaxNode {
    const children: SyntaxNode[] = [];
    this.directiveHead(start, keyword);
    if (keyword === 'if') {
      children.push(this.parseExpression());
      this.directiveTail();
      children.push(...this.parseTemplate(kind, marker));
      let end = this.directiveEnd;
      if (end === 'else') {
        this.directiveHead(this.pos, 'else');
        this.directiveTail();
        children.push(...this.parseTemplate(kind, marker));
        end = this.directiveEnd;
      }
      if (end !== 'endif') throw REJECT;
      this.directiveHead(this.pos, 'endif');
      this.directiveTail();
    } else {
      const name = this.identifier();
      this.skipTrivia();
      const names = [name];
      if (this.peek() === 44) {
        this.pos++;
        names.push(this.identifier());
      }
      for (const entry of names) if (KEYWORD_NAMES.has(this.text.slice(entry.start, entry.end))) throw REJECT;
      this.keyword('in');
      children.push(this.parseExpression());
      this.directiveTail();
      children.push(...this.parseTemplate(kind, marker));
      if (this.directiveEnd !== 'endfor') throw REJECT;
      this.directiveHead(this.pos, 'endfor');
      this.directiveTail();
    }
    this.directiveEnd = '';
    return node('template_directive', start, this.pos, children);
  }
}
