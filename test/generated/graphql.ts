/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Where the gateway keeps its state. */
export type DatabaseKind =
  /** Embedded PGlite in a local data folder. */
  | 'PGLITE'
  /** A PostgreSQL server. */
  | 'POSTGRESQL';

export type GatewayInfoQueryVariables = Exact<{ [key: string]: never; }>;


export type GatewayInfoQuery = { gateway: { version: string, startedAt: string, database: DatabaseKind } };

export type HeartbeatSubscriptionVariables = Exact<{
  intervalMs: number;
  count?: number | null | undefined;
}>;


export type HeartbeatSubscription = { heartbeat: { sequence: number, at: string } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const GatewayInfoDocument = new TypedDocumentString(`
    query GatewayInfo {
  gateway {
    version
    startedAt
    database
  }
}
    `) as unknown as TypedDocumentString<GatewayInfoQuery, GatewayInfoQueryVariables>;
export const HeartbeatDocument = new TypedDocumentString(`
    subscription Heartbeat($intervalMs: Int!, $count: Int) {
  heartbeat(intervalMs: $intervalMs, count: $count) {
    sequence
    at
  }
}
    `) as unknown as TypedDocumentString<HeartbeatSubscription, HeartbeatSubscriptionVariables>;