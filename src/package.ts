/**
 * The package's entry point, bundled into dist/cli/main.cjs: the library API (`lint`, the
 * rules, the types) and `main`, the CLI the bin runs. One file serves both, so an install
 * holds one copy of the code and needs no build step.
 */
export * from './index.js';
export { main } from './cli/main.js';
export type { CliIo } from './cli/io.js';
