import { defineRule } from '../src/model/rule.js';
import { compareStrings } from '../src/engine/collections.js';
import { terraformArtifact } from '../src/engine/terraform-artifacts.js';

export default defineRule({
  meta: {
    id: 'no-tracked-ignored-files',
    description: 'Disallow tracked files that the repository ignores',
    scope: 'repository',
    category: 'reliability',
    defaultLevel: 'warning',
    recommended: true,
    messages: {
      trackedIgnored:
        'File {{file}} is tracked although the repository ignores it: it was added with `git add -f` or before its ignore line, so it ships with every commit while .gitignore says it should not. Remove it from the index with `git rm --cached {{file}}`, or, if it belongs in git, add a `!{{file}}` exception to .gitignore.',
    },
    docs: {
      rationale:
        'A tracked file that `.gitignore` ignores was force-added or committed before the ignore line was written. Either it is an artifact (bytecode, build output, local settings, state) that should never have been committed, or the ignore line is broader than intended and other files like it will silently be left out. Both deserve a look before the commit. Terraform state and `.terraform/` directories are reported by `no-committed-terraform-state` instead.',
      incorrect: [
        {
          title: 'Committed Python bytecode',
          files: { '.gitignore': '__pycache__/\n*.pyc\n', 'orchestration/__pycache__/defs.cpython-312.pyc': 'bytecode\n', 'orchestration/defs.py': 'defs = None\n' },
          tracked: ['.gitignore', 'orchestration/__pycache__/defs.cpython-312.pyc', 'orchestration/defs.py'],
        },
      ],
      correct: [
        {
          title: 'Ignored files stay untracked',
          files: { '.gitignore': '__pycache__/\n', 'orchestration/__pycache__/defs.cpython-312.pyc': 'bytecode\n', 'orchestration/defs.py': 'defs = None\n' },
          tracked: ['.gitignore', 'orchestration/defs.py'],
        },
      ],
      whenNotToUse: 'When the repository deliberately commits some ignored files (for example vendored build output) and prefers that to `!` exceptions in .gitignore.',
    },
  },
  check(ctx) {
    const { model } = ctx;
    for (const root of model.roots) {
      const files = [...root.trackedIgnored].sort(compareStrings);
      for (const file of files) {
        if (terraformArtifact(file)) continue;
        const source = model.fileAt(root, file);
        if (source) ctx.report({ file: source, messageId: 'trackedIgnored', data: { file } });
      }
    }
  },
});
