import { afterEach, describe, expect, it } from 'vitest';
import { parseYamlText } from '../../src/yaml/parse.js';
import { runCli, tempRepo } from '../cli/temp-repo.js';

// CVE-2025-64718: js-yaml before 4.1.1 assigned a `<<` merge's `__proto__` key through the
// setter, so untrusted YAML could replace an object's prototype. Both parse paths (js-yaml
// for plain files, `yaml` for files with anchors) must keep it an ordinary own key.
const inline = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  <<: {__proto__: {polluted: "yes"}}\n  mode: fast\n';
const anchored =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\nbase: &base\n  __proto__:\n    polluted: "yes"\ndata:\n  <<: *base\n  mode: fast\n';

function untouched(value: unknown): void {
  const data = (value as { data: Record<string, unknown> }).data;
  expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
  expect((data as { polluted?: unknown }).polluted).toBeUndefined();
  expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
}

afterEach(() => {
  // Leave no pollution behind for other tests even if an assertion failed.
  delete (Object.prototype as { polluted?: unknown }).polluted;
});

describe('a << merge of __proto__', () => {
  it('changes no prototype on the js-yaml path (no anchors)', () => {
    const parsed = parseYamlText(inline);
    expect(parsed.problems).toEqual([]);
    untouched(parsed.documents[0]?.value);
  });

  it('changes no prototype on the yaml path (anchors and aliases)', () => {
    const parsed = parseYamlText(anchored);
    untouched(parsed.documents[0]?.value);
  });

  it('changes no prototype when the CLI lints such files from disk', async () => {
    const dir = tempRepo({ 'deploy/inline.yaml': inline, 'deploy/anchored.yaml': anchored });
    const run = await runCli(['-f', 'json', '.'], dir);
    expect(run.stderr).toBe('');
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(JSON.parse(run.stdout)).toHaveProperty('fileCount', 2);
  });
});
