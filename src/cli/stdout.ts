/*
 * Standard output of the CLI's commands. A reader that stops early (`… | head`)
 * closes the pipe: that is the reader's choice, not a failure of the command, so
 * it ends quietly, as Unix tools do, instead of with an EPIPE stack trace.
 */

let closed = false;

/** Whether the reader of standard output has gone away. */
export const stdoutClosed = (): boolean => closed || process.stdout.destroyed;

/**
 * Call once at start: an EPIPE on standard output (emitted as an 'error' event,
 * which would otherwise crash the process) marks it closed, and whatever is still
 * printed with console.log is dropped. Any other error still surfaces.
 */
export function watchStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
}

/**
 * Writes a chunk, resolved once it is handed to the OS, so a large output stays
 * bounded in memory; rejected when the reader has gone away (see isClosedStdout).
 */
export function writeOut(chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}

/** Whether an error is only the reader of standard output having gone away. */
export function isClosedStdout(error: unknown): boolean {
  return stdoutClosed() && error instanceof Error && ['EPIPE', 'ERR_STREAM_DESTROYED'].includes(String((error as NodeJS.ErrnoException).code));
}
