import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIONS, actionOfPolicyAction, actionsFromState, REPLICA_ACTIONS, RESTRICTED_DEFAULT_ACTIONS, type ReplicaAction } from '../../../src/operations/actions.js';
import { KINDS, REPLICA_KINDS, upstreamSupports } from '../../../src/operations/kinds.js';

/**
 * The actions table against the lifecycle diagram, written out here
 * on its own (never derived from the table), and every VBR endpoint of the
 * table against Veeam's published OpenAPI document (the subset kept in
 * test/contract):
 *
 *   Ready ─failover / planned failover─▶ Failover ─undo failover──────────▶ Ready
 *                                          ├─permanent failover─▶ (no longer a replica)
 *                                          └─failback─▶ ReadyToSwitch ─switch to production─▶ Failback ─commit─▶ Ready
 *                                                                                                └─undo failback─▶ Failover
 */

interface Edge {
  from: string[];
  /** null: no longer a replica. */
  to: string | null;
  mutation: string;
  /** Through EM (failover only) or the backup server's own REST API. */
  via: 'em' | 'vbr';
  /** Restore Operators and Portal Users may do it by default within their scope (the "Policy"). */
  restrictedDefault: boolean;
}

const DIAGRAM: Record<ReplicaAction, Edge> = {
  FAILOVER: { from: ['Ready'], to: 'Failover', mutation: 'failover', via: 'em', restrictedDefault: true },
  PLANNED_FAILOVER: { from: ['Ready'], to: 'Failover', mutation: 'plannedFailover', via: 'vbr', restrictedDefault: true },
  UNDO_FAILOVER: { from: ['Failover'], to: 'Ready', mutation: 'undoFailover', via: 'vbr', restrictedDefault: true },
  PERMANENT_FAILOVER: { from: ['Failover'], to: null, mutation: 'permanentFailover', via: 'vbr', restrictedDefault: false },
  FAILBACK: { from: ['Failover'], to: 'ReadyToSwitch', mutation: 'failback', via: 'vbr', restrictedDefault: false },
  SWITCH_TO_PRODUCTION: { from: ['ReadyToSwitch'], to: 'Failback', mutation: 'switchToProduction', via: 'vbr', restrictedDefault: false },
  COMMIT_FAILBACK: { from: ['Failback'], to: 'Ready', mutation: 'commitFailback', via: 'vbr', restrictedDefault: false },
  UNDO_FAILBACK: { from: ['Failback'], to: 'Failover', mutation: 'undoFailback', via: 'vbr', restrictedDefault: false },
};

/**
 * Where the table goes beyond the diagram, each on purpose: whether VBR lets a
 * failback be undone before the switch is not documented (vbr-rest.md §3,
 * "check allowedOperations"), and a failover that failed (FailedFailover) is
 * undone in the console; the gateway asks the point's allowedOperations
 * before every dispatch, so allowing the state only widens what VBR decides.
 */
const BEYOND_THE_DIAGRAM: Partial<Record<ReplicaAction, string[]>> = { UNDO_FAILBACK: ['ReadyToSwitch'], UNDO_FAILOVER: ['FailedFailover'] };

/** The VBR endpoint of each lifecycle action (vbr-rest.md §2.2, §2.3), by operation name, claim and session type. */
const VBR_ENDPOINTS: Record<Exclude<ReplicaAction, 'FAILOVER'>, { path: string; allowedOperation: string; sessionType: string; body: string }> = {
  PLANNED_FAILOVER: { path: '/api/v1/failover/plannedFailover/vSphere/snapshot', allowedOperation: 'StartViVMSnapshotReplicaPlannedFailover', sessionType: 'PlannedFailover', body: 'ViVMSnapshotReplicaFailoverSpec' },
  UNDO_FAILOVER: { path: '/api/v1/failover/undoFailover/vSphere/snapshot', allowedOperation: 'StartViVMSnapshotReplicaUndoFailover', sessionType: 'UndoFailover', body: 'ViVMSnapshotReplicaFailoverSpec' },
  PERMANENT_FAILOVER: { path: '/api/v1/failover/permanentFailover/vSphere/snapshot', allowedOperation: 'StartViVMSnapshotReplicaPermanentFailover', sessionType: 'PermanentFailover', body: 'ViVMSnapshotReplicaFailoverSpec' },
  FAILBACK: { path: '/api/v1/failback/failbackToProduction/vSphere/snapshot', allowedOperation: 'StartViVMSnapshotReplicaFailback', sessionType: 'Failback', body: 'ViVMSnapshotReplicaFailbackSpec' },
  SWITCH_TO_PRODUCTION: {
    path: '/api/v1/failback/switchToProduction/vSphere/snapshot',
    allowedOperation: 'StartViVMSnapshotReplicaSwitchToProductionFailback',
    sessionType: 'SwitchReplicaToProduction',
    body: 'ViVMSnapshotReplicaSwitchToProductionFailbackSpec',
  },
  COMMIT_FAILBACK: { path: '/api/v1/failback/commitFailback/vSphere/snapshot', allowedOperation: 'StartViVMSnapshotReplicaCommitFailback', sessionType: 'CommitFailback', body: 'ViVMSnapshotReplicaCommitFailbackSpec' },
  UNDO_FAILBACK: { path: '/api/v1/failback/undoFailback/vSphere/snapshot', allowedOperation: 'StartViVMSnapshotReplicaUndoFailback', sessionType: 'UndoFailback', body: 'ViVMSnapshotReplicaUndoFailbackSpec' },
};

interface OpenApiOperation {
  'x-veeam-authorize'?: { claims: string[] };
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { description?: string; $ref?: string }>;
}
interface OpenApiSubset {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, { enum?: string[] }> };
}
const openApi = JSON.parse(readFileSync(new URL('../../contract/vbr-openapi-1.3-rev1.subset.json', import.meta.url), 'utf8')) as OpenApiSubset;
const enumOf = (name: string): string[] => {
  const values = openApi.components.schemas[name]?.enum;
  if (!values) throw new Error(`the OpenAPI subset has no enum ${name}`);
  return values;
};
const REPLICA_STATES = enumOf('EReplicaState');

const fromStates = (action: ReplicaAction) => [...DIAGRAM[action].from, ...(BEYOND_THE_DIAGRAM[action] ?? [])];
const vbrEndpoint = (action: ReplicaAction) => {
  const upstream = ACTIONS[action].upstream;
  if (upstream.type !== 'vbr') throw new Error(`${action} is not a VBR action`);
  return upstream;
};

describe('the actions table is the lifecycle diagram', () => {
  it('has exactly the issue\'s eight actions, each with its own mutation and policy action', () => {
    expect([...REPLICA_ACTIONS].sort()).toEqual(Object.keys(DIAGRAM).sort());
    expect(new Set(REPLICA_ACTIONS.map((a) => ACTIONS[a].mutation)).size).toBe(REPLICA_ACTIONS.length);
    expect(new Set(REPLICA_ACTIONS.map((a) => ACTIONS[a].policyAction)).size).toBe(REPLICA_ACTIONS.length);
    for (const action of REPLICA_ACTIONS) {
      expect(ACTIONS[action].mutation, action).toBe(DIAGRAM[action].mutation);
      expect(actionOfPolicyAction(ACTIONS[action].policyAction), action).toBe(action);
    }
    expect(actionOfPolicyAction('read')).toBeUndefined();
  });

  it.each(REPLICA_ACTIONS)('%s: from-states, to-state and upstream as the diagram draws them', (action) => {
    const spec = ACTIONS[action];
    expect([...spec.from].sort(), 'from').toEqual(fromStates(action).sort());
    expect(spec.to, 'to').toBe(DIAGRAM[action].to);
    expect(spec.upstream.type, 'upstream').toBe(DIAGRAM[action].via);
    // The one action after which there is no replica left to undo anything on.
    expect(spec.destructive, 'destructive').toBe(DIAGRAM[action].to === null);
    // Only failback passes through states worth reporting on the way (ReadyToSwitch, then Failback when automatic).
    expect(spec.followsReplicaState, 'followsReplicaState').toBe(action === 'FAILBACK');
  });

  it('every state named is one of VBR\'s EReplicaState values', () => {
    for (const action of REPLICA_ACTIONS) {
      for (const state of ACTIONS[action].from) expect(REPLICA_STATES, `${action} from ${state}`).toContain(state);
      if (ACTIONS[action].to !== null) expect(REPLICA_STATES, `${action} to`).toContain(ACTIONS[action].to);
    }
  });

  it.each([...REPLICA_STATES, 'Unknown'])('actionsFromState(%s) lists what the diagram leaves that state by, in the table\'s order', (state) => {
    const expected = REPLICA_ACTIONS.filter((action) => fromStates(action).includes(state));
    expect(actionsFromState(state)).toEqual(expected);
  });

  it('no action starts from an unknown state, nor from the states the diagram has no way out of', () => {
    expect(actionsFromState(null)).toEqual([]);
    for (const state of ['Processing', 'SureBackup', 'PermanentFailover']) expect(actionsFromState(state), state).toEqual([]);
    expect(actionsFromState('FailedFailover')).toEqual(['UNDO_FAILOVER']);
  });

  it('walks the diagram\'s paths back to Ready: each step allowed from where the last one ended', () => {
    const paths: ReplicaAction[][] = [
      ['FAILOVER', 'UNDO_FAILOVER'],
      ['PLANNED_FAILOVER', 'UNDO_FAILOVER'],
      ['FAILOVER', 'FAILBACK', 'SWITCH_TO_PRODUCTION', 'COMMIT_FAILBACK'],
      ['FAILOVER', 'FAILBACK', 'SWITCH_TO_PRODUCTION', 'UNDO_FAILBACK', 'UNDO_FAILOVER'],
      ['PLANNED_FAILOVER', 'FAILBACK', 'SWITCH_TO_PRODUCTION', 'UNDO_FAILBACK', 'FAILBACK', 'SWITCH_TO_PRODUCTION', 'COMMIT_FAILBACK'],
    ];
    for (const path of paths) {
      let state: string | null = 'Ready';
      for (const action of path) {
        expect(actionsFromState(state), `${path.join(' → ')}: ${action} from ${state}`).toContain(action);
        state = ACTIONS[action].to;
      }
      expect(state, path.join(' → ')).toBe('Ready');
    }
    // Permanent failover ends the lifecycle: nothing follows it.
    expect(ACTIONS.PERMANENT_FAILOVER.to).toBeNull();
    expect(actionsFromState(ACTIONS.PERMANENT_FAILOVER.to)).toEqual([]);
  });

  it('restricted roles get failover, planned failover and undo failover by default; the rest is the administrator\'s', () => {
    expect([...RESTRICTED_DEFAULT_ACTIONS].sort()).toEqual(REPLICA_ACTIONS.filter((a) => DIAGRAM[a].restrictedDefault).sort());
    expect([...RESTRICTED_DEFAULT_ACTIONS].sort()).toEqual(['FAILOVER', 'PLANNED_FAILOVER', 'UNDO_FAILOVER']);
    for (const action of REPLICA_ACTIONS) expect(ACTIONS[action].restrictedDefault, action).toBe(DIAGRAM[action].restrictedDefault);
  });

  it('EM carries failover for every kind; the VBR actions exist for vSphere VM replicas only', () => {
    for (const kind of REPLICA_KINDS) {
      for (const platform of ['VMware', 'HyperV']) {
        for (const action of REPLICA_ACTIONS) {
          const expected = DIAGRAM[action].via === 'em' || (kind === 'VM_REPLICA' && platform === 'VMware');
          expect(upstreamSupports({ kind, platform }, action), `${kind}/${platform}/${action}`).toBe(expected);
        }
      }
    }
    expect(KINDS.VM_REPLICA.lifecyclePlatforms).toEqual(['VMware']);
  });
});

describe('every VBR endpoint of the table is in Veeam\'s published API', () => {
  const vbrActions = REPLICA_ACTIONS.filter((action) => DIAGRAM[action].via === 'vbr') as Array<keyof typeof VBR_ENDPOINTS>;
  const operations = enumOf('EObjectRestorePointOperation');
  const sessionTypes = enumOf('ESessionType');

  it('the table posts to the endpoint vbr-rest.md names for each action', () => {
    expect(vbrActions.sort()).toEqual(Object.keys(VBR_ENDPOINTS).sort());
    for (const action of vbrActions) {
      const { body: schema, ...endpoint } = VBR_ENDPOINTS[action];
      // The table names the body's kind: the failover spec (with a reason), the failback spec, or the points alone.
      const body = schema === 'ViVMSnapshotReplicaFailoverSpec' ? 'failover' : schema === 'ViVMSnapshotReplicaFailbackSpec' ? 'failback' : 'points';
      expect(vbrEndpoint(action), action).toEqual({ type: 'vbr', ...endpoint, body });
    }
    // Each endpoint belongs to one action.
    expect(new Set(vbrActions.map((a) => vbrEndpoint(a).path)).size).toBe(vbrActions.length);
    expect(new Set(vbrActions.map((a) => vbrEndpoint(a).sessionType)).size).toBe(vbrActions.length);
  });

  it.each(vbrActions)('%s: the path is a POST of the 1.3-rev1 document, with its claim, body and 201 sessions', (action) => {
    const { path, allowedOperation, sessionType } = vbrEndpoint(action);
    const post = openApi.paths[path]?.post;
    expect(post, `POST ${path} in the OpenAPI subset`).toBeDefined();
    // The claim VBR authorizes the call with is the operation a point lists when the call is legal.
    expect(post!['x-veeam-authorize']?.claims).toEqual([allowedOperation]);
    expect(post!.requestBody?.content['application/json']?.schema.$ref).toBe(`#/components/schemas/${VBR_ENDPOINTS[action].body}`);
    expect(post!.responses['201']?.description, 'the 201 names the sessions it starts').toContain(`\`${sessionType}\` sessions`);
  });

  it.each(vbrActions)('%s: allowedOperation is an EObjectRestorePointOperation and sessionType an ESessionType', (action) => {
    const { allowedOperation, sessionType } = vbrEndpoint(action);
    expect(operations).toContain(allowedOperation);
    expect(sessionTypes).toContain(sessionType);
  });
});
