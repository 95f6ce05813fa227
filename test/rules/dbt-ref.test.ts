import { describe, expect, it } from 'vitest';
import rule from '../../rules/dbt-ref.js';
import { lintExample, RuleTester } from '../../src/testing/index.js';

const PROJECT = 'name: lotus_lake\nversion: "1.0.0"\nprofile: lotus_lake\nmodel-paths: ["models"]\nmodels:\n  lotus_lake:\n    legacy:\n      +enabled: false\n';
const SOURCES = 'version: 2\nsources:\n  - name: shopify\n    tables:\n      - name: orders\n      - name: customers\n';
const base = {
  'orchestration/dbt/dbt_project.yml': PROJECT,
  'orchestration/dbt/models/staging/_sources.yml': SOURCES,
  'orchestration/dbt/models/staging/stg_orders.sql': "select * from {{ source('shopify', 'orders') }}\n",
  'orchestration/dbt/models/legacy/old_orders.sql': 'select 1 as id\n',
  'orchestration/dbt/seeds/countries.csv': 'code,name\n',
  'orchestration/dbt/snapshots/orders_snapshot.sql': "{% snapshot orders_snapshot %}\nselect * from {{ ref('stg_orders') }}\n{% endsnapshot %}\n",
};

new RuleTester().run(rule, {
  valid: [
    {
      name: 'refs to a model, a seed, a snapshot, with the project name, with a version keyword; a Jinja comment; dynamic refs are not checked',
      files: {
        ...base,
        'orchestration/dbt/models/marts/_versions.yml': 'version: 2\nmodels:\n  - name: dim_customers\n    latest_version: 2\n    versions:\n      - v: 1\n      - v: 2\n',
        'orchestration/dbt/models/marts/dim_customers_v2.sql': 'select 1 as id\n',
        'orchestration/dbt/snapshots/_snapshots.yml': 'snapshots:\n  - name: orders_yaml_snapshot\n    relation: ref(\'stg_orders\')\n',
        'orchestration/dbt/models/marts/orders.sql': [
          '{# was: ref(\'stg_order\') #}',
          "{% set base = ref('stg_orders') %}",
          "select * from {{ ref('stg_orders') }}",
          "join {{ ref('countries') }} using (code)",
          "join {{ ref('orders_snapshot') }} using (id)",
          "join {{ ref('lotus_lake', 'stg_orders', v=2) }} using (id)",
          "join {{ ref(var('dynamic_model')) }} using (id)",
        "join {{ ref('dim_customers', v=2) }} using (id)",
        "join {{ ref('orders_yaml_snapshot') }} using (id)",
          '',
        ].join('\n'),
      },
    },
    {
      name: 'a disabled model may ref anything; refs into packages that are not installed are skipped with a note',
      files: {
        ...base,
        'orchestration/dbt/packages.yml': 'packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.3.0\n',
        'orchestration/dbt/models/legacy/older.sql': "{{ config(enabled=false) }}\nselect * from {{ ref('gone') }}\n",
        'orchestration/dbt/models/marts/dates.sql': "select * from {{ ref('dbt_utils', 'date_spine') }}\n",
      },
    },
  ],
  invalid: [
    {
      name: 'a ref to a missing model and to a disabled one, positioned on the ref( call',
      files: {
        ...base,
        'orchestration/dbt/models/marts/orders.sql': "select *\nfrom {{ ref('stg_order') }}\njoin {{ ref( \"old_orders\" ) }} using (id)\n",
      },
      errors: [
        { messageId: 'missingRef', data: { call: "'stg_order'", name: 'stg_order', where: '' }, file: 'orchestration/dbt/models/marts/orders.sql', line: 2, column: 9, endLine: 2, endColumn: 25 },
        { messageId: 'disabledRef', data: { call: "'old_orders'", name: 'old_orders', kind: 'model', file: 'orchestration/dbt/models/legacy/old_orders.sql' }, file: 'orchestration/dbt/models/marts/orders.sql', line: 3, column: 9, endLine: 3, endColumn: 28 },
      ],
    },
    {
      name: 'a source whose table is not declared, an unknown source, and an SQL comment dbt still renders',
      files: {
        ...base,
        'orchestration/dbt/models/staging/stg_products.sql': "-- depends_on: {{ ref('stg_product_variants') }}\nselect * from {{ source('shopify', 'products') }}\nunion all select * from {{ source('stripe', 'charges') }}\n",
      },
      errors: [
        { messageId: 'missingRef', data: { call: "'stg_product_variants'", name: 'stg_product_variants', where: '' }, file: 'orchestration/dbt/models/staging/stg_products.sql', line: 1, column: 19, endLine: 1, endColumn: 46 },
        { messageId: 'missingTable', data: { call: "'shopify', 'products'", source: 'shopify', table: 'products' }, file: 'orchestration/dbt/models/staging/stg_products.sql', line: 2, column: 18, endLine: 2, endColumn: 47 },
        { messageId: 'missingSource', data: { call: "'stripe', 'charges'", source: 'stripe', table: 'charges' }, file: 'orchestration/dbt/models/staging/stg_products.sql', line: 3, column: 28, endLine: 3, endColumn: 55 },
      ],
    },
    {
      name: 'a disabled model from a property file, a ref into an installed package, and a singular test',
      files: {
        ...base,
        'orchestration/dbt/models/marts/_models.yml': 'version: 2\nmodels:\n  - name: customers\n    config:\n      enabled: false\n',
        'orchestration/dbt/models/marts/customers.sql': 'select 1 as id\n',
        'orchestration/dbt/models/marts/report.sql': "select * from {{ ref('customers') }}, {{ ref('dbt_utils', 'missing_macro_model') }}\n",
        'orchestration/dbt/dbt_packages/dbt_utils/dbt_project.yml': 'name: dbt_utils\n',
        'orchestration/dbt/dbt_packages/dbt_utils/models/date_spine.sql': 'select 1\n',
        'orchestration/dbt/tests/assert_orders.sql': "select * from {{ ref('order') }} where id is null\n",
      },
      errors: [
        { messageId: 'disabledRef', data: { call: "'customers'", name: 'customers', kind: 'model', file: 'orchestration/dbt/models/marts/customers.sql' }, file: 'orchestration/dbt/models/marts/report.sql', line: 1, column: 18, endLine: 1, endColumn: 34 },
        { messageId: 'missingRef', data: { call: "'dbt_utils', 'missing_macro_model'", name: 'missing_macro_model', where: ' in package dbt_utils' }, file: 'orchestration/dbt/models/marts/report.sql', line: 1, column: 42, endLine: 1, endColumn: 81 },
        { messageId: 'testMissing', data: { call: "'order'" }, file: 'orchestration/dbt/tests/assert_orders.sql', line: 1, column: 18, endLine: 1, endColumn: 30, level: 'warning' },
      ],
    },
  ],
});

describe('dbt-ref and enabled set by Jinja', () => {
  it('skips refs from and to a model whose enabled Jinja decides, counted in the note', async () => {
    const result = await lintExample(rule, {
      files: {
        'dbt/dbt_project.yml': 'name: lotus_lake\nmodel-paths: ["models"]\nmodels:\n  lotus_lake:\n    snowflake:\n      +enabled: "{{ target.type == \'snowflake\' }}"\n',
        // Only built on Snowflake, where the source it reads exists.
        'dbt/models/snowflake_usage.sql': "{{ config(enabled=var('snowflake', false)) }}\nselect * from {{ source('account_usage', 'query_history') }} join {{ ref('not_here') }} using (id)\n",
        'dbt/models/snowflake/sf_orders.sql': 'select 1 as id\n',
        'dbt/models/legacy/sf_orders.sql': '{{ config(enabled=false) }}\nselect 1 as id\n',
        'dbt/models/marts/orders.sql': "select * from {{ ref('sf_orders') }}\n",
        'dbt/models/marts/broken.sql': "select * from {{ ref('missing_model') }}\n",
      },
    });
    expect(result.findings.map((finding) => `${finding.location.file}:${finding.location.startLine} ${finding.messageId}`)).toEqual(['dbt/models/marts/broken.sql:1 missingRef']);
    expect(result.notes.map((note) => note.message)).toEqual([
      'dbt project lotus_lake: 3 ref()/source() call(s) were not checked: they are made from or to a node whose enabled config is set by Jinja (enabled=var(…), "{{ … }}"), which only dbt renders.',
    ]);
  });
});
