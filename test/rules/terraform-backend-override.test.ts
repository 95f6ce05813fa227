import rule from '../../rules/terraform-backend-override.js';
import { RuleTester } from '../../src/testing/index.js';
import { MODULE, SOURCE, terraformObject } from '../terraform/fixtures.js';

const S3 = 'terraform {\n  required_version = ">= 1.6.0"\n\n  backend "s3" {\n    bucket = "tfstate"\n  }\n}\n';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'two repos: the module has no backend block',
      roots: { 'h-kube': { 'lotus-lake/terraform.yaml': `${SOURCE}---\n${terraformObject()}` }, 'lotus-lake': { [`${MODULE}/versions.tf`]: 'terraform {\n  required_version = ">= 1.6.0"\n}\n' } },
    },
    {
      name: 'backendConfig.disable keeps the module backend',
      roots: { 'h-kube': { 'lotus-lake/terraform.yaml': `${SOURCE}---\n${terraformObject('  backendConfig:\n    disable: true\n')}` }, 'lotus-lake': { [`${MODULE}/versions.tf`]: S3 } },
    },
    {
      name: 'a module no Terraform object runs keeps its backend',
      files: { [`${MODULE}/versions.tf`]: S3 },
    },
  ],
  invalid: [
    {
      name: 'two repos: an S3 backend replaced by the default Kubernetes backend',
      roots: { 'h-kube': { 'lotus-lake/terraform.yaml': `${SOURCE}---\n${terraformObject()}` }, 'lotus-lake': { [`${MODULE}/versions.tf`]: S3 } },
      errors: [
        {
          messageId: 'defaultBackend',
          data: { block: 'backend "s3"', terraform: 'Terraform lotus-lake/lotus-lake-airbyte', name: 'lotus-lake-airbyte', namespace: 'lotus-lake', workspace: 'default' },
          root: 'lotus-lake', file: `${MODULE}/versions.tf`, line: 4, column: 3, endLine: 4, endColumn: 15,
        },
      ],
    },
    {
      name: 'one repo: a backend replaced by spec.backendConfig, and a cloud block that conflicts with spec.cloud',
      roots: {
        'lotus-lake': {
          'cluster/terraform.yaml': `${SOURCE}---\n${terraformObject('  backendConfig:\n    secretSuffix: airbyte\n')}---\n${terraformObject('  cloud:\n    organization: acme\n').replace('name: lotus-lake-airbyte', 'name: other').replace('./orchestration/airbyte/terraform', './infra')}`,
          [`${MODULE}/versions.tf`]: S3,
          'infra/main.tf': 'terraform {\n  cloud {\n    organization = "acme"\n  }\n}\n',
        },
      },
      errors: [
        { messageId: 'cloud', data: { block: 'cloud', terraform: 'Terraform lotus-lake/other' }, file: 'infra/main.tf', line: 2, column: 3, endLine: 2, endColumn: 8 },
        { messageId: 'configuredBackend', data: { block: 'backend "s3"', terraform: 'Terraform lotus-lake/lotus-lake-airbyte', what: 'a Kubernetes backend with secretSuffix airbyte' }, file: `${MODULE}/versions.tf`, line: 4, column: 3, endLine: 4, endColumn: 15 },
      ],
    },
  ],
});
