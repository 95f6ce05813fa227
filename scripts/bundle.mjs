// Bundles the CLI into dist/cli/ with esbuild. A Node process that resolves and loads ~150
// small modules spends more time doing that than linting a seed-sized repo; one ESM bundle
// (the language server split into a chunk loaded only by `gitops-lint lsp`) halves start-up.
import { build } from 'esbuild';

await build({
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __gitopsLintRequire } from 'node:module'; const require = __gitopsLintRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'none',
});
