import { defineRule } from '../src/model/rule.js';
import { FILE_FUNCTIONS, globToRegExp, resolveStaticPath } from '../src/terraform/files.js';
import { callArgAt, callArgOffsetsAt, callNameAt, callOffsetsAt, nextCall } from '../src/terraform/hcl-facts.js';
import type { Offsets } from '../src/terraform/hcl.js';
import { staticString, terraformIndex, type TfFile, type TfModule } from '../src/terraform/modules.js';

/** Whether a place is inside one of a file's conditional branches. */
function inBranch(branches: readonly Offsets[], offsets: Offsets): boolean {
  return branches.some(([start, end]) => start <= offsets[0] && offsets[1] <= end);
}

export default defineRule({
  meta: {
    id: 'terraform-file-path',
    description: 'Require the paths that Terraform file functions read to exist in the repository',
    scope: 'repository',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      missing: 'Function {{fn}}() reads {{written}}, which resolves to {{path}}: there is no such file in {{repo}}, so validate and plan fail ("no file exists at …"). Fix the path (after a folder was moved or renamed?).',
      missingInBranch:
        'Function {{fn}}() reads {{written}}, which resolves to {{path}}: there is no such file in {{repo}}. The call sits in one branch of a conditional, so validate and a plan that takes the other branch pass, and the plan fails once this branch is taken (a flag turned on). Fix the path, or add the file.',
      directory: 'Function {{fn}}() reads {{written}}, which resolves to the folder {{path}} of {{repo}}, not a file, so plan fails. Point it at a file.',
      outside: 'Function {{fn}}() reads {{written}}, which leaves the repository {{repo}}: the source artifact tofu-controller and CI check out holds only the repository, so the file is not there. Keep the file inside the repository.',
      filesetEmpty: 'Function fileset() matches no file: {{pattern}} under {{path}} in {{repo}}. Terraform returns an empty set without an error, so whatever iterates over it silently does nothing. Fix the folder or the pattern.',
    },
    messageLevels: { filesetEmpty: 'warning', missingInBranch: 'warning' },
    docs: {
      rationale:
        '`file()`, `templatefile()`, `filebase64()` (and the `filemd5`/`filesha*` family) fail the plan when the file is missing, and only see files that are part of the configuration\'s source: for tofu-controller that is the git artifact, so an untracked or git-ignored file, or one outside the repository, does not exist there. A folder rename that misses one `"${path.module}/../../assets/x.json"` breaks the run only in the cluster. The rule resolves paths built from literals, `path.module`, `path.root` and `path.cwd` the way Terraform does (relative paths and `path.root` from the root module\'s folder, `path.module` from the module\'s own; in a child module called by another, only `path.module` paths are checked), and checks them against the repository\'s files. `fileset()` with no match is not an error in Terraform, but the empty set is almost always a mistake: a warning. Paths holding variables, locals or other functions are not checked, nor reads that are meant to be optional: inside `try(…)` or `can(…)`, or of a path the module also probes with `fileexists(…)`. A missing file read in one branch of a conditional (`var.enabled ? file(…) : null`) is a warning: validate and a plan that takes the other branch pass. This is part of what the seed CI\'s `terraform validate` step catches.',
      incorrect: [
        {
          title: 'The assets folder was renamed',
          files: {
            'orchestration/airbyte/terraform/sources.tf': 'locals {\n  catalog = jsondecode(file("${path.module}/../../assets/catalog.json"))\n}\n',
            'orchestration/static/catalog.json': '{}\n',
          },
        },
      ],
      correct: [
        {
          files: {
            'orchestration/airbyte/terraform/sources.tf': 'locals {\n  catalog = jsondecode(file("${path.module}/../../static/catalog.json"))\n  schemas = fileset(path.module, "schemas/*.json")\n}\n',
            'orchestration/static/catalog.json': '{}\n',
            'orchestration/airbyte/terraform/schemas/orders.json': '{}\n',
          },
        },
      ],
      whenNotToUse: 'When files are generated into the module folder before Terraform runs (a CI step, a custom runner image): the rule only sees what is in the repository.',
    },
  },
  check(ctx) {
    const index = terraformIndex(ctx.model);
    // Indexed loops: no iterator result per module and file (see modules.ts).
    for (let moduleIndex = 0; moduleIndex < index.modules.length; moduleIndex++) {
      const module = index.modules[moduleIndex] as TfModule;
      const tree = ctx.model.rootFiles(module.root);
      const isChild = index.isChild(module.root, module.dir);
      // Paths the module probes with fileexists(): a read of them is meant to be optional.
      const probed = new Set<string>();
      for (let fileIndex = 0; fileIndex < module.files.length; fileIndex++) {
        const calls = (module.files[fileIndex] as TfFile).hcl.calls;
        for (let at = 0; at < calls.length; at = nextCall(calls, at)) {
          if (callNameAt(calls, at) !== 'fileexists') continue;
          const target = resolveStaticPath(callArgAt(calls, at, 0), module, isChild);
          if (target.status !== 'unknown') probed.add(target.status === 'resolved' ? target.path : `\0${target.written}`);
        }
      }
      for (let fileIndex = 0; fileIndex < module.files.length; fileIndex++) {
        const file = module.files[fileIndex] as TfFile;
        const calls = file.hcl.calls;
        // try(…) and can(…) turn a read error into a fallback value or `false`.
        let guards: Offsets[] | undefined;
        for (let at = 0; at < calls.length; at = nextCall(calls, at)) {
          const fn = callNameAt(calls, at);
          if (fn === 'try' || fn === 'can') (guards ??= []).push(callOffsetsAt(calls, at));
        }
        for (let at = 0; at < calls.length; at = nextCall(calls, at)) {
          const fn = callNameAt(calls, at);
          const reads = FILE_FUNCTIONS.has(fn);
          if (!reads && fn !== 'fileset') continue;
          // The index resolved the reads already (to tell template inputs from configuration).
          const target = reads ? index.staticPath(module, file, at) : resolveStaticPath(callArgAt(calls, at, 0), module, isChild);
          if (target.status === 'unknown') continue;
          const callStart = calls[at + 1] as number;
          const callEnd = calls[at + 2] as number;
          if (fn !== 'fileset') {
            if (guards !== undefined && guards.some(([start, end]) => start <= callStart && callEnd <= end)) continue;
            if (probed.has(target.status === 'resolved' ? target.path : `\0${target.written}`)) continue;
          }
          // Most reads find their file: nothing is worded for them.
          if (fn !== 'fileset' && target.status === 'resolved' && tree.files.has(target.path)) continue;
          const data = { fn, written: JSON.stringify(target.written), repo: module.root.name };
          const call = callOffsetsAt(calls, at);
          const offsets = callArgOffsetsAt(calls, at, 0) ?? call;
          if (target.status === 'outside') {
            ctx.report({ file: file.file, offsets, messageId: 'outside', data });
            continue;
          }
          const shown = target.path === '' ? '.' : target.path;
          if (fn !== 'fileset') {
            const messageId = tree.dirs.has(target.path) ? 'directory' : inBranch(file.hcl.branches, call) ? 'missingInBranch' : 'missing';
            ctx.report({ file: file.file, offsets, messageId, data: { ...data, path: shown } });
            continue;
          }
          const pattern = staticString(callArgAt(calls, at, 1));
          if (pattern === undefined) continue;
          const regexp = globToRegExp(pattern);
          const prefix = target.path === '' ? '' : `${target.path}/`;
          let matches = false;
          for (const path of tree.files.keys()) {
            if (path.startsWith(prefix) && regexp.test(path.slice(prefix.length))) {
              matches = true;
              break;
            }
          }
          if (!matches) ctx.report({ file: file.file, offsets: call, messageId: 'filesetEmpty', data: { ...data, path: shown, pattern: JSON.stringify(pattern) } });
        }
      }
    }
  },
});
