/**
 * What the resource classes share (written documents in `build.ts`, applied copies in
 * `applied/resource.ts`): the fields of `Resource`, the API group and version split once, and
 * `get`. Classes rather than object literals: a large repository has thousands of documents and
 * tens of thousands of copies, and prototype members spare each of them its own closures.
 */
import type { Document } from 'yaml';
import type { YamlPath } from './finding.js';
import type { Resource, SourceFile } from './workspace.js';
import { getIn } from '../engine/values.js';

/** The group of each apiVersion seen, made once: a run has thousands of objects and a few apiVersions. */
const groups = new Map<string, string>();
/** Beyond this many apiVersions (a generated or hostile repository) groups are cut each time. */
const MAX_GROUPS = 512;

function groupOf(apiVersion: string, slash: number): string {
  let group = groups.get(apiVersion);
  if (group === undefined) {
    group = apiVersion.slice(0, slash);
    if (groups.size < MAX_GROUPS) groups.set(apiVersion, group);
  }
  return group;
}

export abstract class ResourceObject implements Resource {
  group: string;
  version: string;
  constructor(
    public file: SourceFile,
    public docIndex: number,
    public apiVersion: string,
    public kind: string,
    public name: string,
    public namespace: string | undefined,
    public appliedNamespace: string | undefined,
    public encrypted: boolean,
    readonly value: Record<string, unknown>,
  ) {
    // As splitApiVersion, without an object per resource, and one group string per apiVersion.
    const slash = apiVersion.indexOf('/');
    this.group = slash < 0 ? '' : groupOf(apiVersion, slash);
    this.version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  }

  abstract get doc(): Document.Parsed;

  get(path: YamlPath): unknown {
    return getIn(this.value, path);
  }
}
