import { defineRule } from '../src/model/rule.js';
import type { Offsets } from '../src/terraform/hcl.js';
import { attributeValueOf, blockTypeOf, labelOf, labelOffsetsOf, typeOffsetsOf, type HclFactsBlockRecord } from '../src/terraform/hcl-facts.js';
import { skipUnknownModule, terraformIndex, type TfFile, type TfModule } from '../src/terraform/modules.js';

/**
 * Providers HashiCorp publishes (or still serves as archived) under `hashicorp/`: an implied
 * `hashicorp/<name>` resolves for these, so leaving them out of required_providers works.
 */
const HASHICORP = new Set([
  'ad', 'archive', 'aws', 'awscc', 'azuread', 'azurerm', 'azurestack', 'boundary', 'cloudinit', 'consul', 'dns', 'external', 'github', 'google', 'google-beta',
  'googleworkspace', 'hcp', 'hcs', 'helm', 'http', 'kubernetes', 'local', 'nomad', 'null', 'opc', 'oraclepaas', 'random', 'salesforce', 'template', 'tfcoremock', 'tfe', 'tfmigrate', 'time', 'tls', 'vault', 'vsphere',
]);

export default defineRule({
  meta: {
    id: 'terraform-required-provider',
    description: 'Require every provider a Terraform module uses that HashiCorp does not publish to be declared in required_providers',
    scope: 'repository',
    category: 'correctness',
    defaultLevel: 'warning',
    recommended: true,
    messages: {
      undeclared: 'Provider "{{provider}}" (used by {{what}}) is not in required_providers of this module, so Terraform assumes hashicorp/{{provider}}: HashiCorp does not publish it, so init fails (or installs a stale legacy copy). Declare it: required_providers { {{provider}} = { source = "<namespace>/{{provider}}" } }.',
    },
    docs: {
      rationale:
        'A resource type names its provider by its prefix (`airbyte_source_shopify` → `airbyte`). When the module\'s `terraform { required_providers { … } }` does not declare that name, Terraform and OpenTofu look for `hashicorp/<name>`, which exists only for HashiCorp\'s own providers: for a third-party provider such as Airbyte\'s, `terraform init` fails with "provider registry … does not have a provider named hashicorp/airbyte". Every module needs its own declaration, child modules included. This catches it before the seed CI\'s `init`/`validate` step or the tofu-controller runner does; which provider versions exist still needs the registry. Only folders known to be modules are checked: with a `terraform {}` block or a `.terraform.lock.hcl`, run by a tofu-controller Terraform (`spec.path`), or called by a local `module` block. Other folders of `.tf` files may be fragments copied into modules elsewhere (cloudposse `mixins/`), whose names are declared there: they are skipped with one note per repository (hcl-syntax still checks them).',
      incorrect: [
        {
          title: 'The Airbyte provider is used but not declared',
          files: {
            'orchestration/airbyte/terraform/versions.tf': 'terraform {\n  required_version = ">= 1.6"\n}\n',
            'orchestration/airbyte/terraform/sources.tf': 'resource "airbyte_source_shopify" "store" {\n  name = "shopify"\n}\n',
          },
        },
      ],
      correct: [
        {
          files: {
            'orchestration/airbyte/terraform/versions.tf': 'terraform {\n  required_providers {\n    airbyte = {\n      source  = "airbytehq/airbyte"\n      version = "0.6.5"\n    }\n  }\n}\n',
            'orchestration/airbyte/terraform/sources.tf': 'resource "airbyte_source_shopify" "store" {\n  name = "shopify"\n}\n\nresource "random_id" "suffix" {\n  byte_length = 4\n}\n',
          },
        },
      ],
      whenNotToUse: 'When a private registry or a provider installation mirror serves the provider under the hashicorp namespace.',
    },
  },
  check(ctx) {
    // Indexed loops: no iterator result per module, file and block (see modules.ts).
    const modules = terraformIndex(ctx.model).modules;
    for (let moduleIndex = 0; moduleIndex < modules.length; moduleIndex++) {
      const module = modules[moduleIndex] as TfModule;
      if (skipUnknownModule(ctx.model, module)) continue;
      // A .tf.json file, or a file that does not parse, may hold the declaration.
      if (!module.complete) continue;
      const firstUse = new Map<string, { file: TfFile; offsets: Offsets; what: string }>();
      for (let fileIndex = 0; fileIndex < module.files.length; fileIndex++) {
        const file = module.files[fileIndex] as TfFile;
        const blocks = file.hcl.blocks;
        for (let blockIndex = 0; blockIndex < blocks.length; blockIndex++) {
          const block = blocks[blockIndex] as HclFactsBlockRecord;
          const label = labelOf(block, 0);
          if (label === undefined) continue;
          const type = blockTypeOf(block);
          let provider: string | undefined;
          const used = type === 'resource' || type === 'data' || type === 'ephemeral';
          if (used) {
            const explicit = attributeValueOf(block, 'provider');
            const underscore = label.indexOf('_');
            provider = explicit?.kind === 'traversal' ? explicit.root : underscore === -1 ? label : label.slice(0, underscore);
          } else if (type === 'provider') provider = label;
          // terraform_data and terraform_remote_state come with Terraform itself.
          if (provider === undefined || provider === 'terraform' || module.requiredProviders.has(provider) || HASHICORP.has(provider) || firstUse.has(provider)) continue;
          // Worded only for the first use of a provider that is reported.
          const what = used ? `${type === 'resource' ? '' : `${type} `}${label}` : `provider "${provider}"`;
          firstUse.set(provider, { file, offsets: labelOffsetsOf(block, 0) ?? typeOffsetsOf(block), what });
        }
      }
      for (const [provider, use] of firstUse) ctx.report({ file: use.file.file, offsets: use.offsets, messageId: 'undeclared', data: { provider, what: use.what } });
    }
  },
});
