import { parseArgs } from 'node:util';
import { AUDIT_EXPORT_FORMATS, type AuditExportFormat } from '../../audit/export.js';
import type { ChainHead } from '../../audit/index.js';
import { loadConfig } from '../../config/config.js';
import type { Database } from '../../db/index.js';
import { parseDateTime, parseFullDate } from '../../rfc3339.js';
import { readControlFile } from '../../server/control-file.js';
import { UsageError, type Command } from '../command.js';
import { withCommandDatabase } from '../database.js';
import { writeOut } from '../stdout.js';

const USAGE_LINE = 'usage: audit verify [--anchor <seq>:<hash>] [--json] | audit export [--from <time>] [--to <time>] [--format ndjson|csv]';

/** `audit verify` and `audit export`, read-only, straight from the database. */
export const auditCommand: Command = {
  name: 'audit',
  summary: 'Verify the audit log\'s hash chain, or export entries as NDJSON or CSV',
  usage: [
    'Usage: failover-gateway audit verify [--anchor <seq>:<hash>] [--json]',
    '       failover-gateway audit export [--from <time>] [--to <time>] [--format ndjson|csv]',
    '',
    '  verify    recompute every hash of the chain in seq order; exit 0 when it is',
    '            intact, 1 naming the first broken entry and what is wrong with it',
    '  --anchor  a head printed by an earlier verify: the chain must still hold that',
    '            entry with that hash (catches deleted newest entries and rewrites)',
    '  --json    print the result as JSON',
    '',
    '  export    write the entries of a time range to standard output, oldest first',
    '  --from    RFC 3339 time with a zone (2031-01-31T12:00:00Z) or a date (its UTC',
    '            midnight), inclusive (default: the first entry)',
    '  --to      the same, exclusive (default: no limit)',
    '  --format  ndjson (default; one JSON object a line) or csv (RFC 4180, with a header;',
    '            cells a spreadsheet would run as a formula are prefixed with \')',
    '',
    'The database is the gateway\'s: DATABASE_URL, or PGlite in DATA_DIR. An embedded',
    'PGlite database can be open in one process only: stop a gateway running on the',
    'same DATA_DIR first (or use PostgreSQL).',
  ].join('\n'),
  async run(argv) {
    const [verb, ...rest] = argv;
    if (verb === 'verify') return verify(rest);
    if (verb === 'export') return exportEntries(rest);
    throw new UsageError(USAGE_LINE);
  },
};

async function verify(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { anchor: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
  const anchor = values.anchor === undefined ? undefined : parseAnchor(values.anchor);
  const { verifyAuditChain } = await import('../../audit/verify.js');
  const result = await withDatabase((db) => verifyAuditChain(db.prisma, { anchor }));
  if (values.json) {
    console.log(JSON.stringify(result, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2));
  } else if (result.ok) {
    const head = result.head ? `; head #${result.head.seq}:${result.head.hash}` : '';
    console.log(`Audit chain OK: ${result.checked} entr${result.checked === 1 ? 'y' : 'ies'} verified${head}`);
  } else {
    console.log(`Audit chain BROKEN at entry #${result.broken.seq} (${result.broken.problem}): ${result.broken.message}`);
    console.log(`${result.checked} entr${result.checked === 1 ? 'y' : 'ies'} before it verified`);
  }
  return result.ok ? 0 : 1;
}

async function exportEntries(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string', default: 'ndjson' } },
    strict: true,
  });
  const format = values.format as AuditExportFormat;
  if (!AUDIT_EXPORT_FORMATS.includes(format)) throw new UsageError(`--format must be ndjson or csv, got "${values.format}"`);
  const from = values.from === undefined ? undefined : parseTime('--from', values.from);
  const to = values.to === undefined ? undefined : parseTime('--to', values.to);
  if (from && to && from >= to) throw new UsageError('--from must be before --to');
  const { exportAudit } = await import('../../audit/export.js');
  await withDatabase(async (db) => {
    for await (const chunk of exportAudit(db.prisma, { format, from, to })) await writeOut(chunk);
  });
  return 0;
}

function withDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  if (!config.databaseUrl) {
    const gateway = readControlFile(config.dataDir);
    if (gateway) throw new UsageError(`a gateway (pid ${gateway.pid}) has the PGlite database in ${config.dataDir} open: stop it first, or use PostgreSQL`);
  }
  return withCommandDatabase(config, work);
}

/** A moment that exists, with its zone: a date alone is its UTC midnight. */
function parseTime(option: string, text: string): Date {
  const time = parseDateTime(text) ?? parseFullDate(text);
  if (time === undefined) {
    throw new UsageError(`${option} must be an RFC 3339 time with a zone or a date, such as 2031-01-31T12:00:00Z or 2031-01-31, naming a moment that exists; got "${text}"`);
  }
  return time;
}

function parseAnchor(text: string): ChainHead {
  const match = /^(\d{1,19}):([0-9a-f]{64})$/.exec(text);
  if (!match) throw new UsageError(`--anchor must be <seq>:<hash> as verify prints it, got "${text}"`);
  return { seq: BigInt(match[1]!), hash: match[2]! };
}
