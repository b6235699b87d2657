import type { Logger } from 'pino';
import type { VbrEndpoint } from '../config/vbr-servers.js';
import type { BackupServer, EmClient, Replica } from '../em/index.js';
import { URN_TOKENS } from '../hierarchy/index.js';
import type { SourceSettings } from '../inventory/sources/collect.js';
import { runSourcesStage } from '../inventory/sources/stage.js';
import type { VbrClient } from '../vbr/index.js';

/** One assumption the gateway makes about its upstreams, checked. */
export interface DoctorCheck {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
}

export interface ServerDiagnosis {
  uid: string;
  name: string;
  checks: DoctorCheck[];
  apiRevision: string | null;
  license: { edition: string; package: string | null; type: string | null; status: string } | null;
  editionUsed: string;
  editionSource: string;
  /** urn segment tokens seen in the Inventory Browser, with counts; those our table does not know are failures. */
  urnTokens: Record<string, number>;
  unknownUrnTokens: string[];
  /** EM job-level replicas whose GUID is also a VBR replica id of the same name (agree), or of another name (disagree). */
  ids: { agree: number; disagree: number; vbrReplicas: number };
  replicas: { matched: number; unmatched: number; unmatchedNames: string[] };
}

export interface DoctorReport {
  ok: boolean;
  em: DoctorCheck[];
  servers: ServerDiagnosis[];
}

export interface DoctorOptions {
  em: EmClient;
  sources: SourceSettings;
  connect: (endpoint: VbrEndpoint) => VbrClient;
  logger?: Logger;
}

const KNOWN_TOKENS = new Set(URN_TOKENS.map((t) => t.token));
const check = (name: string, status: DoctorCheck['status'], detail: string): DoctorCheck => ({ name, status, detail });
const text = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Checks every assumption the gateway makes about EM and each backup
 * server's REST API, by reading only: logons, revisions, roles (by what each
 * call answers), the urn grammar, whether EM's and VBR's ids agree, the
 * license's edition and package, and which replicas the sources cannot place.
 */
export async function runDoctor(o: DoctorOptions): Promise<DoctorReport> {
  const em: DoctorCheck[] = [];
  let servers: BackupServer[] = [];
  try {
    await o.em.logon();
    em.push(check('EM logon', 'ok', 'the EM account logged on'));
    servers = await o.em.listBackupServers();
    em.push(check('EM backup servers', servers.length > 0 ? 'ok' : 'warn', `${servers.length} backup server(s) listed`));
  } catch (e) {
    em.push(check('EM logon', 'fail', text(e)));
    return { ok: false, em, servers: [] };
  }
  const stage = await runSourcesStage({ em: o.em, servers, settings: o.sources, connect: o.connect, logger: o.logger });
  try {
    em.push(
      stage.rootsError
        ? check('EM hierarchy roots', 'fail', stage.rootsError)
        : check('EM hierarchy roots', stage.roots.length > 0 ? 'ok' : 'warn', `${stage.roots.length} hierarchy root(s): ${stage.roots.map((r) => `${r.name} (${r.hostType})`).join(', ') || 'none'}`),
    );
    const jobs = new Map<string, Replica>();
    for await (const page of o.em.listReplicas()) for (const r of page) jobs.set(r.uid, r);
    await matchEverything(o.em, stage.join, jobs);
    const diagnoses: ServerDiagnosis[] = [];
    for (const server of servers) diagnoses.push(diagnose(server, stage, jobs));
    const ok = [...em, ...diagnoses.flatMap((d) => d.checks)].every((c) => c.status !== 'fail');
    return { ok, em, servers: diagnoses };
  } finally {
    await stage.close();
  }
}

/** Runs every EM replica through the join once, as a sync would, so its counts are the sync's. */
async function matchEverything(em: EmClient, join: Awaited<ReturnType<typeof runSourcesStage>>['join'], jobs: Map<string, Replica>): Promise<void> {
  const seen = new Set<string>();
  const serverOf = (uid: string | undefined) => uid;
  for await (const page of em.listVmReplicaPoints()) {
    for (const p of page) {
      const job = jobs.get(p.replicaUid);
      const server = serverOf(p.backupServerUid ?? job?.backupServerUid);
      if (server === undefined || seen.has(p.vmReplicaKey)) continue;
      seen.add(p.vmReplicaKey);
      join.vmReplica(p, job, server);
    }
  }
  for await (const page of em.listVAppReplicaPoints()) {
    for (const p of page) {
      const server = serverOf(p.backupServerUid ?? jobs.get(p.replicaUid)?.backupServerUid);
      if (server === undefined || seen.has(p.vAppReplicaKey)) continue;
      seen.add(p.vAppReplicaKey);
      join.vAppReplica(p, server);
    }
  }
  const policies = new Map<string, string | undefined>();
  for await (const page of em.listCdpReplicas()) for (const c of page) policies.set(c.id, c.backupServerUid);
  for await (const page of em.listAllCdpReplicaVms()) {
    for (const vm of page) {
      const server = serverOf(vm.backupServerUid ?? policies.get(vm.cdpReplicaId));
      if (server !== undefined) join.cdpVm(vm, server);
    }
  }
  for await (const page of em.listCdpVApps()) {
    for (const v of page) {
      if (v.backupServerUid !== undefined) join.cdpVApp(v, v.backupServerUid);
    }
  }
}

function diagnose(
  server: BackupServer,
  stage: Awaited<ReturnType<typeof runSourcesStage>>,
  jobs: Map<string, Replica>,
): ServerDiagnosis {
  const facts = stage.facts.get(server.uid)!;
  const checks: DoctorCheck[] = [];
  const counts = stage.join.matchCounts(server.uid);
  const diagnosis: ServerDiagnosis = {
    uid: server.uid,
    name: server.name,
    checks,
    apiRevision: facts.revision ?? null,
    license: null,
    editionUsed: facts.edition.value,
    editionSource: facts.edition.source,
    urnTokens: {},
    unknownUrnTokens: [],
    ids: { agree: 0, disagree: 0, vbrReplicas: facts.replicas.size },
    replicas: { matched: counts.matched, unmatched: counts.unmatched, unmatchedNames: counts.unmatchedNames },
  };
  if (!facts.configured) {
    checks.push(check('VBR access', 'warn', `not configured in VBR_SERVERS: ${facts.edition.detail ?? 'EM only'}; hierarchy from EM's own refs only (CDP objects), no replica states`));
    return diagnosis;
  }
  checks.push(facts.reachable ? check('VBR logon', 'ok', `logged on; x-api-version ${facts.revision}`) : check('VBR logon', 'fail', facts.license.error ?? 'no answer'));
  if (!facts.reachable) return diagnosis;
  checks.push(facts.license.ok ? check('license (Backup Administrator)', 'ok', `edition ${facts.edition.value}`) : check('license (Backup Administrator)', 'warn', `${facts.license.error}; edition ${facts.edition.value} from ${facts.edition.source}`));
  checks.push(facts.replicaStates.ok ? check('replica states (Restore Operator or above)', 'ok', `${facts.replicas.size} VBR replica(s)`) : check('replica states (Restore Operator or above)', 'warn', facts.replicaStates.error!));
  checks.push(facts.hierarchy.ok ? check('Inventory Browser (Backup Administrator before 13.1)', 'ok', `${facts.index?.listed ?? 0} object(s) listed`) : check('Inventory Browser (Backup Administrator before 13.1)', 'warn', facts.hierarchy.error!));
  const license = facts.licenseRead;
  if (license !== undefined) {
    diagnosis.license = { edition: String(license.edition), package: license.package ?? null, type: license.type ?? null, status: license.status };
    if (license.status !== 'Valid') checks.push(check('license status', 'warn', `the license is ${license.status}`));
  }
  if (facts.index) {
    diagnosis.urnTokens = Object.fromEntries([...facts.index.tokens].sort(([a], [b]) => a.localeCompare(b)));
    diagnosis.unknownUrnTokens = [...facts.index.tokens.keys()].filter((t) => !KNOWN_TOKENS.has(t));
    checks.push(
      diagnosis.unknownUrnTokens.length === 0 && facts.index.gaps.length === 0
        ? check('urn grammar', 'ok', `tokens seen: ${Object.keys(diagnosis.urnTokens).join(', ')}`)
        : check('urn grammar', 'warn', `${facts.index.gaps.length} object(s) not understood; unknown tokens: ${diagnosis.unknownUrnTokens.join(', ') || 'none'}; first: ${facts.index.gaps[0] ?? '-'}`),
    );
  }
  for (const job of jobs.values()) {
    if (job.backupServerUid !== server.uid) continue;
    const guid = job.uid.slice(job.uid.lastIndexOf(':') + 1);
    const vbr = facts.replicas.get(guid);
    if (vbr === undefined) continue;
    if (vbr.name.toLowerCase() === job.name.toLowerCase()) diagnosis.ids.agree++;
    else diagnosis.ids.disagree++;
  }
  if (facts.replicaStates.ok) {
    const { agree, disagree } = diagnosis.ids;
    checks.push(
      disagree > 0
        ? check('EM and VBR ids', 'warn', `${disagree} EM replica id(s) name another VBR replica: the gateway matches by job name, not by id`)
        : check('EM and VBR ids', 'ok', agree > 0 ? `${agree} EM replica id(s) equal their VBR replica's id` : 'no EM replica id is a VBR replica id: the gateway matches by job name'),
    );
  }
  checks.push(
    counts.unmatched === 0
      ? check('replicas placed', 'ok', `${counts.matched} replica(s) placed in the hierarchy`)
      : check('replicas placed', 'warn', `${counts.unmatched} replica(s) cannot be placed (restricted users will not see them): ${counts.unmatchedNames.slice(0, 3).join('; ')}`),
  );
  return diagnosis;
}

/** The report as text: one line per check, a block per backup server. */
export function formatDoctorReport(report: DoctorReport): string {
  const mark = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;
  const out = [`failover-gateway doctor: ${report.ok ? 'no failure' : 'FAILURES found'}`, '', 'Enterprise Manager'];
  for (const c of report.em) out.push(`  ${mark[c.status]}  ${c.name}: ${c.detail}`);
  for (const s of report.servers) {
    out.push('', `Backup server ${s.name} (${s.uid})`);
    out.push(`  edition ${s.editionUsed} from ${s.editionSource}${s.license ? `; license edition ${s.license.edition}, package ${s.license.package ?? '-'}, type ${s.license.type ?? '-'}, ${s.license.status}` : ''}`);
    for (const c of s.checks) out.push(`  ${mark[c.status]}  ${c.name}: ${c.detail}`);
  }
  return out.join('\n');
}
