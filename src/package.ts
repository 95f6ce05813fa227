/**
 * The package's entry point, bundled into dist/cli/main.cjs: the library API (`lint`, the
 * rules, the types) and `main`, the CLI the bin runs. One file serves both, so an install
 * holds one copy of the code and needs no build step.
 */
export * from './index.js';
export { main } from './cli/main.js';
// For the bin only (bin/early-git.js): the git commands it started before this bundle was loaded.
export { adoptStartedGit } from './workspace/git.js';
export type { CliIo } from './cli/io.js';

// The language server lints on a worker thread that loads this bundle (src/lsp/lint-session.ts):
// there it serves lint runs. An environment variable, not worker_threads: that module costs
// milliseconds of every CLI start.
if (process.env.GITOPS_LINT_LSP_WORKER === '1') void import('./lsp/lint-session.js').then((module) => module.serveLintWorker());
