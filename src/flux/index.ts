/** The Flux graph across roots (sources, Kustomizations and what they apply, HelmReleases, Terraforms). */
export { buildFluxGraph, namespaceMatches, refAt } from './graph.js';
export { linkGitRepository, repoNameOfUrl } from './repos.js';
export * from './kinds.js';
export type * from './types.js';
export { describeNamespace, describeObject, movedBy, qualified } from './describe.js';
