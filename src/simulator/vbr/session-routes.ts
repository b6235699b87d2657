import { integerParam, DEFAULT_LIMIT, namePattern } from './paging.js';
import { pagination } from './models.js';
import { ANY, ID, invalid, notFound, ok, type VbrContext, type VbrRoute } from './route-types.js';
import { emFailoverSessionView, lifecycleSessionView, sessionModel, type SessionView } from './session-model.js';

/**
 * The Sessions tag (vbr-rest.md §2.4): the lifecycle sessions of this
 * server, and the VM failovers EM had it run. Filters are exactly
 * GetAllSessions' query parameters in 1.3-rev1.
 */

/** The face's sessions, in creation order. */
function sessionsOf(ctx: VbrContext): SessionView[] {
  const sim = ctx.core.simulation;
  const now = ctx.core.now();
  const server = ctx.face.server.index;
  const views = sim
    .lifecycle.all()
    .filter((s) => s.backupServer === server)
    .map((s) => lifecycleSessionView(s, now));
  for (const r of sim.allRestoreSessions()) if (r.kind === 'vm' && r.backupServer === server) views.push(emFailoverSessionView(r, sim.snapshot(r)));
  return views.sort((a, b) => a.seq - b.seq);
}

const SESSION_STATES = ['Stopped', 'Starting', 'Stopping', 'Working', 'Pausing', 'Resuming', 'WaitingTape', 'Idle', 'Postprocessing', 'WaitingRepository', 'WaitingSlot'];
const SESSION_RESULTS = ['None', 'Success', 'Warning', 'Failed'];
const ORDER_COLUMNS = ['Name', 'SessionType', 'CreationTime', 'EndTime', 'State', 'Result', 'InitiatedBy'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An enum value as ASP.NET binds it: case-insensitive, answered in the enum's spelling. */
function member(value: string, members: readonly string[], name: string): string {
  const m = members.find((x) => x.toLowerCase() === value.trim().toLowerCase());
  if (m === undefined) throw invalid(`${name} must be one of ${members.join(', ')}, got '${value}'.`);
  return m;
}

/** An array query parameter: repeated (`typeFilter=A&typeFilter=B`, OpenAPI's default form style), commas also split. */
function list(url: URL, name: string): string[] | undefined {
  const values = url.searchParams.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return values.length === 0 ? undefined : values;
}

function date(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw invalid(`${name} must be a date-time, got '${raw}'.`);
  return t;
}

function filters(url: URL): (v: SessionView) => boolean {
  const q = url.searchParams;
  const name = namePattern(q.get('nameFilter'));
  const createdAfter = date(url, 'createdAfterFilter');
  const createdBefore = date(url, 'createdBeforeFilter');
  const endedAfter = date(url, 'endedAfterFilter');
  const endedBefore = date(url, 'endedBeforeFilter');
  // ESessionType has some 80 members; a type the simulator never creates simply matches nothing.
  const types = list(url, 'typeFilter')?.map((t) => t.toLowerCase());
  const state = q.get('stateFilter') === null ? undefined : member(q.get('stateFilter')!, SESSION_STATES, 'stateFilter');
  const results = list(url, 'resultFilter')?.map((r) => member(r, SESSION_RESULTS, 'resultFilter'));
  const jobId = q.get('jobIdFilter');
  if (jobId !== null && !UUID.test(jobId)) throw invalid(`jobIdFilter must be a UUID, got '${jobId}'.`);
  return (v) =>
    (!name || name(v.name)) &&
    (createdAfter === undefined || v.creationTime > createdAfter) &&
    (createdBefore === undefined || v.creationTime < createdBefore) &&
    // A session that has not ended has not ended after or before anything.
    (endedAfter === undefined || (v.endTime !== undefined && v.endTime > endedAfter)) &&
    (endedBefore === undefined || (v.endTime !== undefined && v.endTime < endedBefore)) &&
    (!types || types.includes(v.sessionType.toLowerCase())) &&
    (!state || v.state === state) &&
    (!results || results.includes(v.result)) &&
    (jobId === null || v.jobId === jobId.toLowerCase());
}

type Key = string | number;
const KEY: Record<(typeof ORDER_COLUMNS)[number], (v: SessionView) => Key> = {
  Name: (v) => v.name.toLowerCase(),
  SessionType: (v) => v.sessionType,
  CreationTime: (v) => v.creationTime,
  // Sessions still running sort after every ended one.
  EndTime: (v) => v.endTime ?? Number.MAX_SAFE_INTEGER,
  State: (v) => v.state,
  Result: (v) => v.result,
  InitiatedBy: (v) => (v.initiatedBy ?? '').toLowerCase(),
};

function order(url: URL, views: SessionView[]): SessionView[] {
  const column = url.searchParams.get('orderColumn');
  const ascRaw = url.searchParams.get('orderAsc');
  if (ascRaw !== null && !/^(true|false)$/i.test(ascRaw)) throw invalid(`orderAsc must be true or false, got '${ascRaw}'.`);
  const sign = ascRaw !== null && ascRaw.toLowerCase() === 'false' ? -1 : 1;
  const key = column === null ? (v: SessionView) => v.seq : KEY[member(column, ORDER_COLUMNS, 'orderColumn') as (typeof ORDER_COLUMNS)[number]];
  return [...views].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka === kb ? a.seq - b.seq : (ka < kb ? -1 : 1) * sign;
  });
}

export const SESSION_ROUTES: VbrRoute[] = [
  {
    method: 'GET',
    pattern: /^\/api\/v1\/sessions\/?$/i,
    name: 'GET /api/v1/sessions',
    requestClass: 'read',
    since: '1.1-rev0',
    roles: ANY,
    handler(ctx) {
      const skip = integerParam(ctx.url, 'skip', 0, 0);
      const limit = integerParam(ctx.url, 'limit', DEFAULT_LIMIT, 1);
      const matched = order(ctx.url, sessionsOf(ctx).filter(filters(ctx.url)));
      const page = matched.slice(skip, skip + limit).map(sessionModel);
      return ok({ data: page, pagination: pagination(matched.length, page.length, skip, limit) });
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/v1/sessions/${ID}/?$`, 'i'),
    name: 'GET /api/v1/sessions/{id}',
    requestClass: 'read',
    since: '1.1-rev0',
    roles: ANY,
    handler(ctx: VbrContext) {
      const id = ctx.params[0]!.toLowerCase();
      const sim = ctx.core.simulation;
      const server = ctx.face.server.index;
      const mine = sim.lifecycle.get(id);
      if (mine && mine.backupServer === server) return ok(sessionModel(lifecycleSessionView(mine, ctx.core.now())));
      const em = sim.restoreSession(id);
      if (em && em.kind === 'vm' && em.backupServer === server) return ok(sessionModel(emFailoverSessionView(em, sim.snapshot(em))));
      throw notFound(ctx.params[0]!);
    },
  },
];
