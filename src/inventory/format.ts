import { REPLICA_KINDS, type ChangeCounts, type InventorySummary, type LicenseEdition, type ReplicaKind, type SyncReport } from './types.js';

/** Plain-text tables for the CLI. */

const KIND_LABEL: Record<ReplicaKind, string> = { VM_REPLICA: 'VM', CDP_VM: 'CDP VM', VCD_VAPP_REPLICA: 'vApp', VCD_CDP_VAPP: 'CDP vApp' };
const EDITION_LABEL: Record<LicenseEdition, string> = {
  COMMUNITY: 'Community',
  STANDARD: 'Standard',
  ENTERPRISE: 'Enterprise',
  ENTERPRISE_PLUS: 'Enterprise Plus',
  UNKNOWN: 'Unknown',
};

const n = (x: number): string => x.toLocaleString('en-US');
const when = (d: Date | null | undefined): string => (d ? d.toISOString().slice(0, 19).replace('T', ' ') + 'Z' : 'never');

function table(header: string[], rows: string[][], rightAligned: (column: number) => boolean): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function formatSummary(summary: InventorySummary): string {
  const { lastSync, totals } = summary;
  const out: string[] = [];
  const status = lastSync.startedAt === null ? 'never synced' : lastSync.error ? `last sync FAILED at ${when(lastSync.finishedAt)}: ${lastSync.error}` : `last sync OK at ${when(lastSync.finishedAt)}`;
  out.push(`Inventory: ${n(totals.allReplicas)} replicas on ${summary.servers.length} backup server(s); ${status}`);
  out.push('');
  const header = ['BACKUP SERVER', 'EDITION', ...REPLICA_KINDS.map((k) => KIND_LABEL[k]), 'POINTS', 'CDP RANGES', 'CDP LT POINTS', 'LAST SYNCED', 'STATUS'];
  const rows = summary.servers.map((s) => [
    s.name,
    EDITION_LABEL[s.edition],
    ...REPLICA_KINDS.map((k) => n(s.replicas[k])),
    n(s.restorePoints),
    n(s.cdpRanges),
    n(s.cdpLongTermPoints),
    when(s.lastSyncedAt),
    s.stale ? `STALE: ${s.lastSyncError ?? 'last sync failed'}` : s.lastSyncedAt ? 'fresh' : 'not synced yet',
  ]);
  rows.push(['TOTAL', '', ...REPLICA_KINDS.map((k) => n(totals.replicas[k])), n(totals.restorePoints), n(totals.cdpRanges), n(totals.cdpLongTermPoints), '', '']);
  out.push(...table(header, rows, (i) => i >= 2 && i <= 8));
  return out.join('\n');
}

const changes = (c: ChangeCounts): string => `+${c.added} ~${c.updated} -${c.removed} =${c.unchanged}`;

export function formatSyncReport(report: SyncReport): string {
  const out: string[] = [];
  const seconds = (report.durationMs / 1000).toFixed(1);
  out.push(
    report.ok
      ? `Sync OK in ${seconds} s: ${n(report.writes)} row(s) written`
      : `Sync FAILED in ${seconds} s: ${report.error ?? 'some backup servers failed'}; nothing was deleted for them, their data is marked stale`,
  );
  if (report.skipped > 0) out.push(`${n(report.skipped)} EM object(s) skipped: no known backup server`);
  if (report.removedServers.length > 0) out.push(`Backup servers removed: ${report.removedServers.join(', ')}`);
  if (report.servers.length > 0) {
    out.push('Changes per backup server (+added ~updated -removed =unchanged):');
    const header = ['BACKUP SERVER', ...REPLICA_KINDS.map((k) => KIND_LABEL[k]), 'POINTS', 'CDP INTERVALS', 'RESULT'];
    const rows = report.servers.map((s) => [s.name, ...REPLICA_KINDS.map((k) => changes(s.replicas[k])), changes(s.restorePoints), changes(s.cdpIntervals), s.ok ? 'ok' : `FAILED: ${s.error ?? ''}`]);
    out.push(...table(header, rows, () => false));
  }
  return out.join('\n');
}
