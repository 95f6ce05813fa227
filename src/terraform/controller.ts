/**
 * tofu-controller as the linted roots install it, and the module each `Terraform` object runs
 * (reference DOMAIN §4; chart `charts/tofu-controller` values and templates).
 */
import type { Model } from '../model/model.js';
import type { Resource } from '../model/workspace.js';
import { HELM_GROUP } from '../flux/kinds.js';
import type { FluxTerraform } from '../flux/types.js';
import { asArray, asRecord, asString, getIn } from '../engine/values.js';
import { terraformIndex, type TfModule } from './modules.js';

/** What the tofu-controller chart installs, read from its HelmRelease. */
export interface ControllerSettings {
  release: Resource;
  /** `allowCrossNamespaceRefs` (chart default `false`), `undefined` when the values are not all known. */
  allowCrossNamespaceRefs: boolean | undefined;
  /** The runner ServiceAccount the chart creates (`runner.serviceAccount.name`, default `tf-runner`), if it creates one. */
  runnerServiceAccount: string | undefined;
  /**
   * Namespaces where the chart creates that ServiceAccount and binds it to `tf-runner-role`:
   * `runner.serviceAccount.allowedNamespaces` (default `[flux-system]`) and the release's own.
   * `undefined` when not known (values from `valuesFrom`).
   */
  runnerNamespaces: string[] | undefined;
}

/** The tofu-controller HelmReleases of the linted roots (chart `tofu-controller` or the old `tf-controller`). */
export function controllerSettings(model: Model): ControllerSettings[] {
  return model.ofKind('HelmRelease', HELM_GROUP)
    .filter((release) => {
      const chart = asString(release.get(['spec', 'chart', 'spec', 'chart'])) ?? asString(release.get(['spec', 'chartRef', 'name']));
      return chart === 'tofu-controller' || chart === 'tf-controller';
    })
    .map((release) => {
      const values = asRecord(release.get(['spec', 'values'])) ?? {};
      // Values from a ConfigMap or Secret are not known here.
      const known = asArray(release.get(['spec', 'valuesFrom'])).length === 0;
      const runner = asRecord(getIn(values, ['runner', 'serviceAccount'])) ?? {};
      const namespace = asString(release.get(['spec', 'targetNamespace'])) ?? release.appliedNamespace;
      const allowed = runner.allowedNamespaces === undefined ? ['flux-system'] : asArray(runner.allowedNamespaces).filter((entry): entry is string => typeof entry === 'string');
      const cross = values.allowCrossNamespaceRefs;
      return {
        release,
        allowCrossNamespaceRefs: typeof cross === 'boolean' ? cross : known ? false : undefined,
        runnerServiceAccount: runner.create === false ? undefined : (asString(runner.name) || 'tf-runner'),
        runnerNamespaces: known ? [...allowed, ...(namespace === undefined ? [] : [namespace])] : undefined,
      };
    });
}

/** The module a Terraform object runs, when its source is a linted root and the path a folder with configuration. */
export function moduleOf(model: Model, terraform: FluxTerraform): TfModule | undefined {
  const { link, path } = terraform;
  if (link.status !== 'linked' || path.status !== 'directory' || path.dir === undefined) return undefined;
  return terraformIndex(model).at(link.root, path.dir);
}
