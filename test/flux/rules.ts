/** The rules of the Flux graph (issue 5), for the tests in this folder. */
import type { Rule } from '../../src/model/rule.js';
import duplicateResource from '../../rules/duplicate-resource.js';
import fluxApiVersion from '../../rules/flux-api-version.js';
import fluxDecryptionRequired from '../../rules/flux-decryption-required.js';
import fluxDependsOn from '../../rules/flux-depends-on.js';
import fluxPathExists from '../../rules/flux-path-exists.js';
import fluxSourceRef from '../../rules/flux-source-ref.js';
import fluxSubstitution from '../../rules/flux-substitution.js';
import fluxSubstitutionEscape from '../../rules/flux-substitution-escape.js';
import kustomizeResourcesExist from '../../rules/kustomize-resources-exist.js';
import kustomizeUnreferencedManifest from '../../rules/kustomize-unreferenced-manifest.js';
import secretRefExists from '../../rules/secret-ref-exists.js';

export const fluxRules: ReadonlyArray<Rule<string, never>> = [
  duplicateResource,
  fluxApiVersion,
  fluxDecryptionRequired,
  fluxDependsOn,
  fluxPathExists,
  fluxSourceRef,
  fluxSubstitution,
  fluxSubstitutionEscape,
  kustomizeResourcesExist,
  kustomizeUnreferencedManifest,
  secretRefExists,
].map((rule) => rule as unknown as Rule<string, never>);
