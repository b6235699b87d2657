import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.js';
import { UsageError, type Command } from '../command.js';

/**
 * Loaded when a command runs, not when the CLI starts: the database modules
 * (PGlite, Prisma) take a good part of a second to load, and `serve` starts
 * its own work before loading them.
 */
const loadDatabaseModule = () => import('../../db/index.js');

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply pending database migrations (or --status to list them)',
  usage: [
    'Usage: failover-gateway migrate [--status]',
    '',
    'Applies the pending migrations in prisma/migrations/ to the database the',
    'gateway uses (DATABASE_URL, or PGlite in DATA_DIR), as `prisma migrate deploy`',
    'would, with Prisma\'s schema engine compiled to WebAssembly: no download.',
    '  --status   list applied and pending migrations, change nothing',
  ].join('\n'),
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { status: { type: 'boolean' } }, strict: true });
    const config = loadConfig();
    const { applyMigrations, migrationStatus, openDatabase } = await loadDatabaseModule();
    // No template seeding: this command is where migrations are applied, visibly.
    const db = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: join(config.dataDir, 'pglite'),
      seedFromTemplate: false,
      wasmTierUp: config.wasmTierUp,
    });
    try {
      if (values.status) {
        const status = await migrationStatus(db);
        for (const name of status.applied) console.log(`applied  ${name}`);
        for (const name of status.pending) console.log(`pending  ${name}`);
        console.log(`${status.applied.length} applied, ${status.pending.length} pending`);
        return 0;
      }
      const { applied } = await applyMigrations(db);
      console.log(applied.length === 0 ? 'Database is up to date' : `Applied ${applied.length}: ${applied.join(', ')}`);
      return 0;
    } finally {
      await db.close();
    }
  },
};

export const migrationCommand: Command = {
  name: 'migration',
  summary: 'Create a migration from changes to prisma/schema.prisma',
  usage: [
    'Usage: failover-gateway migration create <name>',
    '',
    'Compares prisma/schema.prisma with prisma/migrations/ and writes the SQL that',
    'brings the migrations up to the schema into a new folder',
    'prisma/migrations/<timestamp>_<name>/migration.sql (Prisma\'s layout).',
    'Prints "No changes" and writes nothing when they already agree.',
  ].join('\n'),
  async run(argv) {
    const [verb, name, ...rest] = argv;
    if (verb !== 'create' || !name || rest.length > 0) throw new UsageError('usage: migration create <name>');
    if (!/^[a-z0-9_]+$/.test(name)) {
      throw new UsageError(`migration name "${name}" must use only lower-case letters, digits and _`);
    }
    const { createMigration } = await loadDatabaseModule();
    const created = await createMigration({ name });
    if (!created) {
      console.log('No changes: prisma/schema.prisma and prisma/migrations/ agree');
      return 0;
    }
    console.log(`Created ${created.directory}`);
    return 0;
  },
};
