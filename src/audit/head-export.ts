import type { PrismaClient } from '../generated/prisma/client.js';
import { csvLine } from './csv.js';
import type { AuditExportOptions } from './export.js';
import { AuditInputError } from './input.js';

/** Signed-head export columns, in this order in both formats. */
export const SIGNED_HEAD_COLUMNS = ['seq', 'hash', 'signedAt', 'keyId', 'signature'] as const;

/**
 * Every signed head in seq order, as NDJSON or CSV, a page a chunk (as
 * exportAudit, with its CSV formula protection). With the public key, anyone can check them against an entry
 * export without the database.
 */
export async function* exportSignedHeads(
  prisma: PrismaClient,
  options: Pick<AuditExportOptions, 'format' | 'pageSize' | 'protectFormulas'>,
): AsyncGenerator<string, void, undefined> {
  if (options.format !== 'ndjson' && options.format !== 'csv') throw new AuditInputError(`format must be ndjson or csv, got ${String(options.format)}`);
  const pageSize = options.pageSize ?? 2_000;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError('pageSize must be a positive integer');
  // The table is writable by whoever can write the database: its text is no safer in a spreadsheet than an entry's.
  const protect = options.protectFormulas ?? true;
  if (options.format === 'csv') yield csvLine(SIGNED_HEAD_COLUMNS, false);
  let after: bigint | undefined;
  for (;;) {
    const heads = await prisma.auditSignedHead.findMany({ where: after === undefined ? {} : { seq: { gt: after } }, orderBy: { seq: 'asc' }, take: pageSize });
    if (heads.length === 0) return;
    yield heads
      .map((head) => {
        const fields = [head.seq.toString(), head.hash, head.signedAt.toISOString(), head.keyId, head.signature];
        return options.format === 'csv' ? csvLine(fields, protect) : `${JSON.stringify(Object.fromEntries(SIGNED_HEAD_COLUMNS.map((column, i) => [column, fields[i]])))}\n`;
      })
      .join('');
    if (heads.length < pageSize) return;
    after = heads.at(-1)!.seq;
  }
}
