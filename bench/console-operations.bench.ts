import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { graphql, minter } from './gateway-client.js';
import type { Benchmark, Measurement } from './harness.js';
import { startProcess } from './processes.js';

/**
 * Issue 18: the console's operations page while many failovers stream.
 * `npm run bench -- console-operations` (about 2 minutes; Debian's Chromium,
 * CHROMIUM_PATH elsewhere).
 *
 * One compiled gateway on its embedded defaults (PGlite, the EM simulator with
 * CONSOLE_BENCH_REPLICAS replicas), the administrator's operations page open
 * in headless Chromium; then CONSOLE_BENCH_OPERATIONS failovers (VM replicas,
 * CONSOLE_BENCH_FAILOVER_MS each) dispatched through the API, 25 at a time.
 * Measured in the browser: main-thread long tasks (PerformanceObserver,
 * `longtask`: every task over 50 ms) from the first dispatch until the last
 * operation ended, and the failoverEvents messages the page's socket received
 * (a wrapper around the page's WebSocket counts them), against the events the
 * gateway wrote for those operations (the sum of their last sequences).
 */
const OPERATIONS = Number(process.env.CONSOLE_BENCH_OPERATIONS ?? 500);
const REPLICAS = Number(process.env.CONSOLE_BENCH_REPLICAS ?? 2400);
const FAILOVER_MS = Number(process.env.CONSOLE_BENCH_FAILOVER_MS ?? 20_000);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const JWT_SECRET = 'console-bench-secret-console-bench-secret';

/** Runs in the page before its own scripts: long tasks and failoverEvents messages, counted. */
const INSTRUMENT = `
  window.__bench = { longTasks: [], events: 0 };
  new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__bench.longTasks.push(entry.duration); })
    .observe({ type: 'longtask', buffered: true });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (message) => {
        if (typeof message.data === 'string' && message.data.includes('"failoverEvents"')) window.__bench.events += 1;
      });
    }
  };
`;

interface Target {
  id: string;
  restorePointId: string;
}

async function targets(url: string, token: string): Promise<Target[]> {
  const found: Target[] = [];
  let after: string | null = null;
  while (found.length < OPERATIONS) {
    const page: { replicas: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: { id: string; restorePoints?: { edges: Array<{ node: { id: string } }> } } }> } } =
      await graphql(
        url,
        token,
        `query($after: String) { replicas(first: 100, after: $after, filter: { kinds: [VM_REPLICA], states: ["Ready"], editions: [ENTERPRISE, ENTERPRISE_PLUS] }) {
          pageInfo { hasNextPage endCursor } edges { node { id ... on VmReplica { restorePoints(first: 1) { edges { node { id } } } } } } } }`,
        { after },
      );
    for (const { node } of page.replicas.edges) {
      const point = node.restorePoints?.edges[0]?.node.id;
      if (point) found.push({ id: node.id, restorePointId: point });
    }
    if (!page.replicas.pageInfo.hasNextPage) break;
    after = page.replicas.pageInfo.endCursor;
  }
  if (found.length < OPERATIONS) throw new Error(`only ${found.length} Ready VM replicas on Enterprise servers; raise CONSOLE_BENCH_REPLICAS`);
  return found.slice(0, OPERATIONS);
}

async function run(): Promise<Measurement[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fg-console-bench-'));
  // Kept after the run: when the gateway stops answering, its log says why.
  const logFile = join(mkdtempSync(join(tmpdir(), 'fg-console-bench-log-')), 'gateway.log');
  console.log(`console-operations: the gateway's log is ${logFile}`);
  const gateway = await startProcess(['dist/src/cli/main.js', 'serve'], {
    NODE_ENV: 'development',
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    JWT_SECRET,
    SIMULATOR_REPLICAS: String(REPLICAS),
    SIMULATOR_FAILOVER_MS: String(FAILOVER_MS),
  }, { timeoutMs: 180_000, logFile });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const token = await minter(JWT_SECRET)('admin');
    const origin = new URL(gateway.url).origin;
    const chosen = await targets(gateway.url, token);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(INSTRUMENT);
    await page.goto(origin);
    await page.getByRole('button', { name: 'Sign in as admin', exact: true }).click();
    await page.getByTestId('signed-in-as').waitFor();
    await page.getByRole('link', { name: 'Operations' }).click();
    await page.getByRole('heading', { level: 1, name: 'Operations' }).waitFor();
    await page.waitForLoadState('networkidle');
    await sleep(1000);
    await page.evaluate(() => {
      (window as unknown as { __bench: { longTasks: number[] } }).__bench.longTasks = [];
    });

    const operationIds: string[] = [];
    const queue = [...chosen];
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        for (let target = queue.shift(); target; target = queue.shift()) {
          const result: { failover: { __typename: string; operation?: { id: string } } } = await graphql(
            gateway.url,
            token,
            'mutation($input: FailoverInput!) { failover(input: $input) { __typename ... on FailoverStarted { operation { id } } } }',
            { input: { vmReplica: { restorePointId: target.restorePointId, reason: 'console bench' } } },
          );
          if (result.failover.operation) operationIds.push(result.failover.operation.id);
        }
      }),
    );
    // Until every operation ended: the gateway says how many are still active.
    for (;;) {
      const active: { failoverOperations: { totalCount: number } } = await graphql(gateway.url, token, '{ failoverOperations(filter: { active: true }, first: 1) { totalCount } }');
      if (active.failoverOperations.totalCount === 0) break;
      await sleep(1000);
    }
    let expected = 0;
    // 25 aliases a request: the gateway allows 30 (MAX_ALIASES).
    for (let index = 0; index < operationIds.length; index += 25) {
      const batch = operationIds.slice(index, index + 25);
      const read: Record<string, { lastSequence: number } | null> = await graphql(
        gateway.url,
        token,
        `{ ${batch.map((id, at) => `o${at}: failoverOperation(id: ${JSON.stringify(id)}) { lastSequence }`).join(' ')} }`,
      );
      for (const operation of Object.values(read)) expected += operation?.lastSequence ?? 0;
    }
    // The last events may still be on their way to the page.
    await sleep(2000);
    const measured = await page.evaluate(() => (window as unknown as { __bench: { longTasks: number[]; events: number } }).__bench);
    const longest = Math.max(0, ...measured.longTasks);
    const over100 = measured.longTasks.filter((duration) => duration > 100).length;
    return [
      { metric: `failovers started (of ${OPERATIONS})`, value: operationIds.length, unit: 'operations' },
      { metric: 'failoverEvents messages the page received / events written', value: measured.events / Math.max(1, expected), unit: `(${measured.events} / ${expected})`, goal: '= 1', pass: measured.events === expected },
      { metric: 'longest main-thread task', value: longest, unit: 'ms', goal: '≤ 100 ms', pass: longest <= 100 },
      { metric: 'main-thread tasks over 100 ms', value: over100, unit: 'tasks', goal: '0', pass: over100 === 0 },
      { metric: 'main-thread tasks over 50 ms', value: measured.longTasks.length, unit: 'tasks' },
    ];
  } finally {
    await browser.close();
    await gateway.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const benchmarks: Benchmark[] = [
  {
    name: 'console-operations',
    description: 'issue 18: the console\'s operations page with many failovers streaming (long tasks, events received)',
    run,
  },
];
