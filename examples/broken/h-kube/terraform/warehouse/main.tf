# The warehouse module, run by Terraform lotus-lake-warehouse
# (cluster/namespaces/lotus-lake/lotus-lake-warehouse.yaml).
# Mistake: this backend block is silently replaced by tofu-controller's backend_override.tf.
terraform {
  backend "s3" { # expect: terraform-backend-override
    bucket = "tfstate"
    key    = "warehouse"
  }
}

variable "warehouse_name" {
  type = string
}

# Mistake: required, but the Terraform object provides no value for it.
variable "warehouse_password" { # expect: terraform-variables
  type      = string
  sensitive = true
}

output "warehouse" {
  value = "${var.warehouse_name}:${length(var.warehouse_password)}"
}
