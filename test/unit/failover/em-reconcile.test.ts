import { describe, expect, it } from 'vitest';
import type { EmClient, RestoreSession } from '../../../src/em/index.js';
import { createFailoverTracker } from '../../../src/failover/tracker.js';
import type { FailoverOperation } from '../../../src/failover/types.js';
import { createOperation, fileDatabase, silentLogger, storeOf } from './events-support.js';

/**
 * A failover whose answer was lost is found among EM's restore sessions of its
 * VM, created since a clock margin before it. That margin also lets in
 * sessions from just before the attempt that no operation follows (a
 * failover or undo run from the console, a finished earlier attempt), and EM
 * lists other restores of the VM too (a file-level restore, documented as
 * `FileLevelRestore`). Neither may be taken for the operation's own.
 */

const db = fileDatabase();

/** A session of the operation's VM; its id is unique to the operation (a session another operation follows is never taken). */
function sessionOf(operation: FailoverOperation, name: string, offsetMs: number, rest: Partial<RestoreSession> = {}): RestoreSession {
  const id = `${name}-${operation.id}`;
  return {
    id,
    uid: `urn:veeam:RestoreSession:${id}`,
    name: `${operation.emDisplayName}@x`,
    vmDisplayName: operation.emDisplayName,
    jobType: 'Failover',
    state: 'Working',
    progress: 30,
    creationTime: new Date(operation.createdAt.getTime() + offsetMs),
    ...rest,
  };
}

/** EM answering the session listing with `sessions`, and each session by id; nothing else is called. */
function fakeEm(sessions: RestoreSession[]): EmClient {
  return {
    findRestoreSessions: async () => sessions,
    getRestoreSession: async (id: string) => ({ ...sessions.find((session) => session.id === id)!, state: 'Stopped', result: 'Success', progress: 100 }),
  } as unknown as EmClient;
}

async function lostAnswer(): Promise<FailoverOperation> {
  const operation = await createOperation(db.prisma);
  await storeOf(db.prisma).outcomeUnknown(operation.id, 'The answer was lost', new Date());
  return db.prisma.failoverOperation.update({ where: { id: operation.id }, data: { leaseOwner: null, leaseExpiresAt: null } });
}

async function reconciledSession(sessions: (operation: FailoverOperation) => RestoreSession[]): Promise<string | null> {
  const operation = await lostAnswer();
  const tracker = createFailoverTracker({
    prisma: db.prisma,
    em: fakeEm(sessions(operation)),
    instanceId: 'reconciler',
    logger: silentLogger,
    isDispatching: () => false,
    store: storeOf(db.prisma),
    pollMs: 100,
    leaseMs: 30_000,
    reconcileGraceMs: 60_000,
  });
  await tracker.tick();
  await tracker.stop();
  const session = (await db.prisma.failoverOperation.findUniqueOrThrow({ where: { id: operation.id } })).restoreSessionId;
  return session?.replace(`-${operation.id}`, '') ?? null;
}

describe("a lost failover answer reconciled from EM's restore sessions", () => {
  it('takes the newest failover session of the VM, not one from just before the attempt', async () => {
    const own = await reconciledSession((operation) => [
      sessionOf(operation, 'own', 800),
      sessionOf(operation, 'console-undo-before', -20_000, { state: 'Stopped', result: 'Success', progress: 100 }),
    ]);
    expect(own).toBe('own');
  });

  it('never takes a restore of a documented other type, even the newest', async () => {
    const own = await reconciledSession((operation) => [
      sessionOf(operation, 'file-restore-after', 5_000, { jobType: 'FileLevelRestore' }),
      sessionOf(operation, 'vm-restore-after', 4_000, { jobType: 'RestoreVm' }),
      sessionOf(operation, 'own', 800),
    ]);
    expect(own).toBe('own');
  });

  it('takes nothing when every session of the VM is a restore of another type', async () => {
    const own = await reconciledSession((operation) => [sessionOf(operation, 'file-restore', 2_000, { jobType: 'FileLevelRestore' })]);
    expect(own).toBeNull();
  });
});
