import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../../config/config.js';
import type { InventorySummary, SyncReport } from '../../inventory/index.js';
import { createLogger } from '../../log/logger.js';
import { readControlFile, type ControlFile } from '../../server/control-file.js';
import { UsageError, type Command } from '../command.js';
import { withCommandDatabase } from '../database.js';

/**
 * `inventory sync|summary`. A running gateway owns the database (an embedded
 * PGlite folder admits one process), so the command asks it through its
 * control endpoint when its control file says it is alive; otherwise it opens
 * the database and EM itself.
 */
export const inventoryCommand: Command = {
  name: 'inventory',
  summary: 'Sync the inventory cache from EM now, or print its summary',
  usage: [
    'Usage: failover-gateway inventory sync [--json]',
    '       failover-gateway inventory summary [--json]',
    '',
    '  sync      sync backup servers, replicas, restore points and CDP intervals from EM,',
    '            then print what changed and the summary',
    '  summary   counts per kind and backup server, edition, and freshness',
    '  --json    print JSON (dates as ISO strings) instead of tables',
    '',
    'With a gateway running on this DATA_DIR, the gateway does the work (its control',
    'file <DATA_DIR>/control.json gives the address and token). Otherwise the command',
    'opens the database (DATABASE_URL, or PGlite in DATA_DIR) and EM (EM_URL, or an',
    'embedded simulator) itself. Exit code 2 when the sync failed for some backup server.',
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true });
    const [verb, ...rest] = positionals;
    if ((verb !== 'sync' && verb !== 'summary') || rest.length > 0) throw new UsageError('usage: inventory sync|summary [--json]');
    const config = loadConfig();
    const gateway = readControlFile(config.dataDir);
    const result = gateway ? await viaGateway(gateway, verb) : await locally(config, verb);
    const { formatSummary, formatSyncReport } = await import('../../inventory/format.js');
    const print = (text: string) => console.log(text);
    if (values.json) {
      print(JSON.stringify(result.report ? { report: result.report, summary: result.summary } : result.summary, null, 2));
    } else {
      if (result.report) print(`${formatSyncReport(result.report)}\n`);
      print(formatSummary(result.summary));
    }
    return result.report && !result.report.ok ? 2 : 0;
  },
};

interface Result {
  report?: SyncReport;
  summary: InventorySummary;
}

async function viaGateway(gateway: ControlFile, verb: 'sync' | 'summary'): Promise<Result> {
  const { summaryFromJson, syncReportFromJson } = await import('../../inventory/json.js');
  const call = async (method: 'GET' | 'POST', path: string): Promise<unknown> => {
    const url = new URL(path, gateway.url).toString();
    let response: Response;
    try {
      response = await fetch(url, { method, headers: { Authorization: `Bearer ${gateway.token}` } });
    } catch (error) {
      throw new UsageError(`the gateway (pid ${gateway.pid}) at ${gateway.url} did not answer ${method} ${path}: ${(error as Error).message}`);
    }
    if (!response.ok) throw new UsageError(`the gateway answered ${response.status} to ${method} ${path}: ${(await response.text()).slice(0, 300)}`);
    return response.json();
  };
  const report = verb === 'sync' ? syncReportFromJson(await call('POST', '/control/inventory/sync')) : undefined;
  const summary = summaryFromJson(await call('GET', '/control/inventory/summary'));
  return { report, summary };
}

async function locally(config: Config, verb: 'sync' | 'summary'): Promise<Result> {
  // Logs go to stderr at warn and above: stdout carries the tables or the JSON.
  const logger = createLogger({ level: config.logLevel === 'debug' || config.logLevel === 'trace' ? config.logLevel : 'warn', format: 'json' }, process.stderr);
  // Loaded here, not at the top: see withCommandDatabase.
  const [{ createInventorySync, inventorySummary }, { connectUpstream, syncWorkerOptions }] = await Promise.all([
    import('../../inventory/index.js'),
    import('../../server/upstream.js'),
  ]);
  return withCommandDatabase(config, async (db) => {
    if (verb === 'summary') return { summary: await inventorySummary(db.prisma) };
    const upstream = await connectUpstream(config, logger);
    try {
      const sync = createInventorySync({ db, em: upstream.em, sources: upstream.sources, logger, worker: syncWorkerOptions(config, upstream) });
      try {
        const report = await sync.syncNow();
        return { report, summary: await sync.summary() };
      } finally {
        await sync.stop();
      }
    } finally {
      await upstream.close();
    }
  });
}
