import rule from '../../rules/terraform-variables.js';
import { RuleTester } from '../../src/testing/index.js';
import { MODULE, SOURCE, VARIABLES, sopsSecret, terraformObject } from '../terraform/fixtures.js';

const VARS_KEYS = '  vars:\n    - name: shopify_shop\n      value: lotus-goods\n  varsFrom:\n    - kind: Secret\n      name: lotus-lake-terraform-vars\n      varsKeys:\n        - airbyte_workspace_id\n        - S3_ACCESS_KEY_ID:s3_access_key_id\n';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'two repos: vars and varsKeys (with a KEY:variable rename) provide every required variable',
      roots: {
        'h-kube': { 'lotus-lake/terraform.yaml': `${SOURCE}---\n${terraformObject(VARS_KEYS)}---\n${sopsSecret('lotus-lake-terraform-vars', ['S3_ACCESS_KEY_ID', 'airbyte_workspace_id'])}` },
        'lotus-lake': { [`${MODULE}/variables.tf`]: VARIABLES },
      },
    },
    {
      name: 'the app repo linted alone: nothing to compare with',
      files: { [`${MODULE}/variables.tf`]: VARIABLES },
    },
    {
      name: 'a Secret whose keys are not known (external) is skipped with a note',
      roots: {
        'h-kube': { 'lotus-lake/terraform.yaml': `${SOURCE}---\n${terraformObject('  varsFrom:\n    - kind: Secret\n      name: vault-vars\n')}`, '.gitops-lint.yaml': 'externalSecrets:\n  - vault-vars\n' },
        'lotus-lake': { [`${MODULE}/variables.tf`]: VARIABLES },
      },
    },
  ],
  invalid: [
    {
      name: 'two repos: a required variable dropped from the Secret after a key rename',
      roots: {
        'h-kube': {
          'lotus-lake/terraform.yaml': `${SOURCE}---\n${terraformObject('  vars:\n    - name: shopify_shop\n      value: lotus-goods\n  varsFrom:\n    - kind: Secret\n      name: lotus-lake-terraform-vars\n')}---\n${sopsSecret('lotus-lake-terraform-vars', ['AIRBYTE_WORKSPACE_ID', 's3_access_key_id'])}`,
        },
        'lotus-lake': { [`${MODULE}/variables.tf`]: VARIABLES },
      },
      errors: [
        { messageId: 'undeclaredKeys', data: { keys: 'AIRBYTE_WORKSPACE_ID', source: 'Secret lotus-lake-terraform-vars', module: `lotus-lake/${MODULE}` }, root: 'h-kube', file: 'lotus-lake/terraform.yaml', line: 27, column: 13, endLine: 27, endColumn: 38, level: 'warning' },
        {
          messageId: 'requiredMissingHere',
          data: { variable: 'airbyte_workspace_id', module: `lotus-lake/${MODULE}`, terraform: 'Terraform lotus-lake/lotus-lake-airbyte', sources: 'neither spec.vars nor varsFrom Secret lotus-lake-terraform-vars provides it' },
          root: 'h-kube', file: 'lotus-lake/terraform.yaml', line: 27, column: 13, endLine: 27, endColumn: 38,
        },
        {
          messageId: 'requiredMissing',
          data: { variable: 'airbyte_workspace_id', terraform: 'Terraform lotus-lake/lotus-lake-airbyte', sources: 'neither spec.vars nor varsFrom Secret lotus-lake-terraform-vars provides it' },
          root: 'lotus-lake', file: `${MODULE}/variables.tf`, line: 6, column: 10, endLine: 6, endColumn: 32,
        },
      ],
    },
    {
      name: 'one repo: a varsKeys entry renamed to a variable the module does not declare, and a list variable fed from varsFrom',
      roots: {
        'lotus-lake': {
        'cluster/terraform.yaml': `${SOURCE}---\n${terraformObject('  varsFrom:\n    - kind: ConfigMap\n      name: airbyte-settings\n      varsKeys:\n        - WORKSPACE:airbyte_workspace\n        - streams\n')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: airbyte-settings\n  namespace: lotus-lake\ndata:\n  WORKSPACE: abc\n  streams: '["orders","customers"]'\n`,
        [`${MODULE}/variables.tf`]: 'variable "streams" {\n  type = list(string)\n}\n',
        },
      },
      errors: [
        { messageId: 'undeclared', data: { variable: 'airbyte_workspace', module: `lotus-lake/${MODULE}` }, file: 'cluster/terraform.yaml', line: 26, column: 11, endLine: 26, endColumn: 38, level: 'warning' },
        { messageId: 'structured', data: { variable: 'streams', type: 'list(string)' }, file: 'cluster/terraform.yaml', line: 27, column: 11, endLine: 27, endColumn: 18 },
      ],
    },
    {
      name: 'a number variable whose plaintext ConfigMap value is not a number',
      roots: {
        'lotus-lake': {
        'cluster/terraform.yaml': `${SOURCE}---\n${terraformObject('  varsFrom:\n    - kind: ConfigMap\n      name: airbyte-settings\n')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: airbyte-settings\n  namespace: lotus-lake\ndata:\n  retries: three\n`,
        [`${MODULE}/variables.tf`]: 'variable "retries" {\n  type    = number\n  default = 3\n}\n',
        },
      },
      errors: [{ messageId: 'notNumber', data: { variable: 'retries', key: 'retries', source: 'ConfigMap airbyte-settings' }, file: 'cluster/terraform.yaml', line: 24, column: 13, endLine: 24, endColumn: 29 }],
    },
  ],
});
