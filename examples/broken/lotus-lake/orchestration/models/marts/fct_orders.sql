{# One row per order, with the customer's first order date.
   Mistake: the staging model is stg_shopify__orders (plural); dbt parse fails. #}
select
    o.order_id,
    o.customer_id,
    o.total_price,
    c.created_at as customer_since
from {{ ref('stg_shopify__order') }} as o -- # expect: dbt-ref
left join {{ ref('stg_shopify__customers') }} as c using (customer_id)
