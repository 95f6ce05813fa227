# Mistakes, one per line marked below:
# - assets/ was renamed to static/, so file() finds nothing (the plan fails);
# - no streams/ folder, so fileset() is empty and nothing iterates (a warning);
# - local.aws_region is never defined;
# - output "catalog" is declared twice;
# - cloudflare is not in required_providers, so init looks for hashicorp/cloudflare.
locals {
  catalog = jsondecode(file("${path.module}/../assets/catalog.json")) # expect: terraform-file-path
  streams = fileset(path.module, "streams/*.json") # expect: terraform-file-path
  region  = local.aws_region # expect: terraform-undeclared-reference
}

output "catalog" {
  value = local.catalog
}

output "catalog" { # expect: terraform-duplicate-name
  value = local.streams
}

resource "cloudflare_record" "airbyte" { # expect: terraform-required-provider
  name = "airbyte"
}
