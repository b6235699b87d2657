import { Agent, createServer, request as httpRequest, type ClientRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

/**
 * Child process of the progress-storm benchmark (bench/progress-storm.bench.ts),
 * driven over IPC. Two roles, chosen by the first argument:
 *
 * - `client` (default): holds many subscribers, over graphql-ws sockets (many
 *   subscriptions per socket) or over SSE (one HTTP stream each), and stamps
 *   every event with its receipt time. The protocols are spoken directly on
 *   `ws` and `node:http` (no graphql-ws client, no fetch streams): the less a
 *   client spends per message, the less it takes from the machine the gateway
 *   is measured on, and the less its own event loop delays the receipt stamp.
 * - `floor`: the baseline. A bare graphql-ws server (graphql-js + graphql-ws +
 *   ws, the libraries the gateway builds on) with the same subscription fields,
 *   in-memory events, no database, no Yoga, no tokens, no policy. It plays a
 *   storm of the same shape, so the same clients measure what the transport
 *   and GraphQL execution cost on their own.
 */

// ---------------------------------------------------------------- shared types

export type Transport = 'ws' | 'sse';

export interface SubscriberSpec {
  key: number;
  /** failoverProgress on one operation, or failoverEvents with a filter (none: every operation). */
  kind: 'progress' | 'events';
  operationId?: string;
  filter?: { replicaId?: string; operationIds?: string[] };
  /** graphql-ws: the socket (this worker's index) that carries it. */
  socket: number;
  /** events: finals to see before it counts as done (a filtered one 1, a dashboard every operation). */
  expectFinals?: number;
}

export type ClientCommand =
  | { type: 'connect'; url: string; token: string; sockets: number }
  | { type: 'subscribe'; transport: Transport; url: string; token: string; subs: SubscriberSpec[] }
  | { type: 'progress' }
  | {
      type: 'report';
      finals: Record<string, number>;
      replicaOps: Record<string, string>;
      /** Live latencies of events written at or after each moment are also reported apart. */
      splits: number[];
      /**
       * When each event's row was written (`operationId:sequence` → epoch ms, the
       * database's recordedAt): latencies are measured from it. Without it (the
       * bare baseline, whose events are written in memory as they are sent), from
       * the event's `at`.
       */
      written?: Record<string, number>;
    }
  | { type: 'unsubscribe-all' }
  | { type: 'disconnect' };

export interface ClientProgress {
  subscribers: number;
  done: number;
  received: number;
  errors: number;
  lastReceiptAt: number;
  /** The latest moment a failoverProgress stream got its first event (0: some have none yet). */
  lastOpenAt: number;
}

export interface ClientReport {
  subscribers: number;
  deliveries: number;
  /** receipt − written (see the report command), ms, for events written once the subscription was open (replayed older ones are not latency). */
  latencies: number[];
  /** The same deliveries measured from the event's `at` (the writer's clock as it prepared the change, before its statement ran). */
  latenciesFromAt: number[];
  /** Per latency: subscriber kind (0 failoverProgress, 1 filtered failoverEvents, 2 unfiltered) × 3 + event class (0 sequence ≤ 2, 1 other, 2 final). */
  categories: number[];
  /** Per split: live latencies of events written at or after it. */
  latenciesAfter: number[][];
  /** receipt − written for events written after the subscriber asked but before its stream opened (failoverProgress: its first message). */
  setupLatencies: number[];
  /** failoverProgress: from the subscribe message to its first event. */
  startups: number[];
  replayed: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
  /** Events of operations the subscriber's filter excludes. */
  foreign: number;
  subscribersWithLoss: number;
  /** failoverProgress streams that did not complete. */
  incomplete: number;
  errors: number;
  errorSamples: string[];
  unexpectedCloses: string[];
}

export type FloorCommand =
  | { type: 'replicas'; count: number }
  | { type: 'dispatch'; replicaIds: string[]; events: number; durationMs: number | null }
  | { type: 'open' }
  | { type: 'finals'; operationIds: string[] };

// ---------------------------------------------------------------- client role

const FIELDS = 'operationId sequence at state progress taskState restoreSessionState result message replicaState final kind';
export const PROGRESS_QUERY = `subscription Progress($id: ID!) { failoverProgress(operationId: $id) { ${FIELDS} } }`;
export const EVENTS_QUERY = `subscription Events($filter: FailoverEventFilter) { failoverEvents(filter: $filter) { ${FIELDS} } }`;

interface WireEvent {
  operationId: string;
  sequence: number;
  at: string;
  final: boolean;
}

interface Delivery {
  key: string;
  at: number;
  receipt: number;
  sentAt: number;
  openAt: number;
  category: number;
}

interface Subscriber {
  spec: SubscriberSpec;
  sentAt: number;
  /** When the stream was open: its first message (failoverProgress), or when asked (failoverEvents: the bench waits for the gateway to count it open before any event). */
  openAt: number;
  seqs: Map<string, number[]>;
  finals: Set<string>;
  completed: boolean;
  close(): void;
}

function runClient(): void {
  let sockets: WsConnection[] = [];
  let subscribers: Subscriber[] = [];
  /** Every delivery: which event, when it arrived, and its subscriber's moments and kind; latencies are worked out at the report. */
  let delivered: Delivery[] = [];
  let startups: number[] = [];
  let received = 0;
  let errors = 0;
  let lastReceiptAt = 0;
  const errorSamples: string[] = [];
  const unexpectedCloses: string[] = [];
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  /**
   * SSE streams starting now (connect, request, response headers), across
   * commands. The kernel completes a TCP handshake before the gateway accepts
   * it, so only a bound on streams not yet answered bounds the gateway's accept
   * queue (511 by default): STORM_SSE_STARTS per worker (default 225).
   */
  const maxStarting = Number(process.env.STORM_SSE_STARTS ?? 225);
  let starting = 0;
  const startWaiters: Array<() => void> = [];
  const acquireStart = async () => {
    while (starting >= maxStarting) await new Promise<void>((resolve) => startWaiters.push(resolve));
    starting += 1;
  };
  const releaseStart = () => {
    starting -= 1;
    startWaiters.shift()?.();
  };

  const fail = (what: string) => {
    errors += 1;
    if (errorSamples.length < 5) errorSamples.push(what.slice(0, 400));
  };

  function record(sub: Subscriber, payload: { data?: Record<string, WireEvent | null> | null; errors?: unknown }, now: number): void {
    const event = payload.data?.failoverProgress ?? payload.data?.failoverEvents;
    if (!event) return fail(`subscriber ${sub.spec.key}: ${JSON.stringify(payload).slice(0, 300)}`);
    received += 1;
    lastReceiptAt = now;
    let list = sub.seqs.get(event.operationId);
    if (!list) sub.seqs.set(event.operationId, (list = []));
    list.push(event.sequence);
    if (event.final) sub.finals.add(event.operationId);
    if (sub.openAt === 0) {
      sub.openAt = now;
      startups.push(now - sub.sentAt);
    }
    const kind = sub.spec.kind === 'progress' ? 0 : sub.spec.filter ? 1 : 2;
    delivered.push({
      key: `${event.operationId}:${event.sequence}`,
      at: Date.parse(event.at),
      receipt: now,
      sentAt: sub.sentAt,
      openAt: sub.openAt,
      category: kind * 3 + (event.sequence <= 2 ? 0 : event.final ? 2 : 1),
    });
  }

  /**
   * Latencies from the moment each event was written: of live ones (written
   * once the stream was open), and apart of those written while it was
   * starting; older ones were replayed and are only counted.
   */
  function latenciesOf(written: Record<string, number> | undefined, splits: number[]) {
    const out = { latencies: [] as number[], latenciesFromAt: [] as number[], categories: [] as number[], latenciesAfter: splits.map(() => [] as number[]), setupLatencies: [] as number[], replayed: 0 };
    for (const d of delivered) {
      const origin = written?.[d.key] ?? d.at;
      if (origin >= d.openAt) {
        out.latencies.push(d.receipt - origin);
        out.latenciesFromAt.push(d.receipt - d.at);
        out.categories.push(d.category);
        splits.forEach((split, i) => {
          if (origin >= split) out.latenciesAfter[i]!.push(d.receipt - origin);
        });
      } else if (origin >= d.sentAt) out.setupLatencies.push(d.receipt - origin);
      else out.replayed += 1;
    }
    return out;
  }

  class WsConnection {
    readonly socket: WebSocket;
    readonly ready: Promise<void>;
    readonly operations = new Map<string, Subscriber>();
    private next = 0;
    closing = false;

    constructor(url: string, token: string) {
      this.socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { agent: undefined, perMessageDeflate: false });
      this.ready = new Promise((resolve, reject) => {
        this.socket.once('open', () => this.socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
        this.socket.once('error', reject);
        this.socket.on('message', (data) => {
          const now = Date.now();
          const message = JSON.parse(data.toString()) as { type: string; id?: string; payload?: unknown };
          switch (message.type) {
            case 'connection_ack':
              return resolve();
            case 'ping':
              return this.socket.send('{"type":"pong"}');
            case 'next': {
              const sub = this.operations.get(message.id!);
              if (sub) record(sub, message.payload as never, now);
              return;
            }
            case 'error':
              fail(`ws error for ${message.id}: ${JSON.stringify(message.payload)}`);
              this.operations.delete(message.id!);
              return;
            case 'complete': {
              const sub = this.operations.get(message.id!);
              if (sub) sub.completed = true;
              this.operations.delete(message.id!);
              return;
            }
          }
        });
        this.socket.on('close', (code, reason) => {
          if (!this.closing) unexpectedCloses.push(`${code} ${reason.toString()} (${this.operations.size} open)`);
          reject(new Error(`socket closed ${code} ${reason.toString()}`));
        });
      });
    }

    subscribe(sub: Subscriber, query: string, variables: Record<string, unknown>): void {
      const id = String((this.next += 1));
      this.operations.set(id, sub);
      sub.sentAt = Date.now();
      if (sub.spec.kind === 'events') sub.openAt = sub.sentAt;
      this.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
      sub.close = () => {
        if (this.operations.delete(id) && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ id, type: 'complete' }));
      };
    }
  }

  /** One SSE stream; resolves once the gateway answered it (response headers) or it failed. */
  function sseSubscribe(url: string, token: string, sub: Subscriber, query: string, variables: Record<string, unknown>): Promise<void> {
    const body = JSON.stringify({ query, variables });
    return new Promise((resolve) => {
      let closing = false;
      const started = () => resolve();
      const req: ClientRequest = httpRequest(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          started();
          res.setEncoding('utf8');
          if (res.statusCode !== 200) {
            let text = '';
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => fail(`SSE ${res.statusCode}: ${text}`));
            return;
          }
          let buffer = '';
          res.on('data', (chunk: string) => {
            const now = Date.now();
            buffer += chunk;
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              let event = 'message';
              let data = '';
              for (const line of block.split('\n')) {
                if (line.startsWith('event:')) event = line.slice(6).trim();
                else if (line.startsWith('data:')) data += line.slice(5).trimStart();
              }
              if (event === 'next') record(sub, JSON.parse(data) as never, now);
              else if (event === 'complete') sub.completed = true;
            }
          });
          res.on('close', () => {
            if (!closing && !sub.completed) unexpectedCloses.push(`SSE stream of subscriber ${sub.spec.key} ended without complete`);
          });
        },
      );
      req.on('error', (error) => {
        started();
        if (!closing) fail(`SSE request: ${error.message}`);
      });
      sub.sentAt = Date.now();
      if (sub.spec.kind === 'events') sub.openAt = sub.sentAt;
      sub.close = () => {
        closing = true;
        req.destroy();
      };
      req.end(body);
    });
  }

  function newSubscriber(spec: SubscriberSpec): Subscriber {
    return { spec, sentAt: 0, openAt: 0, seqs: new Map(), finals: new Set(), completed: false, close: () => undefined };
  }

  const isDone = (sub: Subscriber) => (sub.spec.kind === 'progress' ? sub.completed : sub.finals.size >= (sub.spec.expectFinals ?? 1));

  async function handle(command: ClientCommand): Promise<unknown> {
    switch (command.type) {
      case 'connect': {
        const opened = Array.from({ length: command.sockets }, () => new WsConnection(command.url, command.token));
        sockets.push(...opened);
        await Promise.all(opened.map((s) => s.ready));
        return { sockets: sockets.length };
      }
      case 'subscribe': {
        const pending: Array<Promise<void>> = [];
        for (const spec of command.subs) {
          const sub = newSubscriber(spec);
          subscribers.push(sub);
          const query = spec.kind === 'progress' ? PROGRESS_QUERY : EVENTS_QUERY;
          const variables = spec.kind === 'progress' ? { id: spec.operationId } : { filter: spec.filter ?? null };
          if (command.transport === 'ws') {
            const socket = sockets[spec.socket];
            if (!socket) throw new Error(`no socket ${spec.socket} in this worker (${sockets.length})`);
            socket.subscribe(sub, query, variables);
          } else {
            await acquireStart();
            pending.push(sseSubscribe(command.url, command.token, sub, query, variables).finally(releaseStart));
          }
        }
        await Promise.all(pending);
        return { subscribers: subscribers.length };
      }
      case 'progress':
        const progressSubs = subscribers.filter((sub) => sub.spec.kind === 'progress');
        const lastOpenAt = progressSubs.some((sub) => sub.openAt === 0) ? 0 : Math.max(0, ...progressSubs.map((sub) => sub.openAt));
        return { subscribers: subscribers.length, done: subscribers.filter(isDone).length, received, errors, lastReceiptAt, lastOpenAt } satisfies ClientProgress;
      case 'report': {
        let lost = 0;
        let duplicates = 0;
        let outOfOrder = 0;
        let foreign = 0;
        let withLoss = 0;
        let incomplete = 0;
        const allOps = Object.keys(command.finals);
        for (const sub of subscribers) {
          const { spec } = sub;
          const expected =
            spec.kind === 'progress'
              ? [spec.operationId!]
              : spec.filter?.replicaId
                ? [command.replicaOps[spec.filter.replicaId]].filter((id): id is string => id !== undefined)
                : spec.filter?.operationIds ?? allOps;
          if (spec.kind === 'progress' && !sub.completed) incomplete += 1;
          let subLost = 0;
          for (const op of expected) {
            const final = command.finals[op] ?? 0;
            const got = sub.seqs.get(op) ?? [];
            const seen = new Set<number>();
            let previous = 0;
            for (const sequence of got) {
              if (seen.has(sequence)) duplicates += 1;
              else seen.add(sequence);
              if (sequence < previous) outOfOrder += 1;
              previous = sequence;
            }
            for (let sequence = 1; sequence <= final; sequence += 1) if (!seen.has(sequence)) subLost += 1;
          }
          const wanted = new Set(expected);
          for (const [op, list] of sub.seqs) if (!wanted.has(op)) foreign += list.length;
          lost += subLost;
          if (subLost > 0) withLoss += 1;
        }
        return {
          subscribers: subscribers.length,
          deliveries: received,
          ...latenciesOf(command.written, command.splits),
          startups,
          lost,
          duplicates,
          outOfOrder,
          foreign,
          subscribersWithLoss: withLoss,
          incomplete,
          errors,
          errorSamples,
          unexpectedCloses: unexpectedCloses.slice(0, 5),
        } satisfies ClientReport;
      }
      case 'unsubscribe-all': {
        for (const sub of subscribers) sub.close();
        subscribers = [];
        delivered = [];
        startups = [];
        received = 0;
        errors = 0;
        errorSamples.length = 0;
        unexpectedCloses.length = 0;
        return {};
      }
      case 'disconnect': {
        for (const socket of sockets) {
          socket.closing = true;
          socket.socket.close(1000, 'bench done');
        }
        sockets = [];
        return {};
      }
    }
  }

  serveIpc(handle as (command: unknown) => Promise<unknown>);
}

// ---------------------------------------------------------------- floor role

interface FloorEvent {
  operationId: string;
  sequence: number;
  at: string;
  state: string;
  progress: number;
  taskState: string | null;
  restoreSessionState: string | null;
  result: string | null;
  message: string | null;
  replicaState: string | null;
  final: boolean;
  kind: string;
  replicaId: string;
}

/** A pull queue as an async iterator: what a subscription resolver returns. */
function channel<T>(start: (push: (value: T) => void, end: () => void) => () => void): AsyncIterableIterator<T> {
  const END = Symbol('end');
  const values: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let ended = false;
  let stop: (() => void) | undefined;
  const finish = () => {
    if (ended) return;
    ended = true;
    stop?.();
    waiting?.({ value: undefined, done: true });
    waiting = undefined;
  };
  stop = start(
    (value) => {
      if (ended) return;
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value, done: false });
      } else values.push(value);
    },
    () => {
      // End after the queued values drain.
      if (values.length === 0) finish();
      else values.push(END as T);
    },
  );
  // Ended while starting (finish ran before `stop` was known): clean up now.
  if (ended) stop();
  const iterator: AsyncIterableIterator<T> = {
    next() {
      if (values.length > 0) {
        const value = values.shift()!;
        if (value === (END as T)) {
          finish();
          return Promise.resolve({ value: undefined, done: true });
        }
        return Promise.resolve({ value, done: false });
      }
      if (ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return() {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

async function runFloor(): Promise<void> {
  const { buildSchema } = await import('graphql');
  const { useServer } = await import('graphql-ws/use/ws');
  const schema = buildSchema(`
    scalar DateTime
    type FailoverEvent { operationId: ID! sequence: Int! at: DateTime! state: String! progress: Int! taskState: String restoreSessionState: String
      result: String message: String replicaState: String final: Boolean! kind: String! }
    input FailoverEventFilter { kinds: [String!], replicaId: ID, initiator: String, operationIds: [ID!] }
    type Query { ok: Boolean }
    type Subscription {
      failoverProgress(operationId: ID!, afterSequence: Int = 0): FailoverEvent!
      failoverEvents(filter: FailoverEventFilter): FailoverEvent!
    }`);

  const operations = new Map<string, { events: FloorEvent[]; listeners: Set<(event: FloorEvent) => void> }>();
  const everything = new Set<(event: FloorEvent) => void>();
  let open = 0;

  const fields = schema.getSubscriptionType()!.getFields();
  fields.failoverProgress!.subscribe = (_root, args: { operationId: string; afterSequence: number }) =>
    channel<FloorEvent>((push, end) => {
      open += 1;
      const operation = operations.get(args.operationId);
      if (!operation) {
        end();
        return () => (open -= 1);
      }
      for (const event of operation.events) if (event.sequence > args.afterSequence) push(event);
      if (operation.events.at(-1)?.final) {
        end();
        return () => (open -= 1);
      }
      const listener = (event: FloorEvent) => {
        push(event);
        if (event.final) end();
      };
      operation.listeners.add(listener);
      return () => {
        open -= 1;
        operation.listeners.delete(listener);
      };
    });
  fields.failoverProgress!.resolve = (event: FloorEvent) => event;
  fields.failoverEvents!.subscribe = (_root, args: { filter?: { replicaId?: string | null; operationIds?: string[] | null } | null }) =>
    channel<FloorEvent>((push) => {
      open += 1;
      const replicaId = args.filter?.replicaId ?? null;
      const ids = args.filter?.operationIds ? new Set(args.filter.operationIds) : null;
      const listener = (event: FloorEvent) => {
        if ((replicaId === null || event.replicaId === replicaId) && (ids === null || ids.has(event.operationId))) push(event);
      };
      everything.add(listener);
      return () => {
        open -= 1;
        everything.delete(listener);
      };
    });
  fields.failoverEvents!.resolve = (event: FloorEvent) => event;

  const server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server, path: '/graphql' });
  useServer({ schema }, wss, 12_000);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  function emit(operationId: string, replicaId: string, sequence: number, final: boolean, progress: number): void {
    const operation = operations.get(operationId)!;
    const event: FloorEvent = {
      operationId,
      sequence,
      at: new Date().toISOString(),
      state: final ? 'SUCCEEDED' : sequence === 1 ? 'DISPATCHING' : 'RUNNING',
      progress,
      taskState: sequence === 1 ? null : final ? 'Finished' : 'Running',
      restoreSessionState: sequence <= 2 ? null : final ? 'Stopped' : 'Working',
      result: final ? 'Success' : null,
      message: null,
      replicaState: final ? 'Failover' : null,
      final,
      kind: 'VM_REPLICA',
      replicaId,
    };
    operation.events.push(event);
    for (const listener of operation.listeners) listener(event);
    for (const listener of everything) listener(event);
  }

  async function handle(command: FloorCommand): Promise<unknown> {
    switch (command.type) {
      case 'replicas':
        return Array.from({ length: command.count }, () => Buffer.from(`VmReplica:${randomUUID()}`).toString('base64'));
      case 'dispatch': {
        const ids: string[] = [];
        for (const replicaId of command.replicaIds) {
          const operationId = Buffer.from(`FailoverOperation:${randomUUID()}`).toString('base64');
          ids.push(operationId);
          operations.set(operationId, { events: [], listeners: new Set() });
          // As the gateway: DISPATCHING, then RUNNING, at once; the rest spread over the failover.
          emit(operationId, replicaId, 1, false, 0);
          emit(operationId, replicaId, 2, false, 0);
          if (command.durationMs === null) {
            for (let sequence = 3; sequence <= command.events; sequence += 1) emit(operationId, replicaId, sequence, false, 1);
            continue;
          }
          const rest = command.events - 2;
          const step = command.durationMs / rest;
          let sequence = 2;
          const tick = () => {
            sequence += 1;
            const final = sequence === command.events;
            emit(operationId, replicaId, sequence, final, final ? 100 : Math.min(99, Math.round((sequence / command.events) * 100)));
            if (!final) setTimeout(tick, step);
          };
          setTimeout(tick, step);
        }
        return ids;
      }
      case 'open':
        return open;
      case 'finals':
        return Object.fromEntries(command.operationIds.map((id) => [id, operations.get(id)?.events.length ?? 0]));
    }
  }

  serveIpc(handle as (command: unknown) => Promise<unknown>);
  process.send!({ type: 'listening', url: `http://127.0.0.1:${port}/graphql` });
}

// ---------------------------------------------------------------- IPC

function serveIpc(handle: (command: unknown) => Promise<unknown>): void {
  process.on('message', (message: { id: number; command: unknown }) => {
    handle(message.command).then(
      (result) => process.send!({ id: message.id, ok: true, result }),
      (error: unknown) => process.send!({ id: message.id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
    );
  });
  // The parent went away: nothing left to measure for.
  process.on('disconnect', () => process.exit(0));
}

if (process.send) {
  if (process.argv[2] === 'floor') await runFloor();
  else runClient();
}
