import type { InventorySummary, SyncReport } from './types.js';

/**
 * Reports and summaries travel as JSON (control endpoint, `--json`): dates
 * become ISO strings. These turn them back into the typed objects.
 */

type Json = Record<string, unknown>;

const toDate = (v: unknown): Date | null => (typeof v === 'string' ? new Date(v) : null);

export function syncReportFromJson(value: unknown): SyncReport {
  const o = value as Json;
  if (typeof o !== 'object' || o === null || !Array.isArray(o['servers'])) throw new TypeError('not a sync report');
  return { ...(o as unknown as SyncReport), startedAt: toDate(o['startedAt'])!, finishedAt: toDate(o['finishedAt'])! };
}

export function summaryFromJson(value: unknown): InventorySummary {
  const o = value as Json;
  if (typeof o !== 'object' || o === null || !Array.isArray(o['servers']) || typeof o['lastSync'] !== 'object') throw new TypeError('not an inventory summary');
  const s = o as unknown as InventorySummary;
  const last = o['lastSync'] as Json;
  return {
    ...s,
    lastSync: { ...s.lastSync, startedAt: toDate(last['startedAt']), finishedAt: toDate(last['finishedAt']), succeededAt: toDate(last['succeededAt']) },
    servers: (o['servers'] as Json[]).map((server) => ({
      ...(server as unknown as InventorySummary['servers'][number]),
      lastSyncStartedAt: toDate(server['lastSyncStartedAt']),
      lastSyncedAt: toDate(server['lastSyncedAt']),
      lastSyncFailedAt: toDate(server['lastSyncFailedAt']),
      sources: sourcesFromJson(server['sources'] as Json),
    })),
  };
}

function sourcesFromJson(o: Json): InventorySummary['servers'][number]['sources'] {
  const s = o as unknown as InventorySummary['servers'][number]['sources'];
  const fresh = (f: Json) => ({ error: (f['error'] as string | null) ?? null, readAt: toDate(f['readAt']) });
  return { ...s, license: fresh(o['license'] as Json), replicaStates: fresh(o['replicaStates'] as Json), hierarchy: fresh(o['hierarchy'] as Json) };
}
