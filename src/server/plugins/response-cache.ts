import { createHash, randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { createInMemoryCache, useResponseCache, type Cache, type CacheEntityRecord } from '@envelop/response-cache';
import { Kind, parse, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
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
 * The link every answer has to each root field it reads (`Query.failoverOperations`):
 * invalidating it drops every answer to that field, whatever the answer holds.
 * The library links answers only to the entities in them (objects with an id) and
 * to the types of empty lists; an answer holding neither, `{ failoverOperations {
 * totalCount } }`, would otherwise never be dropped.
 */
export const rootFieldLink = (field: string): CacheEntityRecord => ({ typename: `Query.${field}` });

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
  /** Each request's root-field links, found when its key is built. */
  const rootLinks = new WeakMap<object, CacheEntityRecord[]>();
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
      const kept = [...entities, ...(rootLinks.get(context) ?? [])];
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
      rootLinks.set(context as GatewayContext, rootFieldsOf(documentString, operationName).map(rootFieldLink));
      return createHash('sha256')
        .update(JSON.stringify([documentString, operationName ?? '', variableValues ?? {}, fingerprint]))
        .digest('base64url');
    },
  }) as Plugin;
  return { plugin, invalidate };
}

const sameData = (a: Generations, b: Generations | null) => b !== null && a.data === b.data;

/** Root fields per document and operation: portals send the same few documents again and again. */
const rootFieldsCache = new LRUCache<string, string[]>({ max: 1_000 });

/** The fields a query's root selection reads (through fragments too), by name, never by alias. */
function rootFieldsOf(documentString: string, operationName: string | null | undefined): string[] {
  const cacheKey = `${operationName ?? ''}\u0000${documentString}`;
  const known = rootFieldsCache.get(cacheKey);
  if (known) return known;
  const document = parse(documentString, { noLocation: true });
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operations.find((definition) => (operationName ? definition.name?.value === operationName : true));
  const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition.selectionSet] as const] : [])));
  const fields = new Set<string>();
  const seen = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) fields.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment);
      }
    }
  };
  if (operation) walk(operation.selectionSet);
  const found = [...fields].filter((field) => !field.startsWith('__'));
  rootFieldsCache.set(cacheKey, found);
  return found;
}

/** This process's entries (one instance, or PGlite). */
export function inMemoryResponseStore(): Cache {
  return createInMemoryCache({ max: 10_000 });
}
