/**
 * The secret invariant as a property: a canary planted in any placement class (see
 * `placements.ts`), in any form and around any breakage, is printed by no formatter (colour or
 * not), not by `gitops-lint build`, and not in the result's code frames. `outputs.test.ts` runs
 * the real CLI and a real LSP client over a sample of the same cases.
 *
 * CI runs a fixed seed and a bounded count; `node scripts/canary-fuzz.mjs` runs more with a
 * random seed (`CANARY_SEED`, `CANARY_RUNS`).
 */
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderApplied } from '../../src/applied/render.js';
import { builtinRules } from '../../rules/index.js';
import { loadWorkspace } from '../../src/engine/lint.js';
import { formatters } from '../../src/formatters/index.js';
import { lint } from '../../src/index.js';
import { tempRepo } from '../cli/temp-repo.js';
import { describeCase, fuzzSettings, repoArbitrary, repoFiles } from './placements.js';

const { seed, numRuns } = fuzzSettings(30);

/** Every output of one repository: each formatter, code frames of every line, the build. */
async function outputsOf(dir: string, written: readonly string[]): Promise<Record<string, string>> {
  const result = await lint({ roots: [dir], cwd: dir });
  const outputs: Record<string, string> = {};
  for (const [name, formatter] of Object.entries(formatters)) {
    for (const color of [false, true]) outputs[`${name}${color ? ' (color)' : ''}`] = formatter(result, { cwd: dir, toolVersion: '0.0.0', color });
  }
  // Frames of every line of every file, not only of the lines findings point at.
  const root = result.roots[0]!.dir;
  outputs['code frames'] = written
    .map((file) => {
      const lines = result.sourceLines(root, file, 1, 1000);
      if (!lines || lines.length === 0) throw new Error(`No code frame lines for ${file}.`);
      return lines.join('\n');
    })
    .join('\n');
  outputs['result JSON'] = JSON.stringify(result);
  // A run for formats without code frames masks messages from `messageMasks` alone: the same findings.
  const frameless = await lint({ roots: [dir], cwd: dir, frames: false });
  outputs['result JSON without frames'] = JSON.stringify(frameless);
  if (JSON.stringify(frameless.findings) !== JSON.stringify(result.findings)) throw new Error('A run without code frames reports other findings or messages than a run with them.');
  const { model } = await loadWorkspace({ roots: [dir], cwd: dir, rules: builtinRules });
  outputs.build = renderApplied(model);
  return outputs;
}

describe('canary property: no output prints a planted secret', () => {
  it(`holds for generated repositories (seed ${seed}, ${numRuns} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(repoArbitrary, async (cases) => {
        const { files, forbidden } = repoFiles(cases);
        const dir = tempRepo(files);
        try {
          const outputs = await outputsOf(dir, Object.keys(files));
          for (const [name, output] of Object.entries(outputs)) {
            for (const canary of forbidden) {
              if (output.includes(canary)) throw new Error(`${name} prints the canary of ${cases.map(describeCase).join('; ')}:\n${excerpt(output, canary)}`);
            }
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { seed, numRuns, endOnFailure: process.env.CANARY_SHRINK === undefined },
    );
    expect(numRuns).toBeGreaterThan(0);
    // Longer runs (scripts/canary-fuzz.mjs) get the time they need; CI's 30 runs take a few seconds.
  }, Math.max(30_000, numRuns * 1_000));
});

/** The lines around the leak, to see where it came from. */
export function excerpt(output: string, canary: string): string {
  const at = output.indexOf(canary);
  return output.slice(Math.max(0, output.lastIndexOf('\n', Math.max(0, at - 200))), output.indexOf('\n', at + canary.length + 200));
}
