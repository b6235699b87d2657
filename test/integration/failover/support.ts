import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { expect } from 'vitest';
import { GraphQLClients, startAccessGateway, TYPENAMES, type GqlResult, type Transport } from '../../support/access.js';
import type { AuditEntry } from '../../../src/generated/prisma/client.js';
import type { TestGateway } from '../../support/gateway.js';

/**
 * Helpers for the failover integration tests: a gateway whose failovers end
 * fast, a pool of replicas per kind (each handed out once, since a replica that
 * failed over is no longer Ready), the mutation and the operation reads, and
 * snapshots of everything a failover may change (simulator POSTs, operation
 * rows, audit entries), read straight from the simulator and the database.
 */

export type Kind = 'VM_REPLICA' | 'CDP_VM' | 'VCD_VAPP_REPLICA' | 'VCD_CDP_VAPP';
export const FAILOVER_KINDS: readonly Kind[] = ['VM_REPLICA', 'CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP'];

/** The FailoverInput member of each kind. */
export const MEMBER: Record<Kind, 'vmReplica' | 'cdpVmReplica' | 'vcdVAppReplica' | 'vcdCdpVAppReplica'> = {
  VM_REPLICA: 'vmReplica',
  CDP_VM: 'cdpVmReplica',
  VCD_VAPP_REPLICA: 'vcdVAppReplica',
  VCD_CDP_VAPP: 'vcdCdpVAppReplica',
};

/** The simulator route (counter key) each kind's failover POST goes to. */
export const FAILOVER_ROUTE: Record<Kind, string> = {
  VM_REPLICA: 'POST /vmReplicaPoints/{id}?action=failover',
  CDP_VM: 'POST /cdpReplicas/{id}/vms/{id}?action=failover',
  VCD_VAPP_REPLICA: 'POST /vAppReplicaPoints/{id}?action=failover',
  VCD_CDP_VAPP: 'POST /cdpReplica/vApps/{id}?action=failover',
};

export const isCdp = (kind: Kind): kind is 'CDP_VM' | 'VCD_CDP_VAPP' => kind === 'CDP_VM' || kind === 'VCD_CDP_VAPP';

/**
 * Smallest simulator inventory in which every kind has replicas on a backup
 * server below Enterprise: CDP VM policies land on the Community and Standard
 * servers only from the sixth policy on (50 VMs a policy above 100 replicas).
 */
export const EVERY_KIND_GATED_REPLICAS = '1300';

/**
 * A gateway after its first sync (demo accounts seeded) whose failovers end
 * within a second: the simulator takes SIMULATOR_FAILOVER_MS, the tracker looks
 * every FAILOVER_POLL_MS. `env` overrides any of it.
 */
export function startFailoverGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  return startAccessGateway({ SIMULATOR_REPLICAS: '120', SIMULATOR_FAILOVER_MS: '300', FAILOVER_POLL_MS: '100', ...env });
}

// ---------------------------------------------------------------------------------------------
// Documents

const OPERATION_FIELDS = `
  id kind state active progress replicaName restorePointEmId restorePointTime cdpTarget cdpPointInTime
  initiator reason emTaskId restoreSessionId result message taskState restoreSessionState replicaState lastSequence createdAt dispatchedAt finishedAt
  replica { id }`;

/** The mutation with every payload type's fields (a superset of schema/operations/failover.graphql). */
export const FAILOVER = `mutation Failover($input: FailoverInput!, $idempotencyKey: String) {
  failover(input: $input, idempotencyKey: $idempotencyKey) {
    __typename
    ... on FailoverStarted { replayed operation { ${OPERATION_FIELDS} } }
    ... on FailoverDryRun { kind rule reason restorePointEmId restorePointTime cdpTarget cdpPointInTime replica { id name } }
    ... on Error { code message }
    ... on ForbiddenError { rule }
    ... on EditionNotSupportedError { edition backupServer { id name edition } }
    ... on ReplicaNotReadyError { replicaState }
    ... on FailoverInProgressError { activeOperation: operation { id state } }
    ... on InvalidRestoreTargetError { availableFrom availableTo }
    ... on UpstreamRejectedError { emMessage }
    ... on BadUserInputError { field }
  }
}`;

export const FAILOVER_OPERATION = `query FailoverOperation($id: ID!) { failoverOperation(id: $id) { ${OPERATION_FIELDS} } }`;

export const FAILOVER_OPERATIONS = `query FailoverOperations($filter: FailoverOperationFilter, $first: Int, $after: String) {
  failoverOperations(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id kind state initiator } }
  }
}`;

// ---------------------------------------------------------------------------------------------
// Replicas

/** A replica as the database holds it, with what a failover of it needs. */
export interface FailoverReplica {
  id: string;
  globalId: string;
  kind: Kind;
  typename: string;
  name: string;
  /** EM's state at the last sync (the simulator's before any failover of this run). */
  state: string | null;
  backupServerId: string;
  edition: string;
  /** Whether the backup server's edition allows failover (Enterprise, Enterprise Plus). */
  canFailOver: boolean;
  objectRef: string | null;
  refs: string[];
  /** VM and vApp replicas: the newest restore point (database id = EM id, and global id). */
  point: { id: string; globalId: string; creationTime: Date } | null;
}

export async function readFailoverReplicas(gateway: TestGateway): Promise<FailoverReplica[]> {
  const prisma = gateway.services.db.prisma;
  const [rows, points] = await Promise.all([
    prisma.replica.findMany({ include: { backupServer: { select: { edition: true } } }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    prisma.restorePoint.findMany({ select: { id: true, replicaId: true, creationTime: true } }),
  ]);
  const newest = new Map<string, { id: string; creationTime: Date }>();
  for (const point of points) {
    const known = newest.get(point.replicaId);
    if (!known || known.creationTime < point.creationTime) newest.set(point.replicaId, point);
  }
  return rows.map((row) => {
    const point = newest.get(row.id);
    return {
      id: row.id,
      globalId: encodeGlobalID(TYPENAMES[row.kind]!, row.id),
      kind: row.kind as Kind,
      typename: TYPENAMES[row.kind]!,
      name: row.name,
      state: row.state,
      backupServerId: row.backupServerId,
      edition: row.backupServer.edition,
      canFailOver: row.backupServer.edition === 'ENTERPRISE' || row.backupServer.edition === 'ENTERPRISE_PLUS',
      objectRef: row.objectRef,
      refs: row.refs,
      point: point ? { id: point.id, globalId: encodeGlobalID('RestorePoint', point.id), creationTime: point.creationTime } : null,
    };
  });
}

export interface PoolQuery {
  /** 'failover': Enterprise or Enterprise Plus (default); 'gated': below Enterprise; 'any'. */
  edition?: 'failover' | 'gated' | 'any';
  /** Only replicas Ready at the last sync (default true). */
  ready?: boolean;
  /** Further condition. */
  where?: (replica: FailoverReplica) => boolean;
}

/** Hands out each replica at most once, so no two tests fail over (or scope) the same one. */
export class ReplicaPool {
  readonly #taken = new Set<string>();
  constructor(readonly replicas: readonly FailoverReplica[]) {}

  static async of(gateway: TestGateway): Promise<ReplicaPool> {
    return new ReplicaPool(await readFailoverReplicas(gateway));
  }

  take(kind: Kind, query: PoolQuery = {}): FailoverReplica {
    const edition = query.edition ?? 'failover';
    const found = this.replicas.find(
      (replica) =>
        !this.#taken.has(replica.id) &&
        replica.kind === kind &&
        (edition === 'any' || (edition === 'failover') === replica.canFailOver) &&
        // No API reports the state of CDP and Cloud Director replicas: unknown (null) until a failover of the gateway's sets it.
        (query.ready === false || replica.state === 'Ready' || replica.state === null) &&
        replica.objectRef !== null &&
        (!replica.point === isCdp(kind)) &&
        (query.where?.(replica) ?? true),
    );
    if (!found) throw new Error(`no free ${kind} replica (${edition}${query.ready === false ? '' : ', Ready'}) left in the inventory`);
    this.#taken.add(found.id);
    return found;
  }

  byId(id: string): FailoverReplica {
    const found = this.replicas.find((replica) => replica.id === id);
    if (!found) throw new Error(`no replica ${id}`);
    return found;
  }
}

/** Replicas an account with these scope refs sees (any ref of the replica in the scope). */
export function coveredBy(replicas: readonly FailoverReplica[], scopeRefs: readonly string[]): FailoverReplica[] {
  const scope = new Set(scopeRefs);
  return replicas.filter((replica) => replica.refs.some((ref) => scope.has(ref)));
}

// ---------------------------------------------------------------------------------------------
// The mutation

export interface MemberOptions {
  reason?: string | null;
  dryRun?: boolean;
  /** CDP kinds: the target (default: latest crash-consistent). */
  target?: Record<string, unknown>;
  /** Replace the id sent (restorePointId or replicaId). */
  id?: string;
}

/** The FailoverInput that fails this replica over (its newest restore point, or its latest crash-consistent state). */
export function failoverInput(replica: FailoverReplica, options: MemberOptions = {}): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  if (options.reason !== undefined) extra.reason = options.reason;
  if (options.dryRun !== undefined) extra.dryRun = options.dryRun;
  const member = isCdp(replica.kind)
    ? { replicaId: options.id ?? replica.globalId, target: options.target ?? { latestCrashConsistent: true }, ...extra }
    : { restorePointId: options.id ?? replica.point!.globalId, ...extra };
  return { [MEMBER[replica.kind]]: member };
}

/** Runs `failover` and returns the whole result and the payload (undefined when there is none). */
export async function runFailover(
  clients: GraphQLClients,
  transport: Transport,
  token: string | null,
  input: Record<string, unknown>,
  idempotencyKey?: string | null,
): Promise<{ result: GqlResult; payload: any }> {
  const variables: Record<string, unknown> = { input };
  if (idempotencyKey !== undefined) variables.idempotencyKey = idempotencyKey;
  const result = await clients.run(transport, token, FAILOVER, variables);
  return { result, payload: result.data?.failover };
}

/** The payload of a call that must produce one (no GraphQL errors). */
export function payloadOf(outcome: { result: GqlResult; payload: any }): any {
  expect(outcome.result.errors, JSON.stringify(outcome.result.errors)).toBeUndefined();
  expect(outcome.payload).toBeTruthy();
  return outcome.payload;
}

/** A failover operation's database id from its global id. */
export function operationDbId(globalId: string): string {
  const decoded = decodeGlobalID(globalId);
  expect(decoded.typename).toBe('FailoverOperation');
  return decoded.id;
}

// ---------------------------------------------------------------------------------------------
// Side effects: what a failover call may change, before and after

export interface Snapshot {
  failoverPosts: number;
  byRoute: Record<string, number>;
  operations: number;
  /** Highest audit seq. */
  auditSeq: bigint;
}

export async function snapshot(gateway: TestGateway): Promise<Snapshot> {
  const prisma = gateway.services.db.prisma;
  const counters = gateway.simulator!.counters;
  const [operations, last] = await Promise.all([prisma.failoverOperation.count(), prisma.auditEntry.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } })]);
  return { failoverPosts: counters.failoverPosts, byRoute: counters.byRoute, operations, auditSeq: last?.seq ?? 0n };
}

export interface Changes {
  /** Failover POSTs the simulator received since the snapshot. */
  failoverPosts: number;
  /** New failover POSTs per route. */
  routes: Record<string, number>;
  /** New failover_operation rows. */
  operations: number;
  /** New audit entries of action `failover` (decisions; `failover.end` entries come from the tracker at any time). */
  decisions: AuditEntry[];
}

export async function changesSince(gateway: TestGateway, before: Snapshot): Promise<Changes> {
  const prisma = gateway.services.db.prisma;
  const counters = gateway.simulator!.counters;
  const [operations, decisions] = await Promise.all([
    prisma.failoverOperation.count(),
    prisma.auditEntry.findMany({ where: { seq: { gt: before.auditSeq }, action: 'failover' }, orderBy: { seq: 'asc' } }),
  ]);
  const routes: Record<string, number> = {};
  for (const [route, count] of Object.entries(counters.byRoute)) {
    const delta = count - (before.byRoute[route] ?? 0);
    if (delta !== 0 && route.endsWith('?action=failover')) routes[route] = delta;
  }
  return { failoverPosts: counters.failoverPosts - before.failoverPosts, routes, operations: operations - before.operations, decisions };
}

/** Runs `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? 'a condition'}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
