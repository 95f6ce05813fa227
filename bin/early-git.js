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
const FLAGS = new Set(['--quiet', '--color', '--no-color', '--no-cache', '--staged']);
/** Options that take a value (the next argument, or `--name=value`) and do not change which folders are listed. */
const WITH_VALUE = new Set(['--format', '-f', '--output-file', '-o', '--config', '-c', '--max-warnings', '--baseline', '--rule', '--ignore-pattern']);

// As src/workspace/git.ts (its LISTING, TRACKED_IGNORED and TOP_LEVEL) and src/workspace/staged.ts
// (its INDEX_COMMANDS): test/cli/early-git.test.ts checks they agree.
const LISTING = ['-z', '-t', '-s', '--cached', '--deleted', '--modified', '--others', '--exclude-standard'];
const TRACKED_IGNORED = ['-z', '--cached', '--ignored', '--exclude-per-directory=.gitignore'];
const TOP_LEVEL = ['rev-parse', '--show-toplevel'];
const INDEX_COMMANDS = [
  ['ls-files', '--stage', '-z'],
  ['diff', '--cached', '--name-only', '-z', '--no-ext-diff', '--diff-filter=ACMRTUXB'],
  ['ls-files', '-z', '--cached', '--ignored', '--exclude-standard'],
];

/**
 * What a run with these arguments reads, when the arguments say so plainly: the paths it lints
 * (absolute), and whether it reads the git index (`--staged`, whose paths only narrow the
 * report); `undefined` for anything else.
 */
function plainRun(args, cwd) {
  const positionals = [];
  let staged = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-' || arg === '--') return undefined;
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (FLAGS.has(arg)) {
      if (arg === '--staged') staged = true;
      continue;
    }
    const equals = arg.indexOf('=');
    if (arg.startsWith('--') && equals !== -1 && WITH_VALUE.has(arg.slice(0, equals))) continue;
    if (WITH_VALUE.has(arg) && i + 1 < args.length) {
      i++;
      continue;
    }
    // --root, --stdin-filename, --print-config, --write-baseline, --help, …: not a plain run.
    return undefined;
  }
  if (['rules', 'lsp', 'build'].includes(positionals[0])) return undefined;
  return { staged, paths: (staged || positionals.length === 0 ? ['.'] : positionals).map((positional) => path.resolve(cwd, positional)) };
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
  const tops = new Set();
  for (const dir of new Set(dirs)) {
    let real;
    try {
      real = realpathSync.native(dir);
      if (!statSync(real).isDirectory()) {
        // A file: src/engine/lint.ts resolveRootPath asks git for the work tree around its
        // folder, whose top level is then the root, listed alone (git's answer is the real path
        // the folders say, unless git is told otherwise: then these go unused).
        const top = workTreeTop(path.dirname(real));
        if (top === undefined) continue;
        commands.push([path.dirname(dir), TOP_LEVEL]);
        if (!tops.has(top)) commands.push([top, ['ls-files', ...LISTING, '--debug']], [top, ['ls-files', ...TRACKED_IGNORED]]);
        tops.add(top);
        continue;
      }
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

/**
 * The git commands of `--staged` (src/engine/lint.ts openStagedRepo): the work tree's top
 * level from the working folder, then the index of the repository there, which is started at
 * once at the top level the folders say (git's answer, when it differs, runs its own).
 */
function stagedCommands(cwd) {
  let top;
  try {
    top = workTreeTop(realpathSync.native(cwd));
  } catch {
    return [];
  }
  if (top === undefined) return [];
  return [[cwd, TOP_LEVEL], ...INDEX_COMMANDS.map((command) => [top, command])];
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
  const plain = plainRun(args, cwd);
  if (plain === undefined) return started;
  for (const [dir, command] of plain.staged ? stagedCommands(plain.paths[0]) : listingCommands(plain.paths)) {
    // Two files in one folder ask the same question: git.ts takes a started command once, and runs it again for the second.
    const key = commandKey(dir, command);
    if (!started.has(key)) started.set(key, run(dir, command));
  }
  return started;
}

module.exports = { startGit, plainRun, LISTING, TRACKED_IGNORED, TOP_LEVEL, INDEX_COMMANDS };
