import { describe, expect, it } from 'vitest';
import { UNKNOWN_VARIABLE, evaluateSubstitution, substitutedValue, type VariableLookup } from '../../src/flux/substitution.js';

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
