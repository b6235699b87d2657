import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export interface LoggerSettings {
  /** Minimum level. Default: info. */
  level: string;
  /** auto: pretty on a terminal, JSON lines otherwise. Default: auto. */
  format: 'auto' | 'json' | 'pretty';
}

const redact = [
  'req.headers.authorization',
  'headers.authorization',
  '*.password',
  '*.databaseUrl',
  '*.emPassword',
];

/**
 * The process logger. Request-scoped children carry `requestId` (see
 * src/server/plugins/use-request-telemetry.ts), so every line of a request can be found.
 */
export function createLogger(settings: LoggerSettings, destination?: NodeJS.WritableStream): Logger {
  const pretty = settings.format === 'pretty' || (settings.format === 'auto' && process.stdout.isTTY === true);
  const options: LoggerOptions = {
    level: settings.level,
    base: { service: 'failover-gateway' },
    redact,
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (destination) return pino(options, destination as pino.DestinationStream);
  if (pretty) {
    // pino-pretty runs in a worker thread so formatting never blocks requests.
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'service' } },
    });
  }
  return pino(options);
}
