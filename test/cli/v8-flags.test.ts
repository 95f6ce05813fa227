import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const { v8Flags } = createRequire(import.meta.url)('../../bin/v8-flags.js') as { v8Flags(args: string[]): string[] };

describe('the V8 flags the bin sets before compiling the bundle', () => {
  it('raises the interrupt budget fourfold for lint runs and the other one-shot commands', () => {
    const raised = ['--interrupt-budget=270336'];
    expect(v8Flags([])).toEqual(raised);
    expect(v8Flags(['-f', 'json', 'examples/lotus-lake'])).toEqual(raised);
    expect(v8Flags(['--staged'])).toEqual(raised);
    expect(v8Flags(['build', 'examples/h-kube'])).toEqual(raised);
    expect(v8Flags(['rules'])).toEqual(raised);
  });

  it("keeps V8's defaults for the language server, where optimizing pays over a session", () => {
    expect(v8Flags(['lsp', '--stdio'])).toEqual([]);
  });

  it("is four times the running V8's default interrupt budget, a flag this V8 knows", () => {
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    const current = /--interrupt-budget \(.*\)\n\s+type: int\s+default: --interrupt-budget=(\d+)/.exec(options);
    expect(current).not.toBeNull();
    expect(v8Flags([])).toEqual([`--interrupt-budget=${4 * Number(current![1])}`]);
  });
});
