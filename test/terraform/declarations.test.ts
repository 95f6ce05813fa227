/**
 * `Declarations`: a module's declarations of one kind by name, kept as the declaration itself
 * for a name declared once and as a list for a name declared more than once (modules.ts).
 */
import { describe, expect, it } from 'vitest';
import { Declarations, type TfDecl } from '../../src/terraform/modules.js';

/** A declaration as the checks read it; only its identity matters here. */
function decl(name: string, file: string): TfDecl {
  return { kind: 'variable', name, file: { file: { path: file } } as unknown as TfDecl['file'], offsets: [0, name.length] };
}

describe('Declarations', () => {
  it('answers a name declared once with a list of that declaration, and an unknown name with undefined', () => {
    const map = new Declarations<TfDecl>();
    const region = decl('region', 'variables.tf');
    map.add('region', region);
    expect(map.has('region')).toBe(true);
    expect(map.has('zone')).toBe(false);
    expect(map.list('region')).toStrictEqual([region]);
    expect(map.list('region')?.[0]).toBe(region);
    expect(map.list('zone')).toBeUndefined();
    expect(map.size).toBe(1);
  });

  it('keeps every declaration of a name declared more than once, in the order they were added', () => {
    const map = new Declarations<TfDecl>();
    const [first, second, third] = [decl('zone', 'a.tf'), decl('zone', 'b.tf'), decl('zone', 'c.tf')];
    map.add('zone', first);
    map.add('zone', second);
    map.add('zone', third);
    expect(map.list('zone')).toStrictEqual([first, second, third]);
    expect(map.size).toBe(1);
  });

  it('visits every name in the order it was first declared, and only the names declared more than once for duplicates', () => {
    const map = new Declarations<TfDecl>();
    const zoneA = decl('zone', 'a.tf');
    const region = decl('region', 'a.tf');
    const zoneB = decl('zone', 'b.tf');
    const name = decl('name', 'b.tf');
    map.add('zone', zoneA);
    map.add('region', region);
    map.add('zone', zoneB);
    map.add('name', name);
    const all: Array<[string, readonly TfDecl[]]> = [];
    map.forEachName((decls, key) => all.push([key, decls]));
    expect(all).toStrictEqual([['zone', [zoneA, zoneB]], ['region', [region]], ['name', [name]]]);
    const duplicates: Array<[string, readonly TfDecl[]]> = [];
    map.forEachDuplicate((decls, key) => duplicates.push([key, decls]));
    expect(duplicates).toStrictEqual([['zone', [zoneA, zoneB]]]);
  });
});
