import { describe, expect, it } from 'vitest';
import type { VbrClient, VbrReplicaPoint } from '../../../src/vbr/index.js';
import { vmReplicaPoint } from '../../../src/vbr/index.js';

const point = (id: string, name: string, day: number, extra: Partial<VbrReplicaPoint> = {}): VbrReplicaPoint => ({
  id,
  name,
  platformName: 'VMware',
  platformId: `vm-${name}`,
  creationTime: new Date(Date.UTC(2026, 11, day)),
  replicaId: 'r-1',
  allowedOperations: [],
  state: 'Ready',
  ...extra,
});

/** One replica's points of three VMs, served in pages of two; `filter` is how the server reads `nameFilter`. */
function serverOf(points: VbrReplicaPoint[], filter: 'exact' | 'ignored' | 'case-sensitive') {
  const asked: Array<string | undefined> = [];
  const client = {
    async *listReplicaPoints(f: { replicaId?: string; name?: string } = {}) {
      asked.push(f.name);
      const kept = points.filter((p) => {
        if (f.name === undefined || filter === 'ignored') return true;
        return filter === 'exact' ? p.name.toLowerCase() === f.name.toLowerCase() : p.name === f.name;
      });
      for (let i = 0; i < kept.length; i += 2) yield kept.slice(i, i + 2);
    },
  } as unknown as VbrClient;
  return { client, asked };
}

const JOB = [point('a1', 'app-01', 1), point('b1', 'db-01', 2), point('a2', 'app-01', 3, { state: 'Failover' }), point('c1', 'web-01', 4), point('a0', 'app-01', 0)];

describe("a VM's replica point", () => {
  it("reads only the VM's points through nameFilter and takes the newest", async () => {
    const { client, asked } = serverOf(JOB, 'exact');
    const found = await vmReplicaPoint(client, 'r-1', 'APP-01');
    expect(found?.id).toBe('a2');
    expect(asked).toEqual(['APP-01']);
  });

  it('is the same point when the server ignores the filter', async () => {
    const { client, asked } = serverOf(JOB, 'ignored');
    expect((await vmReplicaPoint(client, 'r-1', 'app-01'))?.id).toBe('a2');
    expect(asked).toEqual(['app-01']);
  });

  it('reads the whole listing when the filtered one has none of the VM\'s points', async () => {
    const { client, asked } = serverOf(JOB, 'case-sensitive');
    expect((await vmReplicaPoint(client, 'r-1', 'APP-01'))?.id).toBe('a2');
    expect(asked).toEqual(['APP-01', undefined]);
  });

  it('is undefined for a VM without points, after both listings', async () => {
    const { client, asked } = serverOf(JOB, 'exact');
    expect(await vmReplicaPoint(client, 'r-1', 'mail-01')).toBeUndefined();
    expect(asked).toEqual(['mail-01', undefined]);
  });

  it('returns the preferred point before the newest', async () => {
    const { client } = serverOf(JOB, 'exact');
    expect((await vmReplicaPoint(client, 'r-1', 'app-01', (p) => p.id === 'a1'))?.id).toBe('a1');
  });
});
