/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation Failover($input: FailoverInput!, $idempotencyKey: String) {\n  failover(input: $input, idempotencyKey: $idempotencyKey) {\n    __typename\n    ... on FailoverStarted {\n      replayed\n      operation {\n        ...FailoverOperationFields\n      }\n    }\n    ... on FailoverDryRun {\n      kind\n      rule\n      reason\n      restorePointEmId\n      restorePointTime\n      cdpTarget\n      cdpPointInTime\n      replica {\n        id\n        name\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n    ... on ForbiddenError {\n      rule\n    }\n    ... on EditionNotSupportedError {\n      edition\n    }\n    ... on ReplicaNotReadyError {\n      replicaState\n    }\n    ... on FailoverInProgressError {\n      activeOperation: operation {\n        id\n        state\n      }\n    }\n    ... on InvalidRestoreTargetError {\n      availableFrom\n      availableTo\n    }\n    ... on UpstreamRejectedError {\n      emMessage\n    }\n    ... on BadUserInputError {\n      field\n    }\n  }\n}\n\nfragment FailoverOperationFields on FailoverOperation {\n  id\n  kind\n  state\n  active\n  progress\n  replicaName\n  restorePointEmId\n  restorePointTime\n  cdpTarget\n  cdpPointInTime\n  initiator\n  reason\n  emTaskId\n  restoreSessionId\n  result\n  message\n  createdAt\n  dispatchedAt\n  finishedAt\n}\n\nquery FailoverOperation($id: ID!) {\n  failoverOperation(id: $id) {\n    ...FailoverOperationFields\n  }\n}\n\nquery FailoverOperations($filter: FailoverOperationFilter, $first: Int, $after: String) {\n  failoverOperations(filter: $filter, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        ...FailoverOperationFields\n      }\n    }\n  }\n}": typeof types.FailoverDocument,
    "query GatewayInfo {\n  gateway {\n    version\n    startedAt\n    database\n  }\n}": typeof types.GatewayInfoDocument,
    "subscription Heartbeat($intervalMs: Int!, $count: Int) {\n  heartbeat(intervalMs: $intervalMs, count: $count) {\n    sequence\n    at\n  }\n}": typeof types.HeartbeatDocument,
    "fragment FailoverEventFields on FailoverEvent {\n  operationId\n  sequence\n  at\n  kind\n  state\n  progress\n  taskState\n  restoreSessionState\n  result\n  message\n  replicaState\n  final\n}\n\nsubscription FailoverProgress($operationId: ID!, $afterSequence: Int = 0) {\n  failoverProgress(operationId: $operationId, afterSequence: $afterSequence) {\n    ...FailoverEventFields\n  }\n}\n\nsubscription FailoverEvents($filter: FailoverEventFilter) {\n  failoverEvents(filter: $filter) {\n    ...FailoverEventFields\n  }\n}": typeof types.FailoverEventFieldsFragmentDoc,
};
const documents: Documents = {
    "mutation Failover($input: FailoverInput!, $idempotencyKey: String) {\n  failover(input: $input, idempotencyKey: $idempotencyKey) {\n    __typename\n    ... on FailoverStarted {\n      replayed\n      operation {\n        ...FailoverOperationFields\n      }\n    }\n    ... on FailoverDryRun {\n      kind\n      rule\n      reason\n      restorePointEmId\n      restorePointTime\n      cdpTarget\n      cdpPointInTime\n      replica {\n        id\n        name\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n    ... on ForbiddenError {\n      rule\n    }\n    ... on EditionNotSupportedError {\n      edition\n    }\n    ... on ReplicaNotReadyError {\n      replicaState\n    }\n    ... on FailoverInProgressError {\n      activeOperation: operation {\n        id\n        state\n      }\n    }\n    ... on InvalidRestoreTargetError {\n      availableFrom\n      availableTo\n    }\n    ... on UpstreamRejectedError {\n      emMessage\n    }\n    ... on BadUserInputError {\n      field\n    }\n  }\n}\n\nfragment FailoverOperationFields on FailoverOperation {\n  id\n  kind\n  state\n  active\n  progress\n  replicaName\n  restorePointEmId\n  restorePointTime\n  cdpTarget\n  cdpPointInTime\n  initiator\n  reason\n  emTaskId\n  restoreSessionId\n  result\n  message\n  createdAt\n  dispatchedAt\n  finishedAt\n}\n\nquery FailoverOperation($id: ID!) {\n  failoverOperation(id: $id) {\n    ...FailoverOperationFields\n  }\n}\n\nquery FailoverOperations($filter: FailoverOperationFilter, $first: Int, $after: String) {\n  failoverOperations(filter: $filter, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        ...FailoverOperationFields\n      }\n    }\n  }\n}": types.FailoverDocument,
    "query GatewayInfo {\n  gateway {\n    version\n    startedAt\n    database\n  }\n}": types.GatewayInfoDocument,
    "subscription Heartbeat($intervalMs: Int!, $count: Int) {\n  heartbeat(intervalMs: $intervalMs, count: $count) {\n    sequence\n    at\n  }\n}": types.HeartbeatDocument,
    "fragment FailoverEventFields on FailoverEvent {\n  operationId\n  sequence\n  at\n  kind\n  state\n  progress\n  taskState\n  restoreSessionState\n  result\n  message\n  replicaState\n  final\n}\n\nsubscription FailoverProgress($operationId: ID!, $afterSequence: Int = 0) {\n  failoverProgress(operationId: $operationId, afterSequence: $afterSequence) {\n    ...FailoverEventFields\n  }\n}\n\nsubscription FailoverEvents($filter: FailoverEventFilter) {\n  failoverEvents(filter: $filter) {\n    ...FailoverEventFields\n  }\n}": types.FailoverEventFieldsFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Failover($input: FailoverInput!, $idempotencyKey: String) {\n  failover(input: $input, idempotencyKey: $idempotencyKey) {\n    __typename\n    ... on FailoverStarted {\n      replayed\n      operation {\n        ...FailoverOperationFields\n      }\n    }\n    ... on FailoverDryRun {\n      kind\n      rule\n      reason\n      restorePointEmId\n      restorePointTime\n      cdpTarget\n      cdpPointInTime\n      replica {\n        id\n        name\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n    ... on ForbiddenError {\n      rule\n    }\n    ... on EditionNotSupportedError {\n      edition\n    }\n    ... on ReplicaNotReadyError {\n      replicaState\n    }\n    ... on FailoverInProgressError {\n      activeOperation: operation {\n        id\n        state\n      }\n    }\n    ... on InvalidRestoreTargetError {\n      availableFrom\n      availableTo\n    }\n    ... on UpstreamRejectedError {\n      emMessage\n    }\n    ... on BadUserInputError {\n      field\n    }\n  }\n}\n\nfragment FailoverOperationFields on FailoverOperation {\n  id\n  kind\n  state\n  active\n  progress\n  replicaName\n  restorePointEmId\n  restorePointTime\n  cdpTarget\n  cdpPointInTime\n  initiator\n  reason\n  emTaskId\n  restoreSessionId\n  result\n  message\n  createdAt\n  dispatchedAt\n  finishedAt\n}\n\nquery FailoverOperation($id: ID!) {\n  failoverOperation(id: $id) {\n    ...FailoverOperationFields\n  }\n}\n\nquery FailoverOperations($filter: FailoverOperationFilter, $first: Int, $after: String) {\n  failoverOperations(filter: $filter, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        ...FailoverOperationFields\n      }\n    }\n  }\n}"): typeof import('./graphql.js').FailoverDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GatewayInfo {\n  gateway {\n    version\n    startedAt\n    database\n  }\n}"): typeof import('./graphql.js').GatewayInfoDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription Heartbeat($intervalMs: Int!, $count: Int) {\n  heartbeat(intervalMs: $intervalMs, count: $count) {\n    sequence\n    at\n  }\n}"): typeof import('./graphql.js').HeartbeatDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment FailoverEventFields on FailoverEvent {\n  operationId\n  sequence\n  at\n  kind\n  state\n  progress\n  taskState\n  restoreSessionState\n  result\n  message\n  replicaState\n  final\n}\n\nsubscription FailoverProgress($operationId: ID!, $afterSequence: Int = 0) {\n  failoverProgress(operationId: $operationId, afterSequence: $afterSequence) {\n    ...FailoverEventFields\n  }\n}\n\nsubscription FailoverEvents($filter: FailoverEventFilter) {\n  failoverEvents(filter: $filter) {\n    ...FailoverEventFields\n  }\n}"): typeof import('./graphql.js').FailoverEventFieldsFragmentDoc;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
