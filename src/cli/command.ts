/** One CLI command. `run` returns the process exit code. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full help text shown by `<command> --help`. */
  usage: string;
  run(argv: string[]): Promise<number>;
}

/** A problem the user can fix; printed as one line without a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}
