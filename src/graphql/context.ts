import type { Logger } from 'pino';
import type { AccountService } from '../accounts/index.js';
import type { AuditLog } from '../audit/index.js';
import type { Principal, TokenVerifier } from '../auth/index.js';
import type { Config } from '../config/config.js';
import type { Database } from '../db/index.js';
import type { EmClient } from '../em/index.js';
import type { EventHub, FailoverService, StartReads, VisibilityCache } from '../failover/index.js';
import type { PolicyPrismaClient } from '../policy/index.js';
import type { ReadCache } from '../server/plugins/read-cache.js';
import type { Generations } from '../server/plugins/read-cache-generations.js';
import type { Caller } from './caller.js';

/** What the gateway does after its inventory or its accounts change. */
export interface InventoryControl {
  /** Runs a sync now (or joins the one running) and rebuilds restore scopes. */
  syncNow(): Promise<unknown>;
}

/** Long-lived services every resolver may use; built once per gateway. */
export interface GatewayServices {
  config: Config;
  db: Database;
  /** The Prisma client with CASL's extension: every `accessibleBy` query goes through it. */
  prisma: PolicyPrismaClient;
  /** Enterprise Manager (or the embedded simulator) behind the gateway. */
  em: EmClient;
  tokens: TokenVerifier;
  /** Account administration (validated, restore scopes rebuilt). */
  accounts: AccountService;
  audit: AuditLog;
  inventory: InventoryControl;
  /** Validates, decides, audits and dispatches failovers. */
  failover: FailoverService;
  /** Live failover events: this instance's hub, replica visibility for judging each event, and the batched reads streams start with. */
  events: { hub: EventHub; visibility: VisibilityCache; reads: StartReads };
  /** The caller's policy cache, the response cache and what invalidates them. */
  readCache: ReadCache;
  /** This process's id in GatewayInstance. */
  instanceId: string;
  version: string;
  startedAt: Date;
}

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
