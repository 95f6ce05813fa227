import { parseArgs } from 'node:util';

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
  /** `build --kustomization NS/NAME`: only that Flux Kustomization's objects. */
  kustomization?: string;
}

export class UsageError extends Error {}

export const HELP = `Usage: gitops-lint [options] [PATH...]
       gitops-lint build [--kustomization NS/NAME] [PATH...]
       gitops-lint rules
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
      --color, --no-color   Force or disable colours (NO_COLOR is honoured).
      --kustomization NS/NAME  With build: only that Flux Kustomization's objects.
  -h, --help                Show this help.
  -v, --version             Show the version.

Exit codes: 0 no errors (and warnings within --max-warnings), 1 lint errors or too many
warnings, 2 usage, configuration or internal error.
`;

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
        stdio: { type: 'boolean' },
        kustomization: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const first = positionals[0];
  const command = values.help ? 'help' : values.version ? 'version' : first === 'rules' ? 'rules' : first === 'lsp' ? 'lsp' : first === 'build' ? 'build' : 'lint';
  const paths = command === 'lint' ? positionals : positionals.slice(1);
  if (command === 'lsp' && paths.length > 0) throw new UsageError(`Unexpected argument for lsp: ${paths[0]}`);
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
  };
  if (values.config !== undefined) options.config = values.config;
  if (values.kustomization !== undefined) options.kustomization = values.kustomization;
  if (maxWarnings !== undefined) options.maxWarnings = maxWarnings;
  if (values['no-color']) options.color = false;
  else if (values.color) options.color = true;
  return options;
}
