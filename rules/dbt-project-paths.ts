import { dbtProjects } from '../src/dbt/project.js';
import { defineRule } from '../src/model/rule.js';

export default defineRule({
  meta: {
    id: 'dbt-project-paths',
    description: 'Require the folders that dbt_project.yml names to exist',
    scope: 'repository',
    category: 'correctness',
    defaultLevel: 'warning',
    recommended: true,
    messages: {
      missing: '`{{key}}` names {{value}}, which is not a folder of the project: dbt finds nothing there, so whatever was meant to be in it is silently not part of the project. Fix the path (relative to the folder of dbt_project.yml).',
    },
    docs: {
      rationale:
        '`model-paths`, `seed-paths`, `snapshot-paths`, `analysis-paths`, `macro-paths` and `test-paths` in `dbt_project.yml` tell dbt where to look, relative to the project folder. A path that does not exist is not an error for dbt: the models that should be there are just missing from the manifest, and refs to them fail later. Paths holding Jinja (`{{ env_var(...) }}`) are not checked, nor default paths written out (`models`, `seeds`, …) or the pre-1.0 `dbt init` defaults (`analysis-paths: ["analysis"]`, `data-paths`/`seed-paths: ["data"]`), which may just be empty folders git does not keep.',
      incorrect: [{ files: { 'transform/dbt_project.yml': 'name: lotus_lake\nmodel-paths: ["model"]\n', 'transform/models/orders.sql': 'select 1\n' } }],
      correct: [{ files: { 'transform/dbt_project.yml': 'name: lotus_lake\nmodel-paths: ["models"]\n', 'transform/models/orders.sql': 'select 1\n' } }],
      whenNotToUse: 'When folders are created by a build step before dbt runs.',
    },
  },
  check(ctx) {
    for (const project of dbtProjects(ctx.model)) {
      for (const missing of project.missingPaths) {
        ctx.report({ file: project.projectFile, docIndex: 0, path: missing.index === undefined ? [missing.key] : [missing.key, missing.index], messageId: 'missing', data: { key: missing.key, value: missing.value } });
      }
    }
  },
});
