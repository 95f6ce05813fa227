import type { Rule } from '../src/model/rule.js';
import imagePullPolicyMutableTag from './image-pull-policy-mutable-tag.js';
import imageTagMutable from './image-tag-mutable.js';
import noCommittedTerraformState from './no-committed-terraform-state.js';
import noPlaintextSensitiveEnv from './no-plaintext-sensitive-env.js';
import noTrackedIgnoredFiles from './no-tracked-ignored-files.js';
import requiredEnv from './required-env.js';
import schemaValid from './schema-valid.js';
import sopsConfigValid from './sops-config-valid.js';
import sopsCreationRules from './sops-creation-rules.js';
import sopsMetadataValid from './sops-metadata-valid.js';
import sopsSecretEncrypted from './sops-secret-encrypted.js';
import yamlSyntax from './yaml-syntax.js';

type AnyRule = Rule<string, never>;

/** Every built-in rule. A meta test checks this list against the files in rules/. */
export const builtinRules: ReadonlyArray<AnyRule> = [
  imagePullPolicyMutableTag,
  imageTagMutable,
  noCommittedTerraformState,
  noPlaintextSensitiveEnv,
  noTrackedIgnoredFiles,
  requiredEnv,
  schemaValid,
  sopsConfigValid,
  sopsCreationRules,
  sopsMetadataValid,
  sopsSecretEncrypted,
  yamlSyntax,
].map((rule) => rule as unknown as AnyRule);
