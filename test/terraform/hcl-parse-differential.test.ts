/**
 * Differential test: the hand-written JS parser (src/terraform/hcl-parse.ts) and tree-sitter give
 * the same `HclFile` (blocks, attributes, expressions and their offsets, calls, traversals,
 * conditional branches) on every `.tf`/`.tofu` file in examples/ and test/, on the bench's
 * validate-stage workspace, and on a table of snippets; every file tree-sitter reports a syntax
 * error for is one the JS parser does not accept (so `parseHcl` falls back to tree-sitter, which
 * gives the `hcl-syntax` finding and its position).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHclParser, parseHcl, parseHclWithJs, parseHclWithTreeSitter, type HclFile } from '../../src/terraform/hcl.js';

const REPO = path.resolve(import.meta.dirname, '..', '..');

function hclFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.git') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...hclFiles(full));
    else if (/\.(tf|tofu)$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

function treeSitter(text: string): HclFile {
  const result = parseHclWithTreeSitter(text);
  if (!result) throw new Error('tree-sitter is not loaded');
  return result;
}

/** Both parsers agree: the same structure, or tree-sitter finds an error and the JS parser does not accept the file. */
function expectAgreement(text: string): 'same' | 'rejected' {
  const expected = treeSitter(text);
  const actual = parseHclWithJs(text);
  if (expected.errors.length > 0) {
    expect(actual, `tree-sitter reports ${JSON.stringify(expected.errors[0])}`).toBeUndefined();
    return 'rejected';
  }
  expect(actual, 'the JS parser does not accept a file tree-sitter parses').toBeDefined();
  expect(actual).toStrictEqual(expected);
  return 'same';
}

beforeAll(async () => {
  await loadHclParser();
});

const generated = mkdtempSync(path.join(tmpdir(), 'gitops-lint-hcl-'));
execFileSync(process.execPath, [path.join(REPO, 'scripts', 'bench.mjs'), '--generate-validate', generated]);
afterAll(() => rmSync(generated, { recursive: true, force: true }));

describe('the JS HCL parser agrees with tree-sitter on the repository files', () => {
  const files = [...hclFiles(path.join(REPO, 'examples')), ...hclFiles(path.join(REPO, 'test'))];
  it('finds the files', () => {
    expect(files.length).toBeGreaterThan(20);
  });
  for (const file of files) {
    const name = path.relative(REPO, file);
    it(name, () => {
      const verdict = expectAgreement(readFileSync(file, 'utf8'));
      // The invalid fixtures of the terraform fmt differential and the broken example's scratch
      // module are the only files with errors.
      expect(verdict).toBe(/fixtures\/hcl\/(?!valid-)|broken\/lotus-lake\/orchestration\/airbyte\/scratch\/main\.tf$/.test(name) ? 'rejected' : 'same');
    });
  }
});

describe('the JS HCL parser agrees with tree-sitter on the bench validate-stage workspace', () => {
  const files = hclFiles(generated);
  it('finds the 200 generated files and the examples', () => {
    expect(files.length).toBeGreaterThan(200);
  });
  it('every file', () => {
    for (const file of files) expect(expectAgreement(readFileSync(file, 'utf8')), path.relative(generated, file)).toBe('same');
  });
});

/** Valid snippets: both parsers accept them and agree. */
const SAME: Array<[string, string]> = [
  ['empty file', ''],
  ['only comments', '# a\n// b\n/* c */\n'],
  ['labels are strings without templates', 'a "${x}" " %{ if y } \\" " {}\n'],
  ['one-line blocks and labels', 'a { b = 1 }\nc "x" {}\nd e "f" "g\\"h" {\n}\nresource "aws_s3_bucket" "b" { bucket = "x" }\n'],
  ['nested and dynamic blocks', 'resource "x" "y" {\n  dynamic "rule" {\n    for_each = var.rules\n    content {\n      name = rule.value.name\n      port = rule.key\n    }\n  }\n  lifecycle { ignore_changes = [tags] }\n}\n'],
  ['numbers', 'a = 1\nb = 1.5\nc = 1.5e3\nd = 2.0E-2\ne = 0x1F\nf = 007\ng = -1\nh = 1.5.x\n'],
  ['bool, null, keywords as attribute names', 'true = 1\nnull = 2\nx = { null = 1, true = false, for_each = 2 }\ny = a.null\nz = a.for\n'],
  ['string escapes and trimmed text', 'a = "\\"\\\\\\n\\t\\r\\u00e9\\U0001F600"\nb = "  a  b  "\nc = " "\nd = ""\ne = "a$b%c$$d$${e}%%{f}$$${g}"\n'],
  ['nested templates', 'a = "x-${b ? "y-${c}" : "z"}-${upper("${d}")}"\nb = "${ {k = 1}.k } ${[1][0]}"\n'],
  ['template directives and strip markers', 'a = "%{ if x ~}yes%{ else ~}no%{ endif ~}"\nb = "%{ for k, v in m }${k}=${v},%{ endfor }"\nc = "${~ x ~}"\nd = "${}"\ne = "%{if a}%{if b}${c}%{endif}%{endif}"\n'],
  ['heredocs', 'a = <<EOF\nline ${x}\n  %{ for i in y ~}\n  ${i} $${raw} %%{raw}\n  %{ endfor ~}\nEOFX not the end\nEOF\nb = <<-EOT\n    indented\n      more\n    EOT\nc = jsonencode(<<JSON\n{"a": "${var.b}"}\nJSON\n)\nd = <<E   \nx\n  E  \n'],
  ['an empty heredoc', 'a = <<EOF\nEOF\n'],
  ['for expressions', 'a = [for x in xs : upper(x) if x != ""]\nb = {for k, v in m : k => v... if v != null}\nc = {for s in var.list : s.name => s}\nd = [for i, x in xs : { i = i, x = x }]\ne = [for x in [for y in ys : y] : x]\n'],
  ['splats and indexes', 'a = aws_instance.web.*.id\nb = aws_instance.web[*].private_ip\nc = a[*].b[0].c\nd = a.0.b\ne = module.x[0].y["z"]\nf = a.*.b.*.c\ng = a[*][*]\nh = var.m[local.k].v\n'],
  ['function calls', 'a = provider::aws::arn_parse(var.arn).region\nb = max(1, 2, 3,)\nc = concat(a, b...)\nd = f()\ne = try(local.a.b, null)\nf = templatefile("${path.module}/t.tpl", { a = 1 })\n'],
  ['conditionals', 'a = x ? 1 : 2\nb = x ? y : z ? 1 : 2\nc = x ? y ? 1 : 2 : 3\nd = x ? (y ? 1 : 2) : 3\ne = var.a == "" ? local.b : var.a\nf = [x ? 1 : 2, y ? f(var.a) : local.b]\n'],
  ['operators and parentheses', 'a = -1 * 2 + 3 >= 4 && !x || y == z % 2\nb = var.a + local.b\nc = (var.x).y\nd = (a)\ne = !(var.a || f(var.b))\nf = a - b / c != d <= e < f > g\ng = - - 1\nh = (a + b)[0]\n'],
  ['what the conversion records around parentheses and operators', 'a = (var.x)\nb = ((var.x))\nc = (var.a ? 1 : 2)\nd = (a ? b : c ? d : e)\ne = (f(x))\nf = (f(x)) + 1\ng = (var.a) + 1\nh = f(x) + 1\ni = { a = 1 } == var.b\nj = [{ k = v }] == x\nk = (a + b) ? c : d\nl = -var.x\nm = !f(x).y\nn = var.a.b[0] == 1 ? f(x) : g(y)\no = ({ k = v })\np = (x).y.z\nq = (a ? b : c) ? d : e\nr = ((a ? b : c))\ns = (((a ? (b ? c : d) : e)))\nt = x ? (y ? f(z) : g(w)) : { k = v }\n'],
  ['objects', 'a = { a = 1, b = 2 }\nb = { "a" : 1, "b": 2 }\nc = { (var.k) = 1 }\nd = {\n  a = 1\n  b = 2,\n  c = 3\n}\ne = {}\nf = { a.b = 1 }\ng = { "${x}" = 1 }\n'],
  ['tuples', 'a = []\nb = [1, 2,]\nc = [\n  1,\n  [2, 3],\n]\n'],
  ['comments in odd places', 'a = /* c */ b\nc = b /* c */ .d\ne = [a, # c\n  b]\nf = { # c\n  a = 1 // d\n}\ng = f(/* c */ x)\nblock /* c */ "label" /* d */ {\n  x = 1 /* e */\n}\nh = (a /* c */)\ni = a /* c */ ? b : c\nj = a /* c */ + b\n# last line without newline'],
  ['unicode', 'ñame = "üñí ${ünï.cödé} 😀"\nblock "ラベル" { 名前 = "値" }\nx = "😀😀 ${a}"\n'],
  ['CRLF line ends', 'a = 1\r\nb = <<EOF\r\nx ${y}\r\nEOF\r\nblock "x" {\r\n  c = "d" # e\r\n}\r\n'],
  ['a byte-order mark', '\ufeffa = 1\n'],
  ['newlines where tree-sitter does not care', 'a = [\n  1\n  ,\n  2\n]\nb = f(\n  1,\n  2\n)\nc {\n}\n'],
];

/** Snippets tree-sitter reports a syntax error for: the JS parser must not accept them. */
const REJECTED: Array<[string, string]> = [
  ['an unterminated string', 'a = "abc\n'],
  ['an unclosed block', 'a {\n  b = 1\n'],
  ['an unclosed object', 'a = {\n'],
  ['a stray closing brace', 'a = 1\n}\n'],
  ['a number followed by letters', 'a = 1e5\n'],
  ['for without its intro', 'a = [for]\n'],
  ['an unclosed heredoc', 'a = <<EOF\nx\n'],
  ['a heredoc marker at the end of the file without a newline', 'a = <<EOF\nx\nEOF'],
  ['== in a body', 'a == b\n'],
  ['a missing operand', 'a = 1 +\n'],
  ['a missing condition', 'a = ? b : c\n'],
  ['an unclosed parenthesis', 'a = (1\n'],
  ['an unclosed interpolation', 'a = "${b"\n'],
  ['an invalid escape', 'a = "\\q"\n'],
  ['a tuple without commas', 'a = [1 2]\n'],
  ['arguments without commas', 'a = f(1 2)\n'],
  ['a dangling dot', 'a = b.\n'],
  ['an unclosed index', 'a = b[\n'],
  ['a directive outside a template', 'a = %{ if x }\n'],
  ['an unclosed if directive', 'a = "%{ if x }y"\n'],
  ['endfor closing an if', 'a = "%{ if x }y%{ endfor }"\n'],
  ['a value without a name', '= 1\n'],
  ['a label without a body', 'a "b"\n'],
  ['an unterminated comment', 'a = 1 /* x\n'],
  ['an object element without value', 'a = { b = }\n'],
];

/** Snippets tree-sitter accepts that the JS parser leaves to it (not valid HCL, or too odd to match). */
const LEFT_TO_TREE_SITTER: Array<[string, string]> = [
  ['a newline inside a quoted string', 'a = "x\ny"\n'],
  ['a keyword as a variable name', 'a = in\n'],
  ['a keyword as an object key', 'a = { in = 3 }\n'],
];

describe('the JS HCL parser agrees with tree-sitter on snippets', () => {
  for (const [name, text] of SAME) it(`same structure: ${name}`, () => expect(expectAgreement(text)).toBe('same'));
  for (const [name, text] of REJECTED) it(`rejected by both: ${name}`, () => expect(expectAgreement(text)).toBe('rejected'));
  for (const [name, text] of LEFT_TO_TREE_SITTER) {
    it(`left to tree-sitter: ${name}`, () => {
      expect(treeSitter(text).errors).toEqual([]);
      expect(parseHclWithJs(text)).toBeUndefined();
      expect(parseHcl(text)).toStrictEqual(treeSitter(text));
    });
  }
});

/**
 * Seeded mutations of the repository's files (a character deleted, or a token inserted or
 * swapped in, once or twice): mostly syntax errors, which the JS parser must not accept, and
 * valid variants, on which both parsers must agree (or the JS parser leaves the file to
 * tree-sitter). Deterministic: the same mutants on every run.
 */
describe('the JS HCL parser agrees with tree-sitter on mutated files', () => {
  const PIECES = ['"', '{', '}', '[', ']', '(', ')', '$', '${', '%{', '\n', ' ', '.', ',', '=', ':', '?', '#', '/*', '*/', '<<EOF\n', 'EOF\n', '\\', '-', '!', '*', '...', 'for ', ' in ', 'if ', '~', '0', 'a', '"${x}"'];
  const sources = [...hclFiles(path.join(REPO, 'examples')), ...hclFiles(path.join(REPO, 'test'))].map((file) => readFileSync(file, 'utf8')).filter((text) => text.length > 0);
  it('400 mutants', () => {
    let seed = 14;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const verdicts = { same: 0, rejected: 0, leftToTreeSitter: 0 };
    for (let index = 0; index < 400; index++) {
      let text = (sources[random(sources.length)] as string).slice(0, 2000);
      for (let count = 0; count <= random(2); count++) {
        const at = random(text.length + 1);
        const piece = PIECES[random(PIECES.length)] as string;
        const operation = random(3);
        text = operation === 0 ? text.slice(0, at) + text.slice(at + 1 + random(3)) : text.slice(0, at) + piece + text.slice(at + (operation === 1 ? 0 : 1));
      }
      const expected = treeSitter(text);
      const actual = parseHclWithJs(text);
      if (expected.errors.length > 0) {
        expect(actual, `accepted although tree-sitter reports ${JSON.stringify(expected.errors[0])}: ${JSON.stringify(text)}`).toBeUndefined();
        verdicts.rejected++;
      } else if (actual === undefined) verdicts.leftToTreeSitter++;
      else {
        expect(actual, JSON.stringify(text)).toStrictEqual(expected);
        verdicts.same++;
      }
    }
    // Both kinds are exercised, and the JS parser leaves few valid files to tree-sitter.
    expect(verdicts.same).toBeGreaterThan(100);
    expect(verdicts.rejected).toBeGreaterThan(100);
    expect(verdicts.leftToTreeSitter).toBeLessThan(20);
  });
});
