/**
 * Tree-sitter's Wasm loads only when a Terraform file is not accepted by the JS parser: a
 * workspace of valid `.tf` files is checked without it, and the first file with a syntax error
 * loads it, so the `hcl-syntax` finding keeps tree-sitter's message and position. (Its own test
 * file: whether the parser is loaded is per process, and vitest runs each file in its own.)
 */
import { describe, expect, it } from 'vitest';
import syntaxRule from '../../rules/hcl-syntax.js';
import undeclaredRule from '../../rules/terraform-undeclared-reference.js';
import { hclParserLoaded } from '../../src/terraform/hcl.js';
import { lintExample } from '../../src/testing/index.js';

describe('the HCL parser loads lazily', () => {
  it('checks valid Terraform files without loading tree-sitter', async () => {
    const result = await lintExample(undeclaredRule, {
      files: {
        'infra/versions.tf': 'terraform {\n  required_version = ">= 1.6"\n}\n',
        'infra/main.tf': 'variable "name" {\n  type = string\n}\n\nlocals {\n  full = "${var.name}-${var.missing}"\n}\n',
      },
    });
    expect(result.findings.map((finding) => [finding.ruleId, finding.location.startLine, finding.location.startColumn])).toEqual([['terraform-undeclared-reference', 6, 25]]);
    expect(result.notes).toEqual([]);
    expect(hclParserLoaded()).toBe(false);
  });

  it('loads tree-sitter for a file with a syntax error, which it reports where it always did', async () => {
    const result = await lintExample(syntaxRule, {
      files: {
        'infra/main.tf': 'locals {\n  a = 1\n}\n',
        'infra/broken.tf': 'locals {\n  a = [1, 2]]\n}\n',
      },
    });
    expect(hclParserLoaded()).toBe(true);
    expect(result.findings.map((finding) => [finding.location.file, finding.location.startLine, finding.location.startColumn, finding.message])).toEqual([
      ['infra/broken.tf', 2, 13, expect.stringContaining('Invalid syntax at "]"')],
    ]);
  });
});
