/** `gitops-lint build`: print what Flux applies, as the linter sees it. */
import { builtinRules } from '../../rules/index.js';
import { ConfigError } from '../config/load.js';
import { loadWorkspace } from '../engine/lint.js';
import { renderApplied, UnknownKustomizationError } from '../applied/render.js';
import type { CliOptions } from './args.js';
import type { CliIo } from './io.js';

export async function runBuild(options: CliOptions, io: CliIo): Promise<number> {
  try {
    const { model, notes } = await loadWorkspace({
      roots: options.paths.length > 0 ? options.paths : ['.'],
      cwd: io.cwd,
      rules: builtinRules,
      ...(io.onFilesListed ? { onFilesListed: io.onFilesListed } : {}),
      ...(options.config !== undefined ? { configFile: options.config } : {}),
    });
    io.stdout(renderApplied(model, options.kustomization === undefined ? {} : { kustomization: options.kustomization }));
    for (const note of notes) io.stderr(`note: ${note.message}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`gitops-lint: ${error.describe(io.cwd)}\n`);
      return 2;
    }
    if (error instanceof UnknownKustomizationError) {
      io.stderr(`gitops-lint: ${error.message}\n`);
      return 2;
    }
    io.stderr(`gitops-lint: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  }
}
