// Bundles the CLI and the library into dist/cli/ with esbuild, straight from the TypeScript
// sources. A Node process that resolves and loads ~150 small modules spends more time doing
// that than linting a seed-sized repo; one ESM bundle (the language server and ajv split
// into chunks loaded only when used) halves start-up. esbuild is a runtime dependency so
// that `prepare` can build the bin when the package is installed from git (pre-commit),
// where npm does not install devDependencies.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = new URL('../dist/cli/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: 'src/cli/main.ts', index: 'src/index.ts' },
  absWorkingDir: new URL('..', import.meta.url).pathname,
  outdir,
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
