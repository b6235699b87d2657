import { pagination, type Json } from './models.js';
import { invalid } from './route-types.js';

/** `limit` when a listing is not given one (the document's default). */
export const DEFAULT_LIMIT = 200;

export function integerParam(url: URL, name: string, fallback: number, min: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min) throw invalid(`${name} must be an integer >= ${min}, got '${raw}'`);
  return n;
}

/** `*` wildcards, case-insensitive, whole value (VBR's name pattern filters). */
export function namePattern(raw: string | null): ((name: string) => boolean) | undefined {
  if (raw === null) return undefined;
  const re = new RegExp(`^${raw.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return (name) => re.test(name);
}

/** Index-ranged listing with optional predicate: arithmetic without one, a scan with one. */
export function listing(url: URL, count: number, at: (k: number) => Json, keep?: (k: number) => boolean): Json {
  const skip = integerParam(url, 'skip', 0, 0);
  const limit = integerParam(url, 'limit', DEFAULT_LIMIT, 1);
  if (!keep) {
    const data: Json[] = [];
    for (let k = skip; k < Math.min(count, skip + limit); k++) data.push(at(k));
    return { data, pagination: pagination(count, data.length, skip, limit) };
  }
  const data: Json[] = [];
  let total = 0;
  for (let k = 0; k < count; k++) {
    if (!keep(k)) continue;
    if (total >= skip && data.length < limit) data.push(at(k));
    total++;
  }
  return { data, pagination: pagination(total, data.length, skip, limit) };
}
