import { describe, expect, it } from 'vitest';
import type { ReplicaAction } from '../src/generated/graphql';
import { ACTION_LABELS, ACTIONS, operationTitle } from '../src/lib/labels';
import { ACTION_EFFECTS, actionOfHash, DESTRUCTIVE_ACTIONS, lifecycleActions, LIFECYCLE_ACTIONS, nameConfirms } from '../src/lib/replica-actions';
import { paths } from '../src/routes';

describe('the actions a replica page offers', () => {
  it('offers exactly the lifecycle actions the API lists, in the API’s order, and never failover (it has its own flow)', () => {
    expect(lifecycleActions(['FAILBACK', 'FAILOVER', 'UNDO_FAILOVER', 'PERMANENT_FAILOVER'])).toEqual(['UNDO_FAILOVER', 'PERMANENT_FAILOVER', 'FAILBACK']);
    expect(lifecycleActions(['FAILOVER'])).toEqual([]);
    expect(lifecycleActions([])).toEqual([]);
    expect(lifecycleActions(['UNDO_FAILBACK', 'COMMIT_FAILBACK'])).toEqual(['COMMIT_FAILBACK', 'UNDO_FAILBACK']);
  });

  it('has words for every action of the API and names operations by their action', () => {
    const all: ReplicaAction[] = ['COMMIT_FAILBACK', 'FAILBACK', 'FAILOVER', 'PERMANENT_FAILOVER', 'PLANNED_FAILOVER', 'SWITCH_TO_PRODUCTION', 'UNDO_FAILBACK', 'UNDO_FAILOVER'];
    expect([...ACTIONS].sort()).toEqual(all);
    for (const action of all) expect(ACTION_EFFECTS[action].length).toBeGreaterThan(20);
    expect([...LIFECYCLE_ACTIONS, 'FAILOVER'].sort()).toEqual(all);
    expect(operationTitle('FAILOVER', 'db-01')).toBe('Failover of db-01');
    expect(operationTitle('UNDO_FAILOVER', 'db-01')).toBe('Undo failover of db-01');
    expect(ACTION_LABELS.FAILBACK.button).toBe('Fail back');
  });

  it('asks for the name only for what cannot be undone, and takes only the exact name', () => {
    expect([...DESTRUCTIVE_ACTIONS]).toEqual(['PERMANENT_FAILOVER']);
    expect(nameConfirms('db-01', 'db-01')).toBe(true);
    expect(nameConfirms('  db-01 ', 'db-01')).toBe(true);
    expect(nameConfirms('DB-01', 'db-01')).toBe(false);
    expect(nameConfirms('db-0', 'db-01')).toBe(false);
    expect(nameConfirms('', 'db-01')).toBe(false);
  });

  it('reads the action a link asks for, and nothing else', () => {
    const link = paths.replicaAction('VmReplica:1/2', 'UNDO_FAILOVER');
    expect(link).toBe('/replicas/VmReplica%3A1%2F2#action-UNDO_FAILOVER');
    expect(actionOfHash(link.slice(link.indexOf('#')))).toBe('UNDO_FAILOVER');
    expect(actionOfHash('#action-FAILOVER')).toBeUndefined();
    expect(actionOfHash('#action-DROP_TABLES')).toBeUndefined();
    expect(actionOfHash('#failover')).toBeUndefined();
    expect(actionOfHash('')).toBeUndefined();
  });
});
