import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { vbrServersFileOf } from '../test/support/vbr-servers.js';

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
  /**
   * Where the process's output goes once it is ready (stdout and stderr, as written), so a
   * benchmark whose process died can say why. Default: discarded.
   */
  logFile?: string;
}

/**
 * Spawns a Node process with `args` and waits for the JSON stdout line that
 * announces its `url` and satisfies `isReady`.
 */
export function startProcess(
  args: string[],
  env: Record<string, string> = {},
  { isReady = gatewayOrFixtureReady, timeoutMs = 60_000, logFile }: StartProcessOptions = {},
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
            if (logFile) {
              const log = createWriteStream(logFile);
              log.write(buffer);
              child.stdout!.pipe(log, { end: false });
              child.stderr!.removeAllListeners('data');
              child.stderr!.pipe(log, { end: false });
              child.once('exit', (code, signal) => log.end(`\n[process exited: code ${code}, signal ${signal}]\n`));
            } else child.stdout!.resume();
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

const ROOT = new URL('..', import.meta.url).pathname;

export interface BenchStack {
  simulator: StartedProcess;
  gateway: StartedProcess;
  stop(): Promise<void>;
}

/**
 * The EM simulator as its own process (`simulatorEnv`: SIM_SIZE, SIM_FAILOVER_MS, …)
 * and the compiled gateway on `databaseUrl` with EM_URL at it, tokens signed with
 * `jwtSecret`, `bench-admin` a Portal Administrator, and only the start-up inventory sync.
 * The gateway has VBR REST access to every simulated backup server (VBR_SERVERS), as a
 * real deployment would: editions, replica states and the hierarchy come from there.
 */
export async function startSimulatorAndGateway(options: {
  simulatorEnv: Record<string, string>;
  databaseUrl: string;
  dataDir: string;
  jwtSecret: string;
  /** Settings on top of the bench's; a function when they depend on the simulator (VBR_SERVERS naming its VBR faces). */
  gatewayEnv?: Record<string, string> | ((simulator: StartedProcess) => Promise<Record<string, string>>);
  /** The gateway's compiled entry; default this checkout's (see startGatewayProcess). */
  entry?: string;
}): Promise<BenchStack> {
  const simulator = await startProcess([`${ROOT}dist/src/simulator/main.js`], { SIM_PORT: '0', SIM_LOG_LEVEL: 'info', ...options.simulatorEnv }, {
    // The simulator logs a url twice; either means it listens. A large inventory takes a while to generate.
    isReady: () => true,
    timeoutMs: 300_000,
  });
  let vbrServers: string | undefined;
  const removeVbrServers = () => vbrServers && rmSync(dirname(vbrServers), { recursive: true, force: true });
  try {
    vbrServers = await vbrServersFileOf(simulator.url.replace(/\/api$/, '/admin'));
    const extra = typeof options.gatewayEnv === 'function' ? await options.gatewayEnv(simulator) : options.gatewayEnv;
    const gateway = await startGatewayProcess({ ...options, emUrl: simulator.url, env: { VBR_SERVERS: vbrServers, ...extra } });
    return {
      simulator,
      gateway,
      async stop() {
        await gateway.stop();
        await simulator.stop();
        removeVbrServers();
      },
    };
  } catch (error) {
    await simulator.stop();
    removeVbrServers();
    throw error;
  }
}

export interface GatewayProcessOptions {
  databaseUrl: string;
  dataDir: string;
  jwtSecret: string;
  emUrl: string;
  /** Settings on top of the bench's (READ_CACHE, REDIS_URL, …). */
  env?: Record<string, string>;
  /** The compiled entry to run; default this checkout's dist/ (another build: the code before a change, for a same-run baseline). */
  entry?: string;
}

/** A compiled gateway process on the bench's database and EM, `bench-admin` a Portal Administrator, only the start-up sync. */
export function startGatewayProcess(options: GatewayProcessOptions): Promise<StartedProcess> {
  return startProcess(
    // BENCH_GATEWAY_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the gateway process alone.
    [...(process.env.BENCH_GATEWAY_NODE_ARGS?.split(' ').filter(Boolean) ?? []), options.entry ?? `${ROOT}dist/src/cli/main.js`, 'serve'],
    {
      NODE_ENV: 'test',
      // Info logs nothing per request (the access log is at debug) and carries the ready line.
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      PORT: '0',
      DATA_DIR: options.dataDir,
      DATABASE_URL: options.databaseUrl,
      EM_URL: options.emUrl,
      EM_USERNAME: 'em-admin',
      EM_PASSWORD: 'em-admin',
      JWT_SECRET: options.jwtSecret,
      BOOTSTRAP_ADMINS: 'user:bench-admin',
      // The start-up sync only: no second sync while measuring.
      INVENTORY_SYNC_MINUTES: '10080',
      ...options.env,
    },
    { timeoutMs: 120_000 },
  );
}
