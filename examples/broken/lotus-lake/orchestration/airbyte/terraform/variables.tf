# Values come from the Terraform object lotus-lake-airbyte (h-kube):
#   vars:     airbyte_server_url, s3_endpoint, shopify_shop
#   varsFrom: Secret lotus-lake-terraform-vars (SOPS), keys listed in varsKeys; the upper-case
#             S3 keys are renamed to s3_access_key_id / s3_secret_access_key there.

variable "airbyte_server_url" {
  type        = string
  description = "Airbyte public API URL."
  default     = "http://airbyte-airbyte-server-svc.airbyte.svc.cluster.local:8001/api/public/v1"
}

variable "airbyte_client_id" {
  type        = string
  description = "Airbyte application client id."
}

variable "airbyte_client_secret" {
  type        = string
  description = "Airbyte application client secret."
  sensitive   = true
}

variable "airbyte_workspace_id" {
  type        = string
  description = "Workspace that owns the sources, destinations and connections."
}

variable "s3_endpoint" {
  type        = string
  description = "S3-compatible endpoint (SeaweedFS) for the raw landing zone."
}

variable "s3_access_key_id" {
  type        = string
  description = "S3 access key id."
  sensitive   = true
}

variable "s3_secret_access_key" {
  type        = string
  description = "S3 secret access key."
  sensitive   = true
}

variable "shopify_shop" {
  type        = string
  description = "Shopify shop name (the part before .myshopify.com)."
}

variable "shopify_api_password" {
  type        = string
  description = "Shopify Admin API access token."
  sensitive   = true
}
