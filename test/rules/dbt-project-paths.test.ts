import rule from '../../rules/dbt-project-paths.js';
import { RuleTester } from '../../src/testing/index.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'default paths that do not exist are fine, and Jinja paths are not checked', files: { 'dbt/dbt_project.yml': 'name: x\nseed-paths: ["{{ env_var(\'SEEDS\') }}"]\n', 'dbt/models/a.sql': 'select 1\n' } },
    {
      name: 'the pre-1.0 dbt init defaults analysis and data (kept as empty scaffolding) are not typos',
      files: { 'dbt/dbt_project.yml': 'name: x\nanalysis-paths: ["analysis"]\ndata-paths: ["data"]\n', 'dbt/models/a.sql': 'select 1\n', 'seeds/dbt_project.yml': 'name: y\nseed-paths: ["data/"]\n' },
    },
  ],
  invalid: [
    {
      name: 'a model path renamed, in a list, and a missing snapshot path as a string',
      files: { 'orchestration/dbt/dbt_project.yml': 'name: lotus_lake\nmodel-paths: ["models", "marts"]\nsnapshot-paths: snapshot\n', 'orchestration/dbt/models/a.sql': 'select 1\n' },
      errors: [
        { messageId: 'missing', data: { key: 'model-paths', value: 'marts' }, file: 'orchestration/dbt/dbt_project.yml', line: 2, column: 25, endLine: 2, endColumn: 32 },
        { messageId: 'missing', data: { key: 'snapshot-paths', value: 'snapshot' }, file: 'orchestration/dbt/dbt_project.yml', line: 3, column: 17, endLine: 3, endColumn: 25 },
      ],
    },
  ],
});
