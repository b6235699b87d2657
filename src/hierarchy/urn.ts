import { rootToken, urnToken, type HierarchyPlatform, type UrnToken } from './urn-tokens.js';

/**
 * VBR Inventory Browser `urn` paths: segments joined by `;`, each
 * `<token>:<value>` split on the first `:` (values such as vSphere tag ids
 * hold colons). The first segment names the vCenter or Cloud Director server;
 * each later one an object beneath it, root first.
 */

export interface UrnSegment {
  token: string;
  value: string;
  spec: UrnToken;
}

export interface ParsedUrn {
  urn: string;
  platform: HierarchyPlatform;
  /** Host name of the vCenter / Cloud Director server (the root segment's value). */
  host: string;
  /** Every segment, the root one first. */
  segments: UrnSegment[];
}

export type UrnParseFailure =
  | { kind: 'empty-urn'; urn: string }
  | { kind: 'malformed-segment'; urn: string; index: number; segment: string; reason: string }
  /** `platform` is the one the root segment set; absent when the first token is unknown. */
  | { kind: 'unknown-token'; urn: string; index: number; token: string; platform?: HierarchyPlatform }
  | { kind: 'root-not-first'; urn: string; index: number; token: string };

export type UrnParseResult = { ok: true; urn: ParsedUrn } | { ok: false; failure: UrnParseFailure };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseUrn(urn: string): UrnParseResult {
  if (urn === '') return fail({ kind: 'empty-urn', urn });
  const parts = urn.split(';');
  const segments: UrnSegment[] = [];
  let platform: HierarchyPlatform | undefined;
  for (const [index, segment] of parts.entries()) {
    const colon = segment.indexOf(':');
    if (colon <= 0) return fail({ kind: 'malformed-segment', urn, index, segment, reason: colon < 0 ? 'no ":" between token and value' : 'empty token' });
    const token = segment.slice(0, colon);
    const value = segment.slice(colon + 1);
    if (platform !== undefined && rootToken(token)) return fail({ kind: 'root-not-first', urn, index, token });
    const spec = platform === undefined ? rootToken(token) : urnToken(platform, token);
    if (spec === undefined) return fail(platform === undefined ? { kind: 'unknown-token', urn, index, token } : { kind: 'unknown-token', urn, index, token, platform });
    const bad = valueProblem(spec, value);
    if (bad) return fail({ kind: 'malformed-segment', urn, index, segment, reason: bad });
    platform ??= spec.platform;
    segments.push({ token, value, spec });
  }
  return { ok: true, urn: { urn, platform: platform!, host: segments[0]!.value, segments } };
}

function valueProblem(spec: UrnToken, value: string): string | undefined {
  if (value === '') return 'empty value';
  if (spec.objectRef.kind === 'vcloud-urn' && !UUID.test(value)) return `"${spec.token}" needs a bare Cloud Director uuid`;
  return undefined;
}

function fail(failure: UrnParseFailure): UrnParseResult {
  return { ok: false, failure };
}

/** Writes segments back as a urn (the inverse of parseUrn for any urn it accepts). */
export function formatUrn(segments: readonly { token: string; value: string }[]): string {
  return segments.map((s) => `${s.token}:${s.value}`).join(';');
}

/**
 * The InventoryBrowserFilters `urn Contains` value that selects everything
 * beneath one container (Veeam's documented pattern, e.g. `hostsystem:host-08;`).
 * The trailing `;` keeps the container itself and look-alike ids (`host-080`) out.
 */
export function descendantsFilterValue(segment: { token: string; value: string }): string {
  return `${segment.token}:${segment.value};`;
}

type FailureOf<K extends UrnParseFailure['kind']> = Extract<UrnParseFailure, { kind: K }>;

const FAILURE_TEXT: { [K in UrnParseFailure['kind']]: (f: FailureOf<K>) => string } = {
  'empty-urn': () => 'empty urn',
  'malformed-segment': (f) => `urn "${f.urn}": segment ${f.index} "${f.segment}" is malformed (${f.reason})`,
  'unknown-token': (f) =>
    f.platform === undefined
      ? `urn "${f.urn}": unknown root token "${f.token}" (a urn starts with vc: or vcdsystem:)`
      : `urn "${f.urn}": unknown ${f.platform} token "${f.token}" in segment ${f.index}`,
  'root-not-first': (f) => `urn "${f.urn}": root token "${f.token}" in segment ${f.index}, not first`,
};

export function describeUrnFailure(f: UrnParseFailure): string {
  return (FAILURE_TEXT[f.kind] as (f: UrnParseFailure) => string)(f);
}
