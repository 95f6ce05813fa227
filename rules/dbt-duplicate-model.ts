import { dbtProjects, type DbtProject } from '../src/dbt/project.js';
import { defineRule } from '../src/model/rule.js';

const PROJECT = 'name: lotus_lake\nversion: "1.0.0"\nprofile: lotus_lake\n';

export default defineRule({
  meta: {
    id: 'dbt-duplicate-model',
    description: 'Disallow two dbt models, seeds or snapshots with the same name in one project',
    scope: 'repository',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      duplicate: 'The dbt {{kind}} {{name}} is defined again here (also in {{first}}): dbt parse fails ("dbt found two {{kind}}s with the name \\"{{name}}\\""). A model is named after its file, wherever it sits: rename one of them.',
    },
    docs: {
      rationale:
        'dbt names a model after its file stem, whatever folder it is in, so `models/staging/orders.sql` and `models/marts/orders.sql` are two models named `orders`, and `dbt parse` (the seed CI\'s validate step, and the image build that bakes the manifest) fails. Two snapshot blocks or two seeds with the same name fail the same way; a disabled node does not count, and a name is not checked when one of its copies has an `enabled` set by Jinja (`enabled=var(\'x\', false)`, `+enabled: "{{ … }}"`): a common way to keep one of two versions per warehouse. A model and a seed with the same name only warn in dbt 1.11 and are not reported.',
      incorrect: [{ files: { 'transform/dbt_project.yml': PROJECT, 'transform/models/staging/orders.sql': 'select 1\n', 'transform/models/marts/orders.sql': 'select 2\n' } }],
      correct: [{ files: { 'transform/dbt_project.yml': PROJECT, 'transform/models/staging/stg_orders.sql': 'select 1\n', 'transform/models/marts/orders.sql': 'select 2\n' } }],
      whenNotToUse: 'Never: dbt refuses duplicate names.',
    },
  },
  check(ctx) {
    // Indexed loops and `Map.forEach`: no iterator result and `[name, nodes]` pair per name (see dbt-ref).
    const projects = dbtProjects(ctx.model);
    for (let projectIndex = 0; projectIndex < projects.length; projectIndex++) {
      const project = projects[projectIndex] as DbtProject;
      const unknown: string[] = [];
      project.nodes.forEach((nodes, name) => {
        // A name with one node (most) has no copies to compare.
        if (nodes.length < 2) return;
        for (const kind of ['model', 'seed', 'snapshot'] as const) {
          const copies = nodes.filter((node) => node.kind === kind && !node.declaredOnly);
          // Jinja decides whether a copy is enabled: whether two of them clash is not known here.
          if (copies.length > 1 && copies.some((node) => node.enabled === 'unknown')) {
            unknown.push(name);
            continue;
          }
          const same = copies.filter((node) => node.enabled === true).sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : (a.offsets?.[0] ?? 0) - (b.offsets?.[0] ?? 0)));
          const first = same[0];
          for (const later of same.slice(1)) {
            if (!first) continue;
            ctx.report({ file: later.file, ...(later.offsets ? { offsets: later.offsets } : {}), messageId: 'duplicate', data: { kind, name, first: first.file.path } });
          }
        }
      });
      if (unknown.length > 0) {
        ctx.model.note({ message: `dbt project ${project.name ?? project.dir}: ${unknown.sort().join(', ')} defined more than once, where Jinja sets whether a copy is enabled; not checked for duplicates.`, file: project.projectFile.absPath });
      }
    }
  },
});
