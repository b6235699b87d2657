#!/usr/bin/env node
import { parseArgs } from 'node:util';
import pino from 'pino';
import { PortInUseError, startSimulator } from './server.js';
import type { InventorySize } from './inventory-types.js';
import { resolveVbrDurations } from './lifecycle-machine.js';

const HELP = `Usage: npm run simulator -- [options]

Runs the Veeam Enterprise Manager REST API simulator (JSON, API v1.7 subset)
and, on the same port, a VBR REST face (OAuth2, x-api-version 1.1-rev0 …
1.3-rev1) for every simulated backup server, sharing one inventory and one
replica state:
  EM            http://<host>:<port>/api
  VBR faces     http://<host>:<port>/vbr/<backup server name>   (the VBR client's url;
                e.g. /vbr/vbr-01.lab.local/api/oauth2/token), accounts vbr-admin/vbr-admin
                (Backup Administrator) and vbr-restore/vbr-restore (Restore Operator)
  admin         http://<host>:<port>/admin   (faults, counters, /admin/vbr …)
The base URLs are logged on start. See docs/em.md and docs/vbr-simulator.md.
Every option can also be set by the environment variable in brackets; flags win.

  --host <addr>              interface to listen on [SIM_HOST] (default 127.0.0.1)
  --port <n>                 port, 0 = any free one [SIM_PORT] (default 9398)
  --username <name>          EM account [SIM_USERNAME] (default em-admin)
  --password <secret>        EM password [SIM_PASSWORD] (default em-admin)
  --seed <n>                 inventory seed [SIM_SEED] (default 42)
  --size <preset|n>          demo | small | medium | large | replica count [SIM_SIZE] (default demo)
  --points <n>               restore points per VM/vApp replica [SIM_POINTS] (default 3)
  --failover-ms <n>          failover duration in ms [SIM_FAILOVER_MS] (default 20000)
  --vbr-session-ms <n>       length of every VBR lifecycle session (failover, undo, failback
                             sync, switch, commit …) in ms [SIM_VBR_SESSION_MS] (default: --failover-ms)
  --idle-timeout-ms <n>      logon session idle timeout [SIM_IDLE_TIMEOUT_MS] (default 900000)
  --reference-time <iso|now> end of the generated history [SIM_REFERENCE_TIME] (default now, to the hour)
  --vbr-token-lifetime <s>   VBR access-token lifetime in seconds [SIM_VBR_TOKEN_LIFETIME] (default 900)
  --vbr-disabled <names>     comma-separated backup servers without a VBR face [SIM_VBR_DISABLED]
  --log-level <level>        pino level [SIM_LOG_LEVEL] (default info)
  -h, --help                 show this help
`;

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${value}'`);
  return n;
}

function size(value: string | undefined): InventorySize | undefined {
  if (value === undefined || value === '') return undefined;
  if (['demo', 'small', 'medium', 'large'].includes(value)) return value as InventorySize;
  return integer('--size', value);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      seed: { type: 'string' },
      size: { type: 'string' },
      points: { type: 'string' },
      'failover-ms': { type: 'string' },
      'vbr-session-ms': { type: 'string' },
      'idle-timeout-ms': { type: 'string' },
      'reference-time': { type: 'string' },
      'vbr-token-lifetime': { type: 'string' },
      'vbr-disabled': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const env = process.env;
  const logger = pino({ name: 'em-simulator', level: values['log-level'] ?? env['SIM_LOG_LEVEL'] ?? 'info' });
  const referenceText = values['reference-time'] ?? env['SIM_REFERENCE_TIME'] ?? 'now';
  // A demo reads better with history ending now; the hour granularity keeps restarts within the hour reproducible.
  const referenceTime = referenceText === 'now' ? Math.floor(Date.now() / 3_600_000) * 3_600_000 : Date.parse(referenceText);
  if (Number.isNaN(referenceTime)) throw new Error(`--reference-time must be an ISO date or 'now', got '${referenceText}'`);

  const failoverDurationMs = integer('--failover-ms', values['failover-ms'] ?? env['SIM_FAILOVER_MS']) ?? 20_000;
  const vbrSessionMs = integer('--vbr-session-ms', values['vbr-session-ms'] ?? env['SIM_VBR_SESSION_MS']);
  let sim;
  try {
    sim = await startSimulator({
      host: values.host ?? env['SIM_HOST'] ?? '127.0.0.1',
      port: integer('--port', values.port ?? env['SIM_PORT']) ?? 9398,
      username: values.username ?? env['SIM_USERNAME'] ?? 'em-admin',
      password: values.password ?? env['SIM_PASSWORD'] ?? 'em-admin',
      seed: integer('--seed', values.seed ?? env['SIM_SEED']) ?? 42,
      size: size(values.size ?? env['SIM_SIZE']) ?? 'demo',
      pointsPerReplica: integer('--points', values.points ?? env['SIM_POINTS']) ?? 3,
      failoverDurationMs,
      ...(vbrSessionMs === undefined ? {} : { vbrSessionDurationsMs: resolveVbrDurations(vbrSessionMs) }),
      sessionIdleTimeoutMs: integer('--idle-timeout-ms', values['idle-timeout-ms'] ?? env['SIM_IDLE_TIMEOUT_MS']),
      referenceTime,
      vbrTokenLifetimeSeconds: integer('--vbr-token-lifetime', values['vbr-token-lifetime'] ?? env['SIM_VBR_TOKEN_LIFETIME']),
      vbrDisabled: (values['vbr-disabled'] ?? env['SIM_VBR_DISABLED'] ?? '')
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n !== ''),
      logger,
    });
  } catch (e) {
    if (e instanceof PortInUseError) {
      process.stderr.write(`em-simulator: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  logger.info({ url: sim.url, admin: sim.adminUrl, vbr: sim.vbrUrls }, 'ready: point the gateway at it with EM_URL');
  for (const [name, url] of Object.entries(sim.vbrUrls)) logger.info({ server: name, url }, 'VBR face');
  const stop = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((e: unknown) => {
  process.stderr.write(`em-simulator: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
