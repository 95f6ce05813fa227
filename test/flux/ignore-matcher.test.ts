/**
 * ignoreMatcher answers as `ignore().add(patterns).ignores(path)` does: name patterns are
 * asked by folder and last name (each cached by the `ignore` package), other pattern sets by
 * the whole path.
 */
import ignore from 'ignore';
import { describe, expect, it } from 'vitest';
import { reuse } from '../../src/engine/reuse.js';
import { ignoreMatcher, keptSourceIgnoreMatchers, sourceIgnoreMatcher } from '../../src/flux/tree.js';
import type { Resource, RootFiles } from '../../src/model/workspace.js';

const PATHS = [
  'a.yaml', 'apps/a.yaml', 'apps/x/b.yml', 'apps/x/', 'apps/', '.git/', '.git/config', 'sub/.git/HEAD', '.github/', 'x/.github/workflows/ci.yaml',
  'logo.png', 'docs/img/logo.PNG', 'img.png/', 'img.png/inside.yaml', 'a/b/c/archive.tar.gz', 'a/b/c/archive.tar.gz.yaml', '.sops.yaml', 'deep/er/.sops.yaml',
  'x/.gitignore', '.flux.yaml', 'x/.goreleaser.yml', 'cloudbuild.yaml', 'x/cloudbuild.yaml', 'x/cloudbuild.yaml/', 'x/cloudbuild.yaml/y.yaml', 'secret/', 'secret/a.yaml',
  'a/secret/b.yaml', 'a/secrets/b.yaml', 'a/b/secret', 'tmp.yaml', 'a/tmp.yaml', 'ab/tmp.yaml/', 'c/d/e/f/g.yaml', 'c/d/e/f/', 'a.b', 'x/a.b/', 'x/.yaml',
];

const PATTERN_SETS: Record<string, string[]> = {
  'source-controller defaults': [
    '.git/', '.gitignore', '.gitmodules', '.gitattributes', '*.jpg', '*.jpeg', '*.gif', '*.png', '*.wmv', '*.flv', '*.tar.gz', '*.zip',
    '.github/', '.circleci/', '.travis.yml', '.gitlab-ci.yml', 'appveyor.yml', '.drone.yml', 'cloudbuild.yaml', 'codeship-services.yml',
    'codeship-steps.yml', '**/.goreleaser.yml', '**/.sops.yaml', '**/.flux.yaml',
  ],
  'names with wildcards': ['secret/', 'tmp.*', '?.b', '*.yaml/', '**/f/'],
  'wildcards only': ['**/', '.*', '*.'],
  'a pattern with a slash': ['secret/', 'apps/x/'],
  'a negation': ['*.yaml', '!a.yaml'],
  'a leading slash': ['/a.yaml', 'tmp.yaml'],
  'a double star inside': ['c/**/g.yaml', 'secret'],
  'a bracket': ['[ab].yaml', 'img.png'],
};

describe('ignoreMatcher', () => {
  for (const [name, patterns] of Object.entries(PATTERN_SETS)) {
    it(`answers as the ignore package does: ${name}`, () => {
      const reference = ignore().add(patterns);
      const matcher = ignoreMatcher(patterns);
      const expected = PATHS.map((path) => `${path} ${reference.ignores(path)}`);
      expect(PATHS.map((path) => `${path} ${matcher(path)}`)).toEqual(expected);
      // Not every path is ignored, nor none: the set tells the two apart.
      expect(expected.some((line) => line.endsWith('true'))).toBe(true);
      expect(expected.some((line) => line.endsWith('false'))).toBe(true);
    });
  }
});

describe('the source-ignore matchers the language server keeps between runs', () => {
  const tree = { root: { dir: '/repo' }, files: new Map(), dirs: new Set(['']), filesIn: new Map(), dirsIn: new Map() } as unknown as RootFiles;
  const repository = (ignored: string) => ({ value: { spec: { ignore: ignored } } }) as unknown as Resource;

  it('hands back the same matcher for the same spec.ignore, and keeps at most 256 as one is typed', () => {
    reuse.enabled = true;
    try {
      const first = sourceIgnoreMatcher(tree, repository('/secret/\n'));
      expect(sourceIgnoreMatcher(tree, repository('/secret/\n'))).toBe(first);
      expect(first('secret/a.yaml')).toBe(true);
      // Every keystroke in the editor is a new spec.ignore.
      for (let length = 1; length <= 400; length++) sourceIgnoreMatcher(tree, repository(`/${'x'.repeat(length)}/\n`));
      expect(keptSourceIgnoreMatchers()).toBe(256);
      const latest = sourceIgnoreMatcher(tree, repository(`/${'x'.repeat(400)}/\n`));
      expect(sourceIgnoreMatcher(tree, repository(`/${'x'.repeat(400)}/\n`))).toBe(latest);
      // The oldest went first: the first one is made again, and answers as before.
      const again = sourceIgnoreMatcher(tree, repository('/secret/\n'));
      expect(again).not.toBe(first);
      expect(again('secret/a.yaml')).toBe(true);
      expect(again('apps/a.yaml')).toBe(false);
      expect(keptSourceIgnoreMatchers()).toBe(256);
    } finally {
      reuse.enabled = false;
    }
  });
});
