import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createLocalEventBus } from '../../../src/failover/event-bus.js';
import { createEventHub } from '../../../src/failover/event-hub.js';
import { applyMigrations, openDatabase, type Database } from '../../../src/db/index.js';
import type { PrismaClient } from '../../../src/generated/prisma/client.js';
import { createAuditLog, type AuditEntryInput } from '../../../src/audit/index.js';
import { createOperationStore, type OperationDraft, type OperationStore } from '../../../src/failover/operation-store.js';
import type { FailoverEvent } from '../../../src/failover/events.js';
import type { FailoverOperation } from '../../../src/failover/types.js';

/**
 * Helpers for the failover event tests: one migrated in-memory PGlite per
 * file, replicas and operations created the way the gateway creates them
 * (the operation store's claim), events compared without their timestamps.
 */

export const silentLogger = pino({ level: 'silent' });

export async function migratedDatabase(): Promise<Database> {
  const db = await openDatabase({ dataDir: 'memory://' });
  await applyMigrations(db);
  return db;
}

/**
 * The file's database: opened (migrated) before its tests, closed after them.
 * `prisma` is read when a test runs, so helpers built at the top of the file
 * may hold the returned object.
 */
export function fileDatabase(): { readonly prisma: PrismaClient } {
  let db: Database | undefined;
  beforeAll(async () => {
    db = await migratedDatabase();
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });
  return {
    get prisma() {
      if (!db) throw new Error('the test database is opened in beforeAll: use it inside a hook or a test');
      return db.prisma;
    },
  };
}

const SERVER_ID = 'urn:veeam:BackupServer:00000000-0000-4000-8000-0000000000aa';

/** A fresh replica (and its backup server, once) to fail over. */
export async function createReplica(prisma: PrismaClient, kind: FailoverOperation['kind'] = 'VM_REPLICA'): Promise<string> {
  await prisma.backupServer.upsert({
    where: { id: SERVER_ID },
    update: {},
    create: { id: SERVER_ID, emId: '00000000-0000-4000-8000-0000000000aa', name: 'vbr-1', edition: 'ENTERPRISE_PLUS', contentHash: 'h' },
  });
  const id = randomUUID();
  await prisma.replica.create({
    data: { id, emKey: `key/${id}`, kind, name: `replica ${id}`, platform: 'VMware', backupServerId: SERVER_ID, refs: [], contentHash: 'h', syncedAt: new Date() },
  });
  return id;
}

type OperationOptions = { kind?: FailoverOperation['kind']; initiator?: string; idempotencyKey?: string | null; now?: Date };

/** A new operation in DISPATCHING on a new replica, as the failover service claims it. */
export async function createOperation(prisma: PrismaClient, options: OperationOptions = {}): Promise<FailoverOperation> {
  const draft = operationDraft(await createReplica(prisma, options.kind ?? 'VM_REPLICA'), options);
  const claim = await storeOf(prisma).claim(draft, { instanceId: 'gw-test', leaseMs: 30_000 }, options.now ?? new Date(), allowedEntry);
  if (claim.type !== 'claimed') throw new Error(`test setup: claim ${claim.type}`);
  return claim.operation;
}

/** What the failover service would claim for a failover of `replicaId`. */
export function operationDraft(replicaId: string, options: OperationOptions = {}): OperationDraft {
  const kind = options.kind ?? 'VM_REPLICA';
  return {
    action: 'FAILOVER',
    kind,
    replicaId,
    replicaEmKey: `key/${replicaId}`,
    replicaName: `replica ${replicaId}`,
    emDisplayName: `vm-${replicaId}`,
    backupServerId: SERVER_ID,
    restorePointId: null,
    restorePointTime: null,
    cdpTarget: null,
    cdpTargetAt: null,
    upstreamPointId: null,
    parameters: null,
    initiatorSubject: options.initiator ?? 'operator',
    initiatorGroups: ['ops'],
    initiatorRoles: ['RESTORE_OPERATOR'],
    callerReason: null,
    requestId: null,
    idempotencyKey: options.idempotencyKey ?? null,
    idempotencyExpiresAt: options.idempotencyKey ? new Date(Date.now() + 86_400_000) : null,
    requestHash: 'hash',
  };
}

/** Updates watched columns of the operation: one new event per call. Returns the row as it now is. */
export function change(prisma: PrismaClient, id: string, data: Partial<Pick<FailoverOperation, 'state' | 'progress' | 'taskState' | 'sessionState' | 'result' | 'message' | 'replicaState'>>) {
  return prisma.failoverOperation.update({ where: { id }, data: { ...data, updatedAt: new Date() } });
}

/** Moves the operation to RUNNING and then through `steps` progress values; returns the newest row. */
export async function runTo(prisma: PrismaClient, id: string, steps: number[]): Promise<FailoverOperation> {
  let row = await change(prisma, id, { state: 'RUNNING', taskState: 'Running' });
  for (const progress of steps) row = await change(prisma, id, { progress });
  return row;
}

/** The sequences of events, for order assertions. */
export const sequences = (events: ReadonlyArray<Pick<FailoverEvent, 'sequence'>>): number[] => events.map((e) => e.sequence);

/** Resolves once `predicate` holds, polling every few milliseconds; rejects after `ms`. */
export async function until(predicate: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets pending promise callbacks and a few database round trips run. */
export const settle = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Event hubs on an in-process bus for the tests of one file, each closed after
 * its test. The periodic catch-up is off (an hour) unless a test asks for it.
 */
export function eventHubs(prisma: () => PrismaClient) {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const hub of open.splice(0)) await hub.close();
  });
  return (catchUpMs = 3_600_000) => {
    const bus = createLocalEventBus();
    const hub = createEventHub({ prisma: prisma(), bus, logger: silentLogger, catchUpMs });
    open.push({
      async close() {
        hub.close();
        await bus.close();
      },
    });
    return { hub, bus };
  };
}

/** The client with its `$queryRaw` statements counted (they still run). */
export function countingRawQueries(prisma: PrismaClient): { prisma: PrismaClient; count: () => number } {
  let calls = 0;
  const counted = new Proxy(prisma, {
    get(target, prop) {
      if (prop === '$queryRaw') {
        return (...args: unknown[]) => {
          calls += 1;
          return (target.$queryRaw as (...a: unknown[]) => Promise<unknown>)(...args);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as PrismaClient;
  return { prisma: counted, count: () => calls };
}

/** The operation store as the gateway builds it: its claims and ends recorded in a real audit log on `prisma`. */
export function storeOf(prisma: PrismaClient, publish: (operation: FailoverOperation) => void = () => undefined): OperationStore {
  return createOperationStore({ prisma, audit: createAuditLog({ prisma }), publish });
}

/** The ALLOW entry a test claim commits with. */
export const allowedEntry = (operation: Pick<FailoverOperation, 'id' | 'initiatorSubject' | 'replicaEmKey'>): AuditEntryInput => ({
  actor: { subject: operation.initiatorSubject },
  action: 'failover',
  subject: { type: 'Replica', id: operation.replicaEmKey },
  decision: 'ALLOW',
  rule: 'test',
  details: { operationId: operation.id },
});

/** The actions the audit log holds for one operation, in chain order. */
export async function auditedActions(prisma: PrismaClient, operationId: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<Array<{ action: string }>>`SELECT action FROM audit_entry WHERE details->>'operationId' = ${operationId} ORDER BY seq`;
  return rows.map((row) => row.action);
}
