import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
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

/** Every YAML file of examples/ (run from the project's folder), with the `.sops.yaml` of its repository. */
export function exampleYamlFiles(): Array<{ name: string; text: string; sops: string | undefined }> {
  return readdirSync('examples', { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => {
      const repo = name.split('/').slice(0, name.startsWith('broken/') ? 2 : 1).join('/');
      const sopsFile = path.join('examples', repo, '.sops.yaml');
      return { name, text: readFileSync(path.join('examples', name), 'utf8'), sops: existsSync(sopsFile) ? readFileSync(sopsFile, 'utf8') : undefined };
    });
}
