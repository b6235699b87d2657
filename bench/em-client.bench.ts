import { createEmClient, type EmClient } from '../src/em/index.js';
import { startSimulator } from '../src/simulator/index.js';
import { overheadVsRaw, type Benchmark, type Measurement } from './harness.js';

/** Raw fetch of the same endpoint the client reads, with the same session: the client's floor. */
async function rawGet(url: string, sessionId: string): Promise<unknown> {
  const res = await fetch(url, { headers: { Accept: 'application/json', 'X-RestSvcSessionId': sessionId } });
  return res.json();
}

const overhead: Benchmark = {
  name: 'em-client-overhead',
  description: 'issue 3: EM client per-call cost vs a raw fetch of the same simulator endpoint',
  async run(): Promise<Measurement[]> {
    const sim = await startSimulator({ port: 0, size: 'demo' });
    const em: EmClient = createEmClient({ url: sim.url, username: 'em-admin', password: 'em-admin' });
    try {
      await em.logon();
      const sessionId = sim.dump().sessions[0]!.id;
      const [point] = (await em.listVmReplicaPoints()[Symbol.asyncIterator]().next()).value!;
      const url = `${sim.url}/vmReplicaPoints/${point!.id}?format=Entity`;
      return [await overheadVsRaw('GET /vmReplicaPoints/{id} per call (median)', () => rawGet(url, sessionId), () => em.getVmReplicaPoint(point!.id))];
    } finally {
      await em.close();
      await sim.close();
    }
  },
};

const sync: Benchmark = {
  name: 'em-client-sync-100k',
  description: 'issue 3: stream a 100,000-replica inventory (all four kinds) from the simulator through the client',
  async run(): Promise<Measurement[]> {
    const sim = await startSimulator({ port: 0, size: 'large' });
    const em = createEmClient({ url: sim.url, username: 'em-admin', password: 'em-admin', pageSize: 1_000 });
    let peakRss = process.memoryUsage().rss;
    const sample = (): void => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    };
    try {
      const started = performance.now();
      let objects = 0;
      const replicas = new Set<string>();
      for await (const page of em.listVmReplicaPoints()) {
        objects += page.length;
        for (const p of page) replicas.add(p.vmReplicaKey);
        sample();
      }
      for await (const page of em.listVAppReplicaPoints()) {
        objects += page.length;
        for (const p of page) replicas.add(p.vAppReplicaKey);
        sample();
      }
      for await (const page of em.listAllCdpReplicaVms()) {
        objects += page.length;
        for (const v of page) replicas.add(v.uid);
        sample();
      }
      for await (const page of em.listCdpVApps()) {
        objects += page.length;
        for (const v of page) replicas.add(v.uid);
        sample();
      }
      const seconds = (performance.now() - started) / 1000;
      const rate = objects / seconds;
      const rssMb = peakRss / 1024 / 1024;
      return [
        { metric: `objects streamed (${replicas.size} replicas, ${objects} objects incl. restore points)`, value: objects, unit: 'objects' },
        { metric: 'sync throughput (client + simulator in one process)', value: Math.round(rate), unit: 'objects/s', goal: '≥ 5,000 objects/s', pass: rate >= 5_000 },
        { metric: 'peak RSS (client + simulator in one process)', value: Math.round(rssMb), unit: 'MB', goal: '≤ 300 MB', pass: rssMb <= 300 },
      ];
    } finally {
      await em.close();
      await sim.close();
    }
  },
};

export const benchmarks: Benchmark[] = [overhead, sync];
