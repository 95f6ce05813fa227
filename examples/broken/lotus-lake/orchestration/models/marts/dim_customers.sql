{# Mistake: stg_shopify__customers_v1 is disabled (enabled=false); dbt parse fails on the ref. #}
select * from {{ ref('stg_shopify__customers_v1') }} -- # expect: dbt-ref
