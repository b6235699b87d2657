import type { AccountService } from '../accounts/index.js';
import type { AuditLog } from '../audit/index.js';
import type { TokenVerifier } from '../auth/index.js';
import type { Config } from '../config/config.js';
import type { Database } from '../db/index.js';
import type { EmClient } from '../em/index.js';
import type { EventHub, FailoverService, StartReads, VisibilityCache } from '../failover/index.js';
import type { PolicyPrismaClient } from '../policy/index.js';
import type { ReadCache } from './plugins/read-cache.js';

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
