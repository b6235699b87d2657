#!/usr/bin/env node
import { ConfigError } from '../config/config.js';
import { DatabaseError } from '../db/errors.js';
import { ListenError } from '../server/http-server.js';
import { UsageError, type Command } from './command.js';
import { auditCommand } from './commands/audit.js';
import { doctorCommand } from './commands/doctor.js';
import { inventoryCommand } from './commands/inventory.js';
import { migrateCommand, migrationCommand } from './commands/migrate.js';
import { schemaCommand } from './commands/schema.js';
import { serveCommand } from './commands/serve.js';
import { isClosedStdout, watchStdout } from './stdout.js';

const commands: Command[] = [serveCommand, migrateCommand, migrationCommand, schemaCommand, inventoryCommand, auditCommand, doctorCommand];

function help(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: failover-gateway <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run `failover-gateway <command> --help` for a command\'s options.',
  ].join('\n');
}

/** Errors an operator can fix get one line; anything else is a bug and keeps its stack. */
function isExpected(error: unknown): error is Error {
  return (
    error instanceof ConfigError ||
    error instanceof UsageError ||
    error instanceof ListenError ||
    (error instanceof Error && 'code' in error && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS')) ||
    error instanceof DatabaseError
  );
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? 0 : 1;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${help()}`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    // Output cut short by its reader (`… | head`): what was read is what was wanted.
    if (isClosedStdout(error)) return 0;
    if (isExpected(error)) {
      console.error(`failover-gateway ${name}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

watchStdout();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
