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
    "query GatewayInfo {\n  gateway {\n    version\n    startedAt\n    database\n  }\n}": typeof types.GatewayInfoDocument,
    "subscription Heartbeat($intervalMs: Int!, $count: Int) {\n  heartbeat(intervalMs: $intervalMs, count: $count) {\n    sequence\n    at\n  }\n}": typeof types.HeartbeatDocument,
};
const documents: Documents = {
    "query GatewayInfo {\n  gateway {\n    version\n    startedAt\n    database\n  }\n}": types.GatewayInfoDocument,
    "subscription Heartbeat($intervalMs: Int!, $count: Int) {\n  heartbeat(intervalMs: $intervalMs, count: $count) {\n    sequence\n    at\n  }\n}": types.HeartbeatDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GatewayInfo {\n  gateway {\n    version\n    startedAt\n    database\n  }\n}"): typeof import('./graphql.js').GatewayInfoDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription Heartbeat($intervalMs: Int!, $count: Int) {\n  heartbeat(intervalMs: $intervalMs, count: $count) {\n    sequence\n    at\n  }\n}"): typeof import('./graphql.js').HeartbeatDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
