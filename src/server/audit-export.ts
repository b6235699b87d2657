import { AuditInputError, exportAudit, type AuditExportFormat } from '../audit/index.js';
import { loadCaller, principalFrom } from '../graphql/caller.js';
import type { GatewayServices } from './services.js';
import { decide } from '../policy/index.js';
import { parseDateTime } from '../rfc3339.js';

/** Path of the streamed audit export. */
export const AUDIT_EXPORT_PATH = '/audit/export';

const CONTENT_TYPES: Record<AuditExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

function problem(status: number, message: string): Response {
  return new Response(JSON.stringify({ error: message }), { status, headers: { 'content-type': 'application/json' } });
}

function instant(value: string | null, name: string): Date | undefined {
  if (value === null || value === '') return undefined;
  const date = parseDateTime(value);
  if (date === undefined) throw new AuditInputError(`${name} must be an RFC 3339 time with a time zone naming a moment that exists, e.g. 2026-11-25T00:00:00Z; got ${JSON.stringify(value)}`);
  return date;
}

/**
 * `GET /audit/export?format=ndjson|csv&from=…&to=…` with an administrator's
 * bearer token: the entries of [from, to) in chain order, streamed page by page
 * as the client reads (memory stays at one page whatever the range).
 */
export async function handleAuditExport(request: Request, services: GatewayServices): Promise<Response> {
  let caller;
  try {
    caller = await loadCaller(services.db.prisma, await principalFrom({ kind: 'header', authorization: request.headers.get('authorization') }, services.tokens));
  } catch (error) {
    return problem(401, (error as Error).message);
  }
  const decision = decide(caller.policy.ability, 'read', 'AuditEntry');
  if (!decision.allowed) return problem(403, decision.reason);
  const url = new URL(request.url);
  const format = (url.searchParams.get('format') ?? 'ndjson') as AuditExportFormat;
  let chunks: AsyncGenerator<string>;
  try {
    if (format !== 'ndjson' && format !== 'csv') throw new AuditInputError('format must be ndjson or csv');
    chunks = exportAudit(services.db.prisma, { format, from: instant(url.searchParams.get('from'), 'from'), to: instant(url.searchParams.get('to'), 'to') });
  } catch (error) {
    if (error instanceof AuditInputError) return problem(400, error.message);
    throw error;
  }
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        // Headers are gone already: cutting the stream tells the client the export is incomplete.
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return new Response(body, {
    headers: {
      'content-type': CONTENT_TYPES[format],
      'content-disposition': `attachment; filename="audit-${stamp}.${format}"`,
      'cache-control': 'no-store',
    },
  });
}
