import rule from '../../rules/dbt-duplicate-model.js';
import { RuleTester } from '../../src/testing/index.js';

const PROJECT = 'name: lotus_lake\nmodel-paths: ["models"]\n';

new RuleTester().run(rule, {
  valid: [
    { name: 'a disabled model does not clash', files: { 'a/dbt_project.yml': PROJECT, 'a/models/orders.sql': 'select 1\n', 'a/models/legacy/orders.sql': '{{ config(enabled=false) }}\nselect 2\n' } },
    { name: 'a model and a seed may share a name; two projects may too', files: { 'a/dbt_project.yml': PROJECT, 'a/models/orders.sql': 'select 1\n', 'a/seeds/orders.csv': 'id\n', 'b/dbt_project.yml': 'name: other\n', 'b/models/orders.sql': 'select 2\n' } },
    {
      name: 'one copy per warehouse, enabled by Jinja: not known to clash (config(enabled=…) and +enabled: "{{ … }}")',
      files: {
        'a/dbt_project.yml': 'name: lotus_lake\nmodel-paths: ["models"]\nmodels:\n  lotus_lake:\n    duckdb:\n      +enabled: "{{ target.type == \'duckdb\' }}"\n',
        'a/models/duckdb/orders.sql': 'select 1\n',
        'a/models/snowflake/orders.sql': "{{ config(enabled=var('use_snowflake', false)) }}\nselect 2\n",
      },
    },
    {
      name: 'a file that only ends in dbt_project.yml is not a project file',
      files: { 'x/old_dbt_project.yml': 'name: old\n', 'x/models/a/orders.sql': 'select 1\n', 'x/models/b/orders.sql': 'select 2\n' },
    },
  ],
  invalid: [
    {
      name: 'a dbt_project.yml at the repository root',
      files: { 'dbt_project.yml': PROJECT, 'models/a/orders.sql': 'select 1\n', 'models/b/orders.sql': 'select 2\n' },
      errors: [{ messageId: 'duplicate', data: { kind: 'model', name: 'orders', first: 'models/a/orders.sql' }, file: 'models/b/orders.sql', line: 1, column: 1, endLine: 1, endColumn: 9 }],
    },
    {
      name: 'the same model file name in two folders',
      files: { 'orchestration/dbt/dbt_project.yml': PROJECT, 'orchestration/dbt/models/staging/orders.sql': 'select 1\n', 'orchestration/dbt/models/marts/orders.sql': 'select 2 as id\n' },
      errors: [{ messageId: 'duplicate', data: { kind: 'model', name: 'orders', first: 'orchestration/dbt/models/marts/orders.sql' }, file: 'orchestration/dbt/models/staging/orders.sql', line: 1, column: 1, endLine: 1, endColumn: 9 }],
    },
    {
      name: 'two snapshot blocks with the same name, on the block name',
      files: { 'orchestration/dbt/dbt_project.yml': PROJECT, 'orchestration/dbt/snapshots/orders.sql': '{% snapshot orders_snap %}\nselect 1\n{% endsnapshot %}\n\n{% snapshot orders_snap %}\nselect 2\n{% endsnapshot %}\n' },
      errors: [{ messageId: 'duplicate', data: { kind: 'snapshot', name: 'orders_snap', first: 'orchestration/dbt/snapshots/orders.sql' }, file: 'orchestration/dbt/snapshots/orders.sql', line: 5, column: 13, endLine: 5, endColumn: 24 }],
    },
  ],
});
