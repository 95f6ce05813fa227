import { afterEach, describe, expect, it } from 'vitest';
import { lint } from '../../src/index.js';
import { modelOf } from '../helpers.js';

// Issue 10, item 3: work per document or per reference must not grow with the size of the
// file or of the model. Measured by counting operations, never by timing.

const originalIncludes = String.prototype.includes;

afterEach(() => {
  String.prototype.includes = originalIncludes;
});

describe('linear lookups', () => {
  it('scans the whole text of a file with 2,000 documents a bounded number of times', async () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n---\n'.repeat(2000);
    let wholeTextScans = 0;
    // Counts `includes` calls on the file's text itself (the same string, not a slice of it).
    String.prototype.includes = function (this: string, ...args: Parameters<string['includes']>) {
      if (this.length === text.length && this.valueOf() === text) wholeTextScans++;
      return originalIncludes.apply(this, args);
    };
    const result = await lint({ roots: [{ dir: '/virtual/many', files: { 'all.yaml': text } }] });
    String.prototype.includes = originalIncludes;
    expect(result.resourceCount).toBe(2000);
    // A constant per file and question asked (today's code scanned it for every document).
    expect(wholeTextScans).toBeLessThan(20);
  });

  it('finds an object by kind and name without reading every object of the kind', () => {
    const secrets = Array.from({ length: 50 }, (_, i) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s${i}\n  namespace: apps\n`).join('---\n');
    const model = modelOf({ repo: { 'secrets.yaml': secrets } });
    const reads = new Set<string>();
    for (const resource of [...model.resources, ...model.written]) {
      const name = resource.name;
      Object.defineProperty(resource, 'name', {
        get() {
          reads.add(name);
          return name;
        },
      });
    }
    expect(model.find({ kind: 'Secret', name: 's7', namespace: 'apps' }).map((resource) => resource.name)).toEqual(['s7']);
    expect(model.unapplied('Secret', 's7')).toEqual([]);
    // Only the match itself is read (today's lookup compared the name of every Secret).
    expect([...reads]).toEqual(['s7']);
  });
});
