import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../../project-root.js';
import { UsageError, type Command } from '../command.js';

export const SCHEMA_FILE = 'schema/schema.graphql';

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'Print the GraphQL schema (SDL), write it, or check the committed copy',
  usage: [
    'Usage: failover-gateway schema print [--write | --check]',
    '',
    '  (no flag)  print the SDL to standard output',
    `  --write    write it to ${SCHEMA_FILE}`,
    `  --check    exit 1 if ${SCHEMA_FILE} differs from the code`,
  ].join('\n'),
  async run(argv) {
    const [verb, ...rest] = argv;
    if (verb !== 'print') throw new UsageError('usage: schema print [--write | --check]');
    const { values } = parseArgs({ args: rest, options: { write: { type: 'boolean' }, check: { type: 'boolean' } }, strict: true });
    const { printGatewaySchema } = await import('../../graphql/schema.js');
    const sdl = printGatewaySchema();
    const file = join(projectRoot(), SCHEMA_FILE);
    if (values.write) {
      writeFileSync(file, sdl);
      console.log(`Wrote ${SCHEMA_FILE}`);
    } else if (values.check) {
      const committed = readFileSync(file, 'utf8');
      if (committed !== sdl) {
        console.error(`${SCHEMA_FILE} is out of date: run npm run schema:print`);
        return 1;
      }
      console.log(`${SCHEMA_FILE} is up to date`);
    } else {
      process.stdout.write(sdl);
    }
    return 0;
  },
};
