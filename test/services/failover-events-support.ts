import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { startProcess, type StartedProcess } from '../../bench/processes.js';
import { createDevSigner, resolveAuthOptions, type TokenIdentity } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/config.js';
import { postGraphQL } from '../support/gateway.js';
import { runCli, type CliProcess } from '../support/process.js';
import { FailoverEventsDocument, FailoverProgressDocument, type FailoverEventFieldsFragment } from '../generated/graphql.js';

/**
 * Helpers for the live-progress tests on PostgreSQL (and Redis): databases of
 * their own, the EM simulator and gateways as real child processes (so one can
 * be killed with SIGKILL, leaving its leases behind), failovers of every kind,
 * graphql-ws subscribers that record what they receive, and the event table
 * as the oracle.
 */

const require = createRequire(import.meta.url);
const tsxLoader = require.resolve('tsx');

export const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const ADMIN: TokenIdentity = { subject: 'admin', groups: [] };
export const ENDING_STATES = ['SUCCEEDED', 'WARNING', 'FAILED', 'NOT_STARTED'];

export async function onAdmin(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** A database of the test's own, created now, dropped by `drop()`. */
export async function createDatabase(prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await onAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => onAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Runs `fn` with a pg client on `url`. */
export async function withDb<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

/** The EM simulator as its own process (from source), on a free port. */
export async function startSimulatorProcess(env: Record<string, string> = {}): Promise<StartedProcess & { adminUrl: string }> {
  const started = await startProcess(['--import', tsxLoader, 'src/simulator/main.ts'], { SIM_PORT: '0', SIM_LOG_LEVEL: 'info', ...env }, { isReady: () => true, timeoutMs: 120_000 });
  return { ...started, adminUrl: `${new URL(started.url).origin}/admin` };
}

/** Changes the simulator's failover duration (for failovers started from now on). */
export async function setSimulatorFailoverMs(simulatorAdminUrl: string, durationMs: number): Promise<void> {
  const response = await fetch(`${simulatorAdminUrl}/config`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ failoverDurationMs: durationMs, failoverCollectMs: Math.round(durationMs / 10) }),
  });
  if (!response.ok) throw new Error(`simulator config: ${response.status} ${await response.text()}`);
}

export async function simulatorCounters(simulatorAdminUrl: string): Promise<{ failoverPosts: number; byRoute: Record<string, number> }> {
  const response = await fetch(`${simulatorAdminUrl}/counters`);
  return (await response.json()) as { failoverPosts: number; byRoute: Record<string, number> };
}

export interface GatewayProcess {
  cli: CliProcess;
  url: string;
  wsUrl: string;
  instanceId: string;
  /** SIGKILL: no shutdown, no lease handed back. Resolves when the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, the clean shutdown. */
  stop(): Promise<void>;
}

/**
 * The gateway (`serve`, from source) as a child process on `DATABASE_URL`,
 * with EM_URL at a simulator, `admin` a Portal Administrator, and only the
 * start-up inventory sync (joined here, so replicas are in place on return).
 */
export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fg-proc-'));
  const cli = runCli(['serve'], {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    EM_USERNAME: 'em-admin',
    EM_PASSWORD: 'em-admin',
    BOOTSTRAP_ADMINS: 'user:admin',
    INVENTORY_SYNC_MINUTES: '10080',
    ...env,
  });
  const gone = cli.exited.then(() => rmSync(dataDir, { recursive: true, force: true }));
  let ready: Record<string, unknown>;
  try {
    ready = await cli.waitForLog((line) => typeof line.msg === 'string' && line.msg.startsWith('gateway ready'), 90_000);
  } catch (error) {
    cli.child.kill('SIGKILL');
    await gone;
    throw error;
  }
  const url = String(ready.url);
  const gateway: GatewayProcess = {
    cli,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    instanceId: String(ready.instance),
    async kill() {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
      await gone;
    },
    async stop() {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGTERM');
      const timer = setTimeout(() => cli.child.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(timer);
    },
  };
  return gateway;
}

/** A signer of tokens for gateways started with this JWT_SECRET (development issuer and audience). */
export function signerFor(jwtSecret: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'fg-signer-'));
  try {
    const config = loadConfig({ env: { NODE_ENV: 'test', DATA_DIR: dataDir, JWT_SECRET: jwtSecret } });
    const signer = createDevSigner({ mode: config.mode, auth: resolveAuthOptions(config) });
    return { sign: (identity: TokenIdentity = ADMIN, ttlSeconds = 3_600) => signer.sign(identity, ttlSeconds) };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Joins (or runs) the gateway's inventory sync, as an administrator. */
export async function syncInventory(url: string, token: string): Promise<void> {
  const { json } = await postGraphQL(url, { query: 'mutation { syncInventory { ok } }' }, { authorization: `Bearer ${token}` });
  if (json.errors || !json.data?.syncInventory?.ok) throw new Error(`inventory sync failed: ${JSON.stringify(json)}`);
}

// ---------------------------------------------------------------------------------------------
// Failovers of every kind

export type Kind = 'VM_REPLICA' | 'CDP_VM' | 'VCD_VAPP_REPLICA' | 'VCD_CDP_VAPP';
export const KINDS: readonly Kind[] = ['VM_REPLICA', 'CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP'];

export interface Candidate {
  /** Global id of the replica. */
  id: string;
  kind: Kind;
  name: string;
  /** VM and vApp replicas: a restore point's global id. */
  restorePointId: string | null;
}

const CANDIDATES = `query Candidates($after: String) {
  replicas(first: 50, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      __typename id kind name state objectRef backupServer { edition }
      ... on VmReplica { restorePoints(first: 1) { edges { node { id } } } }
      ... on VcdVAppReplica { restorePoints(first: 1) { edges { node { id } } } }
    } }
  }
}`;

/** Ready replicas on Enterprise (Plus) servers, per kind, each with what its failover needs. */
export async function failoverCandidates(url: string, token: string): Promise<Map<Kind, Candidate[]>> {
  const out = new Map<Kind, Candidate[]>(KINDS.map((kind) => [kind, []]));
  let after: string | null = null;
  for (;;) {
    const { json } = await postGraphQL(url, { query: CANDIDATES, variables: { after } }, { authorization: `Bearer ${token}` });
    if (json.errors) throw new Error(`replicas query failed: ${JSON.stringify(json.errors)}`);
    const page = json.data.replicas;
    for (const { node } of page.edges) {
      // No API reports the state of CDP and Cloud Director replicas: unknown (null) until a failover of the gateway's sets it.
      if ((node.state !== 'Ready' && node.state !== null) || node.objectRef === null || !['ENTERPRISE', 'ENTERPRISE_PLUS'].includes(node.backupServer.edition)) continue;
      const kind = node.kind as Kind;
      const cdp = kind === 'CDP_VM' || kind === 'VCD_CDP_VAPP';
      const point: string | null = cdp ? null : (node.restorePoints?.edges[0]?.node.id ?? null);
      if (!cdp && point === null) continue;
      out.get(kind)?.push({ id: node.id, kind, name: node.name, restorePointId: point });
    }
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
}

export function failoverInput(candidate: Candidate, reason: string): Record<string, unknown> {
  switch (candidate.kind) {
    case 'VM_REPLICA':
      return { vmReplica: { restorePointId: candidate.restorePointId, reason } };
    case 'VCD_VAPP_REPLICA':
      return { vcdVAppReplica: { restorePointId: candidate.restorePointId, reason } };
    case 'CDP_VM':
      return { cdpVmReplica: { replicaId: candidate.id, target: { latestCrashConsistent: true }, reason } };
    case 'VCD_CDP_VAPP':
      return { vcdCdpVAppReplica: { replicaId: candidate.id, target: { latestCrashConsistent: true }, reason } };
  }
}

const FAILOVER = `mutation Failover($input: FailoverInput!, $idempotencyKey: String) {
  failover(input: $input, idempotencyKey: $idempotencyKey) {
    __typename
    ... on FailoverStarted { replayed operation { id kind state } }
    ... on Error { code message }
  }
}`;

/** Starts a failover over HTTP; returns the operation's global id (fails the test unless it started). */
export async function startFailover(url: string, token: string, candidate: Candidate, reason = 'live progress test'): Promise<{ id: string; kind: Kind }> {
  const { json } = await postGraphQL(url, { query: FAILOVER, variables: { input: failoverInput(candidate, reason), idempotencyKey: randomBytes(16).toString('hex') } }, { authorization: `Bearer ${token}` });
  expect(json.errors, JSON.stringify(json.errors)).toBeUndefined();
  expect(json.data.failover, JSON.stringify(json.data)).toMatchObject({ __typename: 'FailoverStarted', replayed: false, operation: { kind: candidate.kind } });
  return { id: json.data.failover.operation.id, kind: candidate.kind };
}

// ---------------------------------------------------------------------------------------------
// Subscribers

/** The documents portals use (schema/operations/progress.graphql). */
export const PROGRESS = FailoverProgressDocument.toString();
export const EVENTS = FailoverEventsDocument.toString();

export type ReceivedEvent = FailoverEventFieldsFragment;

export type Ending = { type: 'complete' } | { type: 'error'; error: unknown };

/**
 * One subscription on its own graphql-ws socket, recording every event it
 * receives. `ended` settles when the server completes it, refuses it, or the
 * socket closes (no retries: a dead gateway is seen as such).
 */
export class Subscriber {
  readonly events: ReceivedEvent[] = [];
  readonly ended: Promise<Ending>;
  #ending: Ending | undefined;
  readonly #client: Client;
  readonly #waiters: Array<() => void> = [];

  constructor(wsUrl: string, token: string, query: string, variables: Record<string, unknown>) {
    this.#client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: true,
      lazyCloseTimeout: 0,
    });
    this.ended = new Promise<Ending>((resolve) => {
      const settle = (ending: Ending) => {
        if (this.#ending) return;
        this.#ending = ending;
        resolve(ending);
        this.#wake();
      };
      this.#client.subscribe<{ failoverProgress?: ReceivedEvent; failoverEvents?: ReceivedEvent }>(
        { query, variables },
        {
          next: (value) => {
            if (value.errors?.length) return settle({ type: 'error', error: value.errors });
            const event = value.data?.failoverProgress ?? value.data?.failoverEvents;
            if (event) this.events.push(event);
            this.#wake();
          },
          error: (error) => settle({ type: 'error', error }),
          complete: () => settle({ type: 'complete' }),
        },
      );
    });
  }

  get ending(): Ending | undefined {
    return this.#ending;
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }

  /** Waits until `predicate` holds for the events so far; fails after `timeoutMs` or when the subscription ends first. */
  async waitFor(predicate: (events: readonly ReceivedEvent[]) => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (predicate(this.events)) return;
      if (this.#ending) throw new Error(`subscription ended (${describeEnding(this.#ending)}) before ${what}; got ${summary(this.events)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${summary(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the subscription to end; fails after `timeoutMs`. */
  async endedWithin(timeoutMs: number, what: string): Promise<Ending> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not ended after ${timeoutMs} ms; got ${summary(this.events)}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.ended, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.#client.dispose();
  }
}

export function describeEnding(ending: Ending): string {
  if (ending.type === 'complete') return 'complete';
  const error = ending.error as { code?: number; reason?: string; message?: string } | unknown[];
  if (Array.isArray(error)) return `errors ${JSON.stringify(error)}`;
  return `error ${error?.code ?? ''} ${error?.reason ?? error?.message ?? String(error)}`;
}

export function summary(events: readonly ReceivedEvent[]): string {
  return `[${events.map((e) => `${e.sequence}:${e.state}:${e.progress}${e.final ? ':final' : ''}`).join(' ')}]`;
}

// ---------------------------------------------------------------------------------------------
// The oracle: the event table

export interface StoredEvent {
  sequence: number;
  state: string;
  progress: number;
  taskState: string | null;
  sessionState: string | null;
  result: string | null;
  message: string | null;
  replicaState: string | null;
}

/** The operation's events as stored, in order, and its row. */
export async function storedEvents(client: pg.Client, operationDbId: string): Promise<{ events: StoredEvent[]; operation: { state: string; sequence: number; leaseOwner: string | null } }> {
  const events = await client.query<StoredEvent>(
    `SELECT sequence, state::text AS state, progress, "taskState", "sessionState", result, message, "replicaState"
       FROM failover_event WHERE "operationId" = $1 ORDER BY sequence`,
    [operationDbId],
  );
  const operation = await client.query<{ state: string; sequence: number; leaseOwner: string | null }>(
    `SELECT state::text AS state, sequence, "leaseOwner" FROM failover_operation WHERE id = $1`,
    [operationDbId],
  );
  return { events: events.rows, operation: operation.rows[0]! };
}

/**
 * What a subscriber received is exactly the operation's stored events after
 * `afterSequence`, each once, in order, ending with the final one: sequences
 * afterSequence+1 … N without gap or duplicate, N the operation's last, and
 * every event's fields as the table has them.
 */
export function expectExactStream(received: readonly ReceivedEvent[], stored: { events: StoredEvent[]; operation: { state: string; sequence: number } }, operationGlobalId: string, afterSequence = 0): void {
  const label = `${operationGlobalId}: ${summary(received)}`;
  expect(ENDING_STATES, label).toContain(stored.operation.state);
  const last = stored.operation.sequence;
  expect(stored.events.map((e) => e.sequence), 'the event table has no gap').toEqual(range(1, last));
  expect(received.map((e) => e.sequence), label).toEqual(range(afterSequence + 1, last));
  for (const event of received) expect(event.operationId, label).toBe(operationGlobalId);
  expect(received.map((e) => e.final), label).toEqual(received.map((_, i) => i === received.length - 1));
  const byStored = stored.events.slice(afterSequence).map((e) => ({
    sequence: e.sequence,
    state: e.state,
    progress: e.progress,
    taskState: e.taskState,
    restoreSessionState: e.sessionState,
    result: e.result,
    message: e.message,
    replicaState: e.replicaState,
  }));
  const byReceived = received.map((e) => ({
    sequence: e.sequence,
    state: e.state,
    progress: e.progress,
    taskState: e.taskState,
    restoreSessionState: e.restoreSessionState,
    result: e.result,
    message: e.message,
    replicaState: e.replicaState,
  }));
  expect(byReceived, label).toEqual(byStored);
}

/** The contract's shape of every stream: DISPATCHING first, an ending state last, progress never going back. */
export function expectLifecycle(all: readonly ReceivedEvent[], label: string): void {
  expect(all[0]?.sequence, label).toBe(1);
  expect(all[0]?.state, label).toBe('DISPATCHING');
  expect(all.some((e) => e.state === 'RUNNING'), label).toBe(true);
  expect(['SUCCEEDED', 'WARNING', 'FAILED'], label).toContain(all.at(-1)?.state);
  expect(all.at(-1)?.final, label).toBe(true);
  for (let i = 1; i < all.length; i += 1) expect(all[i]!.progress, label).toBeGreaterThanOrEqual(all[i - 1]!.progress);
}

export function range(from: number, to: number): number[] {
  return to < from ? [] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
