import { parseArgs } from 'node:util';
import { describeSettings, loadConfig } from '../../config/config.js';
import { createLogger } from '../../log/logger.js';
import { seedEmbeddedDatabase } from '../../server/early-start.js';
import type { Command } from '../command.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the gateway (GraphQL over HTTP, SSE and WebSocket)',
  usage: [
    'Usage: failover-gateway serve [--host HOST] [--port PORT] [--config FILE]',
    '',
    'Runs the gateway. With no settings it runs on its embedded defaults: PGlite',
    'in ./.data, an EM simulator on a loopback port, GraphiQL at',
    'http://127.0.0.1:4000/graphql.',
    '',
    'Options (win over environment variables, which win over the config file):',
    '  --host HOST      same as HOST',
    '  --port PORT      same as PORT',
    '  --config FILE    a JSON file of settings, e.g. {"port": 4000}; same as CONFIG_FILE',
    '',
    'Environment variables:',
    ...describeSettings(),
    '',
    'SIGTERM or SIGINT drains in-flight requests and exits 0.',
  ].join('\n'),
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { host: { type: 'string' }, port: { type: 'string' }, config: { type: 'string' } },
      strict: true,
    });
    const config = loadConfig({ file: values.config, overrides: { host: values.host, port: values.port } });
    const logger = createLogger({ level: config.logLevel, format: config.logFormat });
    // The gateway's modules take most of a start to load: seed a new database
    // folder meanwhile, and load them only now (not at the top of the file),
    // so that `--help` and the other commands do not pay for them either.
    const [{ startGateway }] = await Promise.all([
      import('../../server/gateway.js'),
      seedEmbeddedDatabase(config, logger),
    ]);
    const gateway = await startGateway({ config, logger });
    await new Promise<void>((resolve) => {
      const onSignal = (signal: NodeJS.Signals) => {
        logger.info({ signal }, 'shutting down');
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        resolve();
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });
    await gateway.stop();
    logger.flush();
    return 0;
  },
};
