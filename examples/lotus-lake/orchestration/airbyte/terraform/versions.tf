# Applied by tofu-controller (Terraform lotus-lake-airbyte in h-kube), never from a laptop.
# No backend block: tofu-controller writes backend_override.tf with its Kubernetes backend
# (state Secret tfstate-default-lotus-lake-airbyte in namespace lotus-lake).
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    airbyte = {
      source  = "airbytehq/airbyte"
      version = "0.6.5"
    }
  }
}

provider "airbyte" {
  server_url    = var.airbyte_server_url
  client_id     = var.airbyte_client_id
  client_secret = var.airbyte_client_secret
}
