import { dbtProjects, type DbtCall, type DbtNode, type DbtProject, type DbtSqlFile } from '../src/dbt/project.js';
import { defineRule } from '../src/model/rule.js';

type MessageId = 'missingRef' | 'disabledRef' | 'missingSource' | 'missingTable' | 'arity' | 'testMissing';

const PROJECT = 'name: lotus_lake\nversion: "1.0.0"\nprofile: lotus_lake\nmodel-paths: ["models"]\n';

/** Nodes named `name` that a ref from the root project can reach: the project first, then any installed package. */
function candidates(project: DbtProject, name: string, pkg: string | undefined): DbtNode[] | undefined {
  if (pkg !== undefined) {
    if (pkg === project.name) return project.nodes.get(name) ?? [];
    const target = project.packages.get(pkg);
    return target ? (target.nodes.get(name) ?? []) : undefined;
  }
  const own = project.nodes.get(name);
  if (own) return own;
  for (const target of project.packages.values()) {
    const found = target.nodes.get(name);
    if (found) return found;
  }
  return [];
}

/** `path.replace(/^.*\//, '').replace(/\.sql$/, '')`, without regular expressions where the path has no line break. */
function modelName(path: string): string {
  const base = path.includes('\n') ? path.replace(/^.*\//, '') : path.slice(path.lastIndexOf('/') + 1);
  return base.endsWith('.sql') ? base.slice(0, -4) : base;
}

/** The node a file defines among the nodes of its name. */
function nodeOfFile(nodes: readonly DbtNode[] | undefined, file: DbtSqlFile['file']): DbtNode | undefined {
  if (nodes === undefined) return undefined;
  for (let index = 0; index < nodes.length; index++) if ((nodes[index] as DbtNode).file === file) return nodes[index];
  return undefined;
}

/** Whether some of the nodes has this `enabled`. */
function someEnabled(nodes: readonly DbtNode[], enabled: DbtNode['enabled']): boolean {
  for (let index = 0; index < nodes.length; index++) if ((nodes[index] as DbtNode).enabled === enabled) return true;
  return false;
}

function hasSource(project: DbtProject, source: string): Set<string> | undefined {
  return project.sources.get(source) ?? [...project.packages.values()].map((pkg) => pkg.sources.get(source)).find((tables) => tables !== undefined);
}

export default defineRule<MessageId>({
  meta: {
    id: 'dbt-ref',
    description: 'Require ref() and source() calls in dbt SQL to name an enabled model, seed or snapshot, or a declared source table',
    scope: 'repository',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      missingRef: "`ref({{call}})` names no model, seed or snapshot{{where}}: dbt parse fails (\"depends on a node named '{{name}}' which was not found\"). Fix the name, or add the model.",
      disabledRef: "`ref({{call}})` names {{kind}} {{name}} in {{file}}, which is disabled (enabled: false): dbt parse fails (\"… which is disabled\"). Enable it, or stop depending on it.",
      missingSource: "`source({{call}})` names source {{source}}, which no property file of the project declares: dbt parse fails (\"depends on a source named '{{source}}.{{table}}' which was not found\"). Declare it under sources: in a .yml file of the model paths.",
      missingTable: "`source({{call}})` names table {{table}}, which source {{source}} does not list: dbt parse fails (\"depends on a source named '{{source}}.{{table}}' which was not found\"). Add the table to the source's tables:.",
      arity: '`{{fn}}()` takes {{expected}} positional arguments, here {{count}}: dbt fails to compile this node. Fix the call.',
      testMissing: "The test depends on {{call}}, which is not found or disabled: dbt parse warns and the test never runs. Fix the reference, or remove the test.",
    },
    messageLevels: { testMissing: 'warning' },
    docs: {
      rationale:
        'A model renamed or deleted without updating the models that `ref()` it, a `source()` whose table was never declared, or a ref to a model switched off with `enabled: false` fail `dbt parse`, the second half of the seed CI\'s validate stage, and the image build that bakes the manifest. The rule reads `dbt_project.yml` (model, seed, snapshot, analysis and test paths), names models by file stem, snapshots by their `{% snapshot %}` block, collects `sources:` from the property files and the `enabled: false` of `config()`, property files and `dbt_project.yml` folders (an `enabled` set by Jinja, such as `enabled=var(\'x\', false)` or `+enabled: "{{ target.type == \'snowflake\' }}"`, is not known: refs from and to such a node are skipped and counted in a note), and checks every `ref()`/`source()` with literal arguments inside `{{ }}`/`{% %}` (Jinja comments removed; SQL comments are not, because dbt renders them too). Refs into packages are checked when the packages are installed in `dbt_packages/`; otherwise they are skipped with a note. Refs built from variables and refs made inside macros need Jinja rendering, which only `dbt parse` does.',
      incorrect: [
        {
          title: 'A ref to a model that was renamed',
          files: { 'transform/dbt_project.yml': PROJECT, 'transform/models/staging/stg_orders.sql': 'select 1 as id\n', 'transform/models/marts/orders.sql': "select * from {{ ref('stg_order') }}\n" },
        },
        {
          title: 'A source table that is not declared',
          files: {
            'transform/dbt_project.yml': PROJECT,
            'transform/models/staging/_sources.yml': 'version: 2\nsources:\n  - name: shopify\n    tables:\n      - name: orders\n',
            'transform/models/staging/stg_customers.sql': "select * from {{ source('shopify', 'customers') }}\n",
          },
        },
      ],
      correct: [
        {
          files: {
            'transform/dbt_project.yml': PROJECT,
            'transform/models/staging/_sources.yml': 'version: 2\nsources:\n  - name: shopify\n    tables:\n      - name: orders\n',
            'transform/models/staging/stg_orders.sql': "select * from {{ source('shopify', 'orders') }}\n",
            'transform/models/marts/orders.sql': "{# old: ref('stg_order') #}\nselect * from {{ ref('stg_orders') }} join {{ ref('lotus_lake', 'stg_orders') }} using (id)\n",
          },
        },
      ],
      whenNotToUse: 'When models are generated into the project before `dbt parse` runs.',
    },
  },
  check(ctx) {
    // The call is worded only when it is reported (most resolve).
    const report = (sql: DbtSqlFile, call: DbtCall, messageId: MessageId, data: Record<string, string | number>) =>
      ctx.report({ file: sql.file, offsets: call.offsets, messageId: sql.kind === 'test' && messageId !== 'arity' ? 'testMissing' : messageId, data: { call: call.args.map((arg) => `'${arg}'`).join(', '), ...data } });
    // Indexed loops, no closure or destructuring per call: in unoptimised code (most runs) each
    // `for…of` step allocates an iterator result and each `[a, b] = list` an iterator.
    const projects = dbtProjects(ctx.model);
    for (let projectIndex = 0; projectIndex < projects.length; projectIndex++) {
      const project = projects[projectIndex] as DbtProject;
      const packagesUnknown = project.declaredPackages > 0 && project.packages.size === 0;
      let skipped = 0;
      let skippedJinja = 0;
      for (let sqlIndex = 0; sqlIndex < project.sql.length; sqlIndex++) {
        const sql = project.sql[sqlIndex] as DbtSqlFile;
        // A disabled node is not resolved, so its own refs do not matter; whether Jinja enables it is not known here.
        const own = sql.kind === 'model' ? nodeOfFile(project.nodes.get(modelName(sql.file.path)), sql.file) : undefined;
        if (own?.enabled === false) continue;
        if (own?.enabled === 'unknown') {
          skippedJinja += sql.calls.length;
          continue;
        }
        for (let callIndex = 0; callIndex < sql.calls.length; callIndex++) {
          const call = sql.calls[callIndex] as DbtCall;
          if (call.fn === 'ref') {
            if (call.args.length > 2) {
              report(sql, call, 'arity', { fn: 'ref', expected: 'one or two', count: call.args.length });
              continue;
            }
            const first = call.args[0] as string;
            const second = call.args[1];
            const pkg = second === undefined ? undefined : first;
            const name = second ?? first;
            const found = candidates(project, name, pkg);
            if (found === undefined || (found.length === 0 && packagesUnknown)) {
              skipped++;
              continue;
            }
            if (found.length === 0) {
              report(sql, call, 'missingRef', { name, where: pkg === undefined ? '' : ` in package ${pkg}` });
              continue;
            }
            if (someEnabled(found, true)) continue;
            if (someEnabled(found, 'unknown')) {
              skippedJinja++;
              continue;
            }
            const disabled = found[0] as DbtNode;
            report(sql, call, 'disabledRef', { name, kind: disabled.kind, file: disabled.file.path });
            continue;
          }
          if (call.args.length !== 2) {
            report(sql, call, 'arity', { fn: 'source', expected: 'two', count: call.args.length });
            continue;
          }
          const source = call.args[0] as string;
          const table = call.args[1] as string;
          const tables = hasSource(project, source);
          if (!tables) {
            if (packagesUnknown) skipped++;
            else report(sql, call, 'missingSource', { source, table });
          } else if (!tables.has(table)) report(sql, call, 'missingTable', { source, table });
        }
      }
      if (skipped + skippedJinja > 0) {
        const reasons = [
          ...(skipped > 0 ? [`${skipped === skipped + skippedJinja ? '' : `${skipped}: `}the packages of packages.yml are not installed in dbt_packages/ (run dbt deps to check them too)`] : []),
          ...(skippedJinja > 0 ? [`${skippedJinja === skipped + skippedJinja ? '' : `${skippedJinja}: `}they are made from or to a node whose enabled config is set by Jinja (enabled=var(…), "{{ … }}"), which only dbt renders`] : []),
        ];
        ctx.model.note({ message: `dbt project ${project.name ?? project.dir}: ${skipped + skippedJinja} ref()/source() call(s) were not checked: ${reasons.join('; ')}.`, file: project.projectFile.absPath });
      }
    }
  },
});
