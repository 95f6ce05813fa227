import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import jsYaml from 'js-yaml';
import { UNKNOWN_VARIABLE, dollarsOnlyInSopsBlocks, evaluateSubstitution, readsAsItself, substitutedValue, type VariableLookup } from '../../src/flux/substitution.js';

const values: Record<string, string | typeof UNKNOWN_VARIABLE> = { NAME: 'web', EMPTY: '', N: '2', SECRET: UNKNOWN_VARIABLE, quote: '"', YES: 'yes', PAIR: 'a: b' };
const lookup: VariableLookup = (name) => values[name];
const text = (written: string): string | undefined => evaluateSubstitution(written, lookup)?.text;

describe('evaluateSubstitution', () => {
  it('substitutes variables and collapses $$ as fluxcd/pkg envsubst does', () => {
    expect(text('app-${NAME}')).toBe('app-web');
    expect(text('$${NAME} costs $$5')).toBe('${NAME} costs $5');
    expect(text('$$$${NAME}')).toBe('$${NAME}');
    expect(text('$$${NAME}')).toBe('$web');
    expect(text('$NAME and $(NAME)')).toBe('$NAME and $(NAME)');
  });

  it('uses defaults when the variable is unset or empty', () => {
    expect(text('${MISSING:=ReadWriteOnce}')).toBe('ReadWriteOnce');
    expect(text('${EMPTY:-x}')).toBe('x');
    expect(text('${MISSING=x}')).toBe('x');
    expect(text('${MISSING:+x}')).toBe('x');
    expect(text('${NAME:=x}')).toBe('web');
    expect(text('${MISSING:=pre-${NAME}-post}')).toBe('pre-web-post');
    expect(text('${MISSING:=a\\/b\\\\c$$d}')).toBe('a/b\\c$d');
  });

  it('gives no result when the value cannot be known or the text does not parse', () => {
    expect(text('${MISSING}')).toBeUndefined();
    expect(text('${SECRET}')).toBeUndefined();
    expect(text('${SECRET:=x}')).toBeUndefined();
    expect(text('${NAME:=${MISSING}}')).toBeUndefined();
    expect(text('${NAME^^}')).toBeUndefined();
    expect(text('${#NAME}')).toBeUndefined();
    expect(text('${}')).toBeUndefined();
    expect(text('${NAME')).toBeUndefined();
  });
});

describe('substitutedValue', () => {
  it('parses a plain scalar again, as YAML', () => {
    expect(substitutedValue('${N}', lookup)).toEqual({ value: 2 });
    expect(substitutedValue('${quote}${N}${quote}', lookup)).toEqual({ value: '2' });
    expect(substitutedValue('${EMPTY}', lookup)).toEqual({ value: null });
    expect(substitutedValue('x-${N}', lookup)).toEqual({ value: 'x-2' });
  });

  it('keeps quoted and multi-line strings strings', () => {
    expect(substitutedValue('"${N}"', lookup)).toBeUndefined();
    expect(substitutedValue('port: ${N}', lookup)).toEqual({ value: 'port: 2' });
    expect(substitutedValue('line\n${N}', lookup)).toEqual({ value: 'line\n2' });
    expect(substitutedValue('say: ${quote}', lookup)).toBeUndefined();
  });

  it('does not trust values that YAML 1.1 and 1.2 read differently, or that change the structure', () => {
    expect(substitutedValue('${YES}', lookup)).toBeUndefined();
    expect(substitutedValue('${PAIR}', lookup)).toBeUndefined();
  });
});

describe('readsAsItself', () => {
  // What the parser makes of `v: <text>` in each YAML version; readsAsItself must never disagree.
  const parsedAs = (text: string, version: '1.1' | '1.2'): unknown => {
    const doc = parseDocument(`v: ${text}`, { version, logLevel: 'error' });
    return doc.errors.length > 0 ? Symbol('error') : (doc.toJS() as { v: unknown } | null)?.v;
  };
  const agreesWithParser = (text: string): void => {
    expect([text, parsedAs(text, '1.1'), parsedAs(text, '1.2')]).toEqual([text, text, text]);
  };

  it('takes host names, URLs and paths as the strings they are', () => {
    for (const text of ['homelab.example.net', 'http://seaweedfs-s3.seaweedfs.svc.cluster.local:8333', '/var/lib/data', 'ghcr.io/acme/app:v1.2@sha256', 'a~b', 'Yesterday', 'nulls']) {
      expect(readsAsItself(text)).toBe(true);
      agreesWithParser(text);
    }
  });

  it('leaves numbers, booleans, nulls, flow and comment syntax to the parser', () => {
    for (const text of ['2', '1.5', '.inf', '0x1F', '12:30', '2024-01-01', 'yes', 'Off', 'Y', 'n', 'NULL', 'True', '~', 'a b', 'a #b', 'key:', '[a]', '{a: 1}', '"q"', "'q'", '-a', '*ref', '&a', '!tag x', '']) {
      expect(readsAsItself(text)).toBe(false);
    }
  });

  it('agrees with the parser on every string it accepts among 20,000 random ones', () => {
    const alphabet = 'aAyYnNoOtTfFeE_/.:@%+=~-019 #{}[],&*!|>\'"';
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let accepted = 0;
    for (let i = 0; i < 20000; i++) {
      let text = '';
      for (let length = 1 + next(6); length > 0; length--) text += alphabet[next(alphabet.length)];
      if (!readsAsItself(text)) continue;
      accepted++;
      agreesWithParser(text);
    }
    expect(accepted).toBeGreaterThan(100);
  });
});

describe('dollarsOnlyInSopsBlocks', () => {
  const SOPS = ['sops:', '    age: []', '    lastmodified: "2026-11-01T10:00:00Z"', '    # the selection', '    encrypted_regex: ^(data|stringData)$', '    version: 3.10.2'];
  const secret = (...body: string[]): string => ['apiVersion: v1', 'kind: Secret', 'metadata:', '    name: db', ...body, ''].join('\n');
  const answer = (text: string): boolean => {
    let values: unknown[] = [];
    try {
      values = jsYaml.loadAll(text);
    } catch {
      // Text js-yaml refuses has no values: only the text decides.
    }
    return dollarsOnlyInSopsBlocks(text, values.map((value) => ({ value })));
  };

  it('is true when the only $ is in the sops metadata, in each document of a file', () => {
    expect(answer(secret('stringData:', '    password: ENC[AES256_GCM,data:Zm9v,type:str]', ...SOPS))).toBe(true);
    expect(answer(`${secret('data: {}', ...SOPS)}---\n${secret('data: {}', ...SOPS)}`)).toBe(true);
  });

  it('is false for a $ anywhere else, or where the text leaves any doubt', () => {
    // A value to substitute beside the metadata.
    expect(answer(secret('stringData:', '    url: https://${DOMAIN}/', ...SOPS))).toBe(false);
    // After the sops block, at the top level.
    expect(answer(secret(...SOPS, 'note: ${NOTE}'))).toBe(false);
    // Flow-style metadata, a tab-indented line, a $ at column 0.
    expect(answer(secret('sops: {encrypted_regex: ^(data)$}'))).toBe(false);
    expect(answer(secret('sops:', '\tencrypted_regex: ^(data)$'))).toBe(false);
    expect(answer(['a: "x', '$y"', ...SOPS, ''].join('\n'))).toBe(false);
    // A pair named sops inside a flow collection continued at column 0 is not the top-level mapping.
    expect(answer(['list: [a,', 'sops:', '    b$]', ''].join('\n'))).toBe(false);
  });

  it('accepts a sops: line with a comment or a CRLF ending, and a last sops block without a final newline', () => {
    expect(answer(secret('data: {}', 'sops: # written by sops', ...SOPS.slice(1)))).toBe(true);
    expect(answer(secret('data: {}', ...SOPS).split('\n').join('\r\n'))).toBe(true);
    expect(answer(secret('data: {}', ...SOPS).slice(0, -1))).toBe(true);
    // Text after the key on the sops: line: not a block mapping's key line.
    expect(answer(secret('data: {}', 'sops: x', ...SOPS.slice(1)))).toBe(false);
  });

  it('answers (false) for a $ on an indented line when the text starts with an empty line and has no column-0 line above it', () => {
    // The walk up from the $ line reached the empty first line and, looking before offset 0, found it again: it never ended.
    expect(answer('\n  a: $x\n')).toBe(false);
    expect(answer('\n\n# note\n  a: $x\n')).toBe(false);
    expect(answer(['', '  apiVersion: v1', '  kind: ConfigMap', '  data:', '    url: https://${DOMAIN}/', ''].join('\n'))).toBe(false);
  });
});
