import { defineRule } from '../src/model/rule.js';

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
    for (const file of ctx.model.files) {
      for (const problem of file.problems) {
        const messageId = MESSAGES[problem.code] ?? 'syntax';
        const problemText = problem.message.replace(/\.$/, '');
        ctx.report({ file, offsets: problem.offsets, messageId, data: { problem: problemText } });
      }
    }
  },
});
