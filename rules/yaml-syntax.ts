import { defineRule, type RuleContext } from '../src/model/rule.js';
import type { SourceFile } from '../src/model/workspace.js';
import { isScalar, visit, type Document, type Scalar } from 'yaml';

const MESSAGES: Record<string, 'duplicateKey' | 'aliasLimit' | 'complexKey'> = {
  DUPLICATE_KEY: 'duplicateKey',
  ALIAS_LIMIT: 'aliasLimit',
  COMPLEX_KEY: 'complexKey',
};

export default defineRule({
  meta: {
    id: 'yaml-syntax',
    description: 'Require YAML and JSON files to parse, without duplicate keys',
    scope: 'repository',
    dependsOn: 'file',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      syntax: 'Invalid YAML: {{problem}}.',
      duplicateKey: 'Duplicate key: the last value silently wins in most tools and sops refuses the file.',
      aliasLimit: 'Too many alias expansions: {{problem}}.',
      complexKey: 'A mapping key is a collection: Kubernetes, kustomize and Helm accept only scalar keys.',
    },
    docs: {
      rationale:
        'A file that does not parse fails the whole Flux Kustomization that applies it, and duplicate keys are worse: most YAML tools keep the last value without a word, so what is reviewed is not what is applied, and sops refuses such files outright.',
      incorrect: [
        { files: { 'deploy/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: fast\n  mode: safe\n' } },
        { files: { 'deploy/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  labels: {a: b\n' } },
        { files: { 'deploy/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  ? {mode: fast}\n  : safe\n' } },
      ],
      correct: [{ files: { 'deploy/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: fast\n' } }],
    },
  },
  check(ctx) {
    const files = ctx.model.files;
    for (let index = 0; index < files.length; index++) {
      const file = files[index]!;
      if (file.problems.length > 0) reportProblems(ctx, file);
      // The parsers merge every `<<` of a mapping without a word, but YAML keys are unique and
      // go-yaml (kustomize, kubectl) refuses the repeated key.
      // Asked once per file, here only: a plain scan, not a cached text fact.
      if (file.text === undefined || !file.text.includes('<<')) continue;
      for (const document of file.documents) {
        for (const offsets of repeatedMergeKeys(document.doc)) ctx.report({ file, offsets, messageId: 'duplicateKey' });
      }
    }
  },
});

/** A file's syntax problems (most files have none: nothing is made for them). */
function reportProblems(ctx: RuleContext<'syntax' | 'duplicateKey' | 'aliasLimit' | 'complexKey', unknown>, file: SourceFile): void {
  // One syntax error per document: the parser reports every line a misplaced block or
  // unclosed collection throws off (dozens for one wrong indent); the first is the cause.
  const reported = new Set<number>();
  for (const problem of [...file.problems].sort((a, b) => a.offsets[0] - b.offsets[0])) {
    const messageId = MESSAGES[problem.code] ?? 'syntax';
    // Nesting deeper than the parser's recursion (~900 levels) is valid YAML (go-yaml allows
    // 10,000): the linter cannot read it, which is not an error of the file.
    if (/maximum call stack/i.test(problem.message)) {
      ctx.model.note({ message: `Skipped ${file.path}: nested too deeply for the YAML parser (about 900 levels), so it was not checked.`, file: file.absPath });
      continue;
    }
    if (messageId === 'syntax') {
      const document = documentAt(file, problem.offsets[0]);
      if (reported.has(document)) continue;
      reported.add(document);
    }
    const problemText = problem.message.replace(/\.$/, '');
    ctx.report({ file, offsets: problem.offsets, messageId, data: { problem: problemText } });
  }
}

/** The second and later `<<` keys of each mapping of a document. */
function repeatedMergeKeys(doc: Document.Parsed): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  visit(doc, {
    Map(_key, map) {
      const merges = map.items.filter((pair) => isScalar(pair.key) && typeof pair.key.value === 'symbol' && pair.key.range);
      for (const pair of merges.slice(1)) {
        const range = (pair.key as Scalar).range as [number, number, number];
        found.push([range[0], range[1]]);
      }
    },
  });
  return found;
}

/** The index of the document holding an offset (documents are in text order). */
function documentAt(file: SourceFile, offset: number): number {
  let index = 0;
  file.documents.forEach((document, i) => {
    if (document.doc.range[0] <= offset) index = i;
  });
  return index;
}
