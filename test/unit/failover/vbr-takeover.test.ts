import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFailoverTracker } from '../../../src/failover/tracker.js';
import type { OperationDraft } from '../../../src/failover/operation-store.js';
import type { FailoverOperation } from '../../../src/failover/types.js';
import type { PrismaClient } from '../../../src/generated/prisma/client.js';
import type { VbrClient, VbrSessionModel } from '../../../src/vbr/index.js';
import { allowedEntry, auditedActions, createReplica, fileDatabase, silentLogger, storeOf } from './events-support.js';

/**
 * A lifecycle operation whose owner lost its lease in the middle of a look:
 * its call to the backup server took longer than the lease (a slow server,
 * a long batch), another instance took the operation over and ended it, and
 * then the first one's answer arrives. What the first one writes then must
 * not reopen the ended operation, add events after its final one, or record
 * its end a second time. Two trackers on one database, each with a backup
 * server client of its own whose answers the test controls.
 */

const db = fileDatabase();
const VM = 'vm-takeover';

/** A session of the undo as VBR reports it. */
const session = (id: string, state: 'Working' | 'Stopped', progressPercent: number): VbrSessionModel => ({
  id,
  name: VM,
  sessionType: 'UndoFailover',
  state,
  progressPercent,
  creationTime: new Date(),
  ...(state === 'Stopped' ? { endTime: new Date(), result: { result: 'Success', message: 'Success' } } : { result: { result: 'None' } }),
});

/** A backup server client answering listSessions and getSession with what `answers` says when asked; nothing else is called. */
function fakeVbr(answers: { sessions: () => Promise<VbrSessionModel[]>; session: () => Promise<VbrSessionModel> }): VbrClient {
  return {
    async *listSessions() {
      yield await answers.sessions();
    },
    getSession: () => answers.session(),
    // No VBR replica id is stored for the replica: the tracker never reads points here.
    async *listReplicaPoints() {},
  } as unknown as VbrClient;
}

/** A promise the test resolves, and one that says the call waiting on it has arrived. */
function gate() {
  let open!: () => void;
  let arrived!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (arrived = resolve));
  return { open, reached, wait: async () => (arrived(), opened) };
}

function trackerOf(prisma: PrismaClient, instanceId: string, leaseMs: number, client: VbrClient) {
  return createFailoverTracker({
    prisma,
    em: {} as never,
    vbrFor: () => client,
    instanceId,
    logger: silentLogger,
    isDispatching: () => false,
    store: storeOf(prisma),
    pollMs: 100,
    leaseMs,
    reconcileGraceMs: 60_000,
  });
}

/** An undo failover on a new replica, claimed and left in `state` without an owner. */
async function undoOperation(prisma: PrismaClient, state: 'OUTCOME_UNKNOWN' | 'RUNNING', sessionId: string): Promise<FailoverOperation> {
  const replicaId = await createReplica(prisma);
  const replica = await prisma.replica.findUniqueOrThrow({ where: { id: replicaId } });
  const draft: OperationDraft = {
    action: 'UNDO_FAILOVER',
    kind: 'VM_REPLICA',
    replicaId,
    replicaEmKey: replica.emKey,
    replicaName: replica.name,
    emDisplayName: VM,
    backupServerId: replica.backupServerId,
    restorePointId: null,
    restorePointTime: null,
    cdpTarget: null,
    cdpTargetAt: null,
    upstreamPointId: randomUUID(),
    parameters: null,
    initiatorSubject: 'admin',
    initiatorGroups: [],
    initiatorRoles: ['PORTAL_ADMINISTRATOR'],
    callerReason: null,
    requestId: null,
    idempotencyKey: null,
    idempotencyExpiresAt: null,
    requestHash: 'hash',
  };
  const store = storeOf(prisma);
  const claim = await store.claim(draft, { instanceId: 'dispatcher', leaseMs: 30_000 }, new Date(), allowedEntry);
  if (claim.type !== 'claimed') throw new Error(`test setup: claim ${claim.type}`);
  const id = claim.operation.id;
  if (state === 'OUTCOME_UNKNOWN') await store.outcomeUnknown(id, 'The answer was lost', new Date());
  else await store.running({ id, accepted: { taskId: null, taskState: null, sessionId, sessionState: 'Working' }, at: new Date(), sequence: claim.operation.sequence });
  return prisma.failoverOperation.update({ where: { id }, data: { leaseOwner: null, leaseExpiresAt: null } });
}

const states = async (prisma: PrismaClient, id: string) => (await prisma.failoverEvent.findMany({ where: { operationId: id }, orderBy: { sequence: 'asc' } })).map((e) => e.state);
const ENDED = ['SUCCEEDED', 'WARNING', 'FAILED', 'NOT_STARTED'];

describe('a VBR lifecycle operation taken over while its first owner still waits for the backup server', () => {
  it('lost answer: the first owner\'s late reconciliation does not reopen what the new owner reconciled and ended', async () => {
    const prisma = db.prisma;
    const sessionId = randomUUID();
    const operation = await undoOperation(prisma, 'OUTCOME_UNKNOWN', sessionId);

    // A's listing of the server's sessions takes longer than its lease.
    const slow = gate();
    const a = trackerOf(prisma, 'instance-a', 500, fakeVbr({ sessions: async () => (await slow.wait(), [session(sessionId, 'Working', 40)]), session: async () => session(sessionId, 'Stopped', 100) }));
    const aLook = a.tick();
    await slow.reached;
    await new Promise((resolve) => setTimeout(resolve, 700));

    // B takes it over, finds the session, follows it to its end.
    const b = trackerOf(prisma, 'instance-b', 60_000, fakeVbr({ sessions: async () => [session(sessionId, 'Working', 40)], session: async () => session(sessionId, 'Stopped', 100) }));
    await b.tick();
    const ended = await prisma.failoverOperation.findUniqueOrThrow({ where: { id: operation.id } });
    expect(ended).toMatchObject({ state: 'SUCCEEDED', restoreSessionId: sessionId, leaseOwner: null });
    const before = await states(prisma, operation.id);
    expect(before.at(-1)).toBe('SUCCEEDED');

    // A's answer arrives now.
    slow.open();
    await aLook;
    const after = await prisma.failoverOperation.findUniqueOrThrow({ where: { id: operation.id } });
    expect(after).toMatchObject({ state: 'SUCCEEDED', sequence: ended.sequence, finishedAt: ended.finishedAt, leaseOwner: null });
    // The final event stays the last, and the only one in an ended state.
    const all = await states(prisma, operation.id);
    expect(all).toEqual(before);
    expect(all.filter((s) => ENDED.includes(s))).toEqual(['SUCCEEDED']);
    expect(await auditedActions(prisma, operation.id)).toEqual(['failover', 'undoFailover.end']);
    expect(await prisma.activeFailover.count({ where: { operationId: operation.id } })).toBe(0);
  });

  it('running: the first owner\'s late end is not recorded a second time', async () => {
    const prisma = db.prisma;
    const sessionId = randomUUID();
    const operation = await undoOperation(prisma, 'RUNNING', sessionId);

    const slow = gate();
    const a = trackerOf(prisma, 'instance-a', 500, fakeVbr({ sessions: async () => [], session: async () => (await slow.wait(), session(sessionId, 'Stopped', 100)) }));
    const aLook = a.tick();
    await slow.reached;
    await new Promise((resolve) => setTimeout(resolve, 700));

    const b = trackerOf(prisma, 'instance-b', 60_000, fakeVbr({ sessions: async () => [], session: async () => session(sessionId, 'Stopped', 100) }));
    await b.tick();
    const ended = await prisma.failoverOperation.findUniqueOrThrow({ where: { id: operation.id } });
    expect(ended.state).toBe('SUCCEEDED');

    slow.open();
    await aLook;
    const after = await prisma.failoverOperation.findUniqueOrThrow({ where: { id: operation.id } });
    expect(after).toMatchObject({ state: 'SUCCEEDED', sequence: ended.sequence, finishedAt: ended.finishedAt });
    expect((await states(prisma, operation.id)).filter((s) => ENDED.includes(s))).toEqual(['SUCCEEDED']);
    expect(await auditedActions(prisma, operation.id)).toEqual(['failover', 'undoFailover.end']);
  });
  it('running: the first owner\'s late look does not send the progress back below what the new owner saw', async () => {
    const prisma = db.prisma;
    const sessionId = randomUUID();
    const operation = await undoOperation(prisma, 'RUNNING', sessionId);

    const slow = gate();
    const a = trackerOf(prisma, 'instance-a', 500, fakeVbr({ sessions: async () => [], session: async () => (await slow.wait(), session(sessionId, 'Working', 40)) }));
    const aLook = a.tick();
    await slow.reached;
    await new Promise((resolve) => setTimeout(resolve, 700));

    const b = trackerOf(prisma, 'instance-b', 60_000, fakeVbr({ sessions: async () => [], session: async () => session(sessionId, 'Working', 60) }));
    await b.tick();
    expect(await prisma.failoverOperation.findUniqueOrThrow({ where: { id: operation.id } })).toMatchObject({ progress: 60, leaseOwner: 'instance-b' });

    slow.open();
    await aLook;
    const after = await prisma.failoverOperation.findUniqueOrThrow({ where: { id: operation.id } });
    expect(after).toMatchObject({ state: 'RUNNING', progress: 60, leaseOwner: 'instance-b' });
    const progress = (await prisma.failoverEvent.findMany({ where: { operationId: operation.id }, orderBy: { sequence: 'asc' } })).map((e) => e.progress);
    expect(progress, 'progress never goes back').toEqual([...progress].sort((x, y) => x - y));
  });
});
