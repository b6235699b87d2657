import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxCost: number;
  maxDirectives: number;
  /** Hide "did you mean …" hints, which help anyone map the schema. */
  blockFieldSuggestions: boolean;
}

/** `extensions.code` of an operation refused by a limit. */
export const LIMIT_EXCEEDED = 'OPERATION_LIMIT_EXCEEDED';

/**
 * graphql-armor throws a fresh GraphQLError per rejection, worded as a syntax
 * error and without an HTTP status, so a client cannot tell a limit from a typo
 * and GraphQL-over-HTTP clients get 200. Each rejection is made a proper
 * request error here: its own code, the limit's name, status 400.
 */
function classify(limit: keyof Omit<OperationLimits, 'blockFieldSuggestions'>) {
  return (_context: unknown, error: GraphQLError) => {
    error.message = error.message.replace(/^Syntax Error: /, '');
    Object.assign(error.extensions, { code: LIMIT_EXCEEDED, limit, http: { status: 400 } });
  };
}

/**
 * Depth, alias, token, cost and directive limits from graphql-armor. They run in
 * parsing and validation, so they apply to HTTP, SSE and WebSocket alike.
 * Introspection is exempt from depth and cost: GraphiQL's own query is deep, and
 * introspection is switched off separately in production.
 */
export function useArmor(limits: OperationLimits): Plugin {
  return EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, onReject: [classify('maxDepth')] },
    maxAliases: { n: limits.maxAliases, onReject: [classify('maxAliases')] },
    maxTokens: { n: limits.maxTokens, onReject: [classify('maxTokens')] },
    costLimit: {
      maxCost: limits.maxCost,
      ignoreIntrospection: true,
      flattenFragments: true,
      onReject: [classify('maxCost')],
    },
    maxDirectives: { n: limits.maxDirectives, onReject: [classify('maxDirectives')] },
    blockFieldSuggestion: { enabled: limits.blockFieldSuggestions },
  }) as Plugin;
}
