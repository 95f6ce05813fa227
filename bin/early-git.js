// The git commands a plain lint run starts first (`git ls-files`, src/workspace/git.ts
// gitFilesReader), started by the bin before the bundle is compiled: git lists the work tree
// (an lstat of every tracked file, a walk for untracked ones: 20-40 ms on 2,000 files) while
// the process loads the bundle, reads the config and the parse cache, instead of the run
// waiting for it after that.
//
// Only a guess, never a decision: each command is the exact command (folder, arguments,
// options) that git.ts would run, and git.ts takes its output only when it runs that exact
// command (`adoptStartedGit`); any other run leaves it unused. So a wrong guess costs a git
// process and changes nothing. The guess is made only for `gitops-lint [options] [DIR...]`
// with options that do not change what is listed and neither GIT_DIR nor GIT_WORK_TREE set:
// the common CI and bench calls (not --staged, stdin or the subcommands).
'use strict';
const { existsSync, realpathSync, statSync } = require('node:fs');
const path = require('node:path');

/** Options that take no value and do not change which folders are listed. */
const FLAGS = new Set(['--quiet', '--color', '--no-color', '--no-cache']);
/** Options that take a value (the next argument, or `--name=value`) and do not change which folders are listed. */
const WITH_VALUE = new Set(['--format', '-f', '--output-file', '-o', '--config', '-c', '--max-warnings', '--baseline', '--rule', '--ignore-pattern']);

// As src/workspace/git.ts: its LISTING and TRACKED_IGNORED (test/cli/early-git.test.ts checks they agree).
const LISTING = ['-z', '-t', '-s', '--cached', '--deleted', '--modified', '--others', '--exclude-standard'];
const TRACKED_IGNORED = ['-z', '--cached', '--ignored', '--exclude-per-directory=.gitignore'];

/** The folders (or files) a run with these arguments lints, when the arguments say so plainly; else `undefined`. */
function lintedPaths(args, cwd) {
  const positionals = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-' || arg === '--') return undefined;
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (FLAGS.has(arg)) continue;
    const equals = arg.indexOf('=');
    if (arg.startsWith('--') && equals !== -1 && WITH_VALUE.has(arg.slice(0, equals))) continue;
    if (WITH_VALUE.has(arg) && i + 1 < args.length) {
      i++;
      continue;
    }
    // --staged, --stdin-filename, --print-config, --write-baseline, --help, …: not a plain run.
    return undefined;
  }
  if (['rules', 'lsp', 'build'].includes(positionals[0])) return undefined;
  return (positionals.length > 0 ? positionals : ['.']).map((positional) => path.resolve(cwd, positional));
}

/** As src/workspace/confine.ts isInside. */
function isInside(parent, child) {
  const relative = path.relative(parent, child);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** As src/workspace/git.ts workTreeTop: the nearest folder at or above `dir` with a `.git`. */
function workTreeTop(dir) {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

/**
 * The git commands src/workspace/git.ts `gitFilesReader` starts for these folders, as
 * [folder, arguments] pairs: a pair of commands per folder (its `readGitFiles`), or, for
 * several folders in one work tree (none inside another), one pair run in their common folder
 * with the folders as literal pathspecs (its `listTogether`). Paths that are no folder or in
 * no work tree get none.
 */
function listingCommands(dirs) {
  const commands = [];
  const byTop = new Map();
  for (const dir of new Set(dirs)) {
    let real;
    try {
      real = realpathSync.native(dir);
      if (!statSync(real).isDirectory()) continue;
    } catch {
      continue;
    }
    const top = workTreeTop(real);
    if (top === undefined) continue;
    const group = byTop.get(top) ?? [];
    group.push({ dir, real });
    byTop.set(top, group);
  }
  for (const group of byTop.values()) {
    if (group.length < 2 || group.some((a) => group.some((b) => a !== b && isInside(a.real, b.real)))) {
      for (const { dir } of group) commands.push([dir, ['ls-files', ...LISTING, '--debug']], [dir, ['ls-files', ...TRACKED_IGNORED]]);
      continue;
    }
    const reals = group.map((root) => root.real);
    let common = path.dirname(reals[0]);
    while (!reals.every((real) => isInside(common, real)) && path.dirname(common) !== common) common = path.dirname(common);
    const specs = ['--', ...reals.map((real) => path.relative(common, real).split(path.sep).join('/'))];
    commands.push([common, ['--literal-pathspecs', 'ls-files', ...LISTING, '--debug', ...specs]], [common, ['--literal-pathspecs', 'ls-files', ...TRACKED_IGNORED, ...specs]]);
  }
  return commands;
}

/** How git.ts names a command: its folder and arguments. */
function commandKey(cwd, args) {
  return `${cwd}\0${args.join('\0')}`;
}

/** Run git as git.ts's `git` does; its stdout, or `undefined` when it fails. */
function run(cwd, args) {
  const { execFile } = require('node:child_process');
  return new Promise((resolve) => {
    execFile('git', ['-c', 'core.quotepath=off', ...args], { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout) => {
      resolve(error ? undefined : stdout);
    });
  });
}

/**
 * Start the git commands of a lint run with these arguments; the started commands by
 * `commandKey`, for git.ts's `adoptStartedGit` (empty when the run is not a plain one).
 */
function startGit(args, cwd, env) {
  const started = new Map();
  if (env.GIT_DIR !== undefined || env.GIT_WORK_TREE !== undefined) return started;
  const dirs = lintedPaths(args, cwd);
  if (dirs === undefined) return started;
  for (const [dir, command] of listingCommands(dirs)) started.set(commandKey(dir, command), run(dir, command));
  return started;
}

module.exports = { startGit, lintedPaths, LISTING, TRACKED_IGNORED };
