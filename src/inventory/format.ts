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
  out.push('');
  out.push(...formatSources(summary));
  return out.join('\n');
}

const SOURCE_LABEL = { VBR_LICENSE: 'license', SETTING: 'setting', UNKNOWN: 'unknown' } as const;

function freshness(f: { error: string | null; readAt: Date | null }): string {
  if (f.error === null && f.readAt !== null) return `ok ${when(f.readAt)}`;
  return f.readAt === null ? 'never' : `last ${when(f.readAt)}`;
}

/** Per backup server: its REST API, where the edition came from, what was matched, and the age of each source. */
function formatSources(summary: InventorySummary): string[] {
  const header = ['BACKUP SERVER', 'VBR REST', 'REVISION', 'EDITION FROM', 'LICENSE', 'STATES', 'HIERARCHY', 'OBJECTS', 'MATCHED', 'UNMATCHED'];
  const rows = summary.servers.map(({ name, sources: s }) => [
    name,
    !s.configured ? 'not configured' : s.reachable ? 'reachable' : 'UNREACHABLE',
    s.revision ?? '-',
    SOURCE_LABEL[s.editionSource],
    freshness(s.license),
    freshness(s.replicaStates),
    freshness(s.hierarchy),
    n(s.hierarchyObjects),
    n(s.replicasMatched),
    n(s.replicasUnmatched),
  ]);
  const out = ['Sources per backup server (see docs/real-sources.md):', ...table(header, rows, (i) => i >= 7)];
  for (const { name, sources: s } of summary.servers) {
    const notes = [s.editionDetail, s.license.error, s.replicaStates.error, s.hierarchy.error].filter((x): x is string => x !== null);
    for (const note of new Set(notes)) out.push(`  ${name}: ${note}`);
    for (const u of s.unmatched) out.push(`  ${name}: unmatched ${u}`);
  }
  return out;
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
