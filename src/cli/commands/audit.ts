import { parseArgs } from 'node:util';
import { AUDIT_EXPORT_FORMATS, type AuditExportFormat } from '../../audit/export.js';
import type { ChainHead } from '../../audit/index.js';
import { verificationLines } from './audit-report.js';
import { loadConfig, type Config } from '../../config/config.js';
import type { Database } from '../../db/index.js';
import { parseDateTime, parseFullDate } from '../../rfc3339.js';
import { readControlFile } from '../../server/control-file.js';
import { UsageError, type Command } from '../command.js';
import { withCommandDatabase } from '../database.js';
import { writeOut } from '../stdout.js';

const USAGE_LINE = 'usage: audit verify [--anchor <seq>:<hash>] [--json] | audit export [--from <time>] [--to <time>] [--format ndjson|csv] [--signed-heads]';

/** `audit verify` and `audit export`, read-only, straight from the database. */
export const auditCommand: Command = {
  name: 'audit',
  summary: 'Verify the audit log\'s hash chain, or export entries as NDJSON or CSV',
  usage: [
    'Usage: failover-gateway audit verify [--anchor <seq>:<hash>] [--json]',
    '       failover-gateway audit export [--from <time>] [--to <time>] [--format ndjson|csv] [--signed-heads]',
    '',
    '  verify    recompute every hash of the chain in seq order, then check every signed',
    '            head (signature, and the entry it names); exit 0 when all hold, 1 naming',
    '            the first broken entry, the forged entries or the heads that do not verify.',
    '            Entries after the last signed head are reported as unsigned (count, age).',
    '            Public keys: AUDIT_PUBLIC_KEY_FILE, AUDIT_SIGNING_KEY_FILE, or the',
    '            development key in DATA_DIR',
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
    '  --signed-heads  export the signed heads instead of the entries (all of them)',
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
  const config = loadConfig();
  const { verifyAuditLog, resolveVerifyKeys } = await import('../../audit/index.js');
  const keys = resolveVerifyKeys(config);
  const result = await withDatabase(config, (db) => verifyAuditLog(db.prisma, { anchor, keys }));
  if (values.json) {
    console.log(JSON.stringify(result, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2));
  } else {
    for (const line of verificationLines(result, keys.size, new Date())) console.log(line);
  }
  return result.ok ? 0 : 1;
}

async function exportEntries(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string', default: 'ndjson' }, 'signed-heads': { type: 'boolean' } },
    strict: true,
  });
  const format = values.format as AuditExportFormat;
  if (!AUDIT_EXPORT_FORMATS.includes(format)) throw new UsageError(`--format must be ndjson or csv, got "${values.format}"`);
  const from = values.from === undefined ? undefined : parseTime('--from', values.from);
  const to = values.to === undefined ? undefined : parseTime('--to', values.to);
  if (from && to && from >= to) throw new UsageError('--from must be before --to');
  const heads = values['signed-heads'] === true;
  if (heads && (from || to)) throw new UsageError('--signed-heads exports every signed head: leave out --from and --to');
  const { exportAudit, exportSignedHeads } = await import('../../audit/index.js');
  await withDatabase(loadConfig(), async (db) => {
    const chunks = heads ? exportSignedHeads(db.prisma, { format }) : exportAudit(db.prisma, { format, from, to });
    for await (const chunk of chunks) await writeOut(chunk);
  });
  return 0;
}

function withDatabase<T>(config: Config, work: (db: Database) => Promise<T>): Promise<T> {
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
