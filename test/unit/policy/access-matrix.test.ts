import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/index.js';
import { createPolicy, loadAccountGrants, loadGatedServers, rebuildVisibility, type Policy, type PolicyPrincipal } from '../../../src/policy/index.js';
import { migratedPGlite } from '../inventory/support.js';
import { answersFromCan, answersFromDatabase, plain } from './engine.js';
import { matrixWorld, scenarios } from './matrix-world.js';
import { oracle } from './oracle.js';
import { writeWorld } from './world.js';

const world = matrixWorld();
let db: Database;

beforeAll(async () => {
  db = await migratedPGlite();
  await writeWorld(db, world);
  await rebuildVisibility(db.prisma, 'all');
}, 60_000);
afterAll(() => db?.close());

async function policyOf(principal: PolicyPrincipal): Promise<Policy> {
  return createPolicy({ principal, accounts: await loadAccountGrants(db.prisma, principal), servers: await loadGatedServers(db.prisma) });
}

describe('access matrix: engine against the oracle', () => {
  it('covers every role, every replica kind and every container platform', () => {
    const roles = new Set(world.accounts.flatMap((a) => a.roles));
    expect([...roles].sort()).toEqual(['PORTAL_ADMINISTRATOR', 'PORTAL_USER', 'RESTORE_OPERATOR']);
    expect(new Set(world.replicas.map((r) => r.kind)).size).toBe(4);
    expect(scenarios.filter((s) => s.name.includes('scoped to one')).length).toBeGreaterThanOrEqual(18);
  });

  it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const expected = plain(oracle(world, scenario.principal));
    const policy = await policyOf(scenario.principal);
    expect(plain(await answersFromDatabase(db, policy))).toEqual(expected);
    expect(plain(await answersFromCan(db, policy))).toEqual(expected);
  });

  it('is not trivially all or nothing: narrow scopes see some replicas, not all', () => {
    const operator = oracle(world, { subject: 'operator', groups: [] });
    expect(operator.read.Replica.size).toBeGreaterThan(0);
    expect(operator.read.Replica.size).toBeLessThan(world.replicas.length);
    expect(operator.failover.size).toBeLessThan(operator.read.Replica.size);
  });
});
