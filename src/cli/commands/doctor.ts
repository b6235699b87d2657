import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.js';
import { createLogger } from '../../log/logger.js';
import { UsageError, type Command } from '../command.js';

/** `doctor`: the first hour against a real deployment. Reads only; changes nothing upstream. */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Check every assumption the gateway makes about EM and the backup servers\' REST APIs',
  usage: [
    'Usage: failover-gateway doctor [--json]',
    '',
    'Logs on to EM (EM_URL, or the embedded simulator) and to every backup server in',
    'VBR_SERVERS, and reports: credentials and roles (by what each call answers), API',
    'revisions, the urn grammar the Inventory Browser uses, whether EM and VBR ids agree,',
    'the license edition and package, and the replicas the sources cannot place.',
    'It only reads: nothing changes in EM or on any backup server.',
    '',
    '  --json    print the report as JSON, to attach to a support ticket',
    '',
    'Exit code 0 when no check failed (warnings allowed), 1 when one did.',
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true });
    if (positionals.length > 0) throw new UsageError('usage: doctor [--json]');
    const config = loadConfig();
    const logger = createLogger({ level: config.logLevel === 'debug' || config.logLevel === 'trace' ? config.logLevel : 'error', format: 'json' }, process.stderr);
    const [{ connectUpstream }, { runDoctor, formatDoctorReport }, { createVbrClient }] = await Promise.all([
      import('../../server/upstream.js'),
      import('../../doctor/doctor.js'),
      import('../../vbr/index.js'),
    ]);
    const upstream = await connectUpstream(config, logger);
    try {
      const report = await runDoctor({ em: upstream.em, sources: upstream.sources, connect: (endpoint) => createVbrClient({ ...endpoint, logger }), logger });
      console.log(values.json ? JSON.stringify(report, null, 2) : formatDoctorReport(report));
      return report.ok ? 0 : 1;
    } finally {
      await upstream.close();
    }
  },
};
