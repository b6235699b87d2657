import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { applyMigrations, openDatabase, type Database } from '../../../src/db/index.js';
import { describeSyncScenarios } from '../../unit/inventory/sync-scenarios.js';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
let admin: Database;
const created: string[] = [];

beforeAll(async () => {
  admin = await openDatabase({ databaseUrl: ADMIN_URL });
});

afterAll(async () => {
  for (const name of created) await admin.prisma.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin?.close();
});

/** A fresh database per test, dropped after the file. */
async function freshPostgres(): Promise<Database> {
  const name = `fg_inv_${randomBytes(6).toString('hex')}`;
  await admin.prisma.$executeRawUnsafe(`CREATE DATABASE "${name}"`);
  created.push(name);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString() });
  await applyMigrations(db);
  return db;
}

describeSyncScenarios('PostgreSQL', freshPostgres);
