import { encodeGlobalID } from '@pothos/plugin-relay';
import { createClient, type Client } from 'graphql-ws';
import { expect } from 'vitest';
import WebSocket from 'ws';
import type { GqlError } from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';
import type { Kind } from './support.js';
import { FailoverEventFieldsFragmentDoc, type FailoverEventFieldsFragment } from '../../generated/graphql.js';
import { sseEvents } from '../../support/sse.js';

/**
 * Helpers for the failover progress tests: the two subscriptions' documents,
 * subscribers over graphql-ws and SSE that collect what they receive and can
 * be stopped, the checks every operation's event stream must pass, and the
 * gateway's own gauges.
 */

// ---------------------------------------------------------------------------------------------
// Documents

/** The portals' fragment (schema/operations/progress.graphql) plus `operation`, the operation *now*, left out of stream comparisons. */
export const EVENT_FIELDS = `...FailoverEventFields operation { id state }`;
const FRAGMENT = String(FailoverEventFieldsFragmentDoc);

export const FAILOVER_PROGRESS = `subscription FailoverProgress($operationId: ID!, $afterSequence: Int = 0) {
  failoverProgress(operationId: $operationId, afterSequence: $afterSequence) { ${EVENT_FIELDS} }
}
${FRAGMENT}`;

export const FAILOVER_EVENTS = `subscription FailoverEvents($filter: FailoverEventFilter) {
  failoverEvents(filter: $filter) { ${EVENT_FIELDS} }
}
${FRAGMENT}`;

/** A FailoverEvent as the tests select it: the portals' fragment plus the operation now. */
export type Ev = FailoverEventFieldsFragment & { operation: { id: string; state: string } | null };

/** The event without `operation` (which is read when the event goes out, so it differs between subscribers). */
export function bare(event: Ev): Omit<Ev, 'operation'> {
  const { operation: _operation, ...rest } = event;
  return rest;
}
export const bareAll = (events: readonly Ev[]) => events.map(bare);

// ---------------------------------------------------------------------------------------------
// Subscribers

export type Outcome =
  | { how: 'complete' }
  /** An `error` message for the operation (graphql-ws), or an SSE stream whose only payload was errors. */
  | { how: 'errors'; errors: GqlError[] }
  /** The socket or stream ended under the operation. */
  | { how: 'closed'; code?: number; reason?: string }
  /** Stopped by the test. */
  | { how: 'stopped' };

export interface Sub {
  readonly events: Ev[];
  /** `errors` of `next` payloads (a failed subscribe over SSE or an execution error). */
  readonly payloadErrors: GqlError[];
  readonly done: Promise<Outcome>;
  /** Unsubscribes (graphql-ws `complete`) or aborts the SSE request. */
  stop(): void;
  /** Resolves once `predicate` holds for the events so far; rejects when the stream ends first or after `timeoutMs`. */
  until(predicate: (events: readonly Ev[]) => boolean, timeoutMs?: number, what?: string): Promise<void>;
}

class Collector {
  readonly events: Ev[] = [];
  readonly payloadErrors: GqlError[] = [];
  ended: Outcome | undefined;
  readonly #waiters = new Set<() => void>();
  resolveDone!: (outcome: Outcome) => void;
  readonly done = new Promise<Outcome>((resolve) => (this.resolveDone = resolve));

  constructor(private readonly field: 'failoverProgress' | 'failoverEvents') {}

  next(payload: { data?: any; errors?: GqlError[] | readonly unknown[] }): void {
    if (payload.errors?.length) this.payloadErrors.push(...(payload.errors as GqlError[]));
    const event = payload.data?.[this.field];
    if (event) this.events.push(event as Ev);
    this.#notify();
  }

  end(outcome: Outcome): void {
    if (this.ended) return;
    this.ended = outcome;
    this.resolveDone(outcome);
    this.#notify();
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  until(predicate: (events: readonly Ev[]) => boolean, timeoutMs = 20_000, what = 'events'): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (predicate(this.events)) {
          cleanup();
          resolve();
        } else if (this.ended) {
          cleanup();
          reject(new Error(`stream ended (${JSON.stringify(this.ended)}) before ${what}; got sequences ${this.events.map((e) => e.sequence).join(',')}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; got sequences ${this.events.map((e) => e.sequence).join(',')}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }
}

const fieldOf = (query: string): 'failoverProgress' | 'failoverEvents' => (query.includes('failoverProgress(') ? 'failoverProgress' : 'failoverEvents');

/** A subscription on a graphql-ws client. */
export function wsSubscribe(client: Client, query: string, variables: Record<string, unknown> = {}): Sub {
  const collector = new Collector(fieldOf(query));
  const unsubscribe = client.subscribe(
    { query, variables },
    {
      next: (value) => collector.next(value as { data?: any; errors?: GqlError[] }),
      error: (error) => {
        if (Array.isArray(error)) collector.end({ how: 'errors', errors: error as GqlError[] });
        else {
          const event = error as { code?: number; reason?: string };
          collector.end({ how: 'closed', code: event?.code, reason: event?.reason ?? String(error) });
        }
      },
      complete: () => collector.end({ how: collector.ended ? collector.ended.how : 'complete' } as Outcome),
    },
  );
  return {
    events: collector.events,
    payloadErrors: collector.payloadErrors,
    done: collector.done,
    stop() {
      // The client's complete callback runs on unsubscribe too: record the stop first.
      collector.end({ how: 'stopped' });
      unsubscribe();
    },
    until: (predicate, timeoutMs, what) => collector.until(predicate, timeoutMs, what),
  };
}

/** A subscription over Server-Sent Events (Yoga's distinct-connections mode), stoppable by aborting the request. */
export function sseSubscribe(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Sub {
  const collector = new Collector(fieldOf(query));
  const controller = new AbortController();
  void (async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    });
    if (!response.ok || !response.body) {
      const text = await response.text();
      let errors: GqlError[] = [{ message: `SSE ${response.status}: ${text}` }];
      try {
        errors = (JSON.parse(text) as { errors?: GqlError[] }).errors ?? errors;
      } catch {
        // not JSON
      }
      collector.end({ how: 'errors', errors });
      return;
    }
    for await (const { event, data } of sseEvents(response.body)) {
      if (event === 'next') collector.next(JSON.parse(data));
      else if (event === 'complete') {
        collector.end(collector.events.length === 0 && collector.payloadErrors.length > 0 ? { how: 'errors', errors: collector.payloadErrors } : { how: 'complete' });
        controller.abort();
        return;
      }
    }
    collector.end({ how: 'closed' });
  })().catch((error: unknown) => {
    collector.end(controller.signal.aborted ? { how: 'stopped' } : { how: 'closed', reason: String(error) });
  });
  return {
    events: collector.events,
    payloadErrors: collector.payloadErrors,
    done: collector.done,
    stop() {
      collector.end({ how: 'stopped' });
      controller.abort();
    },
    until: (predicate, timeoutMs, what) => collector.until(predicate, timeoutMs, what),
  };
}

/** A graphql-ws client of its own (its own socket), signed in with `token`. */
export function wsClient(gateway: TestGateway, token: string | null, options: { /** Default true: connect on the first subscribe, close a minute after the last. */ lazy?: boolean } = {}): Client {
  const lazy = options.lazy ?? true;
  return createClient({
    url: gateway.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy,
    // graphql-ws arms this (ref'd) timer whenever the last subscription ends and dispose() leaves it running:
    // a non-lazy client never arms it, which keeps the timer counts of the leak test about the gateway.
    ...(lazy ? { lazyCloseTimeout: 60_000 } : {}),
  });
}

/** The whole stream of a failoverProgress subscription that must complete. */
export async function progressToEnd(client: Client, operationId: string, afterSequence?: number, timeoutMs = 30_000): Promise<Ev[]> {
  const sub = wsSubscribe(client, FAILOVER_PROGRESS, afterSequence === undefined ? { operationId } : { operationId, afterSequence });
  const outcome = await withTimeout(sub.done, timeoutMs, `failoverProgress(${operationId}, ${afterSequence ?? 'default'}) to complete`).catch((error: unknown) => {
    sub.stop();
    throw error;
  });
  expect(outcome, JSON.stringify(outcome)).toEqual({ how: 'complete' });
  expect(sub.payloadErrors).toEqual([]);
  return sub.events;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// What every stream must be

export type EmResult = 'Success' | 'Warning' | 'Failed';
export const RESULTS: readonly EmResult[] = ['Success', 'Warning', 'Failed'];
export const FINAL_STATE: Record<EmResult, string> = { Success: 'SUCCEEDED', Warning: 'WARNING', Failed: 'FAILED' };

/** EM's replica state after a failover (simulator, after EM's documentation): VM Failover / FailedFailover; vApp Failover / Incomplete. */
/**
 * The replica's state an ended failover reports: VM replicas' from their backup server's REST API; the
 * other kinds have none anywhere, so only what the failover proves (it ran to its end: Failover), and
 * nothing after a failed one.
 */
export function replicaStateAfter(kind: Kind, result: EmResult): string | null {
  if (result !== 'Failed') return 'Failover';
  return kind === 'VM_REPLICA' ? 'FailedFailover' : null;
}

/** States an operation may move to from each state (itself included: a change of progress or EM's states). */
export const NEXT_STATES: Record<string, readonly string[]> = {
  DISPATCHING: ['DISPATCHING', 'OUTCOME_UNKNOWN', 'RUNNING', 'NOT_STARTED'],
  OUTCOME_UNKNOWN: ['OUTCOME_UNKNOWN', 'RUNNING', 'NOT_STARTED'],
  RUNNING: ['RUNNING', 'SUCCEEDED', 'WARNING', 'FAILED'],
  SUCCEEDED: [],
  WARNING: [],
  FAILED: [],
  NOT_STARTED: [],
};
const ENDED = ['SUCCEEDED', 'WARNING', 'FAILED', 'NOT_STARTED'];
const TASK_STATES = [null, 'Running', 'OperationFinished', 'Finished'];
const SESSION_STATES = [null, 'Starting', 'Working', 'Stopping', 'Stopped'];

/** The fields of consecutive events a change is made of: two events equal in all of them would be one change sent twice. */
const CHANGE_FIELDS = ['state', 'progress', 'taskState', 'restoreSessionState', 'result', 'message', 'replicaState'] as const;

/**
 * The checks of one operation's complete stream (sequence 1 to its final
 * event): contiguous sequences from 1, DISPATCHING first, legal state moves,
 * progress never going back, one final event and it is the last, each event a
 * real change, EM's states from their sets.
 */
export function expectWellFormed(events: readonly Ev[], expected: { operationId: string; kind: Kind; label?: string }): void {
  const label = expected.label ?? expected.operationId;
  const summary = () => `${label}: ${events.map((e) => `${e.sequence}:${e.state}/${e.progress}${e.final ? '!' : ''}`).join(' ')}`;
  expect(events.length, summary()).toBeGreaterThanOrEqual(3);
  expect(events.map((e) => e.sequence), summary()).toEqual(events.map((_, i) => i + 1));
  expect(events[0]!.state, summary()).toBe('DISPATCHING');
  for (const [i, event] of events.entries()) {
    expect(event.operationId, summary()).toBe(expected.operationId);
    expect(event.kind, summary()).toBe(expected.kind);
    expect(TASK_STATES, summary()).toContain(event.taskState);
    expect(SESSION_STATES, summary()).toContain(event.restoreSessionState);
    expect(Number.isNaN(Date.parse(event.at)), summary()).toBe(false);
    expect(event.progress, summary()).toBeGreaterThanOrEqual(0);
    expect(event.progress, summary()).toBeLessThanOrEqual(100);
    expect(event.final, summary()).toBe(i === events.length - 1);
    expect(ENDED.includes(event.state), `${summary()} (event ${event.sequence}: an ending state must be final)`).toBe(event.final);
    if (!event.final) {
      // Set "once ended".
      expect(event.result, summary()).toBeNull();
      expect(event.replicaState, summary()).toBeNull();
    }
    if (i === 0) continue;
    const previous = events[i - 1]!;
    expect(NEXT_STATES[previous.state], `${summary()} (${previous.state} → ${event.state})`).toContain(event.state);
    expect(event.progress, `${summary()} (progress went back)`).toBeGreaterThanOrEqual(previous.progress);
    expect(Date.parse(event.at), `${summary()} (at went back)`).toBeGreaterThanOrEqual(Date.parse(previous.at));
    expect(
      CHANGE_FIELDS.some((field) => event[field] !== previous[field]),
      `${summary()} (event ${event.sequence} changes nothing of ${previous.sequence})`,
    ).toBe(true);
  }
}

/** A complete stream of a failover EM ran to `result`. */
export function expectEndedAs(events: readonly Ev[], expected: { operationId: string; kind: Kind; result: EmResult; label?: string }): void {
  expectWellFormed(events, expected);
  const label = expected.label ?? expected.operationId;
  const states = events.map((e) => e.state);
  const last = events.at(-1)!;
  expect(last, label).toMatchObject({
    final: true,
    state: FINAL_STATE[expected.result],
    progress: 100,
    result: expected.result,
    restoreSessionState: 'Stopped',
    replicaState: replicaStateAfter(expected.kind, expected.result),
  });
  // Dispatched normally: DISPATCHING, then RUNNING until the end, with progress seen on the way.
  expect(states.filter((s) => s === 'DISPATCHING'), label).toEqual(['DISPATCHING']);
  expect(states.slice(1, -1).every((s) => s === 'RUNNING'), `${label}: ${states.join(',')}`).toBe(true);
  expect(
    events.some((e) => e.state === 'RUNNING' && e.progress > 0 && e.progress < 100),
    `${label}: no progress between 0 and 100 was streamed`,
  ).toBe(true);
}

// ---------------------------------------------------------------------------------------------
// The record

/** The operation's events as the database holds them, as the GraphQL fields name them. */
export async function storedEvents(gateway: TestGateway, operationDbId: string): Promise<Array<Omit<Ev, 'operation' | 'final' | 'kind' | 'operationId'>>> {
  const rows = await gateway.services.db.prisma.failoverEvent.findMany({ where: { operationId: operationDbId }, orderBy: { sequence: 'asc' } });
  return rows.map((row) => ({
    sequence: row.sequence,
    at: row.at.toISOString(),
    state: row.state,
    progress: row.progress,
    taskState: row.taskState,
    restoreSessionState: row.sessionState,
    result: row.result,
    message: row.message,
    replicaState: row.replicaState,
  }));
}

/** The parts of streamed events the event table holds. */
export const recordPart = (events: readonly Ev[]) =>
  events.map((e) => ({
    sequence: e.sequence,
    at: new Date(e.at).toISOString(),
    state: e.state,
    progress: e.progress,
    taskState: e.taskState,
    restoreSessionState: e.restoreSessionState,
    result: e.result,
    message: e.message,
    replicaState: e.replicaState,
  }));

export const operationGlobalId = (dbId: string) => encodeGlobalID('FailoverOperation', dbId);

// ---------------------------------------------------------------------------------------------
// Gauges

/** A gauge's value straight from the gateway's registry (0 when the series does not exist). */
export async function gauge(gateway: TestGateway, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = gateway.metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`the gateway has no metric ${name}`);
  const { values } = await metric.get();
  const found = values.find((value) => Object.entries(labels).every(([key, want]) => String(value.labels[key]) === want));
  return found?.value ?? 0;
}

/** A sample from /metrics as Prometheus scrapes it (NaN when absent). */
export function scraped(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, want]) => have[key] === want)) return Number(match[3]);
  }
  return Number.NaN;
}

export async function scrape(gateway: TestGateway): Promise<string> {
  const response = await fetch(`${gateway.origin}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/** Runs `check` until it returns true, or fails after `timeoutMs` with `what`. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string, intervalMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------------------------------------
// A bare graphql-transport-ws socket

export interface WsMessage {
  type: string;
  id?: string;
  payload?: any;
}

/**
 * A graphql-transport-ws socket on the `ws` package with no client library in
 * between, so a test decides every message: whether and when to send
 * connection_init, which ids to subscribe and complete, and whether to close
 * politely or vanish (terminate: the TCP connection is destroyed, no close frame).
 */
export class RawWs {
  readonly socket: WebSocket;
  readonly messages: WsMessage[] = [];
  readonly openedAt: Promise<number>;
  /** Close code and reason, and when it closed (ms since epoch). */
  readonly closed: Promise<{ code: number; reason: string; at: number }>;
  ackedAt: number | undefined;
  #waiters = new Set<() => void>();
  #isClosed = false;

  constructor(url: string, options: { connectionParams?: Record<string, unknown> | false } = {}) {
    this.socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    this.openedAt = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve(Date.now()));
      this.socket.once('error', reject);
    });
    // Not every test awaits it; a socket refused before it opened also ends in 'close', which `closed` reports.
    this.openedAt.catch(() => undefined);
    this.closed = new Promise((resolve) => {
      this.socket.once('close', (code, reason) => {
        this.#isClosed = true;
        resolve({ code, reason: reason.toString(), at: Date.now() });
        this.#notify();
      });
    });
    // An error after the socket opened (a reset) ends in 'close' too.
    this.socket.on('error', () => {});
    this.socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as WsMessage;
      if (message.type === 'connection_ack') this.ackedAt = Date.now();
      if (message.type === 'ping') this.socket.send(JSON.stringify({ type: 'pong' }));
      this.messages.push(message);
      this.#notify();
    });
    if (options.connectionParams !== false) {
      const params = options.connectionParams ?? {};
      this.socket.once('open', () => this.socket.send(JSON.stringify({ type: 'connection_init', payload: params })));
    }
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Resolves once acknowledged; rejects when the socket closes first. */
  acked(timeoutMs = 10_000): Promise<void> {
    return this.waitFor(() => this.ackedAt !== undefined, timeoutMs, 'connection_ack');
  }

  init(params: Record<string, unknown> = {}): void {
    this.socket.send(JSON.stringify({ type: 'connection_init', payload: params }));
  }

  subscribe(id: string, query: string, variables: Record<string, unknown> = {}): void {
    this.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
  }

  complete(id: string): void {
    this.socket.send(JSON.stringify({ id, type: 'complete' }));
  }

  of(id: string, type?: string): WsMessage[] {
    return this.messages.filter((m) => m.id === id && (type === undefined || m.type === type));
  }

  /** The operation ended: a `complete` or `error` message for it. */
  endOf(id: string): WsMessage | undefined {
    return this.messages.find((m) => m.id === id && (m.type === 'complete' || m.type === 'error'));
  }

  waitFor(check: () => boolean, timeoutMs = 10_000, what = 'a message'): Promise<void> {
    return new Promise((resolve, reject) => {
      const test = () => {
        if (check()) {
          done();
          resolve();
        } else if (this.#isClosed) {
          done();
          reject(new Error(`socket closed before ${what}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(test);
      };
      this.#waiters.add(test);
      test();
    });
  }

  close(code = 1000): void {
    this.socket.close(code, 'done');
  }

  /** Vanishes: the TCP connection is destroyed without a close frame. */
  terminate(): void {
    this.socket.terminate();
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
