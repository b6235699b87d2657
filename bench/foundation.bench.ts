import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { median, type Benchmark, type Measurement } from './harness.js';
import { startProcess } from './processes.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const gatewayEntry = join(root, 'dist/src/cli/main.js');
const fixture = (name: string) => join(root, 'bench/fixtures', name);
const quietGateway = { NODE_ENV: 'test', LOG_LEVEL: 'info', LOG_FORMAT: 'json', PORT: '0' };

async function waitReady(origin: string): Promise<void> {
  for (;;) {
    const response = await fetch(`${origin}/readyz`).catch(() => undefined);
    if (response?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Spawn to /readyz 200, in milliseconds. */
async function gatewayColdStart(dataDir: string): Promise<number> {
  const started = performance.now();
  const gateway = await startProcess([gatewayEntry, 'serve'], { ...quietGateway, DATA_DIR: dataDir });
  await waitReady(new URL(gateway.url).origin);
  const elapsed = performance.now() - started;
  await gateway.stop();
  return elapsed;
}

const coldStart: Benchmark = {
  name: 'cold-start',
  description: 'issue 2: process start to /readyz 200 on embedded defaults (PGlite, migrations, simulator)',
  async run() {
    const runs = 5;
    const bare: number[] = [];
    const fresh: number[] = [];
    const restart: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const baseline = await startProcess([fixture('bare-node.mjs')]);
      bare.push(baseline.startMs);
      await baseline.stop();
      const dataDir = mkdtempSync(join(tmpdir(), 'fg-bench-'));
      try {
        fresh.push(await gatewayColdStart(dataDir));
        restart.push(await gatewayColdStart(dataDir));
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    const base = { name: 'bare node:http server', value: median(bare) };
    const measurement = (metric: string, values: number[]): Measurement => {
      const value = median(values);
      return { metric, value, unit: 'ms', baseline: base, ratio: value / base.value, goal: '≤ 2000 ms', pass: value <= 2000 };
    };
    return [
      measurement(`first start, empty data folder (median of ${runs})`, fresh),
      measurement(`restart, existing data folder (median of ${runs})`, restart),
    ];
  },
};

async function load(url: string, seconds: number): Promise<number> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: 50,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`load run had ${result.non2xx} non-2xx responses and ${result.errors} errors`);
  }
  return result.requests.average;
}

const throughput: Benchmark = {
  name: 'throughput',
  description: 'issue 2: { __typename } through the full plugin stack vs stock createYoga, 50 connections',
  async run() {
    const seconds = 8;
    const dataDir = mkdtempSync(join(tmpdir(), 'fg-bench-'));
    // info, not warn: the ready line is an info line. Requests are logged at debug only.
    const gateway = await startProcess([gatewayEntry, 'serve'], { ...quietGateway, DATA_DIR: dataDir });
    const stock = await startProcess([fixture('stock-yoga.mjs')]);
    try {
      // Warm both JITs, then alternate rounds so drift on the machine hits both.
      await load(stock.url, 2);
      await load(gateway.url, 2);
      const stockRounds: number[] = [];
      const gatewayRounds: number[] = [];
      for (let round = 0; round < 2; round += 1) {
        stockRounds.push(await load(stock.url, seconds));
        gatewayRounds.push(await load(gateway.url, seconds));
      }
      const baseline = { name: 'stock createYoga hello world', value: median(stockRounds) };
      const value = median(gatewayRounds);
      return [
        {
          metric: 'requests per second, full plugin stack',
          value,
          unit: 'req/s',
          baseline,
          ratio: value / baseline.value,
          goal: '≥ 0.9× stock',
          pass: value / baseline.value >= 0.9,
        },
      ];
    } finally {
      await gateway.stop();
      await stock.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

export const benchmarks: Benchmark[] = [coldStart, throughput];
