/** One CLI command: cli/main.ts lists these in `kro --help` and dispatches to `run`. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin?: NodeJS.ReadableStream;
  isTTY: boolean;
  env: Record<string, string | undefined>;
}

export interface CliOption {
  flag: string; // "--port P"
  description: string;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  options: CliOption[];
  /** Returns the exit status. */
  run(argv: string[], io: CliIo): Promise<number>;
}
