// npm "prepare": build the bin's bundle when esbuild is at hand (a checkout with its
// dependencies installed). The bundle is committed in dist/cli/, so a git install works
// even where npm prepares the clone without node_modules, which it does for the global git
// installs pre-commit makes; a test keeps the committed bundle in step with the sources.
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
if (existsSync(path.join(root, 'node_modules', 'esbuild', 'package.json'))) {
  await import('./bundle.mjs');
} else if (!existsSync(path.join(root, 'dist', 'cli', 'main.mjs'))) {
  console.error('gitops-lint: dist/cli/main.mjs is missing and esbuild is not installed to build it.');
  process.exit(1);
}
