-- # expect: dbt-duplicate-model
-- Mistake: marts/orders.sql is also a model named orders (dbt names models by file stem).
select * from {{ source('shopify', 'orders') }}
