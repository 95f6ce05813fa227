// Bundles the CLI into dist/cli/main.mjs and the language server into dist/cli/lsp.mjs with
// esbuild, straight from the TypeScript sources. A Node process that resolves and loads ~150
// small modules spends more time doing that than linting a seed-sized repo; one ESM file
// halves start-up. The language server is a bundle of its own, loaded only by
// `gitops-lint lsp`, and ajv (needed only to validate configs of rule sets other than the
// built-in one, whose validator is compiled ahead) stays an ordinary dependency.
// Both files are committed so installs from git (pre-commit) need no build step; stable
// file names keep their diffs to the code that changed.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const outdir = new URL('../dist/cli/', import.meta.url).pathname;

/** `import('../lsp/server.js')` in the CLI loads the separate language-server bundle. */
const lspAsSibling = {
  name: 'lsp-as-sibling',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /\/lsp\/server\.js$/ }, () => ({ path: './lsp.mjs', external: true }));
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['ajv'],
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __gitopsLintRequire } from 'node:module'; const require = __gitopsLintRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'none',
};

rmSync(outdir, { recursive: true, force: true });
await Promise.all([
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: `${outdir}main.mjs`, plugins: [lspAsSibling] }),
  build({ ...common, entryPoints: ['src/lsp/server.ts'], outfile: `${outdir}lsp.mjs` }),
]);
