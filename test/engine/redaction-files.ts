import type { Root, SourceFile } from '../../src/model/workspace.js';
import { loadSourceFile } from '../../src/workspace/source-file.js';

/** The redaction tests' one root, outside git. */
export const root = { dir: '/repo', name: 'repo', git: false, tracked: null, trackedIgnored: new Set<string>() } as unknown as Root;

export const lines = (...text: string[]): string => `${text.join('\n')}\n`;

/** A `.sops.yaml` whose rule selects `data` and `stringData` under `deploy/`. */
export const SOPS_CONFIG = lines('creation_rules:', '  - path_regex: deploy/.*\\.yaml$', '    encrypted_regex: ^(data|stringData)$', '    age: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p');

export function load(text: string, relative = 'deploy/x.yaml'): SourceFile {
  return loadSourceFile(root, relative, `/repo/${relative}`, text).file;
}

/** A model whose only other file is `.sops.yaml` (when given). */
export function modelWith(sops: string | undefined) {
  const config = sops === undefined ? undefined : load(sops, '.sops.yaml');
  return { fileAt: (_root: Root, relative: string) => (relative === '.sops.yaml' ? config : undefined) };
}
