import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { PrismaClient } from '../../generated/prisma/client.js';

/**
 * Two counters every instance of a deployment agrees on:
 * - `policy`: bumped after every account, role or scope change and every
 *   inventory sync that changed rows; a cached policy of an older generation
 *   is never served, and cached answers are keyed by it.
 * - `data`: bumped before every invalidation of cached answers; an answer
 *   computed while one ran is not kept (see response-cache.ts).
 */
export interface Generations {
  policy: number;
  data: number;
}

export type GenerationKind = keyof Generations;

export interface ReadGenerations {
  /** The counters now; null when they cannot be known (Redis unreachable): then nothing is served from a cache. */
  read(): Promise<Generations | null>;
  /** Raises one counter, here and for every instance, before it resolves. */
  bump(kind: GenerationKind): Promise<void>;
  close(): Promise<void>;
}

/** One process's counters: the gateway on PGlite, or the only instance. */
export function createLocalGenerations(): ReadGenerations {
  const now: Generations = { policy: 0, data: 0 };
  return {
    read: async () => ({ ...now }),
    async bump(kind) {
      now[kind] += 1;
    },
    async close() {},
  };
}

export interface RedisGenerationsOptions {
  url: string;
  /** Key prefix: deployments sharing a Redis need one each. */
  prefix: string;
  instanceId: string;
  logger: Logger;
}

/**
 * Counters in Redis: read with one MGET per request, raised with INCR, so an
 * instance sees another's change on its very next request (no message in
 * flight to wait for). While Redis is unreachable `read` answers null and a
 * bump fails loudly: no instance can then tell a stale entry from a fresh one.
 */
export function createRedisGenerations({ url, prefix, instanceId, logger }: RedisGenerationsOptions): ReadGenerations {
  const keys = { policy: `${prefix}policy-generation`, data: `${prefix}data-generation` } as const;
  const redis = new Redis(url, {
    // A request must not wait for a reconnection: it reads from the database instead.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 5_000),
    connectionName: `failover-gateway:${instanceId}:read-cache`,
    // Every request reads the generations: those of concurrent requests share one write to Redis.
    enableAutoPipelining: true,
  });
  let lastError = '';
  redis.on('error', (error: Error) => {
    if (error.message !== lastError) logger.warn({ err: error }, 'redis (read cache) connection failed; caches are bypassed until it is back');
    lastError = error.message;
  });
  redis.on('ready', () => {
    lastError = '';
  });
  return {
    async read() {
      if (redis.status !== 'ready') return null;
      try {
        const [policy, data] = await redis.mget(keys.policy, keys.data);
        return { policy: Number(policy ?? 0), data: Number(data ?? 0) };
      } catch {
        return null;
      }
    },
    async bump(kind) {
      await redis.incr(keys[kind]);
    },
    async close() {
      await redis.quit().catch(() => undefined);
      redis.disconnect();
    },
  };
}

/**
 * Counters in PostgreSQL (`read_generation`), for a deployment without Redis:
 * one SELECT per request that uses a cache, one UPDATE per change, so every
 * instance on the database sees a change on its very next request, as with
 * Redis. While the database cannot be read `read` answers null (nothing is
 * served from a cache); a bump that fails, fails its change loudly.
 */
export function createPostgresGenerations(prisma: PrismaClient, logger: Logger): ReadGenerations {
  let failing = false;
  return {
    async read() {
      try {
        const rows = await prisma.$queryRaw<Array<{ kind: string; value: bigint }>>`SELECT kind, value FROM read_generation`;
        failing = false;
        const value = (kind: GenerationKind) => Number(rows.find((row) => row.kind === kind)?.value ?? 0n);
        return { policy: value('policy'), data: value('data') };
      } catch (error) {
        if (!failing) logger.warn({ err: error }, 'read cache generations unreadable in PostgreSQL; caches are bypassed until they are back');
        failing = true;
        return null;
      }
    },
    async bump(kind) {
      await prisma.$executeRaw`UPDATE read_generation SET value = value + 1 WHERE kind = ${kind}`;
    },
    async close() {},
  };
}
