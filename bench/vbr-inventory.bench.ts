import { startSimulator } from '../src/simulator/index.js';
import type { Benchmark, Measurement } from './harness.js';

const HEADERS = { Accept: 'application/json', 'Content-Type': 'application/json', 'x-api-version': '1.3-rev1' };

/** Every page of one host's listing; returns the objects seen and the slowest page. */
async function listAll(base: string, token: string, host: string, body: Record<string, unknown>, limit: number): Promise<{ objects: number; slowestMs: number }> {
  let skip = 0;
  let objects = 0;
  let slowestMs = 0;
  for (;;) {
    const t = performance.now();
    const res = await fetch(`${base}/api/v1/inventory/${host}`, { method: 'POST', headers: { ...HEADERS, Authorization: `Bearer ${token}` }, body: JSON.stringify({ ...body, pagination: { skip, limit } }) });
    const page = (await res.json()) as { data: unknown[]; pagination: { total: number } };
    slowestMs = Math.max(slowestMs, performance.now() - t);
    objects += page.data.length;
    skip += limit;
    if (skip >= page.pagination.total) return { objects, slowestMs };
  }
}

const listing: Benchmark = {
  name: 'vbr-inventory-100k',
  description: 'simulator VBR face: page through the largest vCenter of a 100,000-replica inventory (HostsAndClusters, VmsAndTags, and filtered by a cluster urn segment)',
  async run(): Promise<Measurement[]> {
    const sim = await startSimulator({ port: 0, size: 'large' });
    try {
      const server = sim.inventory.backupServer(0)!.name;
      const base = sim.vbrUrls[server]!;
      const tokenRes = await fetch(`${base}/api/oauth2/token`, { method: 'POST', headers: { 'x-api-version': '1.3-rev1', 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password&username=vbr-admin&password=vbr-admin' });
      const token = ((await tokenRes.json()) as { access_token: string }).access_token;
      const host = 'vcsa-1.lab.local';
      const out: Measurement[] = [];
      for (const [label, body] of [
        ['HostsAndClusters', { hierarchyType: 'HostsAndClusters' }],
        ['VmsAndTags', { hierarchyType: 'VmsAndTags' }],
        ['HostsAndClusters, urn Contains cluster', { hierarchyType: 'HostsAndClusters', filter: { type: 'PredicateExpression', property: 'urn', operation: 'Contains', value: 'clustercomputeresource:domain-c1;' } }],
      ] as const) {
        const started = performance.now();
        const r = await listAll(base, token, host, body, 500);
        const ms = performance.now() - started;
        out.push({ metric: `${label}: whole listing, pages of 500 (${r.objects} objects)`, value: Math.round(ms), unit: 'ms' });
        out.push({ metric: `${label}: slowest page`, value: Math.round(r.slowestMs), unit: 'ms' });
      }
      return out;
    } finally {
      await sim.close();
    }
  },
};

export const benchmarks: Benchmark[] = [listing];
