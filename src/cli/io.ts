/** What the CLI needs from its process, so tests can run it in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
  isTTY: boolean;
  /** The whole of stdin (for `--stdin-filename`); absent when the process has none to give. */
  stdin?: () => Promise<string>;
  /** Called with each disk root's listed files before they are read (the bin tunes V8 by the run's size). */
  onFilesListed?: (paths: readonly string[]) => void;
  /** Called once a lint run has its findings, with the number it reports (`--quiet` leaves out warnings; the bin's code cache records that the run linted, and whether it reported any). */
  onLinted?: (findings: number) => void;
}
