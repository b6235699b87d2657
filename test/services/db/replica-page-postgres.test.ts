import { applyMigrations, openDatabase, type Database } from '../../../src/db/index.js';
import { replicaPageSuite } from '../../unit/graphql/replica-page-suite.js';
import { createDatabase } from '../failover-events-support.js';

/** The replicas page's forms on PostgreSQL: its collation orders the names, and its planner runs the hand-written page. */
const scratch = new Map<Database, () => Promise<void>>();
replicaPageSuite({
  async open() {
    const created = await createDatabase('fg_replica_page');
    const db = await openDatabase({ databaseUrl: created.url });
    scratch.set(db, created.drop);
    await applyMigrations(db);
    return db;
  },
  async close(db) {
    await db.close();
    await scratch.get(db)?.();
  },
});
