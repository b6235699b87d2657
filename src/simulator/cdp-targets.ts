import type { CdpHistory } from './inventory-types.js';

/** What a CdpFailoverStartSpec asks for, once its booleans and dates are sorted out. */
export type CdpTarget =
  | { mode: 'current' }
  | { mode: 'currentVss' }
  | { mode: 'pointInTime'; at: number }
  | { mode: 'interval'; at: number };

export class CdpSpecError extends Error {}

/** Case-insensitive property lookup: covers RestoreAtPointInTime and RestoreAtPointinTime alike. */
function prop(body: Record<string, unknown>, name: string): unknown {
  if (name in body) return body[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(body)) if (key.toLowerCase() === lower) return body[key];
  return undefined;
}

function bool(body: Record<string, unknown>, name: string): boolean {
  const v = prop(body, name);
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new CdpSpecError(`CdpFailoverStartSpec.${name} is required and must be a boolean`);
}

function date(body: Record<string, unknown>, name: string): number | undefined {
  const v = prop(body, name);
  if (v === undefined || v === null || v === '') return undefined;
  const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(t)) throw new CdpSpecError(`CdpFailoverStartSpec.${name} must be an ISO 8601 UTC date`);
  return t;
}

/**
 * Parses a CdpFailoverStartSpec (bare or wrapped in {"CdpFailoverStartSpec": …}).
 * Precedence, undocumented in EM (guess): a date beats the booleans, a point in
 * time beats an interval, and RestoreCurrentVss beats RestoreCurrent.
 */
export function parseCdpSpec(raw: unknown): CdpTarget {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new CdpSpecError('A CdpFailoverStartSpec body is required');
  let body = raw as Record<string, unknown>;
  const wrapped = prop(body, 'CdpFailoverStartSpec');
  if (typeof wrapped === 'object' && wrapped !== null) body = wrapped as Record<string, unknown>;
  const current = bool(body, 'RestoreCurrent');
  const currentVss = bool(body, 'RestoreCurrentVss');
  const pointInTime = date(body, 'RestoreAtPointInTime');
  const interval = date(body, 'RestoreAtInterval');
  if (pointInTime !== undefined) return { mode: 'pointInTime', at: pointInTime };
  if (interval !== undefined) return { mode: 'interval', at: interval };
  if (currentVss) return { mode: 'currentVss' };
  if (current) return { mode: 'current' };
  throw new CdpSpecError('CdpFailoverStartSpec selects no restore target: set RestoreCurrent, RestoreCurrentVss, RestoreAtInterval or RestoreAtPointInTime');
}

/** The moment a target restores to, or a CdpSpecError (→ 400) when the history cannot satisfy it. */
export function resolveCdpTarget(target: CdpTarget, history: CdpHistory): number {
  const latest = Math.max(...history.ranges.map((r) => r.end));
  switch (target.mode) {
    case 'current':
      return latest;
    case 'currentVss': {
      const vss = history.longTermPoints.filter((p) => p.applicationConsistent).map((p) => p.date);
      if (vss.length === 0) throw new CdpSpecError('No application-consistent restore point is available for this replica');
      return Math.max(...vss);
    }
    case 'pointInTime': {
      const oldest = Math.min(...history.longTermPoints.map((p) => p.date), ...history.ranges.map((r) => r.start));
      if (target.at < oldest) throw new CdpSpecError(`The requested point in time ${new Date(target.at).toISOString()} is older than the oldest restore point`);
      if (history.ranges.some((r) => target.at >= r.start && target.at <= r.end)) return target.at;
      // Newest replicated state created before the date.
      const candidates = [...history.ranges.map((r) => r.end), ...history.longTermPoints.map((p) => p.date)].filter((t) => t <= target.at);
      return Math.max(...candidates);
    }
    case 'interval': {
      const range = history.ranges.find((r) => target.at >= r.start && target.at <= r.end);
      if (range) return range.end;
      const point = history.longTermPoints.find((p) => p.date === target.at);
      if (point) return point.date;
      throw new CdpSpecError(`The requested interval date ${new Date(target.at).toISOString()} is not inside an available restore interval`);
    }
  }
}
