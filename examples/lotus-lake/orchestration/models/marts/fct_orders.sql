{# One row per order, with the customer's first order date. #}
select
    o.order_id,
    o.customer_id,
    o.total_price,
    c.created_at as customer_since
from {{ ref('stg_shopify__orders') }} as o
left join {{ ref('stg_shopify__customers') }} as c using (customer_id)
