// One module graph for scripts/bench.mjs's policy section: tsx gives each tsImport() call its own
// module instances, so loadWorkspace and runPolicies must come through one import to share state.
export { loadWorkspace } from '../src/engine/lint.js';
export { runPolicies } from '../src/policies/evaluate.js';
