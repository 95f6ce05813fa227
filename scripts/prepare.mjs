// npm "prepare": build the bin. When npm prepares this package as a git dependency of a
// global install (how pre-commit installs hooks), it runs the clone's install with the
// global prefix inherited, so the clone gets no node_modules and nothing to bundle with.
// Then install the runtime dependencies (esbuild is one) into the clone first.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
if (!existsSync(path.join(root, 'node_modules', 'esbuild', 'package.json'))) {
  const env = { ...process.env, npm_config_global: 'false', npm_config_prefix: root };
  const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
  execFileSync(npm[0], [...npm.slice(1), 'install', '--omit=dev', '--ignore-scripts', '--no-save', '--no-audit', '--no-fund', '--no-package-lock'], { cwd: root, env, stdio: 'inherit' });
}
await import('./bundle.mjs');
