import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Database } from '../db/index.js';
import type { EmClient } from '../em/index.js';

/** Long-lived services every resolver may use; built once per gateway. */
export interface GatewayServices {
  config: Config;
  db: Database;
  /** Enterprise Manager (or the embedded simulator) behind the gateway. */
  em: EmClient;
  /** This process's id in GatewayInstance. */
  instanceId: string;
  version: string;
  startedAt: Date;
}

/** How an operation reached the gateway. */
export type Transport = 'http' | 'sse' | 'ws';

/** Per-operation context. */
export interface GatewayContext {
  requestId: string;
  /** Logger whose lines carry this operation's requestId. */
  log: Logger;
  transport: Transport;
  services: GatewayServices;
}
