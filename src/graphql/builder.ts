import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import { GraphQLError, Kind } from 'graphql';
import { parseDateTime } from '../rfc3339.js';
import type { GatewayContext } from './context.js';

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
  Connection: {
    /** Counted only when asked for, with the same access filter as the page. */
    totalCount: () => Promise<number>;
  };
}>({
  defaultFieldNullability: false,
  plugins: [RelayPlugin],
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
    // Unknown ids and ids outside the caller's scope both resolve to null.
    nodeQueryOptions: { description: 'Any object by its global id; null when it does not exist or is outside your scope.' },
    nodesQueryOptions: false,
  },
});

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'How many objects match, counting only those you may see.',
    resolve: (connection) => connection.totalCount(),
  }),
);

// RFC 3339 with an explicit offset: a timestamp without a zone is ambiguous
// on the day of a disaster, when operators sit in several time zones.
function parseDateTimeInput(value: unknown): Date {
  const date = typeof value === 'string' ? parseDateTime(value) : undefined;
  if (date === undefined) {
    throw new GraphQLError(`DateTime ${JSON.stringify(value)} is not an RFC 3339 date-time with a time zone naming a moment that exists, e.g. 2026-11-25T13:37:00Z`);
  }
  return date;
}

builder.scalarType('DateTime', {
  description:
    'An instant, as an RFC 3339 string with a time zone (output is always UTC, e.g. 2026-11-25T13:37:00.000Z). Input must name a moment that exists: a real calendar day, hours 00–23, no leap second (:60).',
  serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString(),
  parseValue: parseDateTimeInput,
  parseLiteral: (node) => {
    if (node.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string');
    return parseDateTimeInput(node.value);
  },
});

builder.scalarType('JSON', {
  description: 'Any JSON value (audit details, sync reports).',
  serialize: (value) => value,
  parseValue: (value) => value,
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
