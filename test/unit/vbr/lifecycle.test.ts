import { describe, expect, it } from 'vitest';
import { ACTIONS, REPLICA_ACTIONS, type VbrLifecycleEndpoint } from '../../../src/operations/actions.js';
import {
  buildFailbackSpec,
  VbrFailbackSpecError,
  VbrForbiddenError,
  VbrNotFoundError,
  VbrOutcomeUnknownError,
  VbrRejectedError,
  type VbrLifecycleBody,
} from '../../../src/vbr/index.js';
import { validateRequestBody, validateResponse, vbrSubset } from '../../contract/vbr-validator.js';
import { fakeConnections } from './fake-connections.js';
import type { FakeVbr, Seen } from './fake-vbr.js';

const P1 = 'c8435ccb-5ecf-4fa5-b429-f703b9a37bef';
const P2 = 'e67070c7-7116-4c57-a90e-12be7f0a94f1';
const CHANGE_TIME = '/api/v1/failback/changeSwitchoverTime/vSphere/snapshot';

/** The actions the backup server's own API carries, with their endpoint (the table the gateway dispatches from). */
const VBR_ACTIONS = REPLICA_ACTIONS.flatMap((action) => {
  const upstream = ACTIONS[action].upstream;
  return upstream.type === 'vbr' ? [{ action, endpoint: { path: upstream.path, allowedOperation: upstream.allowedOperation, sessionType: upstream.sessionType, body: upstream.body } }] : [];
});
const endpointOf = (action: string): VbrLifecycleEndpoint => VBR_ACTIONS.find((a) => a.action === action)!.endpoint;
const UNDO_FAILOVER = endpointOf('UNDO_FAILOVER');

const example = (name: string): unknown => structuredClone(vbrSubset.components.examples[name]!.value);

/** A 201 SessionsResult with one session per point, as VBR's examples show them (plus the undocumented activityId they carry). */
function started(sessionType: string, pointIds: string[]): { status: number; body: unknown } {
  const data = pointIds.map((_, i) => ({
    sessionType,
    state: 'Starting',
    id: `18b5ac5f-56b6-4456-8e19-9164cf5f4c5${i}`,
    name: `apache0${4 + i}`,
    jobId: `938c8559-3224-45da-9349-162e621001c${i}`,
    activityId: `938c8559-3224-45da-9349-162e621001c${i}`,
    creationTime: '2025-06-01T14:00:29.789665+02:00',
    progressPercent: 0,
    result: { result: 'None', message: '', isCanceled: false },
    usn: 0,
  }));
  return { status: 201, body: { data, pagination: { total: data.length, count: data.length, skip: 0, limit: 100 } } };
}

describe('VBR client: replica lifecycle POSTs', () => {
  const setup = fakeConnections();

  const posts = (fake: FakeVbr): Seen[] => fake.seen.filter((s) => s.method === 'POST' && s.path.startsWith('/api/v1/'));

  const failback = buildFailbackSpec({ pointIds: [P1, P2], destination: { type: 'originalLocation' }, switchover: { type: 'manual' }, powerOnTargetVm: true });
  const bodies: Record<string, VbrLifecycleBody> = {
    PLANNED_FAILOVER: { replicaPointIds: [P1, P2], reason: 'DR test 2025-06' },
    UNDO_FAILOVER: { replicaPointIds: [P1, P2], reason: 'back to production' },
    PERMANENT_FAILOVER: { replicaPointIds: [P1, P2] },
    FAILBACK: failback,
    SWITCH_TO_PRODUCTION: { replicaPointIds: [P1, P2] },
    COMMIT_FAILBACK: { replicaPointIds: [P1, P2] },
    UNDO_FAILBACK: { replicaPointIds: [P1, P2] },
  };

  it.each(VBR_ACTIONS)('$action: one POST to its path with its documented body; the 201 sessions read', async ({ action, endpoint }) => {
    const { fake, conn } = await setup();
    const answer = started(endpoint.sessionType, [P1, P2]);
    expect(validateResponse('post', endpoint.path, 201, answer.body)).toEqual({ valid: true, errors: [] });
    fake.routes.set(`POST ${endpoint.path}`, () => answer);
    const sessions = await conn.client.startReplicaAction(endpoint, bodies[action]!);
    expect(sessions).toEqual([
      {
        id: '18b5ac5f-56b6-4456-8e19-9164cf5f4c50',
        name: 'apache04',
        sessionType: endpoint.sessionType,
        state: 'Starting',
        progressPercent: 0,
        creationTime: new Date('2025-06-01T12:00:29.789Z'),
        result: { result: 'None', message: undefined, isCanceled: false },
      },
      expect.objectContaining({ id: '18b5ac5f-56b6-4456-8e19-9164cf5f4c51', name: 'apache05' }),
    ]);
    const sent = posts(fake);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ path: endpoint.path, version: '1.3-rev1', authorization: 'Bearer access-1', contentType: 'application/json' });
    const body = JSON.parse(sent[0]!.body) as unknown;
    expect(body).toEqual(bodies[action]);
    expect(validateRequestBody('post', endpoint.path, body)).toEqual({ valid: true, errors: [] });
  });

  it("reads Veeam's own UndoFailover 201 example", async () => {
    const { fake, conn } = await setup();
    fake.routes.set(`POST ${UNDO_FAILOVER.path}`, () => ({ status: 201, body: example('UndoFailoverSessionsResultExample') }));
    const sessions = await conn.client.startReplicaAction(UNDO_FAILOVER, { replicaPointIds: [P1, P2] });
    expect(sessions.map((s) => [s.id, s.name, s.state, s.result?.result, s.endTime?.toISOString()])).toEqual([
      ['18b8c253-8061-4178-bda2-1962fbbbc2d1', 'apache04', 'Stopped', 'Success', '2023-10-31T14:49:25.999Z'],
      ['6f954027-e2ac-4c22-8dec-8fbc2135c67e', 'apache04', 'Stopped', 'Success', '2023-10-31T14:50:26.062Z'],
    ]);
  });

  it('a lost answer is outcome_unknown, with exactly one POST sent', async () => {
    const { fake, conn } = await setup();
    fake.routes.set(`POST ${UNDO_FAILOVER.path}`, () => 'drop');
    const err = await conn.client.startReplicaAction(UNDO_FAILOVER, { replicaPointIds: [P1] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VbrOutcomeUnknownError);
    expect(err).toMatchObject({ kind: 'outcome_unknown', method: 'POST' });
    expect(posts(fake)).toHaveLength(1);
  });

  it('no answer within the timeout is outcome_unknown, not resent', async () => {
    const { fake, conn } = await setup({}, { timeoutMs: 300 });
    fake.routes.set(`POST ${UNDO_FAILOVER.path}`, () => 'hang');
    await expect(conn.client.startReplicaAction(UNDO_FAILOVER, { replicaPointIds: [P1] })).rejects.toBeInstanceOf(VbrOutcomeUnknownError);
    expect(posts(fake)).toHaveLength(1);
  });

  it('a 400 is a definite refusal: rejected, VBR message and code kept, sent once', async () => {
    const { fake, conn } = await setup();
    fake.routes.set(`POST ${UNDO_FAILOVER.path}`, () => ({ status: 400, body: { errorCode: 'UnknownError', message: 'Replica apache04 is not in the Failover state.' } }));
    const err = await conn.client.startReplicaAction(UNDO_FAILOVER, { replicaPointIds: [P1] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VbrRejectedError);
    expect(err).toMatchObject({ kind: 'rejected', status: 400, errorCode: 'UnknownError', message: 'Replica apache04 is not in the Failover state.' });
    expect(posts(fake)).toHaveLength(1);
  });

  it('404 and 403 are refusals of their own kind', async () => {
    const { fake, conn } = await setup();
    fake.routes.set(`POST ${UNDO_FAILOVER.path}`, () => ({ status: 404, body: { errorCode: 'NotFound', message: 'Resource does not exist', resourceId: P1 } }));
    await expect(conn.client.startReplicaAction(UNDO_FAILOVER, { replicaPointIds: [P1] })).rejects.toMatchObject({ kind: 'not_found', resourceId: P1 });
    fake.routes.set(`POST ${UNDO_FAILOVER.path}`, () => ({ status: 403, body: { errorCode: 'AccessDenied', message: 'Forbidden' } }));
    await expect(conn.client.startReplicaAction(UNDO_FAILOVER, { replicaPointIds: [P1] })).rejects.toBeInstanceOf(VbrForbiddenError);
    expect(posts(fake)).toHaveLength(2);
    await expect(conn.client.getReplica('gone')).rejects.toBeInstanceOf(VbrNotFoundError);
  });

  it.each([
    [500, 'outcome_unknown', { errorCode: 'ServiceUnavailable', message: 'Internal server error' }],
    [502, 'outcome_unknown', undefined],
    [504, 'outcome_unknown', undefined],
    [503, 'unavailable', { errorCode: 'ServiceUnavailable', message: 'busy' }],
    [429, 'unavailable', undefined],
  ])('HTTP %i on a lifecycle POST is %s, never resent', async (status, kind, body) => {
    const { fake, conn } = await setup();
    fake.routes.set(`POST ${UNDO_FAILOVER.path}`, () => ({ status, body }));
    const err = await conn.client.startReplicaAction(UNDO_FAILOVER, { replicaPointIds: [P1] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind, status });
    if (body) expect((err as Error).message).toContain(body.message);
    expect(posts(fake)).toHaveLength(1);
  });

  it('a 401 gets one new token and one resend (VBR refused it before acting)', async () => {
    const { fake, conn } = await setup();
    await conn.client.logon();
    fake.expireAccessTokens();
    fake.routes.set(`POST ${UNDO_FAILOVER.path}`, () => started('UndoFailover', [P1]));
    await expect(conn.client.startReplicaAction(UNDO_FAILOVER, { replicaPointIds: [P1] })).resolves.toHaveLength(1);
    expect(posts(fake).map((s) => s.authorization)).toEqual(['Bearer access-1', 'Bearer access-2']);
    expect(fake.tokenGrants()).toEqual(['password', 'refresh_token']);
  });

  it.each([
    ['no body', { status: 201 }],
    ['no data array', { status: 201, body: { sessions: [] } }],
    ['a session without its state', { status: 201, body: { data: [{ id: 's', name: 'vm', sessionType: 'UndoFailover', creationTime: '2025-06-01T00:00:00Z', usn: 0, jobId: 'j' }] } }],
    ['a result without result', { status: 201, body: { data: [{ id: 's', name: 'vm', sessionType: 'UndoFailover', state: 'Working', creationTime: '2025-06-01T00:00:00Z', result: { message: 'x' } }] } }],
  ])('a 201 the client cannot read (%s) is outcome_unknown: something started', async (_, answer) => {
    const { fake, conn } = await setup();
    fake.routes.set(`POST ${UNDO_FAILOVER.path}`, () => answer);
    await expect(conn.client.startReplicaAction(UNDO_FAILOVER, { replicaPointIds: [P1] })).rejects.toMatchObject({ kind: 'outcome_unknown', status: 201 });
    expect(posts(fake)).toHaveLength(1);
  });

  it.each<[string, VbrLifecycleEndpoint, unknown, RegExp]>([
    ['no point', UNDO_FAILOVER, { replicaPointIds: [] }, /replicaPointIds must list at least one/],
    ['an empty point id', UNDO_FAILOVER, { replicaPointIds: [P1, ''] }, /replicaPointIds\[1\] must be a non-empty string/],
    ['a reason on the Failback tag', endpointOf('COMMIT_FAILBACK'), { replicaPointIds: [P1], reason: 'why' }, /reason on the Failover tag only/],
    ['a failback spec on the Failover tag', UNDO_FAILOVER, failback, /Failback tag only/],
    ['a failback spec of an unknown type', endpointOf('FAILBACK'), { ...failback, type: 'Elsewhere' }, /type must be one of/],
    ['the change-switchover path', { ...UNDO_FAILOVER, path: CHANGE_TIME }, { replicaPointIds: [P1] }, /call changeFailbackSwitchoverTime/],
    ['a path outside the lifecycle', { ...UNDO_FAILOVER, path: '/api/v1/replicas/rescan' }, { replicaPointIds: [P1] }, /not a VBR lifecycle endpoint/],
    ['a Hyper-V path', { ...UNDO_FAILOVER, path: '/api/v1/failover/undoFailover/hyperV/snapshot' }, { replicaPointIds: [P1] }, /not a VBR lifecycle endpoint/],
  ])('refuses %s before sending anything', async (_, endpoint, body, message) => {
    const { fake, conn } = await setup();
    const err = await conn.client.startReplicaAction(endpoint, body as VbrLifecycleBody).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VbrRejectedError);
    expect((err as Error).message).toMatch(message);
    expect(fake.seen).toHaveLength(0);
  });

  it('sends only the documented fields of the Failover spec', async () => {
    const { fake, conn } = await setup();
    fake.routes.set(`POST ${UNDO_FAILOVER.path}`, () => started('UndoFailover', [P1]));
    await conn.client.startReplicaAction(UNDO_FAILOVER, { replicaPointIds: [P1], reason: 'r', force: true } as VbrLifecycleBody);
    expect(JSON.parse(posts(fake)[0]!.body)).toEqual({ replicaPointIds: [P1], reason: 'r' });
  });

  describe('changeFailbackSwitchoverTime', () => {
    const NOW = Date.parse('2025-06-01T10:00:00Z');

    it('POSTs the points and the failback mode once; 200 with an empty body', async () => {
      const { fake, conn } = await setup({}, { now: () => NOW });
      fake.routes.set(`POST ${CHANGE_TIME}`, () => ({ status: 200, body: {} }));
      await expect(conn.client.changeFailbackSwitchoverTime([P1], { type: 'scheduled', at: new Date('2025-06-01T22:00:00Z') })).resolves.toBeUndefined();
      await conn.client.changeFailbackSwitchoverTime([P1], { type: 'manual' });
      const sent = fake.calls(`POST ${CHANGE_TIME}`).map((s) => JSON.parse(s.body) as unknown);
      expect(sent).toEqual([
        { replicaPointIds: [P1], failbackMode: { type: 'Scheduled', scheduledTime: '2025-06-01T22:00:00.000Z' } },
        { replicaPointIds: [P1], failbackMode: { type: 'Manual' } },
      ]);
      for (const body of sent) expect(validateRequestBody('post', CHANGE_TIME, body)).toEqual({ valid: true, errors: [] });
      expect(validateResponse('post', CHANGE_TIME, 200, {})).toEqual({ valid: true, errors: [] });
    });

    it("refuses a time in the past by the client's clock, naming the field, before sending", async () => {
      const { fake, conn } = await setup({}, { now: () => NOW });
      const err = await conn.client.changeFailbackSwitchoverTime([P1], { type: 'scheduled', at: new Date('2025-06-01T09:00:00Z') }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VbrFailbackSpecError);
      expect(err).toMatchObject({ kind: 'rejected', field: 'mode.at' });
      await expect(conn.client.changeFailbackSwitchoverTime([], { type: 'manual' })).rejects.toMatchObject({ field: 'pointIds' });
      expect(fake.seen).toHaveLength(0);
    });

    it('a lost answer is outcome_unknown, sent once', async () => {
      const { fake, conn } = await setup({}, { now: () => NOW });
      fake.routes.set(`POST ${CHANGE_TIME}`, () => 'drop');
      await expect(conn.client.changeFailbackSwitchoverTime([P1], { type: 'auto' })).rejects.toBeInstanceOf(VbrOutcomeUnknownError);
      expect(fake.calls(`POST ${CHANGE_TIME}`)).toHaveLength(1);
    });

    it('a 400 is rejected with VBR message', async () => {
      const { fake, conn } = await setup({}, { now: () => NOW });
      fake.routes.set(`POST ${CHANGE_TIME}`, () => ({ status: 400, body: { errorCode: 'UnknownError', message: 'Replica is not ready to switch.' } }));
      await expect(conn.client.changeFailbackSwitchoverTime([P1], { type: 'auto' })).rejects.toMatchObject({ kind: 'rejected', errorCode: 'UnknownError', message: 'Replica is not ready to switch.' });
      expect(fake.calls(`POST ${CHANGE_TIME}`)).toHaveLength(1);
    });
  });
});
