import { describe, expect, it } from 'vitest';
import plaintext from '../../rules/no-plaintext-sensitive-env.js';
import { stylish } from '../../src/formatters/stylish.js';
import { lintExample, VIRTUAL_BASE, yaml } from '../../src/testing/index.js';

const context = { cwd: VIRTUAL_BASE, toolVersion: '0.0.0', color: false };

/** A literal password with a trailing comment, and a Secret whose data lines are masked after the key. */
const files = {
  'deploy/app.yaml': yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: app
    spec:
      template:
        spec:
          containers:
            - name: app
              image: ghcr.io/acme/app:1.0.0
              env:
                - name: DB_PASSWORD
                  value: "hunter2-but-much-longer" # rotated monthly
  `,
};

describe('stylish code frames over masked values', () => {
  it('keeps the line shape and puts the carets under the mask only (snapshot)', async () => {
    const result = await lintExample(plaintext, { files });
    const output = stylish(result, context);
    expect(output).not.toContain('hunter2');
    await expect(output).toMatchFileSnapshot('__snapshots__/stylish-masked.txt');
  });

  it('maps the region onto the mask: from the value start to the end of `***`, not into the comment', async () => {
    const result = await lintExample(plaintext, { files });
    const [finding] = result.findings;
    expect(finding?.location).toMatchObject({ startLine: 13, startColumn: 22, endLine: 13, endColumn: 47 });
    expect(result.frameRegion?.(finding!.location.root, finding!.location.file, finding!.location)).toEqual({ startLine: 13, startColumn: 22, endLine: 13, endColumn: 25 });
    expect(result.sourceLines(finding!.location.root, finding!.location.file, 13, 13)).toEqual(['              value: *** # rotated monthly']);
  });

  it('keeps the space after the colon of a masked Secret data line', async () => {
    const result = await lintExample(plaintext, {
      files: { 'deploy/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: backup\nstringData:\n  password:   hunter2 # old: letmein\n  # was: letmein\n' },
    });
    const root = `${VIRTUAL_BASE}/repo`;
    expect(result.sourceLines(root, 'deploy/secret.yaml', 6, 7)).toEqual(['  password:   ***', '  # ***']);
  });
});
