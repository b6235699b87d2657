import { describe, expect, it } from 'vitest';
import { formatSummary, formatSyncReport, summaryFromJson, syncReportFromJson, type InventorySummary, type ServerSummary, type SyncReport } from '../../../src/inventory/index.js';

const at = new Date('2025-06-01T12:00:00Z');
const hourBefore = new Date('2025-06-01T11:00:00Z');
const counts = { added: 1, updated: 0, removed: 0, unchanged: 2 };
const noReplicas = { VM_REPLICA: 0, CDP_VM: 0, VCD_VAPP_REPLICA: 0, VCD_CDP_VAPP: 0 };
const statesDown = 'replica states: backup server vbr-01 did not answer (503)';
const unreachable = 'VBR REST API: backup server vbr-02 did not answer (connect ECONNREFUSED)';
const notConfigured = 'no VBR access configured';
const never = { error: null, readAt: null };

/** Three backup servers, one per way of knowing its facts: its REST API answers (but one source failed), does not answer, or is not configured. */
const servers: ServerSummary[] = [
  {
    id: 'urn:veeam:BackupServer:1', name: 'vbr-01', edition: 'ENTERPRISE_PLUS', version: '13', lastSyncStartedAt: at, lastSyncedAt: null,
    lastSyncFailedAt: at, lastSyncError: 'EM is unavailable', stale: true,
    replicas: { VM_REPLICA: 3, CDP_VM: 1, VCD_VAPP_REPLICA: 0, VCD_CDP_VAPP: 2 }, restorePoints: 9, cdpRanges: 1, cdpLongTermPoints: 12,
    sources: {
      configured: true, reachable: true, revision: '1.3-rev1', editionSource: 'VBR_LICENSE', editionDetail: null,
      license: { error: null, readAt: at }, replicaStates: { error: statesDown, readAt: hourBefore }, hierarchy: { error: null, readAt: at },
      hierarchyObjects: 1234, replicasMatched: 2, replicasUnmatched: 1, unmatched: ['Job 7/sql02: no VBR replica point of that name'],
    },
  },
  {
    id: 'urn:veeam:BackupServer:2', name: 'vbr-02', edition: 'UNKNOWN', version: '13', lastSyncStartedAt: at, lastSyncedAt: at,
    lastSyncFailedAt: null, lastSyncError: null, stale: false, replicas: noReplicas, restorePoints: 0, cdpRanges: 0, cdpLongTermPoints: 0,
    sources: {
      configured: true, reachable: false, revision: null, editionSource: 'UNKNOWN', editionDetail: unreachable,
      // The same failure for all three sources: one note.
      license: { error: unreachable, readAt: hourBefore }, replicaStates: { error: unreachable, readAt: null }, hierarchy: { error: unreachable, readAt: null },
      hierarchyObjects: 0, replicasMatched: 0, replicasUnmatched: 0, unmatched: [],
    },
  },
  {
    id: 'urn:veeam:BackupServer:3', name: 'vbr-03', edition: 'STANDARD', version: '12.3', lastSyncStartedAt: at, lastSyncedAt: at,
    lastSyncFailedAt: null, lastSyncError: null, stale: false, replicas: noReplicas, restorePoints: 0, cdpRanges: 0, cdpLongTermPoints: 0,
    sources: {
      configured: false, reachable: false, revision: null, editionSource: 'SETTING', editionDetail: notConfigured,
      license: never, replicaStates: never, hierarchy: never, hierarchyObjects: 0, replicasMatched: 0, replicasUnmatched: 0, unmatched: [],
    },
  },
];
const summary: InventorySummary = {
  lastSync: { startedAt: at, finishedAt: at, succeededAt: null, error: 'EM is unavailable' },
  servers,
  totals: { replicas: { VM_REPLICA: 3, CDP_VM: 1, VCD_VAPP_REPLICA: 0, VCD_CDP_VAPP: 2 }, allReplicas: 6, restorePoints: 9, cdpRanges: 1, cdpLongTermPoints: 12 },
};
const report: SyncReport = {
  startedAt: at, finishedAt: at, durationMs: 1500, ok: true, servers: [
    {
      id: 'urn:veeam:BackupServer:1', name: 'vbr-01', edition: 'ENTERPRISE_PLUS', ok: true, replicas: { VM_REPLICA: counts, CDP_VM: counts, VCD_VAPP_REPLICA: counts, VCD_CDP_VAPP: counts }, restorePoints: counts, cdpIntervals: counts,
      sources: {
        configured: true, reachable: true, revision: '1.3-rev1', edition: 'ENTERPRISE_PLUS', editionSource: 'VBR_LICENSE', editionDetail: null,
        license: { ok: true }, replicaStates: { ok: false, error: statesDown, transient: true }, hierarchy: { ok: true },
        hierarchyObjects: 1234, replicasMatched: 2, replicasUnmatched: 1, unmatched: ['Job 7/sql02: no VBR replica point of that name'],
      },
    },
  ],
  removedServers: [], writes: 7, skipped: 0,
};

describe('inventory output', () => {
  it('prints counts per kind and server, edition and freshness', () => {
    const text = formatSummary(summary);
    expect(text).toContain('Enterprise Plus');
    expect(text).toMatch(/on 3 backup server\(s\)/);
    expect(text).toMatch(/vbr-01 .* 3 .* 1 .* 0 .* 2 .* 9/);
    expect(text).toMatch(/^vbr-02 +Unknown /m);
    expect(text).toMatch(/^vbr-03 +Standard .* fresh$/m);
    expect(text).toContain('STALE: EM is unavailable');
    expect(text).toContain('last sync FAILED');
    expect(formatSyncReport(report)).toContain('+1 ~0 -0 =2');
  });

  it('prints a sources table per backup server: REST API, revision, where the edition came from, age of each source, matching', () => {
    const lines = formatSummary(summary).split('\n');
    const start = lines.indexOf('Sources per backup server (see docs/real-sources.md):');
    expect(start).toBeGreaterThan(0);
    const [header, ...rest] = lines.slice(start + 1);
    expect(header!.split(/ {2,}/)).toEqual(['BACKUP SERVER', 'VBR REST', 'REVISION', 'EDITION FROM', 'LICENSE', 'STATES', 'HIERARCHY', 'OBJECTS', 'MATCHED', 'UNMATCHED']);
    const rows = rest.slice(0, 3);
    expect(rows.map((r) => r.split(/ {2,}/))).toEqual([
      ['vbr-01', 'reachable', '1.3-rev1', 'license', 'ok 2025-06-01 12:00:00Z', 'last 2025-06-01 11:00:00Z', 'ok 2025-06-01 12:00:00Z', '1,234', '2', '1'],
      ['vbr-02', 'UNREACHABLE', '-', 'unknown', 'last 2025-06-01 11:00:00Z', 'never', 'never', '0', '0', '0'],
      ['vbr-03', 'not configured', '-', 'setting', 'never', 'never', 'never', '0', '0', '0'],
    ]);
    // Columns line up: every cell starts where its header does; numbers are right-aligned, so each row ends where the header does.
    for (const column of ['VBR REST', 'REVISION', 'EDITION FROM', 'LICENSE', 'STATES', 'HIERARCHY']) {
      const offset = header!.indexOf(column);
      for (const row of rows) expect(row[offset - 1]).toBe(' ');
      for (const row of rows) expect(row[offset]).not.toBe(' ');
    }
    for (const row of rows) expect(row).toHaveLength(header!.length);
    // Under the table, why each source or edition is missing (once per server and reason), and the unmatched replicas.
    expect(rest.slice(3)).toEqual([
      `  vbr-01: ${statesDown}`,
      '  vbr-01: unmatched Job 7/sql02: no VBR replica point of that name',
      `  vbr-02: ${unreachable}`,
      `  vbr-03: ${notConfigured}`,
    ]);
  });

  it('survives a JSON round trip with its dates', () => {
    expect(summaryFromJson(JSON.parse(JSON.stringify(summary)))).toEqual(summary);
    expect(syncReportFromJson(JSON.parse(JSON.stringify(report)))).toEqual(report);
  });
});
