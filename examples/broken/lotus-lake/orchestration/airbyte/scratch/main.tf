# Mistake: the locals block is never closed; terraform validate (and any plan) stops here.
locals { # expect: hcl-syntax
  workspace = "lotus-lake"

output "workspace" {
  value = local.workspace
}
