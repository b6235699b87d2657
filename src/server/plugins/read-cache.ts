import type { Cache } from '@envelop/response-cache';
import { LRUCache } from 'lru-cache';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { AccountService } from '../../accounts/index.js';
import type { Principal } from '../../auth/index.js';
import type { Config } from '../../config/config.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { loadCaller, type Caller } from '../../graphql/caller.js';
import { isActive, type FailoverState } from '../../failover/types.js';
import { REPLICA_TYPENAMES } from '../../graphql/replicas.js';
import { createPolicyCache, type ReplicaKind } from '../../policy/index.js';
import type { GatewayMetrics } from '../metrics.js';
import { createLocalGenerations, createPostgresGenerations, createRedisGenerations, type Generations, type ReadGenerations } from './read-cache-generations.js';
import { redisResponseStore } from './redis-response-store.js';
import { createScopedResponseCache, inMemoryResponseStore, rootFieldLink, type ScopedResponseCache } from './response-cache.js';

/** What a change to a failover operation touches in cached answers. */
export interface OperationChange {
  id: string;
  replicaId: string | null;
  kind: ReplicaKind;
  state: FailoverState;
  /** The replica's state as the operation saw it last (null: not seen yet). */
  replicaState: string | null;
}

/**
 * The gateway's read caches (the caller's policy, and answers to read queries)
 * and the one place that knows what each change invalidates:
 *
 * | change | policy generation | answers dropped |
 * |---|---|---|
 * | account, role or scope (create, update, delete) | raised: every policy reloads, every key changes | all, through the keys |
 * | inventory sync that wrote rows or removed servers (visibility and editions follow) | raised | all, through the keys |
 * | any inventory sync (freshness of backup servers) | | those holding a backup server |
 * | a failover operation stored (claim, EM's answer, tracker progress and end state) | | those holding the operation, its replica, or reading `failoverOperations` |
 * | …that moved its replica's state (a new phase, or its end) | | those reading `replicas` too (a list filtered by state gains or loses it) |
 *
 * Counters live in Redis when `REDIS_URL` is set, else in PostgreSQL
 * (`read_generation`), so every instance sees a change on its next request; on
 * PGlite (one process) they live in the process. Answers are cached in Redis,
 * or in the process on PGlite; on PostgreSQL without Redis only policies are
 * (an instance could not drop another's cached answers).
 */
export interface ReadCache {
  /** The counters every instance agrees on: in Redis, in PostgreSQL without it, in the process on PGlite. */
  generations: ReadGenerations;
  /** The response cache's plugin; null when READ_CACHE is off, or on PostgreSQL without Redis. */
  plugin: Plugin | null;
  /** The caller with its policy: from the policy cache under these generations, else loaded now. */
  caller(principal: Principal, generations: Generations | null): Promise<Caller>;
  /** The account service, raising the policy generation after every change it makes. */
  accounts(service: AccountService): AccountService;
  inventorySynced(report: { writes: number; removedServers: readonly unknown[] }): Promise<void>;
  operationChanged(operation: OperationChange): Promise<void>;
  close(): Promise<void>;
}

export interface ReadCacheOptions {
  config: Pick<Config, 'readCache' | 'redisUrl' | 'redisChannel'>;
  database: 'pglite' | 'postgresql';
  prisma: PrismaClient;
  metrics: GatewayMetrics;
  instanceId: string;
  logger: Logger;
}

export async function createReadCache({ config, database, prisma, metrics, instanceId, logger }: ReadCacheOptions): Promise<ReadCache> {
  const prefix = `${config.redisChannel}:read-cache:`;
  const generations: ReadGenerations = config.redisUrl
    ? createRedisGenerations({ url: config.redisUrl, prefix, instanceId, logger })
    : database === 'pglite'
      ? createLocalGenerations()
      : createPostgresGenerations(prisma, logger);
  const policies = createPolicyCache({
    load: async (principal) => (await loadCaller(prisma, principal as Principal)).policy,
    onLookup: (result) => metrics.policyCacheLookups.inc({ result }),
  });
  // Answers live in Redis, or in the process where it is the only one (PGlite). On PostgreSQL without Redis each
  // instance would keep its own, and an invalidation on one could not reach the others': no response cache there.
  const sharedAnswers = Boolean(config.redisUrl) || database === 'pglite';
  if (config.readCache && !sharedAnswers) logger.info('response cache off: PostgreSQL without REDIS_URL cannot drop cached answers on other instances; policies are still cached per generation');
  let responses: ScopedResponseCache | null = null;
  let closeStore = async () => {};
  if (config.readCache && sharedAnswers) {
    let store: Cache;
    if (config.redisUrl) {
      const opened = await redisResponseStore(config.redisUrl, prefix, instanceId);
      store = opened.store;
      closeStore = opened.close;
    } else {
      store = inMemoryResponseStore();
    }
    responses = createScopedResponseCache({ store, generations, lookups: metrics.readCacheLookups, localCopies: Boolean(config.redisUrl) });
  }

  /** The replica state each running operation showed last: a look that moved it drops replica lists. */
  const replicaStates = new LRUCache<string, string>({ max: 10_000 });
  const bumpPolicy = async () => {
    await generations.bump('policy');
  };
  return {
    generations,
    plugin: responses?.plugin ?? null,
    async caller(principal, now) {
      if (!now) {
        metrics.policyCacheLookups.inc({ result: 'bypass' });
        return loadCaller(prisma, principal);
      }
      const { policy } = await policies.get(principal, now.policy);
      return { principal, policy };
    },
    accounts(service) {
      const after = async <T>(change: Promise<T>): Promise<T> => {
        try {
          return await change;
        } finally {
          // Refused changes change nothing; raising the generation anyway is only a reload.
          await bumpPolicy();
        }
      };
      return {
        list: () => service.list(),
        get: (id) => service.get(id),
        create: (input) => after(service.create(input)),
        update: (id, patch) => after(service.update(id, patch)),
        delete: (id) => after(service.delete(id)),
      };
    },
    async inventorySynced(report) {
      if (report.writes > 0 || report.removedServers.length > 0) await bumpPolicy();
      await responses?.invalidate([{ typename: 'BackupServer' }]);
    },
    async operationChanged(operation) {
      if (!responses) return;
      const replicaMoved = operationMovedReplica(operation, replicaStates);
      // The cache links an answer to the entities it holds (with an id), to the types of its empty lists and to
      // the root fields it reads (response-cache.ts), never to a connection object. A new operation belongs in
      // lists that hold other operations or none, and any change can move a count: every answer holding an
      // operation, an empty operation list or reading `failoverOperations` goes.
      await responses.invalidate([
        { typename: 'FailoverOperation' },
        { typename: 'FailoverOperationEdge' },
        rootFieldLink('failoverOperations'),
        ...(operation.replicaId ? [{ typename: REPLICA_TYPENAMES[operation.kind], id: encodeGlobalID(REPLICA_TYPENAMES[operation.kind], operation.replicaId) }] : []),
        ...(replicaMoved ? [rootFieldLink('replicas')] : []),
      ]);
    },
    async close() {
      await closeStore();
      await generations.close();
    },
  };
}

/**
 * Whether this change may have moved the replica's state, and so its place in
 * lists filtered by state: its end (the final state is written with it), or a
 * look that saw another state than the last one this process published.
 */
function operationMovedReplica(operation: OperationChange, replicaStates: LRUCache<string, string>): boolean {
  if (!isActive(operation.state)) {
    replicaStates.delete(operation.id);
    return operation.replicaId !== null;
  }
  if (operation.replicaState === null || replicaStates.get(operation.id) === operation.replicaState) return false;
  replicaStates.set(operation.id, operation.replicaState);
  return true;
}
