import type { Logger } from 'pino';
import type { Principal } from '../auth/index.js';
import type { GatewayServices } from '../server/services.js';
import type { Generations } from '../server/plugins/read-cache-generations.js';
import type { Caller } from './caller.js';

export type { GatewayServices, InventoryControl } from '../server/services.js';

/** How an operation reached the gateway. */
export type Transport = 'http' | 'sse' | 'ws';

/** Who sent the operation, as the audit log records it. */
export interface ClientInfo {
  address: string | null;
  userAgent: string | null;
}

/** Per-operation context. */
export interface GatewayContext {
  requestId: string;
  /** Logger whose lines carry this operation's requestId. */
  log: Logger;
  transport: Transport;
  services: GatewayServices;
  client: ClientInfo;
  /** The Idempotency-Key header of an HTTP or SSE request; null otherwise. */
  idempotencyKeyHeader: string | null;
  /** The signed-in principal (token verified on first use); rejects with UNAUTHENTICATED without a valid token. */
  principal(): Promise<Principal>;
  /** The read caches' generations when this operation started (read once); null: serve nothing from a cache. */
  readGenerations(): Promise<Generations | null>;
  /**
   * The signed-in caller with its policy, built on first use and kept for the
   * operation. Rejects with UNAUTHENTICATED without a valid token.
   */
  caller(): Promise<Caller>;
}
