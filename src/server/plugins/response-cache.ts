import { createHash, randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { createInMemoryCache, useResponseCache, type Cache, type CacheEntityRecord } from '@envelop/response-cache';
import type { Plugin } from 'graphql-yoga';
import type { Counter } from 'prom-client';
import type { GatewayContext } from '../../graphql/context.js';
import { policyFingerprint } from '../../policy/index.js';
import type { Generations, ReadGenerations } from './read-cache-generations.js';

/**
 * Fields whose answers are never cached: the audit log and its check (every
 * read must see the newest entries), `explain` (an administrator asks about
 * now), `viewer` (it names the caller and its token's expiry, which the
 * effective policy leaves out) and `gateway` (the instance that answers).
 */
export const UNCACHED_FIELDS = ['Query.auditLog', 'Query.verifyAuditLog', 'Query.explain', 'Query.viewer', 'Query.gateway'] as const;

/** A backstop: exact invalidation does the real work. */
const ENTRY_TTL_MS = 10 * 60_000;

export interface ResponseCacheOptions {
  /** The entries: in this process, or in Redis when instances share one (@envelop/response-cache-redis). */
  store: Cache;
  generations: ReadGenerations;
  /** Lookups by result: hit, miss, bypass (no effective policy known: no token, or Redis away). */
  lookups: Counter<'result'>;
  /**
   * Keep a copy of the answers this process read or wrote, served while the
   * data generation has not moved since (for a store in Redis: a hit then
   * costs no second round trip and no parse). Default: false.
   */
  localCopies?: boolean;
}

/**
 * The scope-aware response cache (@envelop/response-cache): read queries only
 * (the library never caches mutations or subscriptions), keyed by the
 * document, the variables and the caller's effective policy, never the token.
 *
 * An answer computed while an invalidation ran could be older than the
 * invalidation and must not be kept: the `data` generation read when the
 * request started is compared before the entry is written and again after
 * (invalidators raise it before they invalidate), and a changed generation
 * skips or undoes the write.
 */
export interface ScopedResponseCache {
  plugin: Plugin;
  /** Drops every cached answer holding one of these entities, on every instance sharing the store. */
  invalidate(entities: Iterable<CacheEntityRecord>): Promise<void>;
}

export function createScopedResponseCache({ store, generations, lookups, localCopies = false }: ResponseCacheOptions): ScopedResponseCache {
  // Keyed like the store (the key holds the policy fingerprint, and so the policy generation); valid for one data generation.
  const copies = localCopies ? new LRUCache<string, { data: number; result: Awaited<ReturnType<Cache['get']>> & object }>({ max: 1_000 }) : null;
  const fingerprints = new WeakMap<object, Promise<string | null>>();
  const fingerprintOf = (context: GatewayContext): Promise<string | null> => {
    let fingerprint = fingerprints.get(context);
    if (!fingerprint) {
      fingerprint = context.caller().then(
        ({ policy }) => policyFingerprint(policy) ?? null,
        // Unauthenticated: the operation fails in its resolvers and nothing is cached.
        () => null,
      );
      fingerprints.set(context, fingerprint);
    }
    return fingerprint;
  };
  const invalidate = async (entities: Iterable<CacheEntityRecord>) => {
    await generations.bump('data');
    await store.invalidate(entities);
  };
  const viewFor = (context: GatewayContext): Cache => ({
    async get(key) {
      if (!(await fingerprintOf(context))) {
        lookups.inc({ result: 'bypass' });
        return undefined;
      }
      const now = await context.readGenerations();
      const copy = copies?.get(key);
      if (copy && now && copy.data === now.data) {
        lookups.inc({ result: 'hit' });
        return copy.result;
      }
      const cached = await store.get(key);
      lookups.inc({ result: cached ? 'hit' : 'miss' });
      if (cached && now) copies?.set(key, { data: now.data, result: cached });
      return cached ?? undefined;
    },
    async set(key, result, entities, ttl) {
      const started = await context.readGenerations();
      if (!started || !(await fingerprintOf(context))) return;
      const kept = [...entities];
      if (!sameData(started, await generations.read())) return;
      await store.set(key, result, kept, ttl);
      if (!sameData(started, await generations.read())) await store.invalidate(kept);
      else copies?.set(key, { data: started.data, result });
    },
    invalidate: (entities) => invalidate(entities),
  });
  const plugin = useResponseCache<GatewayContext>({
    session: () => 'caller',
    cache: (context) => viewFor(context as GatewayContext),
    ttl: ENTRY_TTL_MS,
    ttlPerSchemaCoordinate: Object.fromEntries(UNCACHED_FIELDS.map((coordinate) => [coordinate, 0])),
    // Results carry no cache metadata, in development either.
    includeExtensionMetadata: false,
    shouldCacheResult: ({ result }) => !result.errors?.length,
    buildResponseCacheKey: async ({ documentString, variableValues, operationName, context }) => {
      const fingerprint = await fingerprintOf(context as GatewayContext);
      // No effective policy: a key nothing was ever stored under (and `set` stores nothing for it).
      if (!fingerprint) return randomUUID();
      return createHash('sha256')
        .update(JSON.stringify([documentString, operationName ?? '', variableValues ?? {}, fingerprint]))
        .digest('base64url');
    },
  }) as Plugin;
  return { plugin, invalidate };
}

const sameData = (a: Generations, b: Generations | null) => b !== null && a.data === b.data;

/** This process's entries (one instance, or PGlite). */
export function inMemoryResponseStore(): Cache {
  return createInMemoryCache({ max: 10_000 });
}
