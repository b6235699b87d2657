import type { Cache, CacheEntityRecord } from '@envelop/response-cache';

/** One store of cached answers in Redis, and the connection it holds. */
export interface RedisResponseStore {
  store: Cache;
  close(): Promise<void>;
}

/**
 * Answers in Redis (@envelop/response-cache-redis's layout), every key under
 * the deployment's prefix. What the library does not do, done here:
 *
 * - **Index sets expire with the answers they name.** The library's sets (type,
 *   entity, answer → entities) never expire: after their answers' TTL they
 *   stayed behind, one per answer ever cached, and Redis grew for as long as
 *   the deployment ran. Each set an answer touches now lives as long as it.
 * - **Invalidation reads only the sets it drops.** The library would walk the
 *   keyspace (`KEYS`) for a type without an id, deciding by a ':' in the key
 *   (which the prefix happens to hold); a type's own set already names every
 *   answer holding an entity of the type, so that set's members are what goes.
 */
export async function redisResponseStore(url: string, prefix: string, instanceId: string): Promise<RedisResponseStore> {
  const [{ Redis }, { createRedisCache }] = await Promise.all([import('ioredis'), import('@envelop/response-cache-redis')]);
  // Auto-pipelining: the lookups of concurrent requests share one write to Redis.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, enableAutoPipelining: true, connectionName: `failover-gateway:${instanceId}:response-cache` });
  redis.on('error', () => {
    // Reported by the generations' connection; a lookup that fails is a miss.
  });
  const answerIndexKey = (responseId: string) => `${prefix}operations:${responseId}`;
  const inner = createRedisCache({ redis, buildRedisOperationResultCacheKey: answerIndexKey }) as unknown as Cache;
  // The library keys a type's set by its bare name: prefixed here, so deployments sharing a Redis stay apart.
  const setOf = ({ typename, id }: CacheEntityRecord) => (id != null ? `${prefix}${typename}:${id}` : `${prefix}${typename}`);
  const prefixed = <T extends { typename: string }>(entities: Iterable<T>) => [...entities].map((entity) => ({ ...entity, typename: `${prefix}${entity.typename}` }));

  const store: Cache = {
    get: async (key) => {
      try {
        return await inner.get(`${prefix}${key}`);
      } catch {
        return undefined;
      }
    },
    async set(key, result, entities, ttl) {
      const responseId = `${prefix}${key}`;
      const records = [...entities];
      await inner.set(responseId, result, prefixed(records), ttl);
      if (!Number.isFinite(ttl)) return;
      const sets = new Set([answerIndexKey(responseId), ...records.flatMap((entity) => [setOf({ typename: entity.typename }), ...(entity.id != null ? [setOf(entity)] : [])])]);
      const pipeline = redis.pipeline();
      for (const set of sets) pipeline.pexpire(set, ttl);
      await pipeline.exec();
    },
    async invalidate(entities) {
      const sets = [...new Set([...entities].map(setOf))];
      if (sets.length === 0) return;
      const pipeline = redis.pipeline();
      for (const set of sets) pipeline.smembers(set);
      const members = ((await pipeline.exec()) ?? []).flatMap(([error, ids]) => {
        if (error) throw error;
        return ids as string[];
      });
      const keys = new Set(sets);
      for (const responseId of members) {
        keys.add(responseId);
        keys.add(answerIndexKey(responseId));
      }
      await redis.del([...keys]);
    },
  };
  return {
    store,
    async close() {
      await redis.quit().catch(() => undefined);
      redis.disconnect();
    },
  };
}
