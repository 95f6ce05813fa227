// The README's editor snippets, run as written: a headless Neovim with the snippet for its
// version, and the server started exactly as the VS Code and Helix settings say, with a real
// LSP client over stdio. Plus packaging of the VS Code extension in editors/vscode.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BIN, LspClient } from '../lsp/client.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const README = readFileSync(path.join(REPO, 'README.md'), 'utf8');
/** A finding in lotus-lake that only linting h-kube with it (the `roots` option) produces. */
const CROSS_REPO = { file: 'deploy/dagster/ducklake-database.yaml', line: 22, rule: 'flux-substitution' };

/** The code blocks of one README section (from its heading to the next heading of that level or above, outside code). */
function blocks(heading: string, lang: string): string[] {
  const lines = README.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`README has no "${heading}"`);
  const level = /^#+/.exec(heading)?.[0].length ?? 4;
  const found: string[] = [];
  let current: string[] | undefined;
  let fenced = false;
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('```')) {
      if (fenced && current) found.push(`${current.join('\n')}\n`);
      current = !fenced && line === `\`\`\`${lang}` ? [] : undefined;
      fenced = !fenced;
      continue;
    }
    if (fenced) current?.push(line);
    else if (new RegExp(`^#{1,${level}} `).test(line)) break;
  }
  return found;
}

let base: string;
let lotus: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'gitops-lint-editors-'));
  lotus = path.join(base, 'lotus-lake');
  cpSync(path.join(REPO, 'examples/broken/lotus-lake'), lotus, { recursive: true });
  cpSync(path.join(REPO, 'examples/broken/h-kube'), path.join(base, 'h-kube'), { recursive: true });
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=e', '-c', 'user.email=e@example.invalid', ...args], { cwd: lotus, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'lotus-lake');
  // `gitops-lint` on PATH, as after an install: this checkout's bin.
  const bin = path.join(base, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'gitops-lint'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(path.join(bin, 'gitops-lint'), 0o755);
  env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, GITOPS_LINT_NO_CACHE: '1' };
});

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

/** Starts the server as an editor configured this way would, opens the file, returns its first non-empty diagnostics. */
async function diagnosticsVia(command: string, args: string[], initializationOptions: unknown): Promise<Array<{ line: number; code: unknown }>> {
  const client = await LspClient.start({ folders: [lotus], initializationOptions, command: { command, args, env } });
  try {
    const file = path.join(lotus, CROSS_REPO.file);
    await client.open(file, readFileSync(file, 'utf8'));
    const published = await client.diagnostics(file, { match: (params) => params.diagnostics.length > 0, timeoutMs: 20_000 });
    return published.diagnostics.map((d) => ({ line: d.range.start.line + 1, code: d.code }));
  } finally {
    await client.stop();
  }
}

describe('VS Code: Generic LSP Client (v2) settings', () => {
  it('start a server that reports the cross-repository finding', async () => {
    const [json] = blocks('#### VS Code', 'json');
    const settings = JSON.parse(json ?? '{}') as Record<string, unknown>;
    expect(settings['glspc.server.languageId']).toEqual(['yaml', 'json']);
    const found = await diagnosticsVia(
      String(settings['glspc.server.command']),
      settings['glspc.server.commandArguments'] as string[],
      settings['glspc.server.initializationOptions'],
    );
    expect(found).toContainEqual({ line: CROSS_REPO.line, code: CROSS_REPO.rule });
  });
});

describe('Helix languages.toml', () => {
  it('starts a server that reports the cross-repository finding', async () => {
    const [toml] = blocks('#### Helix', 'toml');
    const server = /\[language-server\.gitops-lint\]\n([\s\S]*?)\n\n/.exec(toml ?? '')?.[1] ?? '';
    const value = (key: string) => new RegExp(`^${key} = (.*)$`, 'm').exec(server)?.[1] ?? '';
    // The values are TOML strings, arrays and one inline table: as YAML flow (`=` → `:`) they read the same.
    const command = parse(value('command')) as string;
    const args = parse(value('args')) as string[];
    const config = parse(value('config').replace(/ = /g, ': ')) as unknown;
    expect(toml).toMatch(/language-servers = \[.*"gitops-lint".*\]/);
    const found = await diagnosticsVia(command, args, config);
    expect(found).toContainEqual({ line: CROSS_REPO.line, code: CROSS_REPO.rule });
  });
});

const nvimVersion = /NVIM v(\d+)\.(\d+)/.exec(spawnSync('nvim', ['--version'], { encoding: 'utf8' }).stdout ?? '');
const nvimLabel = nvimVersion ? `nvim ${nvimVersion[1]}.${nvimVersion[2]}` : 'skipped: nvim is not installed, apt-get install neovim';

describe.skipIf(!nvimVersion)(`Neovim snippet in a headless Neovim (${nvimLabel})`, () => {
  it('attaches the server and shows the cross-repository finding in vim.diagnostic.get()', () => {
    const [major, minor] = [Number(nvimVersion?.[1]), Number(nvimVersion?.[2])];
    // The README gives one snippet for 0.7–0.9, one for 0.10 and one for 0.11 and later.
    const index = major === 0 && minor < 10 ? 0 : major === 0 && minor === 10 ? 1 : 2;
    const snippet = blocks('#### Neovim', 'lua')[index];
    if (snippet === undefined) throw new Error('README has no Neovim snippet for this version');
    const init = path.join(base, 'init.lua');
    writeFileSync(init, snippet);
    const probe = path.join(base, 'probe.lua');
    const out = path.join(base, 'diagnostics.json');
    writeFileSync(
      probe,
      `vim.wait(20000, function()
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.code == '${CROSS_REPO.rule}' then return true end
  end
  return false
end, 50)
local found = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(found, { line = d.lnum + 1, code = d.code, source = d.source, severity = d.severity })
end
vim.fn.writefile({ vim.fn.json_encode(found) }, ${JSON.stringify(out)})
vim.cmd('qa!')
`,
    );
    const run = spawnSync('nvim', ['--headless', '-u', init, '-i', 'NONE', '-n', CROSS_REPO.file, '-c', `luafile ${probe}`], {
      cwd: lotus,
      env: { ...env, HOME: base, XDG_CONFIG_HOME: path.join(base, 'config'), XDG_DATA_HOME: path.join(base, 'data'), XDG_STATE_HOME: path.join(base, 'state') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const found = JSON.parse(readFileSync(out, 'utf8')) as Array<{ line: number; code: string; source: string; severity: number }>;
    // vim.diagnostic.severity.ERROR is 1.
    expect(found).toContainEqual({ line: CROSS_REPO.line, code: CROSS_REPO.rule, source: 'gitops-lint', severity: 1 });
  });
});

const vscodeDir = path.join(REPO, 'editors/vscode');
const vsce = path.join(vscodeDir, 'node_modules/.bin/vsce');

describe.skipIf(!existsSync(vsce))(
  `VS Code extension packaging (${existsSync(vsce) ? 'vsce' : 'skipped: run npm ci in editors/vscode first, as .ci/run does'})`,
  () => {
    it('packages a .vsix offline with the client library inside and nothing of the build tools', () => {
      const vsix = path.join(base, 'gitops-lint.vsix');
      execFileSync('npx', ['vsce', 'package', '--out', vsix], { cwd: vscodeDir, env: { ...process.env, npm_config_offline: 'true' }, stdio: 'pipe' });
      const listing = execFileSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', vsix], { encoding: 'utf8' }).split('\n');
      // What `require('vscode-languageclient/node')` in extension.js loads must be in the package.
      const client = path.relative(vscodeDir, createRequire(path.join(vscodeDir, 'extension.js')).resolve('vscode-languageclient/node'));
      expect(listing).toEqual(expect.arrayContaining(['extension/package.json', 'extension/extension.js', `extension/${client.split(path.sep).join('/')}`]));
      expect(listing.some((file) => file.includes('node_modules/@vscode/vsce'))).toBe(false);
      const manifest = JSON.parse(readFileSync(path.join(vscodeDir, 'package.json'), 'utf8')) as { main: string; contributes: { configuration: { properties: Record<string, unknown> } } };
      expect(manifest.main).toBe('./extension.js');
      expect(Object.keys(manifest.contributes.configuration.properties)).toEqual(['gitops-lint.path', 'gitops-lint.roots', 'gitops-lint.configFile']);
    });

    it('keeps its dependencies out of the linter package', () => {
      const root = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; files: string[] };
      expect(Object.keys(root.dependencies)).not.toContain('vscode-languageclient');
      expect(root.files).not.toContain('editors');
    });
  },
);
