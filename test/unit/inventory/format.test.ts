import { describe, expect, it } from 'vitest';
import { formatSummary, formatSyncReport, summaryFromJson, syncReportFromJson, type InventorySummary, type SyncReport } from '../../../src/inventory/index.js';

const at = new Date('2025-06-01T12:00:00Z');
const counts = { added: 1, updated: 0, removed: 0, unchanged: 2 };
const summary: InventorySummary = {
  lastSync: { startedAt: at, finishedAt: at, succeededAt: null, error: 'EM is unavailable' },
  servers: [
    {
      id: 'urn:veeam:BackupServer:1', name: 'vbr-01', edition: 'ENTERPRISE_PLUS', version: '13', lastSyncStartedAt: at, lastSyncedAt: null,
      lastSyncFailedAt: at, lastSyncError: 'EM is unavailable', stale: true,
      replicas: { VM_REPLICA: 3, CDP_VM: 1, VCD_VAPP_REPLICA: 0, VCD_CDP_VAPP: 2 }, restorePoints: 9, cdpRanges: 1, cdpLongTermPoints: 12,
    },
  ],
  totals: { replicas: { VM_REPLICA: 3, CDP_VM: 1, VCD_VAPP_REPLICA: 0, VCD_CDP_VAPP: 2 }, allReplicas: 6, restorePoints: 9, cdpRanges: 1, cdpLongTermPoints: 12 },
};
const report: SyncReport = {
  startedAt: at, finishedAt: at, durationMs: 1500, ok: true, servers: [
    { id: 'urn:veeam:BackupServer:1', name: 'vbr-01', edition: 'ENTERPRISE_PLUS', ok: true, replicas: { VM_REPLICA: counts, CDP_VM: counts, VCD_VAPP_REPLICA: counts, VCD_CDP_VAPP: counts }, restorePoints: counts, cdpIntervals: counts },
  ],
  removedServers: [], writes: 7, skipped: 0,
};

describe('inventory output', () => {
  it('prints counts per kind and server, edition and freshness', () => {
    const text = formatSummary(summary);
    expect(text).toContain('Enterprise Plus');
    expect(text).toMatch(/vbr-01 .* 3 .* 1 .* 0 .* 2 .* 9/);
    expect(text).toContain('STALE: EM is unavailable');
    expect(text).toContain('last sync FAILED');
    expect(formatSyncReport(report)).toContain('+1 ~0 -0 =2');
  });

  it('survives a JSON round trip with its dates', () => {
    expect(summaryFromJson(JSON.parse(JSON.stringify(summary)))).toEqual(summary);
    expect(syncReportFromJson(JSON.parse(JSON.stringify(report)))).toEqual(report);
  });
});
