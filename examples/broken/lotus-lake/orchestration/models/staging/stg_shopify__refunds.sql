{# Mistake: table refunds is not listed under source shopify in _sources.yml. #}
select * from {{ source('shopify', 'refunds') }} -- # expect: dbt-ref
