import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 10, item 4: the CLI run under strace on repositories holding every escape attempt the
// linter knows of; no path outside the roots is opened, and the escape targets are never
// touched at all (not even stat'ed). .ci/run installs strace; without it (or without ptrace
// permission) the test is skipped with a message.

const packageDir = path.resolve(import.meta.dirname, '..', '..');
const bin = path.join(packageDir, 'bin', 'gitops-lint.js');

function straceWorks(): string | undefined {
  const probe = spawnSync('strace', ['-f', '-qq', '-o', '/dev/null', 'true'], { encoding: 'utf8' });
  if (probe.error) return 'strace is not installed (.ci/run installs it: apt-get install strace)';
  if (probe.status !== 0) return `strace cannot trace here: ${probe.stderr.trim()}`;
  return undefined;
}
const unavailable = straceWorks();
if (unavailable) process.stderr.write(`file-access test skipped: ${unavailable}\n`);

function write(dir: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
}

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v\n`;

interface Access {
  pid: number;
  syscall: string;
  path: string;
}

/** Every path a traced syscall named, resolved against its directory fd or the run's cwd. */
function parseTrace(text: string, cwd: string): { accesses: Access[]; toolPids: Set<number> } {
  const accesses: Access[] = [];
  const toolPids = new Set<number>();
  for (const line of text.split('\n')) {
    const match = /^(\d+)\s+(\w+)\((.*)$/.exec(line);
    if (!match) continue;
    const pid = Number(match[1]);
    const syscall = match[2] as string;
    const args = match[3] as string;
    const quoted = /"((?:[^"\\]|\\.)*)"/.exec(args);
    if (!quoted) continue;
    const named = quoted[1] as string;
    // execve of anything but node: a child tool (git); its own start-up files are not ours.
    if (syscall === 'execve' && named !== process.execPath && !named.endsWith('/node')) toolPids.add(pid);
    const dirFd = /^\d+<([^>]*)>,/.exec(args);
    const base = dirFd ? (dirFd[1] as string) : cwd;
    accesses.push({ pid, syscall, path: named === '' ? base : path.resolve(base, named) });
  }
  return { accesses, toolPids };
}

function traced(args: string[], cwd: string, cache: string): { code: number | null; stdout: string; stderr: string; accesses: Access[]; toolPids: Set<number> } {
  const trace = path.join(cache, `trace-${Math.random().toString(36).slice(2)}.txt`);
  const result = spawnSync('strace', ['-f', '-qq', '-y', '-e', 'trace=%file', '-e', 'signal=none', '-o', trace, process.execPath, bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: cache, XDG_CACHE_HOME: cache, NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, ...parseTrace(readFileSync(trace, 'utf8'), cwd) };
}

const inside = (parent: string, child: string) => child === parent || child.startsWith(`${parent}/`);

describe.skipIf(unavailable !== undefined)(`file access under strace${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('opens nothing outside the roots, the package, node and the cache, and never touches the escape targets', () => {
    const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'gitops-lint-trace-')));
    const outside = path.join(base, 'outside');
    const cache = path.join(base, 'cache');
    mkdirSync(cache);
    write(outside, {
      'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\nstringData:\n  password: hunter2\n',
      'base.yaml': 'rules:\n  leaked-rule: error\n',
      'app/kustomization.yaml': 'resources:\n  - cm.yaml\n',
      'app/cm.yaml': configMap('outside'),
      'comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
      'patch.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inside\ndata:\n  k: patched\n',
      'env.txt': 'A=1\n',
      'gitignore': '*\n',
    });

    // A root whose config extends a file outside: a config error, the file is not opened.
    const configRoot = path.join(base, 'config-repo');
    write(configRoot, { 'a.yaml': configMap('a'), '.gitops-lint.yaml': `extends:\n  - ${path.join(outside, 'base.yaml')}\n` });
    const cfg = path.join(base, 'config-repo-2');
    write(cfg, { 'a.yaml': configMap('a'), '.gitops-lint.yaml': 'extends: [configs/base.yaml]\n' });
    mkdirSync(path.join(cfg, 'configs'));
    symlinkSync(path.join(outside, 'base.yaml'), path.join(cfg, 'configs', 'base.yaml'));

    // A git root with kustomize and Flux paths out of the root, and symlinks pointing out.
    const repo = path.join(base, 'repo');
    write(repo, {
      'deploy/kustomization.yaml': [
        'resources:',
        '  - cm.yaml',
        '  - ../../outside/app',
        '  - ../../outside/secret.yaml',
        `  - ${path.join(outside, 'secret.yaml')}`,
        '  - linked-app',
        '  - linked.yaml',
        'components:',
        '  - ../../outside/comp',
        'patches:',
        '  - path: ../../outside/patch.yaml',
        'configMapGenerator:',
        '  - name: generated',
        '    files:',
        '      - ../../outside/env.txt',
        '    envs:',
        `      - ${path.join(outside, 'env.txt')}`,
        '',
      ].join('\n'),
      'deploy/cm.yaml': configMap('inside'),
      'clusters/flux.yaml': [
        'apiVersion: source.toolkit.fluxcd.io/v1',
        'kind: GitRepository',
        'metadata:\n  name: flux-system\n  namespace: flux-system',
        'spec:\n  interval: 1m\n  url: https://example.invalid/acme/repo\n  ref:\n    branch: main',
        '---',
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'metadata:\n  name: up\n  namespace: flux-system',
        'spec:\n  interval: 10m\n  prune: true\n  path: ./../outside/app\n  sourceRef:\n    kind: GitRepository\n    name: flux-system',
        '---',
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'metadata:\n  name: deploy\n  namespace: flux-system',
        'spec:\n  interval: 10m\n  prune: true\n  path: ./deploy/../../outside/app\n  sourceRef:\n    kind: GitRepository\n    name: flux-system',
        '',
      ].join('\n'),
    });
    symlinkSync(path.join(outside, 'app'), path.join(repo, 'deploy', 'linked-app'));
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(repo, 'deploy', 'linked.yaml'));
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(repo, 'absolute-link.yaml'));
    symlinkSync('../outside/gitignore', path.join(repo, '.gitignore'));
    symlinkSync('../outside/base.yaml', path.join(repo, '.sops.yaml'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'init');

    const runs = [
      traced(['-f', 'compact', configRoot], base, cache),
      traced(['-f', 'compact', cfg], base, cache),
      traced(['-f', 'json', repo], base, cache),
      traced(['-f', 'compact', '--staged', repo], repo, cache),
    ];
    expect(runs.map((run) => run.code)).toEqual([2, 2, 1, 0]);
    expect(runs[0]?.stderr).toContain('is outside config-repo, the folder of the config; it is not read.');
    expect(runs[1]?.stderr).toContain('"extends" names "configs/base.yaml", which is outside config-repo-2');

    const roots = [configRoot, cfg, repo];
    const nodeFiles = [process.execPath, realpathSync(process.execPath)];
    // What the dynamic loader and Node's runtime read: libraries, the loader cache, OpenSSL's
    // config (read by Node at start-up), kernel views.
    const system = ['/etc/ld.so.cache', '/etc/ld.so.preload', '/etc/ssl/openssl.cnf', '/usr/lib/ssl/openssl.cnf', '/lib', '/lib64', '/usr/lib', '/usr/lib64', '/proc', '/sys', '/dev'];
    const allowed = (file: string) =>
      [...roots, packageDir, cache, ...system].some((prefix) => inside(prefix, file)) || nodeFiles.includes(file);
    const opens = new Set<string>();
    const touched = new Set<string>();
    for (const run of runs) {
      for (const access of run.accesses) {
        if (inside(outside, access.path) || access.path === '/etc/passwd') touched.add(`${access.syscall} ${access.path}`);
        if (run.toolPids.has(access.pid) || !/^(open|openat|openat2|creat)$/.test(access.syscall)) continue;
        if (!allowed(access.path)) opens.add(access.path);
      }
    }
    expect([...touched]).toEqual([]);
    expect([...opens]).toEqual([]);
    // The escapes were seen and reported, not silently dropped.
    expect(runs[2]?.stdout).toContain('Skipped symlink deploy/linked-app: it points outside the root.');
    expect(runs[2]?.stdout).toContain('Entry ../../outside/app of resources leaves the repository root');
    expect(runs[2]?.stdout).toContain('Path ./deploy/../../outside/app of Kustomization flux-system/deploy leaves the root of repo');
    // The runs read what they should: the roots' files were opened.
    expect(runs[2]?.accesses.some((access) => access.syscall.startsWith('open') && access.path === path.join(repo, 'deploy', 'cm.yaml'))).toBe(true);
  });
});
