/** `*.tfstate` and `*.tfstate.*` (backups, lock info), matched on the file name. */
const STATE_FILE = /(?:^|\/)[^/]*\.tfstate(?:\.[^/]*)?$/;
/** Anything below a `.terraform/` directory (providers, modules, backend state). */
const TERRAFORM_DIR = /^(.*?(?:^|\/)\.terraform)\//;

export type TerraformArtifact = { kind: 'state' } | { kind: 'directory'; dir: string };

/** Whether a root-relative path is Terraform state or part of a `.terraform/` working directory. */
export function terraformArtifact(file: string): TerraformArtifact | undefined {
  const dir = TERRAFORM_DIR.exec(file);
  if (dir?.[1] !== undefined) return { kind: 'directory', dir: dir[1] };
  return STATE_FILE.test(file) ? { kind: 'state' } : undefined;
}
