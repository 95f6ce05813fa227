/**
 * The language server's model memo (src/lsp/model-memo.ts) decides, per kustomize build and per
 * file, whether the objects of the last run are handed out again. Its comparisons are loops
 * (round 6: `sameItems`, `marked`, `appliedObjects` without `every`/`some`/`filter`/`find`); these
 * named cases pin the decisions themselves, so that a loop which stops too early or too late
 * (a written list that differs only in its last item, an entry handed out twice in one run, an
 * entry of two runs ago) fails here rather than as a stale finding in an editor.
 */
import { describe, expect, it } from 'vitest';
import type { AppliedDocument } from '../../src/kustomize/build.js';
import { ModelMemo } from '../../src/lsp/model-memo.js';
import type { Resource, SourceFile } from '../../src/model/workspace.js';

/** A stand-in resource: the memo compares resources by identity and reads only these fields. */
const resource = (name: string, namespace = 'default'): Resource => ({ name, namespace, appliedNamespace: namespace }) as unknown as Resource;
const documents = (count: number): AppliedDocument[] => Array.from({ length: count }, () => ({}) as AppliedDocument);

/** `appliedObjects` in a new run, and whether it reused what it gave. */
function objectsIn(memo: ModelMemo, docs: readonly AppliedDocument[], build: Resource | undefined, written: ReadonlyArray<Resource | undefined>, newRun = true) {
  if (newRun) memo.startRun();
  const made = [resource('made')];
  const objects = memo.appliedObjects(docs, build, written, () => made);
  return { objects, reused: objects !== made };
}

describe("the model memo's reuse of a build's applied objects", () => {
  it('hands out the objects of the last run when the build output, the Kustomization and every written resource are the same objects', () => {
    const memo = new ModelMemo();
    const docs = documents(3);
    const build = resource('apps');
    const written = [resource('a'), resource('b'), resource('c')];
    const first = objectsIn(memo, docs, build, written);
    expect(first.reused).toBe(false);
    // An equal list, not the same one: the items decide.
    const second = objectsIn(memo, docs, build, [...written]);
    expect(second).toEqual({ objects: first.objects, reused: true });
    expect(memo.stats).toEqual({ reused: 1, made: 0 });
  });

  it('makes new objects when only the last written resource is another object', () => {
    const memo = new ModelMemo();
    const docs = documents(3);
    const build = resource('apps');
    const [a, b] = [resource('a'), resource('b')];
    objectsIn(memo, docs, build, [a, b, resource('c')]);
    expect(objectsIn(memo, docs, build, [a, b, resource('c')]).reused).toBe(false);
    expect(memo.stats).toEqual({ reused: 0, made: 1 });
  });

  it('makes new objects when only the first written resource is another object, or a document has none', () => {
    const memo = new ModelMemo();
    const docs = documents(2);
    const b = resource('b');
    objectsIn(memo, docs, undefined, [resource('a'), b]);
    expect(objectsIn(memo, docs, undefined, [resource('a'), b]).reused).toBe(false);
    expect(objectsIn(memo, docs, undefined, [undefined, b]).reused).toBe(false);
    expect(objectsIn(memo, docs, undefined, [undefined, b]).reused).toBe(true);
  });

  it('makes new objects when the written list is longer or shorter, even with the same first items', () => {
    const memo = new ModelMemo();
    const docs = documents(2);
    const [a, b] = [resource('a'), resource('b')];
    objectsIn(memo, docs, undefined, [a, b]);
    expect(objectsIn(memo, docs, undefined, [a, b, resource('c')]).reused).toBe(false);
    expect(objectsIn(memo, docs, undefined, [a]).reused).toBe(false);
  });

  it('makes new objects for another Kustomization applying the same build output', () => {
    const memo = new ModelMemo();
    const docs = documents(1);
    const written = [resource('a')];
    objectsIn(memo, docs, resource('apps'), written);
    expect(objectsIn(memo, docs, resource('other'), written).reused).toBe(false);
  });

  it('hands out an entry once per run: a second build of the same output in that run gets its own objects, and both are kept', () => {
    const memo = new ModelMemo();
    const docs = documents(1);
    const build = resource('apps');
    const written = [resource('a')];
    const one = objectsIn(memo, docs, build, written);
    const two = objectsIn(memo, docs, build, written, false);
    expect(two.reused).toBe(false);
    expect(two.objects).not.toBe(one.objects);
    // The next run finds both, the first one first.
    const three = objectsIn(memo, docs, build, written);
    const four = objectsIn(memo, docs, build, written, false);
    expect([three.objects, four.objects]).toEqual([one.objects, two.objects]);
    expect(three.objects).toBe(one.objects);
    expect(four.objects).toBe(two.objects);
    expect(objectsIn(memo, docs, build, written, false).reused).toBe(false);
  });

  it('forgets an entry no run used for a run: a build skipped for one run is made again', () => {
    const memo = new ModelMemo();
    const docs = documents(1);
    const written = [resource('a')];
    objectsIn(memo, docs, undefined, written);
    memo.startRun();
    expect(objectsIn(memo, docs, undefined, written).reused).toBe(false);
    expect(objectsIn(memo, docs, undefined, written).reused).toBe(true);
  });
});

describe("the model memo's reuse of a file's written resources", () => {
  it("hands out an unchanged file's resources again, each with its namespace as written", () => {
    const memo = new ModelMemo();
    const file = {} as SourceFile;
    const made = [resource('a', 'one'), resource('b', 'two')];
    memo.startRun();
    expect(memo.resourcesOf(file, () => made)).toBe(made);
    made[0]!.appliedNamespace = 'moved';
    made[1]!.appliedNamespace = 'moved';
    memo.startRun();
    expect(memo.resourcesOf(file, () => [resource('new')])).toBe(made);
    expect(made.map((item) => item.appliedNamespace)).toEqual(['one', 'two']);
    expect(memo.stats).toEqual({ reused: 1, made: 0 });
  });
});
