import SchemaBuilder from '@pothos/core';
import { GraphQLError, Kind } from 'graphql';
import type { GatewayContext } from './context.js';

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
  };
}>({
  defaultFieldNullability: false,
});

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

builder.queryType({});
builder.subscriptionType({});
