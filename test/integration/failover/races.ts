import { decodeGlobalID } from '@pothos/plugin-relay';
import { expect } from 'vitest';
import { FailoverDocument } from '../../generated/graphql.js';
import { postGraphQL, type TestGateway } from '../../support/gateway.js';
import { wsOnce, type GqlResult, type GraphQLClients } from '../../support/access.js';

/**
 * Helpers for the failover concurrency and fault tests: Ready replicas to fail
 * over (each test takes its own), one mutation over any transport, and what the
 * database and the simulator say happened.
 */

export const FAILOVER = String(FailoverDocument);

/** Settings of a gateway whose failovers end quickly and whose tracker looks often. */
export const FAST_FAILOVER_ENV: Record<string, string> = {
  SIMULATOR_REPLICAS: '120',
  SIMULATOR_FAILOVER_MS: '300',
  FAILOVER_POLL_MS: '100',
  FAILOVER_RECONCILE_GRACE_SECONDS: '1',
};

export const ADMIN = { subject: 'admin', groups: [] as string[] };

/** A Ready VM replica on an Enterprise or Enterprise Plus server, with its newest restore points (global ids). */
export interface ReadyVm {
  /** Global id of the VmReplica. */
  globalId: string;
  /** Database id (the audit entries' subjectId, the operations' replicaId). */
  id: string;
  name: string;
  points: string[];
}

const READY_VMS = `query ReadyVms($after: String) {
  replicas(first: 50, after: $after, filter: { kinds: [VM_REPLICA], states: ["Ready"] }) {
    pageInfo { hasNextPage endCursor }
    edges { node { id name state backupServer { edition } ... on VmReplica { restorePoints(first: 2) { edges { node { id } } } } } }
  }
}`;

/** Every Ready VM replica that may fail over (edition allows it), with at least two restore points. */
export async function readyVms(gateway: TestGateway, token: string): Promise<ReadyVm[]> {
  const out: ReadyVm[] = [];
  let after: string | null = null;
  for (;;) {
    const { json } = await postGraphQL(gateway.url, { query: READY_VMS, variables: { after } }, { authorization: `Bearer ${token}` });
    if (json.errors) throw new Error(`replicas query failed: ${JSON.stringify(json.errors)}`);
    const page = json.data.replicas;
    for (const { node } of page.edges) {
      if (node.state !== 'Ready' || !['ENTERPRISE', 'ENTERPRISE_PLUS'].includes(node.backupServer.edition)) continue;
      const points = node.restorePoints.edges.map((edge: { node: { id: string } }) => edge.node.id);
      if (points.length < 2) continue;
      out.push({ globalId: node.id, id: decodeGlobalID(node.id).id, name: node.name, points });
    }
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
}

/** Hands out each Ready replica once. */
export class ReplicaPool {
  #next = 0;
  constructor(private readonly replicas: ReadyVm[]) {}
  take(): ReadyVm {
    const replica = this.replicas[this.#next++];
    if (!replica) throw new Error(`only ${this.replicas.length} Ready replicas on Enterprise servers; more tests than replicas`);
    return replica;
  }
}

export type Via = 'argument' | 'header' | 'ws';

export interface FailoverCall {
  restorePointId: string;
  key?: string;
  reason?: string;
  /** How the key travels (default: the argument over HTTP). */
  via?: Via;
}

/** One `failover(vmReplica:)` call as a portal makes it; returns the payload, or throws on GraphQL errors. */
export async function failoverVm(gateway: TestGateway, clients: GraphQLClients, token: string, call: FailoverCall): Promise<any> {
  const via = call.via ?? 'argument';
  const variables: Record<string, unknown> = {
    input: { vmReplica: { restorePointId: call.restorePointId, ...(call.reason === undefined ? {} : { reason: call.reason }) } },
    ...(call.key !== undefined && via !== 'header' ? { idempotencyKey: call.key } : {}),
  };
  let result: GqlResult;
  if (via === 'ws') {
    result = await wsOnce(clients.client(token), FAILOVER, variables);
  } else {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (via === 'header' && call.key !== undefined) headers['idempotency-key'] = call.key;
    const { status, json } = await postGraphQL(gateway.url, { query: FAILOVER, variables }, headers);
    result = { status, data: json.data, errors: json.errors };
  }
  if (result.errors?.length || !result.data?.failover) throw new Error(`failover call failed: ${JSON.stringify(result.errors ?? result)}`);
  return result.data.failover;
}

/** The operations of one replica, oldest first. */
export function operationsOf(gateway: TestGateway, replica: ReadyVm) {
  return gateway.services.db.prisma.failoverOperation.findMany({ where: { replicaId: replica.id }, orderBy: { createdAt: 'asc' } });
}

/** Audit entries about one replica (`failover` decisions and `failover.end`), in chain order. */
export function auditOf(gateway: TestGateway, replica: ReadyVm) {
  return gateway.services.db.prisma.auditEntry.findMany({ where: { subjectId: replica.id }, orderBy: { seq: 'asc' } });
}

/** Failovers EM (the simulator) really started for this replica. */
export function tasksOf(gateway: TestGateway, replica: ReadyVm) {
  return gateway.simulator!.dump().tasks.filter((task) => task.displayName === replica.name);
}

/** Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The states an operation went through, as seen by polling its row every 20 ms until it ends. */
export async function watchStates(gateway: TestGateway, operationId: string, timeoutMs = 15_000): Promise<string[]> {
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await gateway.services.db.prisma.failoverOperation.findUniqueOrThrow({ where: { id: operationId } });
    if (seen.at(-1) !== row.state) seen.push(row.state);
    if (!['DISPATCHING', 'OUTCOME_UNKNOWN', 'RUNNING'].includes(row.state)) return seen;
    if (Date.now() > deadline) throw new Error(`operation ${operationId} still ${row.state} after ${timeoutMs} ms (saw ${seen.join(' → ')})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Counts values, e.g. payload typenames: { FailoverStarted: 1, FailoverInProgressError: 49 }. */
export function tally(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const value of values) out[value] = (out[value] ?? 0) + 1;
  return out;
}

/** The answers of N identical requests with one key: one operation started, the rest its replays. */
export function expectDuplicateAnswers(answers: any[], total: number): { operationId: string } {
  expect(answers).toHaveLength(total);
  expect(tally(answers.map((a) => a.__typename))).toEqual({ FailoverStarted: total });
  expect(new Set(answers.map((a) => a.operation.id)).size).toBe(1);
  expect(tally(answers.map((a) => String(a.replayed)))).toEqual({ false: 1, true: total - 1 });
  return { operationId: decodeGlobalID(answers[0].operation.id).id };
}

/** The answers of N callers racing with their own keys: one started, the others told it is in progress, naming it. */
export function expectRaceAnswers(answers: any[], total: number): { winner: any } {
  expect(answers).toHaveLength(total);
  expect(tally(answers.map((a) => a.__typename))).toEqual({ FailoverStarted: 1, FailoverInProgressError: total - 1 });
  const winner = answers.find((a) => a.__typename === 'FailoverStarted')!;
  expect(winner.replayed).toBe(false);
  for (const loser of answers.filter((a) => a !== winner)) expect(loser).toMatchObject({ code: 'FAILOVER_IN_PROGRESS', activeOperation: { id: winner.operation.id } });
  return { winner };
}

/**
 * What 50 racers on one replica must leave behind: one operation (the winner's), one
 * EM task, one ALLOW and a DENY failover.in-progress per loser, the operation ending
 * SUCCEEDED and the replica free again.
 */
export async function expectOneDispatched(gateway: TestGateway, replica: ReadyVm, answers: any[]): Promise<void> {
  const { winner } = expectRaceAnswers(answers, answers.length);
  expect(tasksOf(gateway, replica)).toHaveLength(1);
  const operations = await operationsOf(gateway, replica);
  expect(operations.map((o) => o.id)).toEqual([decodeGlobalID(winner.operation.id).id]);
  const decisions = (await auditOf(gateway, replica)).filter((entry) => entry.action === 'failover');
  expect(tally(decisions.map((entry) => `${entry.decision} ${entry.rule}`))).toEqual({ 'ALLOW admin.failover': 1, 'DENY failover.in-progress': answers.length - 1 });
  expect((await watchStates(gateway, operations[0]!.id)).at(-1)).toBe('SUCCEEDED');
  expect(await gateway.services.db.prisma.activeFailover.count({ where: { replicaId: replica.id } })).toBe(0);
}
