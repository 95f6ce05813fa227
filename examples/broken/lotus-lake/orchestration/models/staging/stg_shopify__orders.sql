select
    id as order_id,
    customer_id,
    created_at,
    total_price
from {{ source('shopify', 'orders') }}
