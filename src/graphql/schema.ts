import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
// One import per domain file: each registers its types on the builder.
import './gateway-info.js';
import './upstreams.js';
import './heartbeat.js';
import './viewer.js';
import './backup-servers.js';
import './replicas.js';
import './accounts.js';
import './audit.js';
import './inventory-admin.js';
import './containers.js';
import './failover-operations.js';
import './failover.js';
import './replica-actions.js';
import './failover-events.js';

let schema: GraphQLSchema | undefined;

/** The gateway's schema, built once per process. */
export function getSchema(): GraphQLSchema {
  schema ??= builder.toSchema();
  return schema;
}

/** The SDL committed as schema/schema.graphql, sorted so diffs stay readable. */
export function printGatewaySchema(): string {
  return `${printSchema(lexicographicSortSchema(getSchema()))}\n`;
}
