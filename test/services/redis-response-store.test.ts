import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisResponseStore, type RedisResponseStore } from '../../src/server/plugins/redis-response-store.js';
import { redisUrl } from './failover-events-support.js';

/** Calls of one Redis command so far, from the server's own statistics. */
async function calls(redis: Redis, command: string): Promise<number> {
  const stats = await redis.info('commandstats');
  const line = stats.split('\n').find((l) => l.startsWith(`cmdstat_${command}:`));
  return Number(/calls=(\d+)/.exec(line ?? '')?.[1] ?? 0);
}

const answer = (n: number) => ({ data: { n } });
const TTL = 60_000;

describe('cached answers in Redis', () => {
  const prefix = `fg-test:${randomUUID()}:read-cache:`;
  let redis: Redis;
  let opened: RedisResponseStore;

  beforeAll(async () => {
    redis = new Redis(redisUrl);
    opened = await redisResponseStore(redisUrl, prefix, 'test');
    // The store does not queue commands while it connects (a request would wait, and a cache write is dropped):
    // write once it takes writes.
    for (let attempt = 0; !(await redis.exists(`${prefix}warm`)); attempt += 1) {
      if (attempt > 100) throw new Error('the store never connected');
      await opened.store.set('warm', answer(0), [], TTL);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  afterAll(async () => {
    const left = await redis.keys(`${prefix}*`);
    if (left.length > 0) await redis.del(left);
    await opened?.close();
    await redis?.quit();
  });

  it('drops every answer holding a type, and only those, without walking the keyspace', async () => {
    const { store } = opened;
    await store.set('a', answer(1), [{ typename: 'FailoverOperation', id: 'op-1' }], TTL);
    await store.set('b', answer(2), [{ typename: 'FailoverOperation', id: 'op-2' }, { typename: 'VmReplica', id: 'r-1' }], TTL);
    await store.set('c', answer(3), [{ typename: 'VmReplica', id: 'r-2' }], TTL);
    expect(await store.get('a')).toEqual(answer(1));

    const keysBefore = await calls(redis, 'keys');
    const scansBefore = await calls(redis, 'scan');
    await store.invalidate([{ typename: 'FailoverOperation' }]);
    expect(await calls(redis, 'keys')).toBe(keysBefore);
    expect(await calls(redis, 'scan')).toBe(scansBefore);

    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('c')).toEqual(answer(3));
  });

  it('drops the answers holding one entity', async () => {
    const { store } = opened;
    await store.set('d', answer(4), [{ typename: 'VmReplica', id: 'r-3' }], TTL);
    await store.invalidate([{ typename: 'VmReplica', id: 'r-2' }]);
    expect(await store.get('c')).toBeUndefined();
    expect(await store.get('d')).toEqual(answer(4));
  });

  it('gives every index set it touches the lifetime of the answer', async () => {
    const { store } = opened;
    await store.set('e', answer(5), [{ typename: 'BackupServer', id: 's-1' }], TTL);
    for (const key of [`${prefix}BackupServer`, `${prefix}BackupServer:s-1`, `${prefix}operations:${prefix}e`]) {
      const ttl = await redis.pttl(key);
      expect(ttl, key).toBeGreaterThan(0);
      expect(ttl, key).toBeLessThanOrEqual(TTL);
    }
  });
});
