import type { Principal } from '../auth/index.js';
import { AuthError, bearerToken, type TokenVerifier } from '../auth/index.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { createPolicy, loadPolicyInputs, type Policy } from '../policy/index.js';
import { unauthenticated, upstreamUnavailable } from './errors.js';

/** A signed-in caller and its policy for this operation. */
export interface Caller {
  principal: Principal;
  policy: Policy;
}

/** Where the principal of an operation comes from. */
export type PrincipalSource =
  /** Verified when the WebSocket connected (connection parameters). */
  | { kind: 'verified'; principal: Principal }
  /** The Authorization header of an HTTP or SSE request, verified on first use. */
  | { kind: 'header'; authorization: string | null }
  /** A graphql-ws connection that sent no token. */
  | { kind: 'none' };

/** The caller as GraphQL errors describe it: UNAUTHENTICATED for a missing or bad token. */
export async function principalFrom(source: PrincipalSource, tokens: TokenVerifier): Promise<Principal> {
  if (source.kind === 'verified') return source.principal;
  try {
    const token = source.kind === 'header' ? bearerToken(source.authorization) : undefined;
    if (!token) throw unauthenticated();
    return await tokens.verify(token);
  } catch (error) {
    if (error instanceof AuthError) {
      if (error.failure === 'unavailable') throw upstreamUnavailable(error.message);
      throw unauthenticated(error.message);
    }
    throw error;
  }
}

/**
 * Builds the caller's policy: its accounts and the editions that gate failover,
 * one small query, then the rules (one pure function) and the CASL ability.
 * Done once per operation, on first use: `{ __typename }` pays nothing.
 */
export async function loadCaller(prisma: PrismaClient, principal: Principal): Promise<Caller> {
  const { accounts, servers } = await loadPolicyInputs(prisma, principal);
  return { principal, policy: createPolicy({ principal, accounts, servers }) };
}

/** Memoizes a lazy async value for the life of one operation. */
export function lazy<T>(compute: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= compute());
}
