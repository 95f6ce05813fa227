import { compareStrings, push } from '../src/engine/collections.js';
import { terraformArtifact } from '../src/engine/terraform-artifacts.js';
import { defineRule } from '../src/model/rule.js';

const IGNORE_LINES = '`*.tfstate`, `*.tfstate.*` and `.terraform/`';

export default defineRule({
  meta: {
    id: 'no-committed-terraform-state',
    description: 'Disallow committed Terraform state files and .terraform directories',
    scope: 'repository',
    category: 'security',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      trackedState: `Terraform state {{file}} is committed: it holds every secret of the managed resources in plaintext, and a local state drifts from the one the cluster's controller keeps. Remove it from the index with \`git rm --cached {{file}}\` and make sure .gitignore lists ${IGNORE_LINES}.`,
      trackedDirectory: `Terraform working directory {{dir}}/ is committed (files tracked: {{count}}): it holds provider binaries and may hold backend state, neither of which belongs in git. Remove it from the index with \`git rm -r --cached {{dir}}\` and make sure .gitignore lists ${IGNORE_LINES}.`,
      presentState: `Terraform state {{file}} is inside the repository: it holds every secret of the managed resources in plaintext and drifts from the state the cluster's controller keeps. Delete it or move it out of the repository, and list ${IGNORE_LINES} in .gitignore so it is never committed.`,
      presentDirectory: `Terraform working directory {{dir}}/ is inside the repository (files found: {{count}}): provider binaries and backend state do not belong in git. Delete it or move it out of the repository, and list ${IGNORE_LINES} in .gitignore so it is never committed.`,
    },
    docs: {
      rationale:
        'In a GitOps setup the Terraform state lives where the controller (tofu-controller) keeps it, in the cluster. A state file committed to git holds every secret of the managed resources in plaintext, and a local `terraform apply` that wrote it has already drifted from the state in the cluster (the seed repository learned this the hard way: its CI greps for `*.tfstate*`). A `.terraform/` directory holds provider binaries and sometimes backend state. The rule reads the files git tracks (the index with `--staged`), so a file added with `git add -f` despite `.gitignore` is caught too; outside git it reports the files present in the folder.',
      incorrect: [
        {
          title: 'A state file force-added despite .gitignore',
          files: { '.gitignore': '*.tfstate\n', 'orchestration/airbyte/terraform/terraform.tfstate': '{"version": 4}\n' },
          tracked: ['.gitignore', 'orchestration/airbyte/terraform/terraform.tfstate'],
        },
        {
          title: 'A committed .terraform directory',
          files: { 'infra/main.tf': 'terraform {}\n', 'infra/.terraform/modules/modules.json': '{"Modules": []}\n' },
          tracked: ['infra/main.tf', 'infra/.terraform/modules/modules.json'],
        },
      ],
      correct: [
        {
          title: 'State stays out of git; the lock file is committed',
          files: {
            '.gitignore': '*.tfstate\n*.tfstate.*\n.terraform/\n',
            'infra/main.tf': 'terraform {}\n',
            'infra/.terraform.lock.hcl': '# provider locks\n',
            'infra/terraform.tfstate': '{"version": 4}\n',
          },
          tracked: ['.gitignore', 'infra/main.tf', 'infra/.terraform.lock.hcl'],
        },
      ],
      whenNotToUse: 'When Terraform in the repository is applied by hand with a local backend on purpose, and the state is encrypted some other way (for example with SOPS as a separate file).',
    },
  },
  check(ctx) {
    const { model } = ctx;
    for (const root of model.roots) {
      const tracked = root.tracked !== null;
      // Only the (rare) Terraform artifacts are sorted, not every path of the root: the same order for them.
      const found: Array<{ file: string; artifact: NonNullable<ReturnType<typeof terraformArtifact>> }> = [];
      const collect = (file: string): void => {
        const artifact = terraformArtifact(file);
        if (artifact) found.push({ file, artifact });
      };
      if (root.tracked) root.tracked.forEach(collect);
      else for (const file of model.files) if (file.root === root) collect(file.path);
      found.sort((a, b) => compareStrings(a.file, b.file));
      const directories = new Map<string, string[]>();
      for (const { file, artifact } of found) {
        if (artifact.kind === 'directory') {
          push(directories, artifact.dir, file);
          continue;
        }
        const source = model.fileAt(root, file);
        if (source) ctx.report({ file: source, messageId: tracked ? 'trackedState' : 'presentState', data: { file } });
      }
      // One finding per directory, on its first file: a provider cache has many files and one fix.
      for (const [dir, files] of directories) {
        const first = files[0];
        if (first === undefined) continue;
        const source = model.fileAt(root, first);
        if (source) ctx.report({ file: source, messageId: tracked ? 'trackedDirectory' : 'presentDirectory', data: { dir, count: files.length } });
      }
    }
  },
});
