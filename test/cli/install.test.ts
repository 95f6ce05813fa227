import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// The package as users get it: `npm pack` of a fresh checkout (the committed tree at HEAD,
// nothing built here), installed with npm from the tarball and from a git URL. npm finds
// ajv, the one runtime dependency, in its cache (npm ci put it there); --prefer-offline
// still lets it use the registry when the cache lacks it.
const repo = path.join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string>; dependencies: Record<string, string> };
const npmFlags = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
const broken = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:latest\n';

const RELEASE = '0.1.0';
const GIT_IDENTITY = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' };

let work: string;
let checkout: string;
let tarball: string;
let packed: string[];

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
}

function run(file: string, args: string[], cwd: string) {
  const result = spawnSync(file, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', GITOPS_LINT_NO_CACHE: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function lintTarget(): string {
  const dir = mkdtempSync(path.join(work, 'repo-'));
  mkdirSync(path.join(dir, 'deploy'));
  writeFileSync(path.join(dir, 'deploy', 'web.yaml'), broken);
  return dir;
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'gitops-lint-install-'));
  checkout = path.join(work, 'checkout');
  mkdirSync(checkout);
  // A fresh checkout: exactly the committed files, as a git repository of its own.
  execFileSync('sh', ['-c', `git -C "${repo}" archive HEAD | tar -x -C "${checkout}"`]);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: checkout, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'checkout');
  // The documented release step: bumps the version, dates the changelog, tags.
  execFileSync('npm', ['version', RELEASE, '--loglevel=error'], { cwd: checkout, stdio: 'pipe', env: { ...process.env, ...GIT_IDENTITY, RELEASE_DATE: '2026-01-02' } });
  const [info] = JSON.parse(npm(['pack', '--json', '--pack-destination', work, '--loglevel=error'], checkout)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = path.join(work, info!.filename);
  packed = info!.files.map((file) => file.path).sort();
}, 120_000);

describe('the package', () => {
  it('is released by npm version: the changelog dated, the tags the README pins created', () => {
    const tags = execFileSync('git', ['tag', '--points-at', 'HEAD'], { cwd: checkout, encoding: 'utf8' }).trim().split('\n').sort();
    expect(tags).toEqual(['v0', `v${RELEASE}`]);
    const changelog = readFileSync(path.join(checkout, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(new RegExp(`^## Unreleased\\n\\n## ${RELEASE.replace(/\./g, '\\.')} \\(2026-01-02\\)\\n\\nThe first release\\.`, 'm'));
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: checkout, encoding: 'utf8' })).toBe('');
    const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
    expect(readme).toContain(`rev: v${RELEASE}`);
    expect(readme).toContain('uses: gitops-lint/gitops-lint@v0');
  });

  it('has no build, prepare or install script (npm 11 would install it from git as a dangling symlink)', () => {
    // npm/cli#6984: with any of these, a global git install links to a temporary clone npm deletes.
    for (const name of ['build', 'prepare', 'prepack', 'preinstall', 'install', 'postinstall']) expect(pkg.scripts).not.toHaveProperty(name);
  });

  it('packs the bin, the bundle with its types, the schemas, the docs and the changelog, and no sources', () => {
    for (const file of ['bin/gitops-lint.js', 'dist/cli/main.cjs', 'dist/cli/main.d.cts', 'schemas/config.schema.json', 'docs/rules/yaml-syntax.md', 'CHANGELOG.md', 'LICENSE', 'README.md', 'package.json']) {
      expect(packed).toContain(file);
    }
    expect(packed.filter((file) => /^(src|rules|test|scripts|examples)\//.test(file))).toEqual([]);
  });

  it('installs globally from the tarball: the bin runs, prints the package version and lints', () => {
    const prefix = path.join(work, 'global');
    npm(['install', '--global', '--prefix', prefix, ...npmFlags, tarball], work);
    const bin = path.join(prefix, 'bin', 'gitops-lint');
    expect(run(bin, ['--version'], work)).toEqual({ code: 0, stdout: `${RELEASE}\n`, stderr: '' });
    const lint = run(bin, ['-f', 'compact', '.'], lintTarget());
    expect(lint.stdout).toMatch(/^deploy\/web\.yaml:8:14: warning: Image nginx:latest has a mutable tag \(latest\).* \[image-tag-mutable\]\n$/);
    // Everything but ajv is inside the bundle: nothing is installed twice.
    const installed = readdirSync(path.join(prefix, 'lib', 'node_modules', 'gitops-lint', 'node_modules')).sort();
    expect(installed).toEqual(['ajv', 'fast-deep-equal', 'fast-uri', 'json-schema-traverse', 'require-from-string']);
    expect(Object.keys(pkg.dependencies)).toEqual(['ajv']);
  }, 120_000);

  it('serves the library API to ESM, CommonJS and TypeScript consumers', () => {
    const consumer = path.join(work, 'consumer');
    mkdirSync(consumer);
    writeFileSync(path.join(consumer, 'package.json'), '{ "name": "consumer", "private": true, "type": "module" }\n');
    npm(['install', ...npmFlags, tarball], consumer);
    const target = lintTarget();
    writeFileSync(
      path.join(consumer, 'esm.mjs'),
      `import { lint, builtinRules } from 'gitops-lint';\nconst result = await lint({ roots: [${JSON.stringify(target)}] });\nconsole.log(builtinRules.length > 0, result.findings.map((f) => \`\${f.ruleId} \${f.location.file}:\${f.location.startLine}\`).join());\n`,
    );
    writeFileSync(path.join(consumer, 'cjs.cjs'), `const { lint } = require('gitops-lint');\nlint({ roots: [${JSON.stringify(target)}] }).then((r) => console.log(r.findings.length));\n`);
    expect(run(process.execPath, ['esm.mjs'], consumer)).toEqual({ code: 0, stdout: 'true image-tag-mutable deploy/web.yaml:8\n', stderr: '' });
    expect(run(process.execPath, ['cjs.cjs'], consumer)).toEqual({ code: 0, stdout: '1\n', stderr: '' });
    writeFileSync(
      path.join(consumer, 'use.ts'),
      "import { lint, type Finding, type LintResult } from 'gitops-lint';\nconst result: LintResult = await lint({ roots: ['.'] });\nexport const first: Finding | undefined = result.findings[0];\nexport const line: number | undefined = first?.location.startLine;\n",
    );
    writeFileSync(
      path.join(consumer, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: [], typeRoots: [path.join(repo, 'node_modules', '@types')] }, files: ['use.ts'] }),
    );
    const tsc = run(process.execPath, [path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], consumer);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
  }, 120_000);

  it("installs globally from a git URL as every README install line says (the repository's URL pointed at the local checkout)", () => {
    // Every `npm install -g git+…` line of the README (Install, CI without the action, Forgejo)
    // is the same command; it runs here with the host's URL replaced by this checkout's.
    const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
    const lines = [...readme.matchAll(/npm install -g (git\+https:\S+)/g)].map((match) => match[1]);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(new Set(lines)).toEqual(new Set([`git+https://github.com/gitops-lint/gitops-lint.git#v${RELEASE}`]));
    const prefix = path.join(work, 'from-git');
    npm(['install', '--global', '--prefix', prefix, ...npmFlags, lines[0]!.replace('https://github.com/gitops-lint/gitops-lint.git', `file://${checkout}`)], work);
    expect(run(path.join(prefix, 'bin', 'gitops-lint'), ['--version'], work)).toEqual({ code: 0, stdout: `${RELEASE}\n`, stderr: '' });
  }, 120_000);
});
