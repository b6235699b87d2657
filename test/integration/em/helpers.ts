import { createEmClient, type EmClient, type EmClientOptions } from '../../../src/em/index.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../src/simulator/index.js';

/** A demo-sized simulator on a free loopback port, with failovers that finish in tens of milliseconds. */
export function simulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ port: 0, seed: 42, size: 'demo', failoverDurationMs: 60, failoverCollectMs: 20, ...options });
}

export function client(sim: RunningSimulator, options: Partial<EmClientOptions> = {}): EmClient {
  return createEmClient({ url: sim.url, username: 'em-admin', password: 'em-admin', timeoutMs: 2_000, retryBaseDelayMs: 5, retryMaxDelayMs: 20, ...options });
}

export async function all<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
