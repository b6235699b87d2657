import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ScratchDatabase {
  name: string;
  url: string;
  /** Drops the database; a failed drop does not hide the benchmark's own outcome. */
  drop(): Promise<void>;
  /** Leaves the database for a look after the run, and says which one it is. */
  keep(): Promise<void>;
}

/** A PostgreSQL database of the benchmark's own, named `<prefix>_<random>`, created now; the caller drops (or keeps) it. */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const adminDb = new pg.Client({ connectionString: ADMIN_URL });
  await adminDb.connect();
  try {
    await adminDb.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    await adminDb.end();
    throw error;
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      await adminDb.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
      await adminDb.end();
    },
    async keep() {
      console.log(`  kept database ${name}`);
      await adminDb.end();
    },
  };
}
