import { randomUUID } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenIdentity } from '../../../src/auth/index.js';
import { REASON, RULE } from '../../../src/policy/index.js';
import {
  createAccount,
  expectedFor,
  GraphQLClients,
  readAccounts,
  readInventory,
  tokenSigner,
  wsCloseCode,
  type GqlResult,
  type Transport,
} from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';
import {
  changesSince,
  coveredBy,
  eventually,
  EVERY_KIND_GATED_REPLICAS,
  FAILOVER,
  FAILOVER_KINDS,
  FAILOVER_OPERATION,
  FAILOVER_OPERATIONS,
  FAILOVER_ROUTE,
  failoverInput,
  MEMBER,
  isCdp,
  operationDbId,
  payloadOf,
  ReplicaPool,
  runFailover,
  snapshot,
  startFailoverGateway,
  type Changes,
  type FailoverReplica,
  type Kind,
} from './support.js';

/**
 * The failover matrix against a real gateway (HTTP and graphql-ws, embedded
 * simulator and PGlite): every kind for every role, every kind denied for
 * every reason, dry runs, malformed input, and the operations read back. Each
 * call is checked against what it may change: the simulator's failover POSTs,
 * failover_operation rows and audit entries, read from the simulator's
 * counters and the database. Every success uses its own Ready replica (one
 * that failed over is no longer Ready), handed out by a ReplicaPool.
 */

type Role = 'admin' | 'operator' | 'portal-user';
const ROLES: readonly Role[] = ['admin', 'operator', 'portal-user'];

/** Subject, roles and deciding rule of each role's principal. The restricted ones are this file's own accounts. */
const PRINCIPALS: Record<Role, { subject: string; roles: string[]; rule: string }> = {
  admin: { subject: 'admin', roles: ['PORTAL_ADMINISTRATOR'], rule: RULE.adminFailover },
  operator: { subject: 'fo-operator', roles: ['RESTORE_OPERATOR'], rule: RULE.scopeFailover },
  'portal-user': { subject: 'fo-portal-user', roles: ['PORTAL_USER'], rule: RULE.scopeFailover },
};
const NARROW_ADMIN = { subject: 'fo-admin-vm-only', groups: ['fo-admins-vm-only'] };
const noKind = (kind: Kind) => `fo-no-${kind.toLowerCase()}`;

let gateway: TestGateway;
let clients: GraphQLClients;
let pool: ReplicaPool;
const tokens = new Map<string, string>();

/** Replicas picked at start, per purpose. */
const picks = {
  success: {} as Record<Role, Record<Kind, FailoverReplica>>,
  dryRun: {} as Record<Kind, FailoverReplica>,
  forbidden: {} as Record<Kind, FailoverReplica>,
  narrowAdmin: {} as Record<Kind, FailoverReplica>,
  gatedAdmin: {} as Record<Kind, FailoverReplica>,
  gatedOperator: {} as Record<Kind, FailoverReplica>,
  outOfScope: {} as Record<Kind, FailoverReplica>,
  bad: {} as Record<Kind, FailoverReplica>,
  /** CDP kinds: a Ready replica a rolled-over impossible moment would have failed over. */
  impossibleMoment: {} as Record<Kind, FailoverReplica>,
  /** CDP kinds: with and without an application-consistent state. */
  appConsistent: {} as Record<Kind, { with: FailoverReplica; without: FailoverReplica }>,
};
/** Scope refs of the restricted accounts this file creates. */
const scopes = new Map<string, string[]>();

/** Operations started by the matrix, for the read-back tests. */
const started: Array<{ role: Role; kind: Kind; replica: FailoverReplica; globalId: string; dbId: string; reason: string }> = [];

const transportOf = (i: number): Transport => (i % 2 === 0 ? 'http' : 'ws');
const token = (subject: string) => {
  const value = tokens.get(subject);
  if (!value) throw new Error(`no token for ${subject}`);
  return value;
};
const run = (transport: Transport, subject: string | null, query: string, variables?: Record<string, unknown>) =>
  clients.run(transport, subject === null ? null : token(subject), query, variables);

beforeAll(async () => {
  // Enough replicas that CDP VMs too sit on a Community or Standard server (see EVERY_KIND_GATED_REPLICAS).
  gateway = await startFailoverGateway({ SIMULATOR_REPLICAS: EVERY_KIND_GATED_REPLICAS });
  clients = new GraphQLClients(gateway);
  pool = await ReplicaPool.of(gateway);
  // What the gateway judges latestApplicationConsistent by: an application-consistent long-term point, or EM's flag.
  const prisma = gateway.services.db.prisma;
  const appConsistent = new Set([
    ...(await prisma.cdpLongTermPoint.findMany({ where: { applicationConsistent: true }, select: { replicaId: true } })).map((row) => row.replicaId),
    ...(await prisma.replica.findMany({ where: { hasApplicationConsistentState: true }, select: { id: true } })).map((row) => row.id),
  ]);
  for (const role of ROLES) picks.success[role] = {} as Record<Kind, FailoverReplica>;
  for (const kind of FAILOVER_KINDS) {
    for (const role of ROLES) picks.success[role][kind] = pool.take(kind);
    picks.dryRun[kind] = pool.take(kind);
    picks.forbidden[kind] = pool.take(kind);
    picks.narrowAdmin[kind] = pool.take(kind);
    picks.gatedAdmin[kind] = pool.take(kind, { edition: 'gated' });
    picks.gatedOperator[kind] = pool.take(kind, { edition: 'gated' });
    picks.outOfScope[kind] = pool.take(kind);
    picks.bad[kind] = pool.take(kind);
    if (isCdp(kind)) picks.impossibleMoment[kind] = pool.take(kind);
    if (isCdp(kind)) picks.appConsistent[kind] = { with: pool.take(kind, { where: (r) => appConsistent.has(r.id) }), without: pool.take(kind, { where: (r) => !appConsistent.has(r.id) }) };
  }
  const refsOf = (replicas: FailoverReplica[]) => replicas.map((replica) => replica.objectRef!);
  scopes.set('fo-operator', refsOf([...Object.values(picks.success.operator), ...Object.values(picks.dryRun), ...Object.values(picks.gatedOperator)]));
  scopes.set('fo-portal-user', refsOf(Object.values(picks.success['portal-user'])));
  await createAccount(gateway, { type: 'USER', name: 'fo-operator', roles: ['RESTORE_OPERATOR'], scope: scopes.get('fo-operator')! });
  await createAccount(gateway, { type: 'USER', name: 'fo-portal-user', roles: ['PORTAL_USER'], scope: scopes.get('fo-portal-user')! });
  for (const kind of FAILOVER_KINDS) {
    scopes.set(noKind(kind), refsOf([picks.forbidden[kind]]));
    await createAccount(gateway, {
      type: 'USER',
      name: noKind(kind),
      roles: ['RESTORE_OPERATOR'],
      scope: scopes.get(noKind(kind))!,
      allowedKinds: FAILOVER_KINDS.filter((other) => other !== kind),
    });
  }
  await createAccount(gateway, { type: 'GROUP', name: NARROW_ADMIN.groups[0]!, roles: ['PORTAL_ADMINISTRATOR'], scope: [], allowedKinds: ['VM_REPLICA'] });
  const signer = tokenSigner(gateway);
  const identities: TokenIdentity[] = [
    ...['admin', 'operator', 'portal-user', 'nobody', 'fo-operator', 'fo-portal-user', ...FAILOVER_KINDS.map(noKind)].map((subject) => ({ subject, groups: [] })),
    NARROW_ADMIN,
  ];
  for (const identity of identities) tokens.set(identity.subject, await signer.sign(identity));
}, 60_000);

afterAll(async () => {
  await clients?.close();
  await gateway?.stop();
});

describe('the picks fit the matrix', () => {
  it('scopes cover exactly the picked replicas, on the editions each test needs', () => {
    const all = pool.replicas;
    const operatorSees = coveredBy(all, scopes.get('fo-operator')!).map((replica) => replica.id).sort();
    expect(operatorSees).toEqual([...Object.values(picks.success.operator), ...Object.values(picks.dryRun), ...Object.values(picks.gatedOperator)].map((replica) => replica.id).sort());
    const portalUserSees = coveredBy(all, scopes.get('fo-portal-user')!).map((replica) => replica.id).sort();
    expect(portalUserSees).toEqual(Object.values(picks.success['portal-user']).map((replica) => replica.id).sort());
    for (const kind of FAILOVER_KINDS) {
      expect(picks.gatedAdmin[kind].canFailOver).toBe(false);
      expect(['STANDARD', 'COMMUNITY']).toContain(picks.gatedOperator[kind].edition);
      // Only VM replicas have a state any API reports; the others are unknown (null) until a failover sets it.
      const ready = kind === 'VM_REPLICA' ? 'Ready' : null;
      for (const role of ROLES) expect(picks.success[role][kind]).toMatchObject({ kind, state: ready, canFailOver: true });
      expect(picks.outOfScope[kind]).toMatchObject({ state: ready, canFailOver: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------

const TARGET = `query Target($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Replica { name kind }
    ... on VmReplica { restorePoints(first: 1) { edges { node { id emId } } } }
    ... on VcdVAppReplica { restorePoints(first: 1) { edges { node { id emId } } } }
  }
}`;

/** The id a portal would send, as the caller reads it: the newest restore point, or the CDP replica itself. */
async function targetIdAs(transport: Transport, subject: string, replica: FailoverReplica): Promise<string> {
  const result = await run(transport, subject, TARGET, { id: replica.globalId });
  expect(result.errors).toBeUndefined();
  const node = result.data.node;
  expect(node).toMatchObject({ __typename: replica.typename, id: replica.globalId, name: replica.name, kind: replica.kind });
  if (isCdp(replica.kind)) return node.id;
  expect(node.restorePoints.edges[0].node).toEqual({ id: replica.point!.globalId, emId: replica.point!.id });
  return node.restorePoints.edges[0].node.id;
}

/** The one audit decision a refused call wrote, checked. */
function expectOneDecision(changes: Changes, expected: { subject: string | null; decision: 'ALLOW' | 'DENY'; rule: string; callerReason: string | null; details?: Record<string, unknown> }) {
  expect(changes.decisions, JSON.stringify(changes.decisions, (_, v) => (typeof v === 'bigint' ? String(v) : v))).toHaveLength(1);
  const entry = changes.decisions[0]!;
  expect(entry).toMatchObject({ actorSubject: expected.subject, action: 'failover', decision: expected.decision, rule: expected.rule, callerReason: expected.callerReason });
  if (expected.details) expect(entry.details).toMatchObject(expected.details);
  return entry;
}

function expectNothingSent(changes: Changes) {
  expect(changes.failoverPosts).toBe(0);
  expect(changes.routes).toEqual({});
  expect(changes.operations).toBe(0);
}

// ---------------------------------------------------------------------------------------------

describe('every kind fails over for every role', () => {
  const cases = ROLES.flatMap((role, r) => FAILOVER_KINDS.map((kind, k) => ({ role, kind, transport: transportOf(r + k) })));

  it.each(cases)('$role fails over a $kind over $transport', async ({ role, kind, transport }) => {
    const principal = PRINCIPALS[role];
    const replica = picks.success[role][kind];
    const id = await targetIdAs(transport, principal.subject, replica);
    const reason = `  matrix: ${role} fails over ${replica.name}\tfor a test  `;
    const before = await snapshot(gateway);
    const payload = payloadOf(await runFailover(clients, transport, token(principal.subject), failoverInput(replica, { reason, id })));
    const changes = await changesSince(gateway, before);

    expect(payload.__typename, JSON.stringify(payload)).toBe('FailoverStarted');
    expect(payload.replayed).toBe(false);
    const operation = payload.operation;
    expect(['RUNNING', 'SUCCEEDED']).toContain(operation.state);
    expect(operation.active).toBe(operation.state === 'RUNNING');
    expect(operation).toMatchObject({
      kind,
      initiator: principal.subject,
      reason: reason.trim(),
      replicaName: replica.name,
      restorePointEmId: replica.point?.id ?? null,
      cdpTarget: isCdp(kind) ? 'LATEST_CRASH_CONSISTENT' : null,
      cdpPointInTime: null,
      replica: { id: replica.globalId },
    });
    if (replica.point) expect(new Date(operation.restorePointTime).getTime()).toBe(replica.point.creationTime.getTime());
    else expect(operation.restorePointTime).toBeNull();
    expect(operation.emTaskId).toBeTruthy();
    expect(operation.restoreSessionId).toBeTruthy();
    expect(Date.parse(operation.dispatchedAt)).toBeGreaterThanOrEqual(Date.parse(operation.createdAt));

    // Exactly one POST, to this kind's endpoint; one operation; one audit decision naming it.
    expect(changes.failoverPosts).toBe(1);
    expect(changes.routes).toEqual({ [FAILOVER_ROUTE[kind]]: 1 });
    expect(changes.operations).toBe(1);
    const dbId = operationDbId(operation.id);
    const entry = expectOneDecision(changes, {
      subject: principal.subject,
      decision: 'ALLOW',
      rule: principal.rule,
      callerReason: reason.trim(),
      details: { operationId: dbId, kind, dryRun: false },
    });
    expect(entry).toMatchObject({ actorRoles: principal.roles, actorGroups: [], subjectType: 'Replica', subjectId: replica.id });
    const row = await gateway.services.db.prisma.failoverOperation.findUniqueOrThrow({ where: { id: dbId } });
    expect(row).toMatchObject({ kind, replicaId: replica.id, initiatorSubject: principal.subject, initiatorRoles: principal.roles, callerReason: reason.trim() });
    expect(row.requestId).toBe(entry.requestId);

    // Read back: the initiator and an administrator see it; restricted callers without it in scope and no-role callers do not.
    for (const reader of [principal.subject, 'admin']) {
      const read = await run(transportOf(0), reader, FAILOVER_OPERATION, { id: operation.id });
      expect(read.errors).toBeUndefined();
      expect(read.data.failoverOperation).toMatchObject({ id: operation.id, kind, initiator: principal.subject, reason: reason.trim(), emTaskId: operation.emTaskId });
    }
    const outsiders = ['fo-operator', 'fo-portal-user', 'nobody'].filter((subject) => subject !== principal.subject);
    for (const outsider of outsiders) {
      if (scopes.has(outsider)) expect(coveredBy([replica], scopes.get(outsider)!)).toEqual([]);
      const read = await run(transportOf(1), outsider, FAILOVER_OPERATION, { id: operation.id });
      expect(read.errors).toBeUndefined();
      expect(read.data.failoverOperation, outsider).toBeNull();
    }
    started.push({ role, kind, replica, globalId: operation.id, dbId, reason: reason.trim() });
  });
});

// ---------------------------------------------------------------------------------------------

/** A made-up global id of the same type as the replica's target id. */
const madeUpId = (replica: FailoverReplica) => encodeGlobalID(isCdp(replica.kind) ? replica.typename : 'RestorePoint', randomUUID());

describe('every kind denied, before anything reaches EM', () => {
  const scoped = FAILOVER_KINDS.flatMap((kind, k) =>
    (['fo-operator', 'fo-portal-user'] as const).map((subject, s) => ({ kind, subject, transport: transportOf(k + s) })),
  );

  it.each(scoped)('$kind out of $subject\'s scope: NotFoundError, exactly as for an unknown id ($transport)', async ({ kind, subject, transport }) => {
    const replica = picks.outOfScope[kind];
    expect(coveredBy([replica], scopes.get(subject)!)).toEqual([]);
    const reason = `out of scope: ${kind}`;
    const madeUp = madeUpId(replica);
    const before = await snapshot(gateway);
    const hidden = payloadOf(await runFailover(clients, transport, token(subject), failoverInput(replica, { reason })));
    const unknown = payloadOf(await runFailover(clients, transport, token(subject), failoverInput(replica, { reason, id: madeUp })));
    const changes = await changesSince(gateway, before);

    expect(hidden).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND', message: expect.any(String) });
    expect(unknown).toEqual(hidden);
    expectNothingSent(changes);
    // Only the audit log tells the two apart.
    expect(changes.decisions).toHaveLength(2);
    expect(changes.decisions[0]).toMatchObject({
      actorSubject: subject,
      decision: 'DENY',
      rule: RULE.noRule,
      callerReason: reason,
      subjectType: 'Replica',
      subjectId: replica.id,
      details: { code: 'NOT_FOUND', kind, dryRun: false },
    });
    expect(changes.decisions[1]).toMatchObject({
      actorSubject: subject,
      decision: 'DENY',
      rule: 'inventory.unknown',
      callerReason: reason,
      subjectType: isCdp(kind) ? 'Replica' : 'RestorePoint',
      details: { code: 'NOT_FOUND', kind },
    });

    // The refusal is the scope's: an administrator may fail this very replica over (dry run).
    const admin = payloadOf(await runFailover(clients, transport, token('admin'), failoverInput(replica, { dryRun: true })));
    expect(admin).toMatchObject({ __typename: 'FailoverDryRun', kind, rule: RULE.adminFailover, replica: { id: replica.globalId } });
  });

  const forbidden = [
    ...FAILOVER_KINDS.map((kind, k) => ({ kind, subject: noKind(kind), who: 'a Restore Operator whose account excludes the kind', transport: transportOf(k) })),
    ...FAILOVER_KINDS.filter((kind) => kind !== 'VM_REPLICA').map((kind, k) => ({ kind, subject: NARROW_ADMIN.subject, who: 'an administrator (group) allowed VM replicas only', transport: transportOf(k + 1) })),
  ];

  it.each(forbidden)('$kind for $who: ForbiddenError ($transport)', async ({ kind, subject, transport }) => {
    const replica = subject === NARROW_ADMIN.subject ? picks.narrowAdmin[kind] : picks.forbidden[kind];
    // Visible to the caller (so the refusal is not NOT_FOUND), and the kind is not among its allowed ones.
    const id = await targetIdAs(transport, subject, replica);
    const viewer = await run(transport, subject, '{ viewer { allowedKinds } }');
    expect(viewer.data.viewer.allowedKinds).not.toContain(kind);
    const reason = `forbidden: ${kind}`;
    const before = await snapshot(gateway);
    const payload = payloadOf(await runFailover(clients, transport, token(subject), failoverInput(replica, { reason, id })));
    const changes = await changesSince(gateway, before);

    expect(payload).toEqual({ __typename: 'ForbiddenError', code: 'FORBIDDEN', rule: RULE.noRule, message: expect.stringMatching(/^None of your accounts may start .* failovers$/) });
    expectNothingSent(changes);
    expectOneDecision(changes, { subject, decision: 'DENY', rule: RULE.noRule, callerReason: reason, details: { code: 'FORBIDDEN', kind } });
  });

  const gated = FAILOVER_KINDS.flatMap((kind, k) => (['admin', 'fo-operator'] as const).map((subject, s) => ({ kind, subject, transport: transportOf(k + s + 1) })));

  it.each(gated)('$kind on a server below Enterprise, for $subject: EditionNotSupportedError ($transport)', async ({ kind, subject, transport }) => {
    const replica = subject === 'admin' ? picks.gatedAdmin[kind] : picks.gatedOperator[kind];
    const id = await targetIdAs(transport, subject, replica);
    const reason = `edition: ${kind}`;
    const before = await snapshot(gateway);
    const payload = payloadOf(await runFailover(clients, transport, token(subject), failoverInput(replica, { reason, id })));
    const changes = await changesSince(gateway, before);

    expect(payload).toEqual({
      __typename: 'EditionNotSupportedError',
      code: 'EDITION_NOT_SUPPORTED',
      message: REASON.editionBelowEnterprise(replica.edition as 'STANDARD' | 'COMMUNITY'),
      edition: replica.edition,
      backupServer: { id: encodeGlobalID('BackupServer', replica.backupServerId), name: expect.any(String), edition: replica.edition },
    });
    expectNothingSent(changes);
    expectOneDecision(changes, { subject, decision: 'DENY', rule: RULE.editionBelowEnterprise, callerReason: reason, details: { code: 'EDITION_NOT_SUPPORTED', kind } });
    // Dry runs are refused the same way.
    const dry = payloadOf(await runFailover(clients, transport, token(subject), failoverInput(replica, { id, dryRun: true })));
    expect(dry.__typename).toBe('EditionNotSupportedError');
  });
});

// ---------------------------------------------------------------------------------------------

describe('dry run: decided and audited, nothing sent', () => {
  it.each(FAILOVER_KINDS.map((kind, k) => ({ kind, transport: transportOf(k) })))('$kind by a Restore Operator in scope ($transport)', async ({ kind, transport }) => {
    const replica = picks.dryRun[kind];
    const id = await targetIdAs(transport, 'fo-operator', replica);
    // One kind without a reason: it is optional here.
    const reason = kind === 'VM_REPLICA' ? undefined : `dry run: ${kind}`;
    const before = await snapshot(gateway);
    const payload = payloadOf(await runFailover(clients, transport, token('fo-operator'), failoverInput(replica, { reason, id, dryRun: true }), `dry-${kind}`));
    const changes = await changesSince(gateway, before);

    expect(payload).toEqual({
      __typename: 'FailoverDryRun',
      kind,
      rule: RULE.scopeFailover,
      reason: REASON.scopeFailover,
      restorePointEmId: replica.point?.id ?? null,
      restorePointTime: replica.point ? expect.any(String) : null,
      cdpTarget: isCdp(kind) ? 'LATEST_CRASH_CONSISTENT' : null,
      cdpPointInTime: null,
      replica: { id: replica.globalId, name: replica.name },
    });
    if (replica.point) expect(Date.parse(payload.restorePointTime)).toBe(replica.point.creationTime.getTime());
    expectNothingSent(changes);
    // A dry run does not take the idempotency key.
    expectOneDecision(changes, { subject: 'fo-operator', decision: 'ALLOW', rule: RULE.scopeFailover, callerReason: reason ?? null, details: { dryRun: true, kind, idempotencyKey: null } });
    expect(changes.decisions[0]!.details).not.toHaveProperty('operationId');
  });
});

// ---------------------------------------------------------------------------------------------

describe('bad input: a clear error, nothing changed', () => {
  const hour = 3_600_000;
  /** Both CDP kinds, one over each transport. */
  const CDP_KINDS_OVER = [
    { kind: 'CDP_VM' as Kind, transport: 'http' as Transport },
    { kind: 'VCD_CDP_VAPP' as Kind, transport: 'ws' as Transport },
  ];

  /** Every moment of the replica's CDP history in the inventory (range bounds, long-term points), in ms. */
  async function cdpHistory(replica: FailoverReplica): Promise<number[]> {
    const prisma = gateway.services.db.prisma;
    const [ranges, points] = await Promise.all([prisma.cdpRange.findMany({ where: { replicaId: replica.id } }), prisma.cdpLongTermPoint.findMany({ where: { replicaId: replica.id } })]);
    return [...ranges.flatMap((range) => [range.start.getTime(), range.end.getTime()]), ...points.map((point) => point.date.getTime())];
  }

  it('two members or none of FailoverInput, or of the CDP target: GraphQL validation errors, nothing run', async () => {
    const vm = picks.bad.VM_REPLICA;
    const cdp = picks.bad.CDP_VM;
    const both = { ...failoverInput(vm), ...failoverInput(cdp) };
    const cases: Array<{ transport: Transport; query: string; variables?: Record<string, unknown> }> = [
      { transport: 'http', query: FAILOVER, variables: { input: both } },
      { transport: 'ws', query: FAILOVER, variables: { input: both } },
      { transport: 'http', query: FAILOVER, variables: { input: {} } },
      { transport: 'ws', query: FAILOVER, variables: { input: { vmReplica: null } } },
      { transport: 'http', query: FAILOVER, variables: { input: { cdpVmReplica: { replicaId: cdp.globalId, target: { latestCrashConsistent: true, pointInTime: new Date().toISOString() } } } } },
      { transport: 'ws', query: FAILOVER, variables: { input: { cdpVmReplica: { replicaId: cdp.globalId, target: {} } } } },
      {
        transport: 'http',
        query: `mutation { failover(input: { vmReplica: { restorePointId: ${JSON.stringify(vm.point!.globalId)} }, cdpVmReplica: { replicaId: ${JSON.stringify(cdp.globalId)}, target: { latestCrashConsistent: true } } }) { __typename } }`,
      },
      { transport: 'ws', query: 'mutation { failover(input: {}) { __typename } }' },
    ];
    for (const c of cases) {
      const before = await snapshot(gateway);
      const result = await run(c.transport, 'admin', c.query, c.variables);
      const changes = await changesSince(gateway, before);
      const label = JSON.stringify(c);
      expect(result.data?.failover, label).toBeUndefined();
      expect(result.errors?.length, label).toBeGreaterThan(0);
      expect(result.errors!.map((error) => error.message).join('\n'), label).toMatch(/exactly one key|must be non-null/i);
      if (c.transport === 'http') expect(result.status, label).toBe(400);
      // A literal document fails validation; a variable fails coercion, which the gateway codes BAD_USER_INPUT.
      const codes = new Set(result.errors!.map((error) => error.extensions?.code));
      expect([...codes], label).toEqual([c.variables ? 'BAD_USER_INPUT' : 'GRAPHQL_VALIDATION_FAILED']);
      expectNothingSent(changes);
      // Refused before any resolver ran: no decision to audit.
      expect(changes.decisions, label).toEqual([]);
    }
  });

  interface BadCase {
    label: string;
    subject?: string;
    input: () => Record<string, unknown>;
    idempotencyKey?: string;
    /** The payload expected (toMatchObject). */
    payload: () => Record<string, unknown>;
    rule: string;
    /** The reason the caller sent and the one the audit entry records (null when the reason is what was refused). */
    callerReason: string | null;
  }

  const reason = 'bad input test';
  const badInput = (field: string) => ({ __typename: 'BadUserInputError', code: 'BAD_USER_INPUT', field, message: expect.any(String) });
  const cases: BadCase[] = [
    {
      label: 'malformed restore point id',
      input: () => ({ vmReplica: { restorePointId: 'not a global id', reason } }),
      payload: () => badInput('vmReplica.restorePointId'),
      rule: 'validation.malformed-id',
      callerReason: reason,
    },
    {
      label: 'malformed CDP replica id',
      input: () => ({ vcdCdpVAppReplica: { replicaId: '!!!', target: { latestCrashConsistent: true }, reason } }),
      payload: () => badInput('vcdCdpVAppReplica.replicaId'),
      rule: 'validation.malformed-id',
      callerReason: reason,
    },
    {
      label: 'a VmReplica id as cdpVmReplica.replicaId',
      input: () => failoverInput(picks.bad.CDP_VM, { reason, id: picks.bad.VM_REPLICA.globalId }),
      payload: () => badInput('cdpVmReplica.replicaId'),
      rule: 'validation.wrong-id-type',
      callerReason: reason,
    },
    {
      label: 'a CdpVmReplica id as vcdCdpVAppReplica.replicaId',
      input: () => failoverInput(picks.bad.VCD_CDP_VAPP, { reason, id: picks.bad.CDP_VM.globalId }),
      payload: () => badInput('vcdCdpVAppReplica.replicaId'),
      rule: 'validation.wrong-id-type',
      callerReason: reason,
    },
    {
      label: 'a replica id as vmReplica.restorePointId',
      input: () => failoverInput(picks.bad.VM_REPLICA, { reason, id: picks.bad.VM_REPLICA.globalId }),
      payload: () => badInput('vmReplica.restorePointId'),
      rule: 'validation.wrong-id-type',
      callerReason: reason,
    },
    {
      label: 'a vApp restore point as vmReplica',
      input: () => ({ vmReplica: { restorePointId: picks.bad.VCD_VAPP_REPLICA.point!.globalId, reason } }),
      payload: () => badInput('vmReplica'),
      rule: 'validation.wrong-kind',
      callerReason: reason,
    },
    {
      label: 'a VM restore point as vcdVAppReplica',
      input: () => ({ vcdVAppReplica: { restorePointId: picks.bad.VM_REPLICA.point!.globalId, reason } }),
      payload: () => badInput('vcdVAppReplica'),
      rule: 'validation.wrong-kind',
      callerReason: reason,
    },
    {
      label: 'a CDP point in time an hour in the future',
      input: () => failoverInput(picks.bad.CDP_VM, { reason, target: { pointInTime: new Date(Date.now() + hour).toISOString() } }),
      payload: () => badInput('cdpVmReplica.target.pointInTime'),
      rule: 'validation.point-in-time-future',
      callerReason: reason,
    },
    {
      label: 'latestCrashConsistent: false',
      input: () => failoverInput(picks.bad.CDP_VM, { reason, target: { latestCrashConsistent: false } }),
      payload: () => badInput('cdpVmReplica.target.latestCrashConsistent'),
      rule: 'validation.target-flag-false',
      callerReason: reason,
    },
    {
      label: 'latestApplicationConsistent: false (vApp)',
      input: () => failoverInput(picks.bad.VCD_CDP_VAPP, { reason, target: { latestApplicationConsistent: false } }),
      payload: () => badInput('vcdCdpVAppReplica.target.latestApplicationConsistent'),
      rule: 'validation.target-flag-false',
      callerReason: reason,
    },
    {
      label: 'a reason with a control character',
      input: () => failoverInput(picks.bad.VM_REPLICA, { reason: 'planned\u0007test' }),
      payload: () => badInput('vmReplica.reason'),
      rule: 'validation.reason-characters',
      callerReason: null,
    },
    {
      label: 'a reason with a bidirectional override',
      input: () => failoverInput(picks.bad.VCD_VAPP_REPLICA, { reason: 'approved by \u202Eevil' }),
      payload: () => badInput('vcdVAppReplica.reason'),
      rule: 'validation.reason-characters',
      callerReason: null,
    },
    {
      label: 'a reason of 1001 characters',
      input: () => failoverInput(picks.bad.CDP_VM, { reason: 'r'.repeat(1001) }),
      payload: () => badInput('cdpVmReplica.reason'),
      rule: 'validation.reason-too-long',
      callerReason: null,
    },
    {
      label: 'an idempotency key with spaces',
      input: () => failoverInput(picks.bad.VM_REPLICA, { reason }),
      idempotencyKey: 'not a key',
      payload: () => badInput('idempotencyKey'),
      rule: 'validation.idempotency-key-malformed',
      callerReason: reason,
    },
    {
      label: 'an idempotency key of 256 characters',
      input: () => failoverInput(picks.bad.VCD_CDP_VAPP, { reason }),
      idempotencyKey: 'k'.repeat(256),
      payload: () => badInput('idempotencyKey'),
      rule: 'validation.idempotency-key-malformed',
      callerReason: reason,
    },
    {
      label: 'an empty idempotency key',
      input: () => failoverInput(picks.bad.VCD_VAPP_REPLICA, { reason }),
      idempotencyKey: '',
      payload: () => badInput('idempotencyKey'),
      rule: 'validation.idempotency-key-malformed',
      callerReason: reason,
    },
    {
      label: 'a CdpVmReplica global id holding no UUID',
      input: () => failoverInput(picks.bad.CDP_VM, { reason, id: encodeGlobalID('CdpVmReplica', 'no-such-replica') }),
      payload: () => badInput('cdpVmReplica.replicaId'),
      rule: 'validation.malformed-id',
      callerReason: reason,
    },
    {
      label: 'a RestorePoint global id holding no UUID',
      subject: 'fo-operator',
      input: () => ({ vcdVAppReplica: { restorePointId: encodeGlobalID('RestorePoint', 'no-such-point'), reason } }),
      payload: () => badInput('vcdVAppReplica.restorePointId'),
      rule: 'validation.malformed-id',
      callerReason: reason,
    },
  ];

  it.each(cases.map((c, i) => ({ ...c, transport: transportOf(i) })))('$label: refused and audited ($transport)', async (c) => {
    const subject = c.subject ?? 'admin';
    const before = await snapshot(gateway);
    const payload = payloadOf(await runFailover(clients, c.transport, token(subject), c.input(), c.idempotencyKey));
    const changes = await changesSince(gateway, before);
    expect(payload).toEqual(c.payload());
    expectNothingSent(changes);
    expectOneDecision(changes, { subject, decision: 'DENY', rule: c.rule, callerReason: c.callerReason, details: { code: payload.code } });
  });

  it.each(CDP_KINDS_OVER)('$kind: a point in time that does not exist (24:00, Feb 30) is a GraphQL error naming it, nothing dispatched ($transport)', async ({ kind, transport }) => {
    const replica = picks.impossibleMoment[kind];
    const moments = await cdpHistory(replica);
    const newest = new Date(Math.max(...moments));
    // 24:00 of the day before the newest replicated moment: rolled over, that is the newest day's midnight, inside the history.
    const dayBefore = new Date(newest.getTime() - 24 * hour).toISOString().slice(0, 10);
    const rolled = `${newest.toISOString().slice(0, 10)}T00:00:00Z`;
    expect(Math.min(...moments)).toBeLessThanOrEqual(Date.parse(rolled));
    const impossible = [`${dayBefore}T24:00:00Z`, `${newest.getUTCFullYear()}-02-30T00:00:00Z`, `${dayBefore}T10:00:60Z`];
    for (const at of impossible) {
      const before = await snapshot(gateway);
      const { result, payload } = await runFailover(clients, transport, token('admin'), failoverInput(replica, { reason, target: { pointInTime: at } }));
      const changes = await changesSince(gateway, before);
      expect(payload, at).toBeUndefined();
      expect(result.errors?.map((error) => error.extensions?.code), at).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.message, at).toContain(at);
      if (transport === 'http') expect(result.status, at).toBe(400);
      expectNothingSent(changes);
      // Refused while the variables were coerced, before any resolver ran: no decision to audit.
      expect(changes.decisions, at).toEqual([]);
    }
    // The same replica and moment, written as it exists, would be taken (dry run).
    const ok = payloadOf(await runFailover(clients, transport, token('admin'), failoverInput(replica, { target: { pointInTime: rolled }, dryRun: true })));
    expect(ok).toMatchObject({ __typename: 'FailoverDryRun', cdpPointInTime: new Date(rolled).toISOString() });
  });

  it.each(CDP_KINDS_OVER)('$kind: a point in time before the CDP history is InvalidRestoreTargetError with the history\'s bounds ($transport)', async ({ kind, transport }) => {
    const replica = picks.bad[kind];
    const moments = await cdpHistory(replica);
    expect(moments.length).toBeGreaterThan(0);
    const oldest = Math.min(...moments);
    const at = new Date(oldest - 24 * hour).toISOString();
    const before = await snapshot(gateway);
    const payload = payloadOf(await runFailover(clients, transport, token('admin'), failoverInput(replica, { reason, target: { pointInTime: at } })));
    const changes = await changesSince(gateway, before);
    expect(payload).toEqual({ __typename: 'InvalidRestoreTargetError', code: 'INVALID_RESTORE_TARGET', message: expect.stringContaining(at), availableFrom: expect.any(String), availableTo: expect.any(String) });
    expect(Date.parse(payload.availableFrom)).toBe(oldest);
    expect(Date.parse(payload.availableTo)).toBe(Math.max(...moments));
    expectNothingSent(changes);
    expectOneDecision(changes, { subject: 'admin', decision: 'DENY', rule: 'upstream.invalid-restore-target', callerReason: reason, details: { code: 'INVALID_RESTORE_TARGET', kind, cdpTarget: 'pointInTime', cdpTargetAt: at } });
    // Inside the history, the same replica is fine (dry run).
    const inside = new Date(Math.max(...moments) - 60_000).toISOString();
    const ok = payloadOf(await runFailover(clients, transport, token('admin'), failoverInput(replica, { target: { pointInTime: inside }, dryRun: true })));
    expect(ok).toMatchObject({ __typename: 'FailoverDryRun', cdpTarget: 'POINT_IN_TIME', cdpPointInTime: inside });
  });

  it.each([
    { kind: 'CDP_VM' as Kind, transport: 'ws' as Transport },
    { kind: 'VCD_CDP_VAPP' as Kind, transport: 'http' as Transport },
  ])('$kind: latestApplicationConsistent needs an application-consistent state ($transport)', async ({ kind, transport }) => {
    const { with: good, without: bad } = picks.appConsistent[kind];
    const target = { latestApplicationConsistent: true };
    const before = await snapshot(gateway);
    const refused = payloadOf(await runFailover(clients, transport, token('admin'), failoverInput(bad, { reason, target })));
    const changes = await changesSince(gateway, before);
    expect(refused).toEqual({ __typename: 'InvalidRestoreTargetError', code: 'INVALID_RESTORE_TARGET', message: expect.any(String), availableFrom: expect.any(String), availableTo: expect.any(String) });
    expectNothingSent(changes);
    expectOneDecision(changes, { subject: 'admin', decision: 'DENY', rule: 'upstream.invalid-restore-target', callerReason: reason, details: { cdpTarget: 'latestApplicationConsistent' } });
    const ok = payloadOf(await runFailover(clients, transport, token('admin'), failoverInput(good, { target, dryRun: true })));
    expect(ok).toMatchObject({ __typename: 'FailoverDryRun', kind, cdpTarget: 'LATEST_APPLICATION_CONSISTENT', replica: { id: good.globalId } });
  });

  it('a reason of exactly 1000 characters is accepted (dry run)', async () => {
    const long = 'x'.repeat(1000);
    const before = await snapshot(gateway);
    const payload = payloadOf(await runFailover(clients, 'http', token('admin'), failoverInput(picks.bad.VM_REPLICA, { reason: long, dryRun: true })));
    const changes = await changesSince(gateway, before);
    expect(payload.__typename).toBe('FailoverDryRun');
    expectNothingSent(changes);
    expectOneDecision(changes, { subject: 'admin', decision: 'ALLOW', rule: RULE.adminFailover, callerReason: long, details: { dryRun: true } });
  });

  describe('without a valid token: UNAUTHENTICATED, nothing written', () => {
    const expectNothingAtAll = (changes: Changes) => {
      expectNothingSent(changes);
      expect(changes.decisions).toEqual([]);
    };
    const unauthenticated = (result: GqlResult) => {
      expect(result.data?.failover ?? null).toBeNull();
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    };

    it.each(['http', 'ws'] as const)('no token over %s', async (transport) => {
      const before = await snapshot(gateway);
      const { result } = await runFailover(clients, transport, null, failoverInput(picks.bad.VM_REPLICA, { reason }));
      unauthenticated(result);
      if (transport === 'http') expect(result.status).toBe(401);
      expectNothingAtAll(await changesSince(gateway, before));
    });

    it('an expired token over HTTP: 401', async () => {
      const expired = await tokenSigner(gateway).custom({ subject: 'admin', expiresAt: Math.floor(Date.now() / 1000) - 3600 });
      const before = await snapshot(gateway);
      const { result } = await runFailover(clients, 'http', expired, failoverInput(picks.bad.VM_REPLICA, { reason }));
      unauthenticated(result);
      expect(result.status).toBe(401);
      expectNothingAtAll(await changesSince(gateway, before));
    });

    it('an expired token over graphql-ws: the socket is refused (4403) before any operation', async () => {
      const expired = await tokenSigner(gateway).custom({ subject: 'admin', expiresAt: Math.floor(Date.now() / 1000) - 3600 });
      const before = await snapshot(gateway);
      const ran: GqlResult[] = [];
      const closed = await wsCloseCode(clients.wsUrl, { authorization: `Bearer ${expired}` }, async (socket) => {
        ran.push(await socket.request(`mutation { failover(input: { vmReplica: { restorePointId: ${JSON.stringify(picks.bad.VM_REPLICA.point!.globalId)} } }) { __typename } }`));
        socket.close();
      });
      expect(closed).toEqual({ code: 4403, opened: false });
      expect(ran).toEqual([]);
      expectNothingAtAll(await changesSince(gateway, before));
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('operations read back', () => {
  it('failoverOperations lists, newest first, exactly the operations each principal may see', async () => {
    expect(started).toHaveLength(ROLES.length * FAILOVER_KINDS.length);
    const prisma = gateway.services.db.prisma;
    const [rows, inventory, accounts] = await Promise.all([
      prisma.failoverOperation.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
      readInventory(gateway),
      readAccounts(gateway),
    ]);
    expect(rows.map((row) => row.id).sort()).toEqual(started.map((op) => op.dbId).sort());
    const principals = ['admin', 'fo-operator', 'fo-portal-user', 'operator', 'portal-user', 'nobody', noKind('CDP_VM')];
    for (const [i, subject] of principals.entries()) {
      const expected = expectedFor(inventory, accounts, { subject, groups: [] });
      const visible = new Set(expected.replicas.map((replica) => replica.id));
      const hasRole = expected.roles.length > 0;
      const want = rows
        .filter((row) => hasRole && (expected.scopeAll || (row.replicaId !== null && visible.has(row.replicaId)) || row.initiatorSubject === subject))
        .map((row) => encodeGlobalID('FailoverOperation', row.id));
      const result = await run(transportOf(i), subject, FAILOVER_OPERATIONS, { first: 50 });
      expect(result.errors, subject).toBeUndefined();
      const connection = result.data.failoverOperations;
      expect(connection.edges.map((edge: { node: { id: string } }) => edge.node.id), subject).toEqual(want);
      expect(connection.totalCount, subject).toBe(want.length);
      expect(connection.pageInfo.hasNextPage).toBe(false);
    }
    // The three roles each see something, and the restricted ones less than everything.
    const counts = Object.fromEntries(
      await Promise.all(
        ['fo-operator', 'fo-portal-user'].map(async (subject) => [subject, (await run('http', subject, FAILOVER_OPERATIONS, { first: 50 })).data.failoverOperations.totalCount]),
      ),
    );
    expect(counts).toEqual({ 'fo-operator': FAILOVER_KINDS.length, 'fo-portal-user': FAILOVER_KINDS.length });
  });

  it('filters by initiator and kind, and pages', async () => {
    const admin = (variables: Record<string, unknown>) => run('ws', 'admin', FAILOVER_OPERATIONS, variables);
    const mine = await admin({ filter: { initiator: 'fo-portal-user' }, first: 50 });
    expect(mine.data.failoverOperations.edges.map((edge: { node: { id: string } }) => edge.node.id).sort()).toEqual(
      started.filter((op) => op.role === 'portal-user').map((op) => op.globalId).sort(),
    );
    const cdp = await admin({ filter: { kinds: ['CDP_VM'] }, first: 50 });
    expect(cdp.data.failoverOperations.totalCount).toBe(ROLES.length);
    expect(cdp.data.failoverOperations.edges.every((edge: { node: { kind: string } }) => edge.node.kind === 'CDP_VM')).toBe(true);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: GqlResult = await admin({ first: 5, after });
      seen.push(...page.data.failoverOperations.edges.map((edge: { node: { id: string } }) => edge.node.id));
      if (!page.data.failoverOperations.pageInfo.hasNextPage) break;
      after = page.data.failoverOperations.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual(started.map((op) => op.globalId).sort());
  });

  it('failoverOperation of an id that is not an operation: null for a made-up one, BAD_USER_INPUT for another type, never an internal error', async () => {
    for (const [i, subject] of ['admin', 'fo-operator'].entries()) {
      const unknown = await run(transportOf(i), subject, FAILOVER_OPERATION, { id: encodeGlobalID('FailoverOperation', randomUUID()) });
      expect(unknown).toMatchObject({ data: { failoverOperation: null } });
      expect(unknown.errors).toBeUndefined();
      const wrongType = await run(transportOf(i), subject, FAILOVER_OPERATION, { id: picks.bad.VM_REPLICA.globalId });
      expect(wrongType.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      // Any id this gateway could have given out decodes to a UUID; one that does not is simply not found.
      const notUuid = await run(transportOf(i), subject, FAILOVER_OPERATION, { id: encodeGlobalID('FailoverOperation', 'no-such-operation') });
      expect(notUuid.errors?.map((error) => error.extensions?.code) ?? [], JSON.stringify(notUuid.errors)).not.toContain('INTERNAL_SERVER_ERROR');
      expect(notUuid.data?.failoverOperation ?? null).toBeNull();
    }
  });

  it('every operation reaches SUCCEEDED, is audited as ended, and leaves its replica no longer Ready', async () => {
    const finished = await Promise.all(
      started.map((op) =>
        eventually(
          async () => {
            const result = await run('http', PRINCIPALS[op.role].subject, FAILOVER_OPERATION, { id: op.globalId });
            const operation = result.data?.failoverOperation;
            return operation && !operation.active ? operation : undefined;
          },
          { timeoutMs: 20_000, intervalMs: 150, what: `operation ${op.globalId} to end` },
        ),
      ),
    );
    for (const [i, operation] of finished.entries()) {
      expect(operation, started[i]!.kind).toMatchObject({ state: 'SUCCEEDED', active: false, progress: 100, result: 'Success', message: 'Ok', reason: started[i]!.reason });
      // The replica's state in EM after the failover, read when it ended.
      expect(operation.replicaState, started[i]!.kind).toBe('Failover');
      expect(Date.parse(operation.finishedAt)).toBeGreaterThanOrEqual(Date.parse(operation.dispatchedAt));
    }
    const prisma = gateway.services.db.prisma;
    const ends = await prisma.auditEntry.findMany({ where: { action: 'failover.end' } });
    for (const op of started) {
      const mine = ends.filter((entry) => (entry.details as { operationId?: string } | null)?.operationId === op.dbId);
      expect(mine, op.dbId).toHaveLength(1);
      expect(mine[0]).toMatchObject({ actorSubject: null, decision: 'ALLOW', subjectType: 'Replica', subjectId: op.replica.id, details: { state: 'SUCCEEDED', result: 'Success', initiator: PRINCIPALS[op.role].subject, kind: op.kind } });
    }
    expect(await prisma.activeFailover.count()).toBe(0);

    // Failed over: the next failover of each is refused by EM's state, before anything is sent.
    for (const [k, kind] of FAILOVER_KINDS.entries()) {
      const op = started.find((candidate) => candidate.kind === kind)!;
      const before = await snapshot(gateway);
      const payload = payloadOf(await runFailover(clients, transportOf(k), token(PRINCIPALS[op.role].subject), failoverInput(op.replica, { reason: 'again' })));
      const changes = await changesSince(gateway, before);
      expect(payload).toEqual({ __typename: 'ReplicaNotReadyError', code: 'REPLICA_NOT_READY', message: expect.any(String), replicaState: 'Failover' });
      expectNothingSent(changes);
      expectOneDecision(changes, { subject: PRINCIPALS[op.role].subject, decision: 'DENY', rule: 'upstream.replica-not-ready', callerReason: 'again' });
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('FAILOVER_REASON_REQUIRED=true', () => {
  let strict: TestGateway;
  let strictClients: GraphQLClients;
  let strictPool: ReplicaPool;
  let adminToken: string;

  beforeAll(async () => {
    strict = await startFailoverGateway({ SIMULATOR_REPLICAS: '40', FAILOVER_REASON_REQUIRED: 'true' });
    strictClients = new GraphQLClients(strict);
    strictPool = await ReplicaPool.of(strict);
    adminToken = await tokenSigner(strict).sign({ subject: 'admin', groups: [] });
  }, 60_000);

  afterAll(async () => {
    await strictClients?.close();
    await strict?.stop();
  });

  it.each(
    FAILOVER_KINDS.flatMap((kind, k) => [
      { kind, reason: undefined, transport: transportOf(k) },
      { kind, reason: ' \t ', transport: transportOf(k + 1) },
    ]),
  )('$kind without a reason ($reason): BadUserInputError on reason, audited ($transport)', async ({ kind, reason, transport }) => {
    const replica = strictPool.take(kind);
    const before = await snapshot(strict);
    const payload = payloadOf(await runFailover(strictClients, transport, adminToken, failoverInput(replica, { reason })));
    const changes = await changesSince(strict, before);
    const field = `${MEMBER[kind]}.reason`;
    expect(payload).toEqual({ __typename: 'BadUserInputError', code: 'BAD_USER_INPUT', field, message: expect.any(String) });
    expectNothingSent(changes);
    expectOneDecision(changes, { subject: 'admin', decision: 'DENY', rule: 'validation.reason-required', callerReason: null, details: { code: 'BAD_USER_INPUT', field } });
    // A dry run needs one too.
    const dry = payloadOf(await runFailover(strictClients, transport, adminToken, failoverInput(replica, { reason, dryRun: true })));
    expect(dry).toMatchObject({ __typename: 'BadUserInputError', field });
  });

  it('with a reason the failover starts', async () => {
    const replica = strictPool.take('VM_REPLICA');
    const before = await snapshot(strict);
    const payload = payloadOf(await runFailover(strictClients, 'http', adminToken, failoverInput(replica, { reason: 'required and given' })));
    const changes = await changesSince(strict, before);
    expect(payload).toMatchObject({ __typename: 'FailoverStarted', operation: { reason: 'required and given', initiator: 'admin' } });
    expect(changes.failoverPosts).toBe(1);
    expect(changes.operations).toBe(1);
    expectOneDecision(changes, { subject: 'admin', decision: 'ALLOW', rule: RULE.adminFailover, callerReason: 'required and given' });
  });
});
