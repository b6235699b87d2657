import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { EmClient, VmReplicaPoint } from '../../../src/em/index.js';
import type { ReplicaStateSource } from '../../../src/failover/replica-state.js';
import type { FailoverSubject } from '../../../src/failover/subject.js';
import { checkUpstream } from '../../../src/failover/upstream-check.js';

const NOW = new Date('2026-12-06T00:00:00Z');
const subject = { replica: { kind: 'VM_REPLICA', emKey: 'replica-key', state: 'Ready', name: 'app-01', backupServerId: 'srv', vbrReplicaId: 'r-1' }, point: { id: 'point-1' } } as unknown as FailoverSubject;
const target = { kind: 'VM_REPLICA', restorePointId: 'point-1' } as const;

/** EM and the state source each answer after `ms`, counting how many of their reads were in flight at once. */
function upstreams(answers: { owner?: string; state?: () => string | null | undefined }, ms = 20) {
  let inFlight = 0;
  let most = 0;
  const read = async <T>(answer: () => T): Promise<T> => {
    most = Math.max(most, ++inFlight);
    await sleep(ms);
    inFlight -= 1;
    return answer();
  };
  const em = {
    getVmReplicaPoint: () => read((): VmReplicaPoint => ({ id: 'point-1', uid: 'u', name: 'p', vmDisplayName: 'App-01', creationTime: NOW, vmReplicaKey: answers.owner ?? 'replica-key' }) as VmReplicaPoint),
  } as unknown as EmClient;
  const states: ReplicaStateSource = { current: () => read(answers.state ?? (() => 'Ready')) };
  return { em, states, most: () => most };
}

describe("a failover's fresh check", () => {
  it("asks EM and the replica's state source at the same time", async () => {
    const u = upstreams({});
    const check = await checkUpstream(u.em, u.states, subject, target, NOW);
    expect(check).toEqual({ ok: true, facts: { emDisplayName: 'App-01', replicaState: 'Ready', restorePointTime: NOW } });
    expect(u.most()).toBe(2);
  });

  it("refuses on the source's state, not the cache's", async () => {
    const u = upstreams({ state: () => 'Failover' });
    const check = await checkUpstream(u.em, u.states, subject, target, NOW);
    expect(check).toMatchObject({ ok: false, refusal: { code: 'REPLICA_NOT_READY', replicaState: 'Failover' } });
  });

  it("keeps the cache's state when the source has none or fails", async () => {
    for (const state of [() => undefined, () => { throw new Error('VBR is down'); }]) {
      const u = upstreams({ state });
      expect(await checkUpstream(u.em, u.states, subject, target, NOW)).toMatchObject({ ok: true, facts: { replicaState: 'Ready' } });
    }
  });

  it("is EM's refusal whatever the source says", async () => {
    const u = upstreams({ owner: 'another-replica', state: () => 'Failover' });
    expect(await checkUpstream(u.em, u.states, subject, target, NOW)).toMatchObject({ ok: false, refusal: { code: 'NOT_FOUND' } });
  });
});
