resource "airbyte_destination_s3" "raw" {
  name         = "seaweedfs-raw"
  workspace_id = var.airbyte_workspace_id

  configuration = {
    access_key_id     = var.s3_access_key_id
    secret_access_key = var.s3_secret_access_key
    s3_endpoint       = var.s3_endpoint
    s3_bucket_name    = "lotus-lake-raw"
    s3_bucket_path    = "airbyte"
    s3_bucket_region  = "us-east-1"
    format = {
      parquet_columnar_storage = {}
    }
  }
}
