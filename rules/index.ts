import type { Rule } from '../src/model/rule.js';
import dbtDuplicateModel from './dbt-duplicate-model.js';
import dbtProjectPaths from './dbt-project-paths.js';
import dbtRef from './dbt-ref.js';
import duplicateResource from './duplicate-resource.js';
import fluxApiVersion from './flux-api-version.js';
import fluxDecryptionRequired from './flux-decryption-required.js';
import fluxDependsOn from './flux-depends-on.js';
import fluxNamespaceRequired from './flux-namespace-required.js';
import fluxPathExists from './flux-path-exists.js';
import fluxSourceRef from './flux-source-ref.js';
import fluxSubstitution from './flux-substitution.js';
import fluxSubstitutionEscape from './flux-substitution-escape.js';
import hclSyntax from './hcl-syntax.js';
import imagePullPolicyMutableTag from './image-pull-policy-mutable-tag.js';
import imagePullSecretExists from './image-pull-secret-exists.js';
import imageTagMutable from './image-tag-mutable.js';
import kustomizeResourcesExist from './kustomize-resources-exist.js';
import kustomizeUnreferencedManifest from './kustomize-unreferenced-manifest.js';
import noCommittedTerraformState from './no-committed-terraform-state.js';
import noPlaintextSensitiveEnv from './no-plaintext-sensitive-env.js';
import noTrackedIgnoredFiles from './no-tracked-ignored-files.js';
import requiredEnv from './required-env.js';
import schemaValid from './schema-valid.js';
import secretRefExists from './secret-ref-exists.js';
import sopsConfigValid from './sops-config-valid.js';
import sopsCreationRules from './sops-creation-rules.js';
import sopsMetadataValid from './sops-metadata-valid.js';
import sopsSecretEncrypted from './sops-secret-encrypted.js';
import terraformDuplicateName from './terraform-duplicate-name.js';
import terraformFilePath from './terraform-file-path.js';
import terraformRequiredProvider from './terraform-required-provider.js';
import terraformUndeclaredReference from './terraform-undeclared-reference.js';
import terraformBackendOverride from './terraform-backend-override.js';
import terraformRunnerPermissions from './terraform-runner-permissions.js';
import terraformSourceNamespace from './terraform-source-namespace.js';
import terraformVariables from './terraform-variables.js';
import yamlSyntax from './yaml-syntax.js';

type AnyRule = Rule<string, never>;

/** Every built-in rule. A meta test checks this list against the files in rules/. */
export const builtinRules: ReadonlyArray<AnyRule> = [
  dbtDuplicateModel,
  dbtProjectPaths,
  dbtRef,
  duplicateResource,
  fluxApiVersion,
  fluxDecryptionRequired,
  fluxDependsOn,
  fluxNamespaceRequired,
  fluxPathExists,
  fluxSourceRef,
  fluxSubstitution,
  fluxSubstitutionEscape,
  hclSyntax,
  imagePullPolicyMutableTag,
  imagePullSecretExists,
  imageTagMutable,
  kustomizeResourcesExist,
  kustomizeUnreferencedManifest,
  noCommittedTerraformState,
  noPlaintextSensitiveEnv,
  noTrackedIgnoredFiles,
  requiredEnv,
  schemaValid,
  secretRefExists,
  sopsConfigValid,
  sopsCreationRules,
  sopsMetadataValid,
  sopsSecretEncrypted,
  terraformDuplicateName,
  terraformFilePath,
  terraformRequiredProvider,
  terraformUndeclaredReference,
  terraformBackendOverride,
  terraformRunnerPermissions,
  terraformSourceNamespace,
  terraformVariables,
  yamlSyntax,
].map((rule) => rule as unknown as AnyRule);
