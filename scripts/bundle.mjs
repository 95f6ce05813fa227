// Bundles the CLI, language server included, into dist/cli/main.cjs with esbuild, straight
// from the TypeScript sources. A Node process that resolves and loads ~150 small modules
// spends more time doing that than linting a seed-sized repo: one file halves start-up, and
// as CommonJS it can be compiled through a V8 code cache (bin/gitops-lint.js), which saves
// most of the rest. The language server's modules are only initialised by `gitops-lint lsp`
// (esbuild keeps a dynamic import lazy); ajv (needed only to validate configs of rule sets
// other than the built-in one, whose validator is compiled ahead) stays an ordinary
// dependency. The file is committed so installs from git (pre-commit) need no build step.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const outdir = new URL('../dist/cli/', import.meta.url).pathname;

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // web-tree-sitter loads its Wasm runtime next to its own files: it stays an ordinary dependency.
  external: ['ajv', 'web-tree-sitter'],
  // Code run through vm.Script (the compile cache) cannot use import(): load with require().
  supported: { 'dynamic-import': false },
  // The sources are ESM and find package files relative to import.meta.url.
  define: { 'import.meta.url': '__gitopsLintModuleUrl' },
  banner: { js: "const __gitopsLintModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  legalComments: 'none',
};

rmSync(outdir, { recursive: true, force: true });
await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: `${outdir}main.cjs` });
