import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { createEmClient, type EmClient, type EmConnection } from '../em/index.js';
import type { VbrServerEntry } from '../config/vbr-servers.js';
import type { SyncWorkerOptions } from '../inventory/index.js';
import type { SourceSettings } from '../inventory/sources/collect.js';
import { createVbrClients, type VbrClients } from './vbr-clients.js';
import { startSimulator, type RunningSimulator } from '../simulator/index.js';

/** The embedded simulator's EM account (the simulator's own default). */
const EMBEDDED_ACCOUNT = { username: 'em-admin', password: 'em-admin' };
/** The simulator's VBR Backup Administrator account on every face. */
const EMBEDDED_VBR_ACCOUNT = { username: 'vbr-admin', password: 'vbr-admin' };

export interface Upstream {
  em: EmClient;
  /** How each backup server's own REST API is reached, and the operator's stated editions (plain data: the sync worker gets a copy). */
  sources: SourceSettings;
  /** Long-lived clients of those APIs, for reads at failover time. */
  vbr: VbrClients;
  /** What `em` was created with (no logger): another thread can reach the same EM with it. */
  connection: EmConnection;
  /** Set when the gateway runs its own EM simulator (EM_URL unset). */
  simulator?: RunningSimulator;
  close(): Promise<void>;
}

/**
 * EM behind the gateway: the real one at EM_URL, or, on the embedded defaults,
 * a simulator on a free loopback port. Either way the gateway speaks HTTP to
 * it through the same client; nothing above src/em/ can tell them apart.
 */
export async function connectUpstream(config: Config, logger: Logger): Promise<Upstream> {
  let simulator: RunningSimulator | undefined;
  let url = config.emUrl;
  let account = { username: config.emUsername ?? '', password: config.emPassword ?? '' };
  if (!url) {
    // Restore points end "today" (UTC midnight), so CDP points in time and
    // restore point ages look current while the inventory stays the same all day.
    const today = new Date();
    today.setUTCHours(0, 0, 0, 0);
    simulator = await startSimulator({
      host: '127.0.0.1',
      port: 0,
      seed: config.simulatorSeed,
      size: config.simulatorReplicas,
      referenceTime: today,
      failoverDurationMs: config.simulatorFailoverMs,
      logger: logger.child({ component: 'em-simulator' }),
      ...EMBEDDED_ACCOUNT,
    });
    url = simulator.url;
    account = EMBEDDED_ACCOUNT;
    logger.info({ emUrl: url, replicas: config.simulatorReplicas, seed: config.simulatorSeed }, 'embedded EM simulator started');
  }
  const connection = { url, ...account, timeoutMs: config.emTimeoutMs };
  const em = createEmClient({ ...connection, logger: logger.child({ component: 'em-client' }) });
  // VBR_SERVERS wins; on the embedded defaults, the simulator's own VBR faces stand in for it.
  const servers = config.vbr.length > 0 || simulator === undefined ? config.vbr : simulatorVbrServers(simulator);
  const sources: SourceSettings = { servers, licenseEdition: config.licenseEdition };
  const vbr = createVbrClients(servers, logger);
  return {
    em,
    sources,
    vbr,
    connection,
    simulator,
    async close() {
      await vbr.close();
      await em.close();
      await simulator?.close();
    },
  };
}

/** A simulator's VBR faces, one per simulated backup server, with its Backup Administrator account: what VBR_SERVERS would say of them. */
export function simulatorVbrServers(simulator: Pick<RunningSimulator, 'vbrUrls'>): VbrServerEntry[] {
  return Object.entries(simulator.vbrUrls).map(([name, url]) => ({ key: name, connection: { url, ...EMBEDDED_VBR_ACCOUNT } }));
}

/**
 * Where the inventory sync runs its passes: in a worker thread on PostgreSQL
 * (unless INVENTORY_SYNC_HEAP_MB is 0), else in the calling thread (undefined).
 */
export function syncWorkerOptions(
  config: Pick<Config, 'databaseUrl' | 'inventorySyncHeapMb' | 'wasmTierUp'>,
  upstream: Pick<Upstream, 'connection'>,
): SyncWorkerOptions | undefined {
  if (!config.databaseUrl || config.inventorySyncHeapMb === 0) return undefined;
  return { databaseUrl: config.databaseUrl, em: upstream.connection, heapMb: config.inventorySyncHeapMb, wasmTierUp: config.wasmTierUp };
}
