import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface StartedProcess {
  child: ChildProcess;
  url: string;
  /** Milliseconds from spawn to the ready line. */
  startMs: number;
  stop(): Promise<void>;
}

/** A JSON log line with a `url`, as servers announce themselves. */
export type ReadyLine = { url: string; msg?: string };

/**
 * The gateway's ready line ("gateway ready at …") or a fixture's bare `{ url }`.
 * The embedded EM simulator logs a url too, earlier: not the gateway's.
 */
export const gatewayOrFixtureReady = (line: ReadyLine): boolean =>
  line.msg === undefined || line.msg.startsWith('gateway ready');

export interface StartProcessOptions {
  /** Which JSON line with a `url` means ready. Default: gatewayOrFixtureReady. */
  isReady?: (line: ReadyLine) => boolean;
  /** Give up (and kill the process) after this long. Default: 60 s. */
  timeoutMs?: number;
}

/**
 * Spawns a Node process with `args` and waits for the JSON stdout line that
 * announces its `url` and satisfies `isReady`.
 */
export function startProcess(
  args: string[],
  env: Record<string, string> = {},
  { isReady = gatewayOrFixtureReady, timeoutMs = 60_000 }: StartProcessOptions = {},
): Promise<StartedProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} not ready after ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`process exited with ${code} before ready: ${stderr}`));
    };
    child.once('exit', onExit);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let index: number;
      while ((index = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 1);
        try {
          const parsed = JSON.parse(line) as { url?: unknown; msg?: string };
          if (typeof parsed.url === 'string' && isReady(parsed as ReadyLine)) {
            const startMs = performance.now() - started;
            clearTimeout(timer);
            child.off('exit', onExit);
            child.stdout!.removeAllListeners('data');
            child.stdout!.resume();
            resolve({
              child,
              url: parsed.url,
              startMs,
              stop: () =>
                new Promise((done) => {
                  if (child.exitCode !== null) return done();
                  child.once('exit', () => done());
                  child.kill('SIGTERM');
                }),
            });
            return;
          }
        } catch {
          // not a JSON line
        }
      }
    });
  });
}
