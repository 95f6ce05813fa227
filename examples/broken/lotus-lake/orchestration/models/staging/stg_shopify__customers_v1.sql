{{ config(enabled=false) }}
select id as customer_id from {{ source('shopify', 'customers') }}
