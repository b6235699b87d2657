import { cacheExchange, type CacheExchangeOpts, type Cache } from '@urql/exchange-graphcache';
import possibleTypes from '../generated/possible-types';
import { OperationProgressFragmentDoc, type FailoverEventFieldsFragment } from '../generated/graphql';

/** Objects without an id of their own live inside their parent in the cache. */
const embedded = () => null;

/**
 * Each event carries its operation's state right after it: written onto the
 * cached operation, it moves every progress bar showing that operation.
 * Operations the cache does not hold yet are left alone (their page reads them).
 */
function applyEvent(event: FailoverEventFieldsFragment | undefined, cache: Cache): void {
  if (!event) return;
  const key = cache.keyOfEntity({ __typename: 'FailoverOperation', id: event.operationId });
  if (key === null || cache.resolve(key, 'id') === null) return;
  cache.writeFragment(OperationProgressFragmentDoc, {
    id: event.operationId,
    state: event.state,
    progress: event.progress,
    active: !event.final,
    result: event.result ?? null,
    message: event.message ?? null,
  });
}

/** The normalized cache: entities by id, abstract types matched exactly (possible types from codegen). */
const options: CacheExchangeOpts = {
  possibleTypes: possibleTypes.possibleTypes,
  keys: {
    Viewer: embedded,
    GatewayInfo: embedded,
    PageInfo: embedded,
    RestoreScope: embedded,
    ScopeItem: embedded,
    CdpShortTermRange: embedded,
    CdpLongTermPoint: embedded,
    FailoverEvent: embedded,
    FailoverDryRun: embedded,
    FailoverStarted: embedded,
    ReplicaActionDryRun: embedded,
    ReplicaActionStarted: embedded,
    // Picked by ref into a restore scope; a ref alone is not unique (two backup servers may see one vCenter).
    InventoryContainer: embedded,
    Explanation: embedded,
    AuditLogPage: embedded,
    AuditEntry: (entry) => (typeof entry.seq === 'string' ? entry.seq : null),
    AuditVerification: embedded,
    AuditChainBreak: embedded,
    ...Object.fromEntries(
      ['Replica', 'BackupServer', 'RestorePoint', 'CdpShortTermRange', 'CdpLongTermPoint', 'FailoverOperation', 'InventoryContainer'].flatMap((type) => [
        [`${type}Connection`, embedded],
        [`${type}Edge`, embedded],
      ]),
    ),
    // Refusals are answers to one call, not things.
    ...Object.fromEntries(possibleTypes.possibleTypes.Error.map((type) => [type, embedded])),
  },
  updates: {
    Subscription: {
      failoverEvents: (result, _args, cache) => applyEvent(result.failoverEvents as FailoverEventFieldsFragment | undefined, cache),
      failoverProgress: (result, _args, cache) => applyEvent(result.failoverProgress as FailoverEventFieldsFragment | undefined, cache),
    },
  },
};

export const graphCache = () => cacheExchange(options);
