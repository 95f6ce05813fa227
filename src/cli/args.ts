import { parseArgs } from 'node:util';
import type { RuleLevel } from '../model/finding.js';

export interface FormatTarget {
  name: string;
  /** Output file; stdout when undefined. */
  file?: string;
}

export interface CliOptions {
  command: 'lint' | 'build' | 'rules' | 'lsp' | 'help' | 'version';
  paths: string[];
  formats: FormatTarget[];
  config?: string;
  maxWarnings?: number;
  quiet: boolean;
  staged: boolean;
  roots: string[];
  color?: boolean;
  /** --no-cache: parse every file again, without the parse cache. */
  noCache?: boolean;
  /** `build --kustomization NS/NAME`: only that Flux Kustomization's objects. */
  kustomization?: string;
  /** `--baseline FILE`: hide the findings it lists (instead of the config's `baseline:`). */
  baseline?: string;
  /** `--write-baseline FILE`: write every current finding to FILE. */
  writeBaseline?: string;
  /** `--print-config FILE`: print the resolved config for FILE's root and exit. */
  printConfig?: string;
  /** `--rule ID:LEVEL`, in order. */
  ruleLevels: Array<{ id: string; level: RuleLevel }>;
  /** `--ignore-pattern GLOB`: more `ignore` globs for every root. */
  ignorePatterns: string[];
  /** `-` / `--stdin-filename FILE`: lint stdin as the content of FILE. */
  stdinFilename?: string;
}

export class UsageError extends Error {}

export const HELP = `Usage: gitops-lint [options] [PATH...]
       gitops-lint [options] --stdin-filename FILE [-] < FILE
       gitops-lint build [--kustomization NS/NAME] [PATH...]
       gitops-lint rules [--format json] [-c FILE] [--rule ID:LEVEL] [PATH]
       gitops-lint --print-config FILE
       gitops-lint lsp --stdio

Lint Flux CD GitOps repositories. Each PATH is a repository root (or a file inside one);
several roots are linted together so references across repositories resolve. Default: .

build prints the objects Flux applies, after every kustomize and Flux transform, as YAML:
each after a "# from FILE:LINE (build ...)" comment, secret values masked.

Options:
  -f, --format NAME[=FILE]  Output format: stylish, compact, json, sarif, github, junit.
                            Repeat for several outputs; =FILE writes that one to a file.
                            Default: github when GITHUB_ACTIONS=true, else stylish.
  -o, --output-file FILE    Write the (first) format without =FILE to FILE.
  -c, --config FILE         Use this config for every root instead of each root's
                            .gitops-lint.yaml.
      --max-warnings N      Exit 1 when there are more than N warnings.
      --quiet               Report errors only (the reason for a failing exit is still shown).
      --staged              Lint the staged content (git index) of the repository in the
                            current directory; PATHs restrict reporting to those files.
      --root DIR            With --staged: another repository to resolve references in.
      --rule ID:LEVEL       Set a rule's level (error, warning or warn, note, off) for
                            every root, over the config. Repeatable.
      --ignore-pattern GLOB Do not lint files matching GLOB (relative to each root, like
                            the config's ignore). Repeatable.
      --baseline FILE       Hide the findings FILE lists (instead of the config's
                            baseline:); the summary says how many.
      --write-baseline FILE Write every current finding to FILE (JSON) and exit 0:
                            adopt the tool on a repository with existing findings.
      --print-config FILE   Print the resolved config for FILE's root (JSON) and exit.
      --stdin-filename FILE Lint the text on stdin as the content of FILE (editors that
                            pipe); "-" as a PATH reads stdin too and needs this option.
      --color, --no-color   Force or disable colours (FORCE_COLOR and NO_COLOR are
                            honoured; the options win).
      --no-cache            Parse every file again: do not read or write the parse cache
                            (.git/gitops-lint/; also GITOPS_LINT_NO_CACHE=1).
      --kustomization NS/NAME  With build: only that Flux Kustomization's objects.
  -h, --help                Show this help.
  -v, --version             Show the version.

Exit codes: 0 no errors (and warnings within --max-warnings), 1 lint errors or too many
warnings, 2 usage, configuration or internal error.
`;

const LEVEL_NAMES: Record<string, RuleLevel> = { error: 'error', warning: 'warning', warn: 'warning', note: 'note', off: 'off' };

/** node:util's parse errors, in our words (its text suggests syntax we do not use). */
function usageMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'(-[^']*)'/.exec(message)?.[1] ?? '';
  const option = /--[\w-]+/.exec(quoted)?.[0] ?? /-\w/.exec(quoted)?.[0];
  const code = (error as { code?: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `Unknown option ${option}.`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    if (/does not take an argument/.test(message)) return `${option} takes no value.`;
    return `${option} needs a value.`;
  }
  return message.split('\n')[0] ?? message;
}

export function parseCliArgs(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f', multiple: true },
        'output-file': { type: 'string', short: 'o' },
        config: { type: 'string', short: 'c' },
        'max-warnings': { type: 'string' },
        quiet: { type: 'boolean' },
        staged: { type: 'boolean' },
        root: { type: 'string', multiple: true },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        'no-cache': { type: 'boolean' },
        stdio: { type: 'boolean' },
        // Language clients (vscode-languageclient) add it; the server library reads it itself.
        clientProcessId: { type: 'string' },
        kustomization: { type: 'string' },
        baseline: { type: 'string' },
        'write-baseline': { type: 'string' },
        'print-config': { type: 'string' },
        rule: { type: 'string', multiple: true },
        'ignore-pattern': { type: 'string', multiple: true },
        'stdin-filename': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError(usageMessage(error));
  }
  const { values, positionals } = parsed;
  const first = positionals[0];
  const command = values.help ? 'help' : values.version ? 'version' : first === 'rules' ? 'rules' : first === 'lsp' ? 'lsp' : first === 'build' ? 'build' : 'lint';
  const stdinDash = command === 'lint' && positionals.includes('-');
  const paths = (command === 'lint' ? positionals : positionals.slice(1)).filter((entry) => !(stdinDash && entry === '-'));
  if (command === 'lsp' && paths.length > 0) throw new UsageError(`Unexpected argument for lsp: ${paths[0]}.`);
  if (command === 'lsp' && !values.stdio) throw new UsageError('lsp needs --stdio, the one transport it speaks: gitops-lint lsp --stdio.');
  if (values.stdio && command !== 'lsp') throw new UsageError('--stdio is only used with lsp.');
  if (command === 'rules' && paths.length > 1) throw new UsageError('rules takes at most one PATH (the root whose config it shows).');
  if (stdinDash && values['stdin-filename'] === undefined) throw new UsageError('"-" reads stdin and needs --stdin-filename FILE, the path the text is linted as.');
  const lintOnly: Array<[string, unknown]> = [
    ['--baseline', values.baseline],
    ['--write-baseline', values['write-baseline']],
    ['--stdin-filename', values['stdin-filename']],
    ['--print-config', values['print-config']],
  ];
  for (const [flag, value] of lintOnly) {
    if (value !== undefined && command !== 'lint') throw new UsageError(`${flag} is not used with ${command}.`);
  }
  if (values['write-baseline'] !== undefined && values.staged) throw new UsageError('--write-baseline lints whole roots; it cannot be used with --staged.');
  if (values['write-baseline'] !== undefined && values['stdin-filename'] !== undefined) throw new UsageError('--write-baseline lints whole roots; it cannot be used with stdin.');
  if (values['stdin-filename'] !== undefined && values.staged) throw new UsageError('--stdin-filename and --staged both say what to lint: use one.');
  const ruleLevels = (values.rule ?? []).map((spec) => {
    const colon = spec.lastIndexOf(':');
    const level = LEVEL_NAMES[spec.slice(colon + 1)];
    if (colon <= 0 || level === undefined) throw new UsageError(`--rule needs ID:LEVEL with LEVEL one of error, warning (or warn), note, off; got "${spec}".`);
    return { id: spec.slice(0, colon), level };
  });
  if (values.kustomization !== undefined && command !== 'build') throw new UsageError('--kustomization is only used with build.');

  let maxWarnings: number | undefined;
  if (values['max-warnings'] !== undefined) {
    maxWarnings = Number(values['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) throw new UsageError('--max-warnings needs a whole number of 0 or more.');
  }
  const formats: FormatTarget[] = (values.format ?? []).map((spec) => {
    const equals = spec.indexOf('=');
    return equals === -1 ? { name: spec } : { name: spec.slice(0, equals), file: spec.slice(equals + 1) };
  });
  const outputFile = values['output-file'];
  if (outputFile !== undefined) {
    const target = formats.find((format) => format.file === undefined);
    if (target) target.file = outputFile;
    else if (formats.length === 0) formats.push({ name: '', file: outputFile });
    else throw new UsageError('--output-file given but every --format already has =FILE.');
  }
  if ((values.root ?? []).length > 0 && !values.staged) throw new UsageError('--root is only used with --staged; give the roots as PATHs instead.');
  const options: CliOptions = {
    command,
    paths,
    formats,
    quiet: values.quiet ?? false,
    staged: values.staged ?? false,
    roots: values.root ?? [],
    ruleLevels,
    ignorePatterns: values['ignore-pattern'] ?? [],
  };
  if (values.baseline !== undefined) options.baseline = values.baseline;
  if (values['write-baseline'] !== undefined) options.writeBaseline = values['write-baseline'];
  if (values['print-config'] !== undefined) options.printConfig = values['print-config'];
  if (values['stdin-filename'] !== undefined) options.stdinFilename = values['stdin-filename'];
  if (values.config !== undefined) options.config = values.config;
  if (values.kustomization !== undefined) options.kustomization = values.kustomization;
  if (maxWarnings !== undefined) options.maxWarnings = maxWarnings;
  if (values['no-color']) options.color = false;
  if (values['no-cache']) options.noCache = true;
  else if (values.color) options.color = true;
  return options;
}
