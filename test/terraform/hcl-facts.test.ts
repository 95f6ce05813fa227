/**
 * `hclFactsOf`: what the Terraform checks read of a parsed file, and what the HCL parse cache
 * keeps. Each case pins the facts of a small file, offsets included.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveStaticPath } from '../../src/terraform/files.js';
import { blocksOf, callArgAt, callArgOffsetsAt, callsOf, hclFactsOf, referencesOf, staticExpr, typeOffsetsOf } from '../../src/terraform/hcl-facts.js';
import { loadHclParser, parseHclWithJs, parseHclWithTreeSitter, type HclExpr, type HclFile } from '../../src/terraform/hcl.js';
import { staticString } from '../../src/terraform/modules.js';

function parsed(text: string): HclFile {
  const out = parseHclWithJs(text);
  if (!out) throw new Error('not accepted by the JS parser');
  return out;
}

/** Every expression of a file: attribute values, call arguments, and what is nested in them. */
function expressions(hcl: HclFile): HclExpr[] {
  const out: HclExpr[] = [];
  const visit = (expr: HclExpr): void => {
    out.push(expr);
    if (expr.kind === 'template') for (const part of expr.parts) if (typeof part !== 'string') visit(part);
    if (expr.kind === 'object') for (const item of expr.items) visit(item.value);
    if (expr.kind === 'tuple') expr.items.forEach(visit);
    if (expr.kind === 'call') expr.args.forEach(visit);
  };
  const body = (b: HclFile['body']): void => {
    for (const attribute of b.attributes) visit(attribute.value);
    for (const block of b.blocks) body(block.body);
  };
  body(hcl.body);
  return out;
}

/** `[start, end)` of the `occurrence`-th (from 0) `needle` in `text`. */
function span(text: string, needle: string, occurrence = 0): [number, number] {
  let start = -1;
  for (let i = 0; i <= occurrence; i++) start = text.indexOf(needle, start + 1);
  if (start === -1) throw new Error(`${needle} not found`);
  return [start, start + needle.length];
}

const REPO = path.resolve(import.meta.dirname, '..', '..');

function hclFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...hclFiles(full));
    else if (/\.(tf|tofu)$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

beforeAll(async () => {
  await loadHclParser();
});

describe('hclFactsOf', () => {
  it('keeps the blocks, and of their attributes what the checks read: source, provider and required_providers values', () => {
    const text = [
      'terraform {',
      '  required_providers {',
      '    airbyte = { source = "airbytehq/airbyte", version = "0.6.5" }',
      '  }',
      '}',
      'module "net" {',
      '  source = "./net"',
      '  zone   = upper(var.zone)',
      '}',
      'resource "aws_s3_bucket" "b" {',
      '  provider = aws.west',
      '  bucket   = "x"',
      '}',
      '',
    ].join('\n');
    const facts = hclFactsOf(parsed(text));
    const [terraform, module, resource] = blocksOf(facts);
    const object = span(text, '{ source = "airbytehq/airbyte", version = "0.6.5" }');
    expect(terraform?.blocks[0]?.attributes).toStrictEqual([
      {
        name: 'airbyte',
        nameOffsets: span(text, 'airbyte'),
        textOffsets: object,
        value: {
          kind: 'object',
          items: [
            // Nested parts keep what they are, not where: findings are placed on whole values.
            { key: 'source', value: { kind: 'literal', value: 'airbytehq/airbyte' } },
            { key: 'version', value: { kind: 'literal', value: '0.6.5' } },
          ],
          offsets: object,
        },
      },
    ]);
    expect(module).toMatchObject({ type: 'module', labels: ['net'], labelOffsets: [span(text, '"net"')], offsets: [span(text, 'module')[0], span(text, '}', 3)[1]] });
    expect(typeOffsetsOf(module as NonNullable<typeof module>)).toEqual(span(text, 'module'));
    expect(module?.attributes).toStrictEqual([
      { name: 'source', nameOffsets: span(text, 'source', 1), textOffsets: span(text, '"./net"'), value: { kind: 'literal', value: './net', offsets: span(text, '"./net"') } },
    ]);
    expect(resource?.attributes).toStrictEqual([
      { name: 'provider', nameOffsets: span(text, 'provider', 1), textOffsets: span(text, 'aws.west'), value: { kind: 'traversal', root: 'aws', attrs: ['west'], offsets: span(text, 'aws.west') } },
    ]);
  });

  it('keeps the names of locals with their places, a variable\'s default (by name) and type (with its text), and the nested blocks of terraform blocks only', () => {
    const text = [
      'terraform {',
      '  required_version = ">= 1.5"',
      '  backend "s3" {',
      '    bucket = "state"',
      '  }',
      '}',
      'variable "zone" {',
      '  type        = list(string)',
      '  default     = ["a"]',
      '  description = "zones"',
      '  validation {',
      '    condition     = length(var.zone) > 0',
      '    error_message = "empty"',
      '  }',
      '}',
      'locals {',
      '  a = var.zone',
      '}',
      'resource "x_y" "z" {',
      '  lifecycle {',
      '    prevent_destroy = true',
      '  }',
      '}',
      '',
    ].join('\n');
    const [terraform, variable, locals, resource] = blocksOf(hclFactsOf(parsed(text)));
    expect(terraform?.attributes).toStrictEqual([]);
    expect(terraform?.blocks).toStrictEqual([{ type: 'backend', labels: ['s3'], labelOffsets: [span(text, '"s3"')], offsets: [span(text, 'backend')[0], span(text, '}')[1]], attributes: [], blocks: [] }]);
    expect(variable?.attributes).toStrictEqual([{ name: 'type', textOffsets: span(text, 'list(string)') }, { name: 'default' }]);
    expect(variable?.blocks).toStrictEqual([]);
    const local = text.indexOf('  a = ') + 2;
    expect(locals?.attributes).toStrictEqual([{ name: 'a', nameOffsets: [local, local + 1] }]);
    expect(locals?.blocks).toStrictEqual([]);
    expect(resource?.attributes).toStrictEqual([]);
    expect(resource?.blocks).toStrictEqual([]);
  });

  it('keeps the calls the checks read, with the static part of their arguments, and references to var., local. and module.', () => {
    const text = [
      'locals {',
      '  a = jsonencode({ p = file("${path.module}/x.json"), t = [for s in var.list : upper(s)] })',
      '  b = try(file(local.path), null)',
      '  c = fileset(path.module, "*.json")',
      '  d = module.net.id',
      '  e = each.key',
      '}',
      '',
    ].join('\n');
    const facts = hclFactsOf(parsed(text));
    const calls = callsOf(facts);
    expect(calls.map((call) => call.name)).toEqual(['file', 'try', 'file', 'fileset']);
    expect(calls[0]).toStrictEqual({
      name: 'file',
      args: [{ kind: 'template', parts: [{ kind: 'traversal', root: 'path', attrs: ['module'] }, '/x.json'], offsets: span(text, '"${path.module}/x.json"') }],
      offsets: span(text, 'file("${path.module}/x.json")'),
    });
    // try's arguments are a call and a literal: the call becomes `other`, with its offsets.
    expect(calls[1]?.args).toStrictEqual([{ kind: 'other', offsets: span(text, 'file(local.path)') }, { kind: 'literal', value: null, offsets: span(text, 'null') }]);
    expect(facts.references).toStrictEqual(['var', 'list', ...span(text, 'var.list'), 'local', 'path', ...span(text, 'local.path'), 'module', 'net', ...span(text, 'module.net.id')]);
    expect(referencesOf(facts)).toStrictEqual([
      { root: 'var', name: 'list', offsets: span(text, 'var.list') },
      { root: 'local', name: 'path', offsets: span(text, 'local.path') },
      { root: 'module', name: 'net', offsets: span(text, 'module.net.id') },
    ]);
    expect(facts.branches).toEqual([]);
    expect(facts.errors).toEqual([]);
  });

  it('keeps each block as one flat record and the calls as one flat list (the layout the parse cache stores)', () => {
    const text = [
      'terraform {',
      '  backend "s3" {}',
      '}',
      'variable "zone" {',
      '  type    = string',
      '  default = "a"',
      '}',
      'locals {',
      '  p = file("${path.module}/x.json")',
      '}',
      '',
    ].join('\n');
    const facts = hclFactsOf(parsed(text));
    const [backend, variable, local, call, arg] = [span(text, 'backend'), span(text, 'variable'), span(text, 'p ='), span(text, 'file("${path.module}/x.json")'), span(text, '"${path.module}/x.json"')];
    expect(facts.blocks).toStrictEqual([
      // type, start, end, label count, then (label, start, end) per label, attributes read, nested blocks.
      ['terraform', 0, span(text, '}\nvariable')[0] + 1, 0, ['backend', backend[0], span(text, '{}')[1], 1, 's3', ...span(text, '"s3"')]],
      // A variable's type by the offsets of its text (mode 2), its default by name only (mode 0).
      ['variable', variable[0], span(text, '}\nlocals')[0] + 1, 1, 'zone', ...span(text, '"zone"'), 'type', 2, ...span(text, 'string'), 'default', 0],
      // A local by the place of its name (mode 1).
      ['locals', span(text, 'locals')[0], text.length - 1, 0, 'p', 1, local[0], local[0] + 1],
    ]);
    // name, start, end, argument count, then per argument its start, end and static part as JSON text.
    expect(facts.calls).toStrictEqual(['file', ...call, 1, ...arg, '{"kind":"template","parts":[{"kind":"traversal","root":"path","attrs":["module"]},"/x.json"]}']);
    expect(callArgAt(facts.calls, 0, 0)).toStrictEqual({ kind: 'template', parts: [{ kind: 'traversal', root: 'path', attrs: ['module'] }, '/x.json'], offsets: arg });
    expect(callArgOffsetsAt(facts.calls, 0, 0)).toStrictEqual(arg);
    expect(callArgAt(facts.calls, 0, 1)).toBeUndefined();
    expect(JSON.parse(JSON.stringify(facts))).toStrictEqual(facts);
  });

  it('keeps the syntax error of a file only tree-sitter parses', () => {
    const tree = parseHclWithTreeSitter('variable "a" {\n  type = string\n');
    expect(tree).toBeDefined();
    expect(hclFactsOf(tree as HclFile).errors).toStrictEqual([
      { message: 'Unclosed configuration block: there is no closing brace for this block before the end of the file', offsets: [0, 14] },
    ]);
  });

  it('survives JSON unchanged (what the parse cache stores) on every file of the repository', () => {
    for (const file of hclFiles(path.join(REPO, 'examples'))) {
      const hcl = parseHclWithJs(readFileSync(file, 'utf8')) ?? parseHclWithTreeSitter(readFileSync(file, 'utf8'));
      const facts = hclFactsOf(hcl as HclFile);
      expect(JSON.parse(JSON.stringify(facts)), path.relative(REPO, file)).toStrictEqual(facts);
    }
  });

  it('gives every attribute the offsets of its value text, with either parser', () => {
    for (const file of hclFiles(path.join(REPO, 'examples'))) {
      const text = readFileSync(file, 'utf8');
      for (const hcl of [parseHclWithJs(text), parseHclWithTreeSitter(text)]) {
        if (!hcl) continue;
        const check = (body: HclFile['body']): void => {
          for (const attribute of body.attributes) expect(text.slice(...attribute.textOffsets), path.relative(REPO, file)).toBe(attribute.text);
          for (const block of body.blocks) check(block.body);
        };
        check(hcl.body);
      }
    }
  });

  it('places every block\'s type keyword where the parse does (typeOffsetsOf), with either parser', () => {
    let compared = 0;
    for (const file of [...hclFiles(path.join(REPO, 'examples')), ...hclFiles(path.join(REPO, 'test'))]) {
      const text = readFileSync(file, 'utf8');
      for (const hcl of [parseHclWithJs(text), parseHclWithTreeSitter(text)]) {
        if (!hcl) continue;
        const check = (body: HclFile['body']): void => {
          for (const block of body.blocks) {
            expect(typeOffsetsOf(block), path.relative(REPO, file)).toEqual(block.typeOffsets);
            compared++;
            check(block.body);
          }
        };
        check(hcl.body);
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('keeps a reference only with a name: a bare var, local or module is not one', () => {
    const text = 'locals {\n  a = var\n  b = local.b.c\n}\n';
    const facts = hclFactsOf(parsed(text));
    expect(facts.references).toStrictEqual(['local', 'b', ...span(text, 'local.b.c')]);
  });

  it('answers staticString and resolveStaticPath for the static part as for the whole expression', () => {
    const snippets = [
      'locals {',
      '  a = file("${path.module}/${upper("x")}.json")',
      '  b = file("${1}/x")',
      '  c = file("a/${path.cwd}/b")',
      '  d = file(["a"][0])',
      '  e = file("${path.root}/${var.x}")',
      '  f = file("${path.module}/../../../x")',
      '  g = file({ a = "b" })',
      '  h = file("${path.module.x}/y")',
      '}',
      '',
    ].join('\n');
    let compared = 0;
    for (const text of [snippets, ...[...hclFiles(path.join(REPO, 'examples')), ...hclFiles(path.join(REPO, 'test'))].map((file) => readFileSync(file, 'utf8'))]) {
      const hcl = parseHclWithJs(text);
      if (!hcl) continue;
      for (const expr of expressions(hcl)) {
        const reduced = staticExpr(expr);
        expect(staticString(reduced)).toBe(staticString(expr));
        for (const isChild of [false, true]) expect(resolveStaticPath(reduced, { dir: 'infra/net' }, isChild)).toStrictEqual(resolveStaticPath(expr, { dir: 'infra/net' }, isChild));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(150);
  });
});
