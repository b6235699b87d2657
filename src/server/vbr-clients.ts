import type { Logger } from 'pino';
import { vbrEntryFor, type VbrServerEntry } from '../config/vbr-servers.js';
import { createVbrClient, type VbrClient } from '../vbr/index.js';

/**
 * The gateway's long-lived clients of the backup servers' own REST APIs,
 * one per configured server, opened on first use: a failover's precondition
 * and the tracker reuse one logon and its tokens.
 */
export interface VbrClients {
  /** The client of this backup server's REST API, when VBR_SERVERS gives one (matched by UID, then by name). */
  forServer(server: { uid: string; name: string }): VbrClient | undefined;
  close(): Promise<void>;
}

export function createVbrClients(entries: readonly VbrServerEntry[], logger?: Logger): VbrClients {
  const clients = new Map<string, VbrClient>();
  return {
    forServer(server) {
      const entry = vbrEntryFor(entries, server);
      if (entry?.connection === undefined) return undefined;
      let client = clients.get(entry.key);
      if (client === undefined) {
        client = createVbrClient({ ...entry.connection, logger: logger?.child({ component: 'vbr-client', server: server.name }) });
        clients.set(entry.key, client);
      }
      return client;
    },
    async close() {
      await Promise.all([...clients.values()].map((c) => c.close().catch(() => undefined)));
      clients.clear();
    },
  };
}
