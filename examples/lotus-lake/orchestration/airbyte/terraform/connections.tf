resource "airbyte_connection" "shopify_to_raw" {
  name           = "shopify -> seaweedfs-raw"
  source_id      = airbyte_source_shopify.store.source_id
  destination_id = airbyte_destination_s3.raw.destination_id

  namespace_definition = "custom_format"
  namespace_format     = "shopify"

  schedule = {
    schedule_type   = "cron"
    cron_expression = "0 0 2 * * ?"
  }
}
