import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Database } from '../db/index.js';

/** How often a running gateway proves it is alive. */
const HEARTBEAT_MS = 15_000;

export interface InstanceRegistration {
  /** This process's id; later the owner of tracker leases. */
  id: string;
  /** Stops the heartbeat and removes the row (a crashed instance's row just stops beating). */
  close(): Promise<void>;
}

/**
 * Records this gateway process in GatewayInstance and keeps its heartbeat
 * fresh, so instances sharing one PostgreSQL can tell live peers from dead ones.
 */
function newInstanceId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** An id without a row: for a gateway whose schema is not migrated yet. */
export function unregisteredInstance(): InstanceRegistration {
  return { id: newInstanceId(), close: async () => undefined };
}

export async function registerInstance(db: Database, version: string, logger: Logger): Promise<InstanceRegistration> {
  const id = newInstanceId();
  await db.prisma.gatewayInstance.create({ data: { id, hostname: hostname(), pid: process.pid, version } });
  const timer = setInterval(() => {
    db.prisma.gatewayInstance
      .update({ where: { id }, data: { heartbeatAt: new Date() } })
      .catch((error: unknown) => logger.warn({ err: error }, 'instance heartbeat failed'));
  }, HEARTBEAT_MS);
  timer.unref();
  return {
    id,
    async close() {
      clearInterval(timer);
      await db.prisma.gatewayInstance.deleteMany({ where: { id } });
    },
  };
}
