import { GraphQLError } from 'graphql';

/**
 * Transport-level failures of an operation: ordinary GraphQL errors with
 * `extensions.code`, as the design asks (results of a failover are data instead).
 */
export const unauthenticated = (message = 'Sign in: this field needs a bearer token') =>
  new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

export const forbidden = (message: string, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code: 'FORBIDDEN', ...extensions } });

export const badUserInput = (message: string, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...extensions } });

export const notFound = (message: string) => new GraphQLError(message, { extensions: { code: 'NOT_FOUND' } });

export const upstreamUnavailable = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'UPSTREAM_UNAVAILABLE', http: { status: 503 } } });
