/** The seed's Terraform pieces for rule tests: h-kube's Terraform object and lotus-lake's Airbyte module. */
import { yaml } from '../../src/testing/index.js';

export const MODULE = 'orchestration/airbyte/terraform';

export const SOURCE = yaml`
  apiVersion: source.toolkit.fluxcd.io/v1
  kind: GitRepository
  metadata:
    name: lotus-lake
    namespace: lotus-lake
  spec:
    interval: 5m
    url: https://github.com/matta-kelly/lotus-lake
`;

/** A Terraform object (line 1 is `apiVersion`); `extra` is appended under `spec:` (indented by 2). */
export function terraformObject(extra = ''): string {
  return (
    yaml`
      apiVersion: infra.contrib.fluxcd.io/v1alpha2
      kind: Terraform
      metadata:
        name: lotus-lake-airbyte
        namespace: lotus-lake
      spec:
        interval: 10m
        approvePlan: auto
        path: ./orchestration/airbyte/terraform
        sourceRef:
          kind: GitRepository
          name: lotus-lake
    ` + extra
  );
}

/** A SOPS-encrypted Secret with these keys (values are ciphertext placeholders; names stay readable). */
export function sopsSecret(name: string, keys: string[]): string {
  const data = keys.map((key) => `  ${key}: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]\n`).join('');
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: lotus-lake\ntype: Opaque\nstringData:\n${data}sops:\n  age:\n    - recipient: age1qqqq\n      enc: x\n  lastmodified: "2025-02-09T21:03:44Z"\n  mac: ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]\n  encrypted_regex: ^(data|stringData)$\n  version: 3.9.4\n`;
}

export const VARIABLES = yaml`
  variable "airbyte_server_url" {
    type    = string
    default = "http://airbyte-airbyte-server-svc.airbyte.svc.cluster.local:8001/api/public/v1"
  }

  variable "airbyte_workspace_id" {
    type = string
  }

  variable "s3_access_key_id" {
    type      = string
    sensitive = true
  }

  variable "shopify_shop" {
    type = string
  }
`;
