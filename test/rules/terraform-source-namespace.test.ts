import rule from '../../rules/terraform-source-namespace.js';
import { RuleTester, yaml } from '../../src/testing/index.js';
import { terraformObject } from '../terraform/fixtures.js';

const crossNamespace = terraformObject().replace('    name: lotus-lake\n', '    name: lotus-lake\n    namespace: flux-system\n');
const controller = (allow: boolean) => yaml`
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata:
    name: tofu-controller
    namespace: flux-system
  spec:
    interval: 1h
    chart:
      spec:
        chart: tofu-controller
        sourceRef:
          kind: HelmRepository
          name: tofu-controller
    values:
      allowCrossNamespaceRefs: ${String(allow)}
`;

new RuleTester().run(rule, {
  valid: [
    { name: 'a sourceRef without namespace reads the Terraform namespace', files: { 'lotus-lake/terraform.yaml': terraformObject() } },
    { name: 'the linted tofu-controller HelmRelease allows cross-namespace references', files: { 'lotus-lake/terraform.yaml': crossNamespace, 'infra/tofu-controller.yaml': controller(true) } },
    { name: 'the option says the controller allows them', files: { 'lotus-lake/terraform.yaml': crossNamespace }, options: { allowCrossNamespaceRefs: true } },
  ],
  invalid: [
    {
      name: 'a Terraform sourceRef into flux-system',
      files: { 'lotus-lake/terraform.yaml': crossNamespace, 'infra/tofu-controller.yaml': controller(false) },
      errors: [
        {
          messageId: 'crossNamespace',
          data: { terraform: 'Terraform lotus-lake/lotus-lake-airbyte', source: 'GitRepository flux-system/lotus-lake', namespace: 'flux-system', own: 'lotus-lake' },
          file: 'lotus-lake/terraform.yaml', line: 13, column: 16, endLine: 13, endColumn: 27,
        },
      ],
    },
    {
      name: 'two repos: the Terraform in the cluster repo reads a source in another namespace',
      roots: { 'h-kube': { 'namespaces/lotus-lake/terraform.yaml': crossNamespace }, 'lotus-lake': { 'orchestration/airbyte/terraform/main.tf': 'locals {}\n' } },
      errors: [
        {
          messageId: 'crossNamespace',
          data: { terraform: 'Terraform lotus-lake/lotus-lake-airbyte', source: 'GitRepository flux-system/lotus-lake', namespace: 'flux-system', own: 'lotus-lake' },
          root: 'h-kube', file: 'namespaces/lotus-lake/terraform.yaml', line: 13, column: 16, endLine: 13, endColumn: 27,
        },
      ],
    },
  ],
});
