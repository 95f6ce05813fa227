// The git commands a plain lint run of one folder starts first (`git ls-files`, src/workspace/git.ts
// readGitFiles), started by the bin before the bundle is compiled: git lists the work tree
// (an lstat of every tracked file, a walk for untracked ones: 20-40 ms on 2,000 files) while
// the process loads the bundle, reads the config and the parse cache, instead of the run
// waiting for it after that.
//
// Only a guess, never a decision: each command is the exact command (folder, arguments,
// options) that git.ts would run, and git.ts takes its output only when it runs that exact
// command (`adoptStartedGit`); any other run leaves it unused. So a wrong guess costs one git
// process and changes nothing. The guess is made only for `gitops-lint [options] [DIR]` with
// options that do not change what is listed, a folder in a git work tree and neither GIT_DIR
// nor GIT_WORK_TREE set: the common pre-commit-less, CI and bench call.
'use strict';
const { existsSync, realpathSync, statSync } = require('node:fs');
const path = require('node:path');

/** Options that take no value and do not change which folder is listed. */
const FLAGS = new Set(['--quiet', '--color', '--no-color', '--no-cache']);
/** Options that take a value (the next argument, or `--name=value`) and do not change which folder is listed. */
const WITH_VALUE = new Set(['--format', '-f', '--output-file', '-o', '--config', '-c', '--max-warnings', '--baseline', '--rule', '--ignore-pattern']);

// As src/workspace/git.ts: its LISTING and TRACKED_IGNORED, with `--debug` (test/cli/early-git.test.ts checks they agree).
const LISTING = ['-z', '-t', '-s', '--cached', '--deleted', '--modified', '--others', '--exclude-standard'];
const TRACKED_IGNORED = ['-z', '--cached', '--ignored', '--exclude-per-directory=.gitignore'];

/** The folder a run with these arguments lints alone, when the arguments say so plainly; else `undefined`. */
function lintedFolder(args, cwd) {
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
  if (positionals.length > 1 || ['rules', 'lsp', 'build'].includes(positionals[0])) return undefined;
  return path.resolve(cwd, positionals[0] ?? '.');
}

/** Whether `dir` is a folder inside a git work tree (a `.git` in it or above its real path), as git.ts asks before it lists. */
function inWorkTree(dir) {
  let current;
  try {
    current = realpathSync.native(dir);
    if (!statSync(current).isDirectory()) return false;
  } catch {
    return false;
  }
  for (;;) {
    if (existsSync(path.join(current, '.git'))) return true;
    const parent = path.dirname(current);
    if (parent === current) return false;
    current = parent;
  }
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
  const dir = lintedFolder(args, cwd);
  if (dir === undefined || !inWorkTree(dir)) return started;
  for (const command of [['ls-files', ...LISTING, '--debug'], ['ls-files', ...TRACKED_IGNORED]]) started.set(commandKey(dir, command), run(dir, command));
  return started;
}

module.exports = { startGit, lintedFolder, commandKey, LISTING, TRACKED_IGNORED };
