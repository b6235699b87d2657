import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import { GraphQLError, Kind } from 'graphql';
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
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !RFC3339.test(value)) {
    throw new GraphQLError('DateTime must be an RFC 3339 string with a time zone, e.g. 2026-11-25T13:37:00Z');
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new GraphQLError(`DateTime ${JSON.stringify(value)} is not a real date`);
  return date;
}

builder.scalarType('DateTime', {
  description: 'An instant, as an RFC 3339 string with a time zone (output is always UTC, e.g. 2026-11-25T13:37:00.000Z).',
  serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (node) => {
    if (node.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string');
    return parseDateTime(node.value);
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
