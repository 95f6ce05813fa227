resource "airbyte_source_shopify" "store" {
  name         = "shopify"
  workspace_id = var.airbyte_workspace_id

  configuration = {
    shop       = var.shopify_shop
    start_date = "2024-01-01"
    credentials = {
      api_password = {
        api_password = var.shopify_api_password
      }
    }
  }
}
